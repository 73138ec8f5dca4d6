import FairScanDigest
import FairScanRegex

/// What decides which rules run PCRE2 on a piece of content.
public enum Prefilter: String, Sendable, CaseIterable {
  /// Each rule's keywords, found in one SIMD pass by a Vectorscan literal database (the default).
  case keywords
  /// Keywords, and also one Vectorscan database of every rule's pattern (prefilter mode), so
  /// PCRE2 runs only where a rule's pattern may match. Debian 12's Vectorscan 5.4.9 misses
  /// some matches on x86 depending on pattern combination and buffer alignment (reproduced
  /// here), so it is opt-in and never the default. It was not faster on the benchmark.
  case vectorscan
}
