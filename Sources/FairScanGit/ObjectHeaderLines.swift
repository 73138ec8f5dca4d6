/// Splits a commit or tag object into header lines and the message start.
///
/// Calls `body(key, value)` for every header line (continuation lines, which start with
/// a space, are skipped: fairscan reads no multi-line header). Returns the byte offset
/// where the message starts (after the blank line), or `raw.count` if there is none.
func forEachHeader(
  _ raw: UnsafeRawBufferPointer,
  _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool
) -> Int? {
  var i = 0
  let n = raw.count
  while i < n {
    let lineEnd = raw[i...].firstIndex(of: UInt8(ascii: "\n")) ?? n
    if lineEnd == i { return i + 1 }  // blank line: message follows
    if raw[i] != UInt8(ascii: " ") {
      let space = raw[i..<lineEnd].firstIndex(of: UInt8(ascii: " ")) ?? lineEnd
      let key = UnsafeRawBufferPointer(rebasing: raw[i..<space])
      let valueStart = min(space + 1, lineEnd)
      let value = UnsafeRawBufferPointer(rebasing: raw[valueStart..<lineEnd])
      if !body(key, value) { return nil }
    }
    i = lineEnd + 1
  }
  return n
}

/// `true` when `bytes` equals the ASCII string `text`.
func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
  guard bytes.count == text.utf8CodeUnitCount else { return false }
  return text.withUTF8Buffer { t in
    for i in 0..<t.count where t[i] != bytes[i] { return false }
    return true
  }
}

/// The first paragraph of a message, lines joined by single spaces, trimmed.
func summaryOf(_ message: UnsafeRawBufferPointer) -> String {
  var lines: [String] = []
  var i = 0
  let n = message.count
  while i < n {
    let end = message[i...].firstIndex(of: UInt8(ascii: "\n")) ?? n
    let line = String(decoding: UnsafeRawBufferPointer(rebasing: message[i..<end]), as: UTF8.self)
    let trimmed = line.trimmingSpaces()
    if trimmed.isEmpty {
      if !lines.isEmpty { break }
    } else {
      lines.append(trimmed)
    }
    i = end + 1
  }
  return lines.joined(separator: " ")
}

/// A space, tab or carriage return: what git's line-based files (object headers, `packed-refs`,
/// `alternates`, `shallow`) may carry around a value.
func isLineSpace(_ byte: UInt8) -> Bool {
  byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
}

/// `line` without the `isLineSpace` bytes at either end.
func trimmingSpaces(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
  guard let first = line.firstIndex(where: { !isLineSpace($0) }), let last = line.lastIndex(where: { !isLineSpace($0) })
  else { return UnsafeRawBufferPointer(rebasing: line[0..<0]) }
  return UnsafeRawBufferPointer(rebasing: line[first...last])
}

extension String {
  /// The string without the `isLineSpace` characters at either end.
  func trimmingSpaces() -> String {
    let isSpace = { (character: Character) in character.asciiValue.map(isLineSpace) ?? false }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}

/// Parses a 40-digit hex value into an id.
func hexID(_ value: UnsafeRawBufferPointer) -> ObjectID? {
  guard value.count >= 40 else { return nil }
  return ObjectID(hex: String(decoding: UnsafeRawBufferPointer(rebasing: value[0..<40]), as: UTF8.self))
}
