#ifndef CBYTESCAN_H
#define CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// One maximal run of base64 characters: bytes [start, end).
typedef struct {
  size_t start;
  size_t end;
} fs_byte_run;

/// Finds the maximal runs of bytes from both base64 alphabets and padding (A-Z a-z 0-9 + / - _ =)
/// that are at least `minimum` bytes long, in order, starting the search at `from`.
/// Writes at most `capacity` runs to `runs` and returns how many it wrote; when that is
/// `capacity`, call again with `from` set to the last run's end for the rest.
/// SSE2 on x86-64 (16 bytes per compare), a table elsewhere.
size_t fs_base64_runs(const uint8_t *data, size_t count, size_t from, size_t minimum,
                      fs_byte_run *runs, size_t capacity);

#endif
