import FairScanRegex
import FairScanSystem

/// Content re-read with one kind of encoding undone: base64 values, percent-encoding
/// or string escapes decoded, the text around them kept as context, so that
/// `FAIR_API_KEY: <base64 of the key>` reads `FAIR_API_KEY: <the key>` to the rules.
/// Every byte of the view remembers the bytes of the original it came from.
struct DecodedView {
  enum Encoding: String, Sendable {
    case base64, percent, escape
  }

  var encoding: Encoding
  var bytes: [UInt8] = []
  /// For each byte of `bytes`, the range of original bytes it came from.
  var originStart: [Int] = []
  var originEnd: [Int] = []
  /// The part of `bytes` that decoding produced (rules' secrets must overlap it).
  var decoded: Range<Int> = 0..<0

  init(encoding: Encoding) { self.encoding = encoding }

  mutating func copy(_ content: UnsafeRawBufferPointer, _ range: Range<Int>) {
    guard !range.isEmpty else { return }
    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[range]))
    originStart.append(contentsOf: range)
    originEnd.append(contentsOf: (range.lowerBound + 1)...range.upperBound)
  }

  mutating func append(_ byte: UInt8, from: Int, to: Int) {
    bytes.append(byte); originStart.append(from); originEnd.append(to)
  }

  /// The original bytes behind `range` of the view.
  func origin(of range: Range<Int>) -> Range<Int> {
    guard !range.isEmpty else { return originStart[range.lowerBound]..<originStart[range.lowerBound] }
    return originStart[range.lowerBound]..<originEnd[range.upperBound - 1]
  }

  /// Re-expresses a view made from this view's bytes in terms of the original content.
  func compose(_ inner: DecodedView) -> DecodedView {
    var out = inner
    for i in inner.bytes.indices {
      out.originStart[i] = originStart[inner.originStart[i]]
      out.originEnd[i] = originEnd[max(inner.originEnd[i] - 1, inner.originStart[i])]
    }
    return out
  }
}

/// Finds encoded spans worth decoding and builds their views, within a budget.
struct EncodedSpans {
  /// Base64 runs shorter than this are left alone (12 decoded bytes: `user:pass`).
  static let minimumBase64 = 16
  /// Longer runs (images, fonts, archives) are not secrets' containers worth the time.
  static let maximumBase64 = 64 * 1024
  /// Bytes of context kept before an encoded span, and after it.
  static let contextBefore = 256
  static let contextAfter = 128
  /// Escape and percent windows: at most this much of a line.
  static let window = 4096

  /// Stops decoding in one piece of content after this many views or decoded bytes.
  var viewsLeft = 512
  var bytesLeft = 4 << 20

  /// The views of `content`; `triggers` is its keyword pass (`KeywordMatcher`), which found
  /// where percent-encoding and string escapes may start.
  mutating func views(_ content: UnsafeRawBufferPointer, triggers: KeywordHits) -> [DecodedView] {
    var result: [DecodedView] = []
    base64Views(content, into: &result)
    percentViews(content, at: triggers.percent, into: &result)
    escapeViews(content, at: triggers.escape, into: &result)
    return result
  }

  private mutating func spend(_ view: DecodedView, into result: inout [DecodedView]) -> Bool {
    guard viewsLeft > 0, bytesLeft >= view.bytes.count else { return false }
    viewsLeft -= 1
    bytesLeft -= view.bytes.count
    result.append(view)
    return true
  }

  // MARK: base64

  /// Runs of base64 characters of at least `minimumBase64` (found with SIMD compares: `ByteRuns`).
  private mutating func base64Views(_ content: UnsafeRawBufferPointer, into result: inout [DecodedView]) {
    for run in ByteRuns.base64(in: content, minimum: Self.minimumBase64) {
      consider(content, run, into: &result)
      if viewsLeft == 0 { return }
    }
  }

  private mutating func consider(_ content: UnsafeRawBufferPointer, _ run: Range<Int>, into result: inout [DecodedView])
  {
    var end = run.upperBound
    while end > run.lowerBound && content[end - 1] == UInt8(ascii: "=") { end -= 1 }
    var start = run.lowerBound
    // An `=` inside the run ends it: `key=dGVzdA==` has the value after the last `=`.
    var i = end
    while i > start { if content[i - 1] == UInt8(ascii: "=") { start = i; break }; i -= 1 }
    let length = end - start
    guard length >= Self.minimumBase64, length <= Self.maximumBase64, length % 4 != 1 else { return }
    // Cheapest test first: ASCII text has its top bit clear, so the first character of every
    // group of four encodes a value below 32 (`A`-`Z`, `a`-`f`). Identifiers mostly fail here.
    var group = start
    Base64.table.withUnsafeBufferPointer { table in
      while group < min(end, start + 24) && table[Int(content[group])] < 32 { group += 4 }
    }
    if group < min(end, start + 24) { return }
    // Then: the first 24 characters must decode to text.
    var headLength = min(length, 24)
    if headLength % 4 == 1 { headLength -= 1 }
    let head = UnsafeRawBufferPointer(rebasing: content[start..<(start + headLength)])
    guard let probe = Base64.decode(head), Self.isText(probe) else { return }
    // Both alphabets at once is not base64 (a path, a kebab-case name...). Checked after the
    // head, which turns most runs away for less: each test only narrows, so the order is free.
    var standard = false, urlSafe = false
    for j in start..<end {
      switch content[j] {
      case UInt8(ascii: "+"), UInt8(ascii: "/"): standard = true
      case UInt8(ascii: "-"), UInt8(ascii: "_"): urlSafe = true
      default: break
      }
    }
    if standard && urlSafe { return }
    guard let decoded = Base64.decode(UnsafeRawBufferPointer(rebasing: content[start..<end])), Self.isText(decoded)
    else { return }

    var view = DecodedView(encoding: .base64)
    let before = Self.contextStart(content, before: start)
    view.copy(content, before..<start)
    let decodedStart = view.bytes.count
    for (k, byte) in decoded.enumerated() {
      let group = start + (k / 3) * 4
      view.append(byte, from: group, to: min(end, group + 4))
    }
    view.decoded = decodedStart..<view.bytes.count
    if !decoded.isEmpty { view.originEnd[view.bytes.count - 1] = run.upperBound }  // with its `=` padding
    view.copy(content, run.upperBound..<Self.contextEnd(content, after: run.upperBound))
    _ = spend(view, into: &result)
  }

  /// Mostly printable ASCII (and whitespace): at least 90%, with no NUL.
  static func isText(_ bytes: [UInt8]) -> Bool {
    guard !bytes.isEmpty else { return false }
    var printable = 0
    for b in bytes {
      if b == 0 { return false }
      if (b >= 0x20 && b < 0x7F) || b == 0x09 || b == 0x0A || b == 0x0D { printable += 1 }
    }
    return printable * 10 >= bytes.count * 9
  }

  /// Where context before `offset` starts: up to `contextBefore` bytes back, at a line start when one is in reach.
  static func contextStart(_ content: UnsafeRawBufferPointer, before offset: Int) -> Int {
    let limit = max(0, offset - contextBefore)
    var i = offset
    var lineStart: Int? = nil
    while i > limit {
      if content[i - 1] == 0x0A { lineStart = i; if offset - i > 64 { break } }
      i -= 1
    }
    if i == 0 { return 0 }
    return lineStart ?? limit
  }

  static func contextEnd(_ content: UnsafeRawBufferPointer, after offset: Int) -> Int {
    let limit = min(content.count, offset + contextAfter)
    var i = offset
    while i < limit && content[i] != 0x0A { i += 1 }
    return i
  }

  // MARK: percent-encoding

  private mutating func percentViews(
    _ content: UnsafeRawBufferPointer, at candidates: [Int], into result: inout [DecodedView]
  ) {
    forEachTrigger(
      content, at: candidates,
      isTrigger: { content, i in
        guard i + 2 < content.count, let v = Self.hexPair(content[i + 1], content[i + 2]) else { return false }
        return v >= 0x20 && v < 0x7F
      }
    ) { window in
      var view = DecodedView(encoding: .percent)
      var i = window.lowerBound
      var changed = false
      while i < window.upperBound {
        if content[i] == UInt8(ascii: "%"), i + 2 < window.upperBound,
          let v = Self.hexPair(content[i + 1], content[i + 2])
        {
          view.append(v, from: i, to: i + 3)
          i += 3
          changed = true
        } else {
          let next = Self.index(of: UInt8(ascii: "%"), in: content, from: i + 1, to: window.upperBound)
          view.copy(content, i..<next)
          i = next
        }
      }
      guard changed else { return true }
      view.decoded = 0..<view.bytes.count
      return spend(view, into: &result)
    }
  }

  // MARK: string escapes

  private mutating func escapeViews(
    _ content: UnsafeRawBufferPointer, at candidates: [Int], into result: inout [DecodedView]
  ) {
    forEachTrigger(
      content, at: candidates,
      isTrigger: { content, i in
        guard i + 1 < content.count else { return false }
        switch content[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "/"): return true
        case UInt8(ascii: "u"): return i + 5 < content.count && Self.hexPair(content[i + 2], content[i + 3]) == 0
        case UInt8(ascii: "x"): return i + 3 < content.count && Self.hexPair(content[i + 2], content[i + 3]) != nil
        default: return false
        }
      }
    ) { window in
      var view = DecodedView(encoding: .escape)
      var i = window.lowerBound
      var changed = false
      while i < window.upperBound {
        let b = content[i]
        guard b == UInt8(ascii: "\\"), i + 1 < window.upperBound else {
          // Up to the next backslash, as it is.
          let next = Self.index(of: UInt8(ascii: "\\"), in: content, from: i + 1, to: window.upperBound)
          view.copy(content, i..<next)
          i = next
          continue
        }
        let next = content[i + 1]
        var decoded: UInt8? = nil
        var width = 2
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "`"):
          decoded = next
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
          if i + 5 < window.upperBound, Self.hexPair(content[i + 2], content[i + 3]) == 0,
            let v = Self.hexPair(content[i + 4], content[i + 5]), v < 0x80
          {
            decoded = v; width = 6
          }
        case UInt8(ascii: "x"):
          if i + 3 < window.upperBound, let v = Self.hexPair(content[i + 2], content[i + 3]), v < 0x80 {
            decoded = v; width = 4
          }
        default: break
        }
        if let decoded {
          view.append(decoded, from: i, to: i + width)
          i += width
          changed = true
        } else {
          view.append(b, from: i, to: i + 1); i += 1
        }
      }
      guard changed else { return true }
      view.decoded = 0..<view.bytes.count
      return spend(view, into: &result)
    }
  }

  // MARK: helpers

  /// Calls `body` with a window (part of a line) around each line holding a trigger; false stops.
  /// `candidates`: where triggers may start, ascending (the keyword pass's literals).
  private func forEachTrigger(
    _ content: UnsafeRawBufferPointer, at candidates: [Int],
    isTrigger: (UnsafeRawBufferPointer, Int) -> Bool, body: (Range<Int>) -> Bool
  ) {
    var from = 0
    for i in candidates where i >= from {
      guard isTrigger(content, i) else { continue }
      let line = LineIndex.lineRange(containing: i, in: content)
      let window = max(line.lowerBound, i - Self.window / 2)..<min(line.upperBound, i + Self.window)
      if !body(window) { return }
      from = max(window.upperBound, i + 1)
    }
  }

  /// The first `byte` in `content[from..<to]` (memchr), or `to`.
  static func index(of byte: UInt8, in content: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
    guard from < to, let base = content.baseAddress,
      let found = MemorySearch.firstIndex(of: byte, in: base + from, count: to - from)
    else { return to }
    return from + found
  }

  @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 48...57: return b - 48
    case 65...70: return b - 55
    case 97...102: return b - 87
    default: return nil
    }
  }

  @inline(__always) static func hexPair(_ a: UInt8, _ b: UInt8) -> UInt8? {
    guard let x = hexValue(a), let y = hexValue(b) else { return nil }
    return x << 4 | y
  }
}
