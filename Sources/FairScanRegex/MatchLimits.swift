/// Resource limits applied to every PCRE2 match run through a ``MatchContext``.
///
/// JIT-compiled patterns honour `matchLimit` and `jitStackKiB`; the interpreter
/// (used when JIT is unavailable) honours `matchLimit`, `depthLimit` and `heapLimitKiB`.
public struct MatchLimits: Sendable, Equatable, CustomStringConvertible {
  /// Wraps `pcre2_set_match_limit`.
  public var matchLimit: UInt32
  /// Wraps `pcre2_set_depth_limit`.
  public var depthLimit: UInt32
  /// Wraps `pcre2_set_heap_limit` (KiB).
  public var heapLimitKiB: UInt32
  /// Maximum size of the per-context JIT stack, in KiB. Wraps `pcre2_jit_stack_create`.
  public var jitStackKiB: Int

  public init(
    matchLimit: UInt32 = 2_000_000,
    depthLimit: UInt32 = 10_000,
    heapLimitKiB: UInt32 = 20_000,
    jitStackKiB: Int = 1024
  ) {
    self.matchLimit = matchLimit
    self.depthLimit = depthLimit
    self.heapLimitKiB = heapLimitKiB
    self.jitStackKiB = jitStackKiB
  }

  public static let `default` = MatchLimits()

  /// The text reflection printed before (the scan cache's key holds it), written out so that
  /// no warm rescan pays for reflection.
  public var description: String {
    "MatchLimits(matchLimit: \(matchLimit), depthLimit: \(depthLimit), heapLimitKiB: \(heapLimitKiB), jitStackKiB: \(jitStackKiB))"
  }
}
