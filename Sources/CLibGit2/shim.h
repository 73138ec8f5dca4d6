#ifndef FAIRSCAN_CLIBGIT2_SHIM_H
#define FAIRSCAN_CLIBGIT2_SHIM_H

#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option. */

/* Turns off hash verification of every object read (fairscan reads each object once). */
static inline int fairscan_git_disable_strict_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

/* Sets the maximum bytes of the shared object cache. */
static inline int fairscan_git_set_cache_max_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

/* Turns the object cache on (1) or off (0). */
static inline int fairscan_git_enable_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}

/* Bounds the bytes of pack files libgit2 keeps mapped (the rest is unmapped least-recently-used first). */
static inline int fairscan_git_set_mwindow_mapped_limit(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)bytes);
}

/* Sets the size of one mapped window of a pack file. */
static inline int fairscan_git_set_mwindow_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)bytes);
}

#endif
