import CPCRE2

/// Per-thread state for PCRE2 matching: match context with limits, JIT stack and match data.
///
/// Not thread-safe: create one per thread or task and never share it.
/// Owns all three handles and frees them on deinit.
/// Wraps `pcre2_match_context_create`, `pcre2_jit_stack_create` and `pcre2_match_data_create_from_pattern`.
public final class MatchContext {
  public let limits: MatchLimits
  let context: OpaquePointer
  private let jitStack: OpaquePointer?
  private var matchData: OpaquePointer?
  private var matchDataPairs: UInt32 = 0

  public init(limits: MatchLimits = .default) {
    self.limits = limits
    guard let context = cpcre2_match_context_create() else {
      fatalError("pcre2_match_context_create: out of memory")
    }
    self.context = context
    _ = cpcre2_set_match_limit(context, limits.matchLimit)
    _ = cpcre2_set_depth_limit(context, limits.depthLimit)
    _ = cpcre2_set_heap_limit(context, limits.heapLimitKiB)
    let maxBytes = max(limits.jitStackKiB, 1) * 1024
    let startBytes = min(32 * 1024, maxBytes)
    // If the JIT stack cannot be created, PCRE2 keeps its default 32 KiB stack.
    jitStack = cpcre2_jit_stack_create(startBytes, maxBytes)
    if let jitStack { cpcre2_jit_stack_assign(context, jitStack) }
  }

  deinit {
    if let matchData { cpcre2_match_data_free(matchData) }
    cpcre2_match_context_free(context)
    if let jitStack { cpcre2_jit_stack_free(jitStack) }
  }

  /// Match data with room for at least `pattern`'s groups; reused across calls.
  func matchData(for pattern: Pattern) -> OpaquePointer {
    let needed = UInt32(pattern.captureCount + 1)
    if let matchData, matchDataPairs >= needed { return matchData }
    if let matchData { cpcre2_match_data_free(matchData) }
    guard let fresh = cpcre2_match_data_create_from_pattern(pattern.code) else {
      fatalError("pcre2_match_data_create_from_pattern: out of memory")
    }
    matchData = fresh
    matchDataPairs = cpcre2_get_ovector_count(fresh)
    return fresh
  }
}
