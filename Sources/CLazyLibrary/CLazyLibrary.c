#include "CLazyLibrary.h"

#include <dlfcn.h>
#include <stdio.h>

int lazy_library_open(const char *what, const char *soname, const char *(*resolve)(void *handle), char *failure,
                      size_t size) {
  void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    snprintf(failure, size, "%s could not be opened: %s", what, why ? why : soname);
    return 0;
  }
  const char *missing = resolve(handle);
  if (missing) {
    snprintf(failure, size, "%s (%s) has no %s", what, soname, missing);
    return 0;
  }
  return 1;
}
