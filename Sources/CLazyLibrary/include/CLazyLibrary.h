#ifndef FAIRSCAN_CLAZYLIBRARY_H
#define FAIRSCAN_CLAZYLIBRARY_H

#include <stddef.h>

/// Opens the shared library `soname` (RTLD_NOW | RTLD_LOCAL; it stays open for the life of the
/// process) and calls `resolve` with its handle: `resolve` looks up the caller's functions (each
/// into a pointer of its declared type) and returns the name of the first one missing, or NULL.
/// Returns 1 when every function is there; else 0, and `failure` says why: "<what> could not be
/// opened: <dlerror>" or "<what> (<soname>) has no <name>". Not thread-safe: the caller runs it
/// once (`pthread_once`).
int lazy_library_open(const char *what, const char *soname, const char *(*resolve)(void *handle), char *failure,
                      size_t size);

#endif
