/// A gitignore-like path pattern over '/'-separated relative paths.
///
/// - `*` matches any bytes within one segment, `?` one byte, `[abc]`, `[a-z]`,
///   `[!a-z]` / `[^a-z]` one byte from (or not from) a class, `\x` a literal `x`.
/// - A `**` segment matches any number of segments, including none
///   (`**/x`, `a/**`, `a/**/b`).
/// - A pattern without '/' matches the base name at any depth (`*.min.js`);
///   a leading '/' anchors a pattern at the root; a trailing '/' means "this folder".
/// - A pattern that matches a folder matches everything under it, as in gitignore:
///   `vendor` and `vendor/` both match `vendor/a/b.js`.
///
/// Matching is on bytes (UTF-8), so classes hold ASCII (one-byte) characters.
public struct Glob: Sendable, Equatable {
  public let pattern: String
  private let segments: [Segment]

  enum Segment: Sendable, Equatable {
    case anySegments
    case segment([Token])
  }

  enum Token: Sendable, Equatable {
    case byte(UInt8)
    case anyByte
    case anyRun
    case set([ClosedRange<UInt8>], negated: Bool)
  }

  public init(_ pattern: String) {
    self.pattern = pattern
    var text = pattern
    var anchored = false
    while text.hasPrefix("./") { text.removeFirst(2) }
    if text.hasPrefix("/") {
      anchored = true
      text.removeFirst()
    }
    if text.hasSuffix("/") { text.removeLast() }
    var parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    if !anchored && parts.count <= 1 { parts.insert("**", at: 0) }
    segments = parts.map { $0 == "**" ? .anySegments : .segment(Glob.tokens(Array($0.utf8))) }
  }

  /// A path split into its '/'-separated segments once, for every glob tested against it (a
  /// file meets a few dozen rules' globs: splitting the path for each took a quarter of a work
  /// tree scan). A leading "./" is ignored.
  public struct Path: Sendable {
    let bytes: [UInt8]
    let segments: [Range<Int>]

    public init(_ path: String) {
      var bytes = Array(path.utf8)
      while bytes.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { bytes.removeFirst(2) }
      var segments: [Range<Int>] = []
      var start = 0
      for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") {
        if i > start { segments.append(start..<i) }
        start = i + 1
      }
      if bytes.count > start { segments.append(start..<bytes.count) }
      (self.bytes, self.segments) = (bytes, segments)
    }
  }

  /// Whether `path` (relative, '/'-separated; a leading "./" is ignored) or one of
  /// its parent folders matches.
  public func matches(_ path: String) -> Bool { matches(Path(path)) }

  /// Whether `path` or one of its parent folders matches.
  public func matches(_ path: Path) -> Bool {
    // The path itself, then each parent folder (gitignore: a matched folder covers its contents).
    for count in stride(from: path.segments.count, through: 1, by: -1)
    where Glob.match(segments[...], path.segments[..<count], in: path.bytes) {
      return true
    }
    return false
  }

  // MARK: Matching

  /// Segment-level wildcard matching: `**` is the star, each other segment matches one path
  /// segment (a range of `bytes`).
  private static func match(_ pattern: ArraySlice<Segment>, _ path: ArraySlice<Range<Int>>, in bytes: [UInt8]) -> Bool {
    var p = pattern.startIndex, s = path.startIndex
    var starP: Int?, starS = 0
    while s < path.endIndex {
      if p < pattern.endIndex, case let .segment(tokens) = pattern[p], matchSegment(tokens[...], bytes[path[s]]) {
        p += 1; s += 1
      } else if p < pattern.endIndex, pattern[p] == .anySegments {
        starP = p; starS = s; p += 1
      } else if let star = starP {
        p = star + 1; starS += 1; s = starS
      } else {
        return false
      }
    }
    while p < pattern.endIndex, pattern[p] == .anySegments { p += 1 }
    return p == pattern.endIndex
  }

  /// Byte-level wildcard matching within one segment.
  private static func matchSegment(_ tokens: ArraySlice<Token>, _ bytes: ArraySlice<UInt8>) -> Bool {
    var t = tokens.startIndex, b = bytes.startIndex
    var starT: Int?, starB = 0
    while b < bytes.endIndex {
      if t < tokens.endIndex, tokens[t] != .anyRun, matchOne(tokens[t], bytes[b]) {
        t += 1; b += 1
      } else if t < tokens.endIndex, tokens[t] == .anyRun {
        starT = t; starB = b; t += 1
      } else if let star = starT {
        t = star + 1; starB += 1; b = starB
      } else {
        return false
      }
    }
    while t < tokens.endIndex, tokens[t] == .anyRun { t += 1 }
    return t == tokens.endIndex
  }

  private static func matchOne(_ token: Token, _ byte: UInt8) -> Bool {
    switch token {
    case let .byte(b): return b == byte
    case .anyByte: return true
    case .anyRun: return false
    case let .set(ranges, negated): return ranges.contains { $0.contains(byte) } != negated
    }
  }

  // MARK: Parsing

  private static func tokens(_ bytes: [UInt8]) -> [Token] {
    var result: [Token] = []
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      switch c {
      case UInt8(ascii: "*"):
        if result.last != .anyRun { result.append(.anyRun) }  // "**" inside a segment is "*"
        i += 1
      case UInt8(ascii: "?"):
        result.append(.anyByte); i += 1
      case UInt8(ascii: "\\") where i + 1 < bytes.count:
        result.append(.byte(bytes[i + 1])); i += 2
      case UInt8(ascii: "["):
        if let (set, next) = parseSet(bytes, from: i) {
          result.append(set); i = next
        } else {
          result.append(.byte(c)); i += 1
        }
      default:
        result.append(.byte(c)); i += 1
      }
    }
    return result
  }

  /// Parses `[...]` starting at `start`; nil when unterminated (then '[' is literal).
  private static func parseSet(_ bytes: [UInt8], from start: Int) -> (Token, Int)? {
    var i = start + 1
    var negated = false
    if i < bytes.count, bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "^") {
      negated = true; i += 1
    }
    var ranges: [ClosedRange<UInt8>] = []
    var first = true
    while i < bytes.count {
      var c = bytes[i]
      if c == UInt8(ascii: "]") && !first { return (.set(ranges, negated: negated), i + 1) }
      first = false
      if c == UInt8(ascii: "\\"), i + 1 < bytes.count { i += 1; c = bytes[i] }
      if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] != UInt8(ascii: "]") {
        let upper = bytes[i + 2]
        ranges.append(min(c, upper)...max(c, upper))
        i += 3
      } else {
        ranges.append(c...c)
        i += 1
      }
    }
    return nil
  }
}
