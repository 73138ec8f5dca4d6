#include "CLibGit2.h"

#include <CLazyLibrary.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Why libgit2 is opened rather than linked: loading it, with the fourteen libraries it needs for
   network transports fairscan never uses (libssh2, OpenSSL's libcrypto, Kerberos, mbedTLS,
   http-parser), took about 4.5 ms of every start, before main, whether the command reads a
   repository or not. Opened by the thread that first needs it, that time leaves the start of
   `dir`, `stdin` and `rules`, and for `repo` it runs on the background thread that sets libgit2
   up, beside argument parsing (LibGit2.initializeInBackground).

   Opened RTLD_LOCAL, not RTLD_DEEPBIND: libgit2 still finds the executable's definitions before
   its own libraries' (CLibGit2Setup's mbedtls_x509_crt_parse_file must take the place of
   mbedTLS's). The functions below are hidden, so libgit2's calls to its own functions stay its own. */

/* The name Debian's runtime package installs (libgit2-1.5), from the headers the build used. */
#define LIBGIT2_SONAME "libgit2.so." LIBGIT2_SOVERSION

/* Every libgit2 function fairscan calls, with its parameters as git2.h declares them (and their
   names again, to pass them on): F for a function that returns a value, V for one that does not.
   git_libgit2_opts, variadic, is called only by the functions at the end of this file. */
#define LIBGIT2_FUNCTIONS(F, V) \
  V(git_buf_dispose, (git_buf *buffer), (buffer)) \
  V(git_commit_free, (git_commit *commit), (commit)) \
  F(int, git_commit_lookup, (git_commit **commit, git_repository *repo, const git_oid *id), (commit, repo, id)) \
  F(int, git_commit_tree, (git_tree **tree_out, const git_commit *commit), (tree_out, commit)) \
  F(const git_oid *, git_commit_tree_id, (const git_commit *commit), (commit)) \
  V(git_config_free, (git_config *cfg), (cfg)) \
  F(int, git_config_get_string, (const char **out, const git_config *cfg, const char *name), (out, cfg, name)) \
  V(git_config_iterator_free, (git_config_iterator *iter), (iter)) \
  F(int, git_config_iterator_glob_new, (git_config_iterator **out, const git_config *cfg, const char *regexp), (out, cfg, regexp)) \
  F(int, git_config_next, (git_config_entry **entry, git_config_iterator *iter), (entry, iter)) \
  F(int, git_config_parse_bool, (int *out, const char *value), (out, value)) \
  V(git_diff_free, (git_diff *diff), (diff)) \
  F(const git_diff_delta *, git_diff_get_delta, (const git_diff *diff, size_t idx), (diff, idx)) \
  F(size_t, git_diff_num_deltas, (const git_diff *diff), (diff)) \
  F(int, git_diff_options_init, (git_diff_options *opts, unsigned int version), (opts, version)) \
  F(int, git_diff_tree_to_index, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_index *index, const git_diff_options *opts), (diff, repo, old_tree, index, opts)) \
  F(const git_error *, git_error_last, (void), ()) \
  F(int, git_ignore_path_is_ignored, (int *ignored, git_repository *repo, const char *path), (ignored, repo, path)) \
  V(git_index_conflict_iterator_free, (git_index_conflict_iterator *iterator), (iterator)) \
  F(int, git_index_conflict_iterator_new, (git_index_conflict_iterator **iterator_out, git_index *index), (iterator_out, index)) \
  F(int, git_index_conflict_next, (const git_index_entry **ancestor_out, const git_index_entry **our_out, const git_index_entry **their_out, git_index_conflict_iterator *iterator), (ancestor_out, our_out, their_out, iterator)) \
  F(size_t, git_index_entrycount, (const git_index *index), (index)) \
  V(git_index_free, (git_index *index), (index)) \
  F(const git_index_entry *, git_index_get_byindex, (git_index *index, size_t n), (index, n)) \
  F(int, git_index_has_conflicts, (const git_index *index), (index)) \
  F(int, git_index_open, (git_index **out, const char *index_path), (out, index_path)) \
  F(int, git_libgit2_init, (void), ()) \
  F(int, git_libgit2_version, (int *major, int *minor, int *rev), (major, minor, rev)) \
  V(git_object_free, (git_object *object), (object)) \
  F(const git_oid *, git_object_id, (const git_object *obj), (obj)) \
  F(int, git_object_peel, (git_object **peeled, const git_object *object, git_object_t target_type), (peeled, object, target_type)) \
  F(int, git_odb_exists, (git_odb *db, const git_oid *id), (db, id)) \
  V(git_odb_free, (git_odb *db), (db)) \
  F(const void *, git_odb_object_data, (git_odb_object *object), (object)) \
  V(git_odb_object_free, (git_odb_object *object), (object)) \
  F(size_t, git_odb_object_size, (git_odb_object *object), (object)) \
  F(git_object_t, git_odb_object_type, (git_odb_object *object), (object)) \
  F(int, git_odb_read, (git_odb_object **out, git_odb *db, const git_oid *id), (out, db, id)) \
  F(int, git_odb_read_header, (size_t *len_out, git_object_t *type_out, git_odb *db, const git_oid *id), (len_out, type_out, db, id)) \
  V(git_reference_free, (git_reference *ref), (ref)) \
  V(git_reference_iterator_free, (git_reference_iterator *iter), (iter)) \
  F(int, git_reference_iterator_glob_new, (git_reference_iterator **out, git_repository *repo, const char *glob), (out, repo, glob)) \
  F(int, git_reference_iterator_new, (git_reference_iterator **out, git_repository *repo), (out, repo)) \
  F(int, git_reference_lookup, (git_reference **out, git_repository *repo, const char *name), (out, repo, name)) \
  F(const char *, git_reference_name, (const git_reference *ref), (ref)) \
  F(int, git_reference_name_to_id, (git_oid *out, git_repository *repo, const char *name), (out, repo, name)) \
  F(int, git_reference_next, (git_reference **out, git_reference_iterator *iter), (out, iter)) \
  F(int, git_reference_resolve, (git_reference **out, const git_reference *ref), (out, ref)) \
  F(const char *, git_reference_symbolic_target, (const git_reference *ref), (ref)) \
  F(const git_oid *, git_reference_target, (const git_reference *ref), (ref)) \
  F(git_reference_t, git_reference_type, (const git_reference *ref), (ref)) \
  F(const char *, git_repository_commondir, (const git_repository *repo), (repo)) \
  F(int, git_repository_config_snapshot, (git_config **out, git_repository *repo), (out, repo)) \
  F(int, git_repository_discover, (git_buf *out, const char *start_path, int across_fs, const char *ceiling_dirs), (out, start_path, across_fs, ceiling_dirs)) \
  V(git_repository_free, (git_repository *repo), (repo)) \
  F(int, git_repository_head_detached, (git_repository *repo), (repo)) \
  F(int, git_repository_head_unborn, (git_repository *repo), (repo)) \
  F(int, git_repository_index, (git_index **out, git_repository *repo), (out, repo)) \
  F(int, git_repository_is_bare, (const git_repository *repo), (repo)) \
  F(int, git_repository_is_shallow, (git_repository *repo), (repo)) \
  F(int, git_repository_odb, (git_odb **out, git_repository *repo), (out, repo)) \
  F(int, git_repository_open_bare, (git_repository **out, const char *bare_path), (out, bare_path)) \
  F(int, git_repository_open_ext, (git_repository **out, const char *path, unsigned int flags, const char *ceiling_dirs), (out, path, flags, ceiling_dirs)) \
  F(const char *, git_repository_path, (const git_repository *repo), (repo)) \
  F(const char *, git_repository_workdir, (const git_repository *repo), (repo)) \
  F(int, git_revparse_single, (git_object **out, git_repository *repo, const char *spec), (out, repo, spec)) \
  F(const git_status_entry *, git_status_byindex, (git_status_list *statuslist, size_t idx), (statuslist, idx)) \
  F(size_t, git_status_list_entrycount, (git_status_list *statuslist), (statuslist)) \
  V(git_status_list_free, (git_status_list *statuslist), (statuslist)) \
  F(int, git_status_list_new, (git_status_list **out, git_repository *repo, const git_status_options *opts), (out, repo, opts)) \
  F(int, git_status_options_init, (git_status_options *opts, unsigned int version), (opts, version)) \
  F(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path)) \
  V(git_tree_entry_free, (git_tree_entry *entry), (entry)) \
  F(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry)) \
  F(git_object_t, git_tree_entry_type, (const git_tree_entry *entry), (entry)) \
  V(git_tree_free, (git_tree *tree), (tree))

/* One pointer per function, of the type of git2.h's declaration. */
#define POINTER(ret, name, params, args) static __typeof__(name) *p_##name;
#define POINTER_VOID(name, params, args) static __typeof__(name) *p_##name;
LIBGIT2_FUNCTIONS(POINTER, POINTER_VOID)
static __typeof__(git_libgit2_opts) *p_git_libgit2_opts;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static atomic_int opened;

/* Looks every function up; the name of the first one missing, or NULL. */
static const char *resolve(void *handle) {
#define RESOLVE(name)                                                                            \
  if (!(p_##name = (__typeof__(name) *)dlsym(handle, #name))) return #name;
#define RESOLVE_VALUE(ret, name, params, args) RESOLVE(name)
#define RESOLVE_VOID(name, params, args) RESOLVE(name)
  LIBGIT2_FUNCTIONS(RESOLVE_VALUE, RESOLVE_VOID)
  RESOLVE(git_libgit2_opts)
  return NULL;
}

static void open_library(void) {
  if (lazy_library_open("libgit2", LIBGIT2_SONAME, resolve, failure, sizeof failure)) {
    atomic_store_explicit(&opened, 1, memory_order_release);
  }
}

const char *fairscan_libgit2_open(void) {
  pthread_once(&once, open_library);
  return atomic_load_explicit(&opened, memory_order_acquire) ? NULL : failure;
}

/* Before every call: one atomic load once libgit2 is open. A call while it cannot be opened is a
   bug of the caller (fairscan_libgit2_open says so first): it stops the process with the reason
   rather than jump to nowhere. */
static inline void require_open(void) {
  if (__builtin_expect(atomic_load_explicit(&opened, memory_order_acquire), 1)) return;
  const char *why = fairscan_libgit2_open();
  if (why) {
    fprintf(stderr, "fairscan: %s\n", why);
    abort();
  }
}

/* libgit2's functions: forward_git_x passes the call on, and the assembler gives it the name
   git_x as well, hidden (git2.h declares git_x exported, so C cannot define it hidden). The
   static assertion checks forward_git_x's type against git2.h's declaration of git_x. */
#define HIDDEN __attribute__((visibility("hidden")))
#define NAMED_AS(name)                                                                           \
  _Static_assert(__builtin_types_compatible_p(__typeof__(forward_##name), __typeof__(name)),    \
                 #name " differs from git2.h");                                                  \
  __asm__(".globl " #name "\n\t.hidden " #name "\n\t.set " #name ", forward_" #name);
#define FORWARD(ret, name, params, args)                                                         \
  HIDDEN ret forward_##name params {                                                             \
    require_open();                                                                              \
    return p_##name args;                                                                        \
  }                                                                                              \
  NAMED_AS(name)
#define FORWARD_VOID(name, params, args)                                                         \
  HIDDEN void forward_##name params {                                                            \
    require_open();                                                                              \
    p_##name args;                                                                               \
  }                                                                                              \
  NAMED_AS(name)
LIBGIT2_FUNCTIONS(FORWARD, FORWARD_VOID)

int fairscan_git_disable_strict_hash_verification(void) {
  require_open();
  return p_git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

int fairscan_git_set_cache_max_size(long long bytes) {
  require_open();
  return p_git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

int fairscan_git_set_mwindow_mapped_limit(long long bytes) {
  require_open();
  return p_git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)bytes);
}

int fairscan_git_set_mwindow_size(long long bytes) {
  require_open();
  return p_git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)bytes);
}

int fairscan_git_search_path(int level, git_buf *out) {
  require_open();
  return p_git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, (git_config_level_t)level, out);
}
