#include "CLibArchive.h"

#include <CLazyLibrary.h>
#include <dlfcn.h>
#include <pthread.h>

// libarchive's Debian 12 name (package libarchive13); its ABI has kept this number since 2011.
#define LIBARCHIVE_SONAME "libarchive.so.13"

// Every function fairscan calls. Each pointer has the type of libarchive's own declaration, so
// a prototype that does not match archive.h does not compile.
#define LIBARCHIVE_FUNCTIONS(X)                                                                   \
  X(archive_read_new) X(archive_read_free) X(archive_read_support_format_zip)                   \
  X(archive_read_support_format_tar) X(archive_read_support_format_raw)                          \
  X(archive_read_support_filter_gzip) X(archive_read_support_filter_bzip2)                       \
  X(archive_read_support_filter_xz) X(archive_read_open_memory) X(archive_read_next_header)      \
  X(archive_read_data) X(archive_format) X(archive_error_string) X(archive_errno)                \
  X(archive_entry_filetype) X(archive_entry_is_encrypted) X(archive_entry_size_is_set)           \
  X(archive_entry_size) X(archive_entry_pathname) X(archive_entry_pathname_utf8)

#define DECLARE_POINTER(name) static __typeof__(name) *p_##name;
LIBARCHIVE_FUNCTIONS(DECLARE_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int opened;

/* Looks every function up; the name of the first one missing, or NULL. */
static const char *resolve(void *handle) {
#define RESOLVE(name)                                                                            \
  if (!(p_##name = (__typeof__(name) *)dlsym(handle, #name))) return #name;
  LIBARCHIVE_FUNCTIONS(RESOLVE)
#undef RESOLVE
  return NULL;
}

static void open_library(void) {
  opened = lazy_library_open("libarchive", LIBARCHIVE_SONAME, resolve, failure, sizeof failure);
}

const char *lazy_archive_open(void) {
  pthread_once(&once, open_library);
  return opened ? NULL : failure;
}

struct archive *lazy_archive_read_new(void) { return lazy_archive_open() ? NULL : p_archive_read_new(); }
int lazy_archive_read_free(struct archive *a) { return p_archive_read_free(a); }
int lazy_archive_read_support_format_zip(struct archive *a) { return p_archive_read_support_format_zip(a); }
int lazy_archive_read_support_format_tar(struct archive *a) { return p_archive_read_support_format_tar(a); }
int lazy_archive_read_support_format_raw(struct archive *a) { return p_archive_read_support_format_raw(a); }
int lazy_archive_read_support_filter_gzip(struct archive *a) { return p_archive_read_support_filter_gzip(a); }
int lazy_archive_read_support_filter_bzip2(struct archive *a) { return p_archive_read_support_filter_bzip2(a); }
int lazy_archive_read_support_filter_xz(struct archive *a) { return p_archive_read_support_filter_xz(a); }
int lazy_archive_read_open_memory(struct archive *a, const void *buffer, size_t size) {
  return p_archive_read_open_memory(a, buffer, size);
}
int lazy_archive_read_next_header(struct archive *a, struct archive_entry **entry) {
  return p_archive_read_next_header(a, entry);
}
la_ssize_t lazy_archive_read_data(struct archive *a, void *buffer, size_t size) {
  return p_archive_read_data(a, buffer, size);
}
int lazy_archive_format(struct archive *a) { return p_archive_format(a); }
const char *lazy_archive_error_string(struct archive *a) { return p_archive_error_string(a); }
int lazy_archive_errno(struct archive *a) { return p_archive_errno(a); }
__LA_MODE_T lazy_archive_entry_filetype(struct archive_entry *entry) { return p_archive_entry_filetype(entry); }
int lazy_archive_entry_is_encrypted(struct archive_entry *entry) { return p_archive_entry_is_encrypted(entry); }
int lazy_archive_entry_size_is_set(struct archive_entry *entry) { return p_archive_entry_size_is_set(entry); }
la_int64_t lazy_archive_entry_size(struct archive_entry *entry) { return p_archive_entry_size(entry); }
const char *lazy_archive_entry_pathname(struct archive_entry *entry) { return p_archive_entry_pathname(entry); }
const char *lazy_archive_entry_pathname_utf8(struct archive_entry *entry) {
  return p_archive_entry_pathname_utf8(entry);
}
