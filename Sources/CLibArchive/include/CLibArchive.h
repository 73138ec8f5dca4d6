#ifndef FAIRSCAN_CLIBARCHIVE_H
#define FAIRSCAN_CLIBARCHIVE_H

// libarchive, opened when the first archive is met (dlopen) instead of when fairscan starts:
// it and the nine libraries it needs (libxml2 and ICU among them) cost about 1.8 ms of every
// run, and most runs (a hook, a rescan) meet no archive. The types and constants are
// libarchive's own; call the functions below, never archive.h's: the binary is not linked
// with libarchive, so those would not link.

#include <archive.h>
#include <archive_entry.h>

/// Opens libarchive once (thread-safe). NULL when it is ready, else why it could not be
/// opened (for instance, the library is not installed).
const char *lazy_archive_open(void);

// libarchive's functions of the same names without `lazy_`. Call `lazy_archive_open` first:
// lazy_archive_read_new returns NULL, and every other one must not be called, while it fails.
struct archive *lazy_archive_read_new(void);
int lazy_archive_read_free(struct archive *a);
int lazy_archive_read_support_format_zip(struct archive *a);
int lazy_archive_read_support_format_tar(struct archive *a);
int lazy_archive_read_support_format_raw(struct archive *a);
int lazy_archive_read_support_filter_gzip(struct archive *a);
int lazy_archive_read_support_filter_bzip2(struct archive *a);
int lazy_archive_read_support_filter_xz(struct archive *a);
int lazy_archive_read_open_memory(struct archive *a, const void *buffer, size_t size);
int lazy_archive_read_next_header(struct archive *a, struct archive_entry **entry);
la_ssize_t lazy_archive_read_data(struct archive *a, void *buffer, size_t size);
int lazy_archive_format(struct archive *a);
const char *lazy_archive_error_string(struct archive *a);
int lazy_archive_errno(struct archive *a);
__LA_MODE_T lazy_archive_entry_filetype(struct archive_entry *entry);
int lazy_archive_entry_is_encrypted(struct archive_entry *entry);
int lazy_archive_entry_size_is_set(struct archive_entry *entry);
la_int64_t lazy_archive_entry_size(struct archive_entry *entry);
const char *lazy_archive_entry_pathname(struct archive_entry *entry);
const char *lazy_archive_entry_pathname_utf8(struct archive_entry *entry);

#endif
