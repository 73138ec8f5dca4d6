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
/// AVX2 or SSE2 on x86-64 (32 or 16 bytes per compare, chosen at run time), a loop elsewhere.
size_t fs_base64_runs(const uint8_t *data, size_t count, size_t from, size_t minimum,
                      fs_byte_run *runs, size_t capacity);

/// The same with a chosen implementation: 0 a plain loop, 1 SSE2, 2 AVX2 (capped at what the
/// CPU has). For tests that compare them.
size_t fs_base64_runs_level(const uint8_t *data, size_t count, size_t from, size_t minimum,
                            fs_byte_run *runs, size_t capacity, int level);

/// The best level this CPU runs (what `fs_base64_runs` uses).
int fs_base64_runs_best_level(void);

#endif
