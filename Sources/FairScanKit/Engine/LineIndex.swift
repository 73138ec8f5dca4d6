/// Line and column of a byte range. Lines end at LF (a CR before it belongs to
/// the line ending); a column counts characters: every byte that does not
/// continue a UTF-8 sequence starts one, so invalid UTF-8 counts byte by byte.
public struct TextPosition: Sendable, Equatable, Codable {
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
  public var byteOffset: Int
  public var byteLength: Int
}

/// Converts offsets to positions incrementally: offsets asked in increasing order cost one pass.
struct LineIndex {
  private let content: UnsafeRawBufferPointer
  private var cursor = 0
  private var line = 1
  private var lineStart = 0

  init(_ content: UnsafeRawBufferPointer) { self.content = content }

  mutating func position(of range: Range<Int>) -> TextPosition {
    let (l1, c1) = locate(range.lowerBound)
    let (l2, c2) = locate(range.upperBound)
    return TextPosition(line: l1, column: c1, endLine: l2, endColumn: c2, byteOffset: range.lowerBound, byteLength: range.count)
  }

  private var columnOffset = 0
  private var column = 1

  private mutating func locate(_ offset: Int) -> (Int, Int) {
    if offset < cursor { cursor = 0; line = 1; lineStart = 0; columnOffset = 0; column = 1 }
    while cursor < offset {
      if content[cursor] == 0x0A { line += 1; lineStart = cursor + 1 }
      cursor += 1
    }
    // Columns count on from the last position asked on the same line, so many secrets
    // on one long (minified) line cost one pass, not one pass each.
    if columnOffset < lineStart || columnOffset > offset { columnOffset = lineStart; column = 1 }
    var i = columnOffset
    while i < offset {
      if content[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    columnOffset = offset
    return (line, column)
  }

  /// The byte range of the line holding `offset`, without its line ending, and at most
  /// `reach` bytes on either side of `offset` (a minified file can be one line of megabytes:
  /// every match on it must not cost a pass over all of it).
  static func lineRange(containing offset: Int, in content: UnsafeRawBufferPointer, reach: Int = 4096) -> Range<Int> {
    var start = min(offset, content.count)
    let startLimit = max(0, start - reach)
    while start > startLimit && content[start - 1] != 0x0A { start -= 1 }
    var end = min(offset, content.count)
    let endLimit = min(content.count, end + reach)
    while end < endLimit && content[end] != 0x0A { end += 1 }
    if end > start && content[end - 1] == 0x0D { end -= 1 }
    return start..<end
  }
}

/// The line around a secret, with the secret redacted and the text made terminal-safe.
enum Snippet {
  static let radius = 60

  static func make(content: UnsafeRawBufferPointer, line: Range<Int>, secret: Range<Int>) -> String {
    let secretStart = max(secret.lowerBound, line.lowerBound)
    let before = max(line.lowerBound, secretStart - radius)..<secretStart
    let secretEndOnLine = min(secret.upperBound, line.upperBound)
    let after = secretEndOnLine..<min(line.upperBound, secretEndOnLine + radius)
    var text = ""
    if before.lowerBound > line.lowerBound { text += "…" }
    text += TerminalSafe.string(Array(content[before]))
    text += Redaction.redact(Array(content[secret]))
    text += TerminalSafe.string(Array(content[after]))
    if after.upperBound < line.upperBound { text += "…" }
    return text
  }
}
