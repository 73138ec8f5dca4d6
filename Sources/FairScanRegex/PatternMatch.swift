/// One match: byte offsets into the scanned buffer.
public struct PatternMatch: Sendable, Equatable {
  /// The whole match, as byte offsets in the buffer.
  public var range: Range<Int>
  /// Index 0 is the whole match, then one entry per capture group; `nil` means unset.
  public var groups: [Range<Int>?]

  public init(range: Range<Int>, groups: [Range<Int>?]) {
    self.range = range
    self.groups = groups
  }
}

/// How a match run ended.
public enum MatchStatus: Sendable, Equatable {
  /// The buffer was searched to the end, or the caller stopped early.
  case complete
  /// A resource limit stopped the search: "match limit", "depth limit", "heap limit"
  /// or "JIT stack limit". Matches found before it were already delivered.
  case limitExceeded(String)
  /// Any other PCRE2 match error, with PCRE2's message.
  case error(String)
}
