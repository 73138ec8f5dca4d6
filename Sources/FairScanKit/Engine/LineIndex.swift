/// Line and column of a byte range. A line ends at LF, at CR LF (one line end) and at a
/// CR not followed by LF (old Mac files); a column counts characters: a valid UTF-8
/// sequence is one, and so is every other byte (invalid UTF-8, binary, Latin-1). UTF-16
/// and UTF-32 content is counted in its decoded text (`TextEncoding`), so a character is
/// a code point there too; the byte offset and length are always the original content's.
public struct TextPosition: Sendable, Equatable, Codable {
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
  public var byteOffset: Int
  public var byteLength: Int
}

/// Converts offsets to positions incrementally: offsets asked in increasing order cost one pass.
///
/// Offsets are those of a text that may come in windows (`ScanWorker+Windows.swift`): the bytes
/// at hand are `text`, the first of them at offset `base`, and the index carries its counts from
/// one window to the next, so positions stay exact across windows. It only ever moves forward.
struct LineIndex {
  /// Next byte not yet counted for lines.
  private var cursor = 0
  private var line = 1
  private var lineStart = 0
  /// The column walk: a character boundary at or after `lineStart`, and the characters before it on the line.
  private var walk = 0
  private var characters = 0

  init() {}

  /// The position of `range` (offsets of the text), the start not before any start asked before.
  /// Its bytes are in `text` (from offset `base`), with the byte after the end when there is one.
  mutating func position(of range: Range<Int>, in text: UnsafeRawBufferPointer, base: Int = 0) -> TextPosition {
    advance(to: range.lowerBound, in: text, base: base)
    var end = self
    end.advance(to: range.upperBound, in: text, base: base)
    return TextPosition(
      line: line, column: characters + 1, endLine: end.line, endColumn: end.characters + 1,
      byteOffset: range.lowerBound, byteLength: range.count)
  }

  /// Counts lines and characters up to `offset`.
  mutating func advance(to offset: Int, in text: UnsafeRawBufferPointer, base: Int = 0) {
    precondition(offset >= cursor, "LineIndex moves forward only")
    var i = cursor - base
    let stop = offset - base
    while i < stop {
      let b = text[i]
      i += 1
      if b > 0x0D { continue }
      // LF ends a line; so does CR, unless an LF follows (which then ends it).
      if b == 0x0A || (b == 0x0D && (i == text.count || text[i] != 0x0A)) {
        line += 1
        lineStart = i + base
      }
    }
    cursor = offset
    if walk < lineStart { walk = lineStart; characters = 0 }
    // Columns count on from the last position asked on the same line, so many secrets
    // on one long (minified) line cost one pass, not one pass each.
    var j = walk - base
    while j < stop {
      characters += 1
      j += UTF8Sequence.length(at: j, in: text)
    }
    walk = j + base
  }

  /// The byte range of the line holding `offset`, without its line ending (LF, CR LF or CR), and at most
  /// `reach` bytes on either side of `offset` (a minified file can be one line of megabytes:
  /// every match on it must not cost a pass over all of it).
  static func lineRange(containing offset: Int, in content: UnsafeRawBufferPointer, reach: Int = 4096) -> Range<Int> {
    var start = min(offset, content.count)
    let startLimit = max(0, start - reach)
    while start > startLimit && content[start - 1] != 0x0A && content[start - 1] != 0x0D { start -= 1 }
    var end = min(offset, content.count)
    let endLimit = min(content.count, end + reach)
    while end < endLimit && content[end] != 0x0A && content[end] != 0x0D { end += 1 }
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
