#ifndef FAIRSCAN_CLIBGIT2_H
#define FAIRSCAN_CLIBGIT2_H

// libgit2, opened with dlopen by the first thread that needs it instead of when fairscan starts
// (CLibGit2.c says why). The types, constants and function names are libgit2's own: Swift calls
// git2.h's functions as declared, and CLibGit2.c defines each one that fairscan calls, passing the
// call on to libgit2. A libgit2 function not listed there does not link.

#include <git2.h>

/// Opens libgit2 once (thread-safe). NULL when it is ready, else why it could not be opened (for
/// instance, the library is not installed). Every libgit2 function opens it too, and stops the
/// process with that reason if it cannot: call this first where a failure must be an error.
const char *fairscan_libgit2_open(void);

// git_libgit2_opts is variadic, which Swift cannot call: one function per option fairscan sets.

/// Turns off hash verification of every object read (fairscan reads each object once).
int fairscan_git_disable_strict_hash_verification(void);
/// Sets the maximum bytes of the shared object cache.
int fairscan_git_set_cache_max_size(long long bytes);
/// Bounds the bytes of pack files libgit2 keeps mapped (the rest is unmapped least-recently-used first).
int fairscan_git_set_mwindow_mapped_limit(long long bytes);
/// Sets the size of one mapped window of a pack file.
int fairscan_git_set_mwindow_size(long long bytes);
/// The folders libgit2 looks in for the configuration files of one level (GIT_CONFIG_LEVEL_SYSTEM,
/// _XDG, _GLOBAL or _PROGRAMDATA), separated by GIT_PATH_LIST_SEPARATOR, into `out`.
int fairscan_git_search_path(int level, git_buf *out);

#endif
