// Byte-class searches the scanner runs over every byte of content, written in C because
// Swift cannot ask for SIMD compares and a mask of their results (movemask). What a match
// means is decided in Swift (EncodedSpans); this only says where the runs are.
#include "CByteScan.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define FS_SSE2 1
#endif

static int is_base64_byte(uint8_t b) {
  return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/' ||
         b == '-' || b == '_' || b == '=';
}

#ifdef FS_SSE2
static inline uint32_t class16(const uint8_t *p) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  // Signed compares: bytes from 0x80 up are negative and fall outside every range.
  __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
  __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
  __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  __m128i other = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))),
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('='))));
  return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit, other)));
}
#endif

/// Bit i set when data[at + i] is a base64 byte (64 bytes, or fewer at the end: missing bits clear).
static inline uint64_t class64_tail(const uint8_t *data, size_t count, size_t at) {
  uint64_t mask = 0;
  size_t n = count - at < 64 ? count - at : 64;
  for (size_t i = 0; i < n; i++) {
    if (is_base64_byte(data[at + i])) mask |= (uint64_t)1 << i;
  }
  return mask;
}

static inline uint64_t class64(const uint8_t *data, size_t count, size_t at) {
#ifdef FS_SSE2
  if (at + 64 <= count) {
    return (uint64_t)class16(data + at) | (uint64_t)class16(data + at + 16) << 16 |
           (uint64_t)class16(data + at + 32) << 32 | (uint64_t)class16(data + at + 48) << 48;
  }
#endif
  return class64_tail(data, count, at);
}

#ifdef FS_SSE2
// The same with AVX2, 32 bytes at a time, by nibble lookups (two shuffles instead of fourteen
// compares), chosen at run time on CPUs that have it. A byte is in the alphabet when the bit
// its high nibble selects is set in its low nibble's entry. Bits by high nibble:
//   0x2_: + - /    bit 0        0x3_: 0-9 =   bit 1        0x4_, 0x6_: letters  bit 2
//   0x5_: P-Z _    bit 3        0x7_: p-z     bit 4        0x0_, 0x1_, 0x8_-0xf_: none
__attribute__((target("avx2"))) static inline uint32_t class32_avx2(const uint8_t *p) {
  const __m256i by_low = _mm256_setr_epi8(
      0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1c, 0x05, 0x04, 0x07, 0x04, 0x0d,
      0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1c, 0x05, 0x04, 0x07, 0x04, 0x0d);
  const __m256i by_high = _mm256_setr_epi8(
      0, 0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  __m256i v = _mm256_loadu_si256((const __m256i *)p);
  __m256i low = _mm256_shuffle_epi8(by_low, _mm256_and_si256(v, nibble));
  __m256i high = _mm256_shuffle_epi8(by_high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  __m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(low, high), _mm256_setzero_si256());
  return ~(uint32_t)_mm256_movemask_epi8(none);
}

__attribute__((target("avx2"))) static inline uint64_t class64_avx2(const uint8_t *data, size_t count, size_t at) {
  if (at + 64 <= count) return (uint64_t)class32_avx2(data + at) | (uint64_t)class32_avx2(data + at + 32) << 32;
  return class64_tail(data, count, at);
}
#endif

static inline int ctz64(uint64_t x) { return __builtin_ctzll(x); }
static inline int clz64(uint64_t x) { return __builtin_clzll(x); }

/// The search, for one classifier (`avx2`: a constant in each caller, so each gets its own loop).
static inline size_t base64_runs(const uint8_t *data, size_t count, size_t from, size_t minimum, fs_byte_run *runs,
                                 size_t capacity, int avx2) {
  size_t found = 0;
  if (capacity == 0 || minimum == 0 || minimum > 64 || from >= count) return 0;
  int in_run = 0;
  size_t run_start = 0;
  for (size_t at = from; at < count; at += 64) {
#ifdef FS_SSE2
    uint64_t m = avx2 ? class64_avx2(data, count, at) : class64(data, count, at);
#else
    (void)avx2;
    uint64_t m = class64(data, count, at);
#endif
    size_t width = count - at < 64 ? count - at : 64;
    if (in_run) {
      if (m == ~(uint64_t)0) continue;
      int ones = ctz64(~m);
      size_t end = at + (size_t)ones;
      in_run = 0;
      if (end - run_start >= minimum) {
        runs[found].start = run_start;
        runs[found].end = end;
        if (++found == capacity) return found;
      }
      if (ones > 0) m &= ~(((uint64_t)1 << ones) - 1);
    }
    // Positions where `minimum` base64 bytes in a row start, within this word.
    uint64_t t = m;
    for (size_t have = 1; have < minimum;) {
      size_t step = have <= minimum - have ? have : minimum - have;
      t &= t >> step;
      have += step;
    }
    int done = 0;  // bits below this were taken by a run emitted from this word
    while (t != 0) {
      int s = ctz64(t);
      uint64_t below = ~m & (s == 0 ? 0 : (((uint64_t)1 << s) - 1));
      int r = below == 0 ? 0 : 64 - clz64(below);
      uint64_t rest = m >> r;
      if (rest == (~(uint64_t)0 >> r)) {  // runs to the word's top: continues in the next word
        in_run = 1;
        run_start = at + (size_t)r;
        break;
      }
      int e = r + ctz64(~rest);
      runs[found].start = at + (size_t)r;
      runs[found].end = at + (size_t)e;
      if (++found == capacity) return found;
      done = e;
      t &= e >= 64 ? 0 : ~(((uint64_t)1 << e) - 1);
    }
    if (!in_run && width == 64 && (m >> 63) && 64 - clz64(~m) >= done) {
      in_run = 1;
      run_start = at + 64 - (size_t)clz64(~m);
    } else if (!in_run && width < 64 && width > 0 && ((m >> (width - 1)) & 1) && (int)width > done) {
      // The last, partial word: a run reaching the end of the content (shorter than `minimum` in
      // this word; a longer one was taken above).
      int leading = 0;
      while (leading < (int)width && ((m >> (width - 1 - leading)) & 1)) leading++;
      in_run = 1;
      run_start = at + width - (size_t)leading;
    }
  }
  if (in_run && count - run_start >= minimum) {
    runs[found].start = run_start;
    runs[found].end = count;
    found++;
  }
  return found;
}

#ifdef FS_SSE2
__attribute__((target("avx2"))) static size_t base64_runs_avx2(const uint8_t *data, size_t count, size_t from,
                                                              size_t minimum, fs_byte_run *runs, size_t capacity) {
  return base64_runs(data, count, from, minimum, runs, capacity, 1);
}
#endif

int fs_base64_runs_best_level(void) {
#ifdef FS_SSE2
  static int best = -1;  // a benign race: every thread computes the same answer
  if (best < 0) best = __builtin_cpu_supports("avx2") ? 2 : 1;
  return best;
#else
  return 0;
#endif
}

size_t fs_base64_runs_level(const uint8_t *data, size_t count, size_t from, size_t minimum, fs_byte_run *runs,
                            size_t capacity, int level) {
  if (level > fs_base64_runs_best_level()) level = fs_base64_runs_best_level();
#ifdef FS_SSE2
  if (level == 2) return base64_runs_avx2(data, count, from, minimum, runs, capacity);
  if (level == 1) return base64_runs(data, count, from, minimum, runs, capacity, 0);
#endif
  // Level 0: byte by byte (the only level off x86-64, and what tests hold the SIMD levels to).
  size_t found = 0;
  if (capacity == 0 || minimum == 0 || minimum > 64 || from >= count) return 0;
  size_t start = from;
  for (size_t i = from; i <= count; i++) {
    if (i < count && is_base64_byte(data[i])) continue;
    if (i - start >= minimum) {
      runs[found].start = start;
      runs[found].end = i;
      if (++found == capacity) return found;
    }
    start = i + 1;
  }
  return found;
}

size_t fs_base64_runs(const uint8_t *data, size_t count, size_t from, size_t minimum, fs_byte_run *runs,
                      size_t capacity) {
  return fs_base64_runs_level(data, count, from, minimum, runs, capacity, fs_base64_runs_best_level());
}
