import FairScanArchive
import FairScanDigest

// Content as it comes (issue 11, section 4). Every source's content goes through `scanText`:
// UTF-16 and UTF-32 are decoded to UTF-8 for the rules (`TextEncoding`), and content is read in
// windows (`ContentWindows`) so memory stays flat for a file of any size. Positions are exact
// whatever the windows: `LineIndex` carries its line and column counts from one window to the
// next, and byte offsets are the original content's.

extension ScanWorker {
  /// Scans a file too large to hold in memory, window by window (an archive is read whole:
  /// libarchive opens it from memory, within its limits).
  func scan(file: ContentFile, path: String?) throws(ContentReadError) -> ContentScan {
    if archiveLimits != nil && !insideArchive {
      var isArchive = false
      try file.withBytes(0..<min(file.count, 512)) { isArchive = ArchiveFormat.detect($0) != nil }
      if isArchive {
        var result = ContentScan()
        try file.withBytes(0..<file.count) { result = scan($0, path: path) }
        return result
      }
    }
    return try scanText(file, path: path)
  }

  /// Every rule over `source` as text: decoded when it is UTF-16 or UTF-32, one window at a time.
  func scanText<Source: ContentSource>(_ source: Source, path: String?) throws(Source.Failure) -> ContentScan {
    var result = ContentScan()
    guard source.count > 0 else { return result }
    var encoding = TextEncoding.bytes
    try source.withBytes(0..<min(source.count, TextEncoding.sampleSize)) { encoding = TextEncoding.detect($0) }
    let textStart = encoding.bomLength
    var lines = LineIndex()
    // Offset in the text (decoded, for UTF-16) of the current window's own start.
    var ownStartInText = 0
    var errors: [(ruleID: String, message: String)] = []
    for window in windows.windows(count: source.count) {
      try source.withBytes(window.bytes) { raw in
        let first = window.bytes.lowerBound
        if encoding == .bytes {
          let own = (window.own.lowerBound - first)..<(window.own.upperBound - first)
          scanWindow(
            raw, own: own, textBase: ownStartInText - own.lowerBound, total: source.count,
            whole: window.isLast && first == 0,
            last: window.isLast, path: path, lines: &lines, hits: &result.hits, errors: &errors
          ) { $0 + first }
          ownStartInText += own.count
          return
        }
        let start = max(first, textStart) - first
        guard start < raw.count else { return }
        let text = DecodedText(raw, range: start..<raw.count, encoding: encoding)
        let ownStart = text.utf8Offset(ofRaw: max(window.own.lowerBound, textStart) - first)
        let ownEnd = window.isLast ? text.utf8.count : text.utf8Offset(ofRaw: window.own.upperBound - first)
        text.utf8.withUnsafeBytes { utf8 in
          scanWindow(
            utf8, own: ownStart..<ownEnd, textBase: ownStartInText - ownStart, total: source.count,
            whole: window.isLast && first == 0, last: window.isLast, path: path, lines: &lines, hits: &result.hits,
            errors: &errors
          ) { text.rawOffset($0) + first }
        }
        ownStartInText += ownEnd - ownStart
      }
    }
    // A rule stopped by a limit in several windows is one error.
    var seen: Set<String> = []
    result.errors = errors.filter { seen.insert($0.ruleID + "\u{0}" + $0.message).inserted }
    return result
  }

  /// The hits of one window of text: those starting in `own`, at positions counted on by
  /// `lines` (`textBase`: the text offset of `text[0]`) and original offsets from `original`.
  /// `whole`: the window is all of the content (encoded spans are decoded then only, as
  /// before windows existed: up to `decodeLimit`); `last`: no window follows.
  private func scanWindow(
    _ text: UnsafeRawBufferPointer, own: Range<Int>, textBase: Int, total: Int, whole: Bool, last: Bool, path: String?,
    lines: inout LineIndex, hits: inout [ContentHit], errors: inout [(ruleID: String, message: String)],
    original: (Int) -> Int
  ) {
    var candidates = match(text, path: path, size: total, errors: &errors)
    if decodes && whole && total <= Self.decodeLimit {
      let decoded = decodedCandidates(text, path: path, size: total, errors: &errors)
      if !decoded.isEmpty { candidates = Self.merge(raw: candidates, decoded: decoded) }
    }
    forgetKeywordHits()  // the next buffer may sit where this one was
    candidates.removeAll { !own.contains($0.range.lowerBound) }
    candidates.sort { ($0.range.lowerBound, $0.ruleIndex) < ($1.range.lowerBound, $1.ruleIndex) }
    for candidate in candidates {
      let line = LineIndex.lineRange(containing: candidate.range.lowerBound, in: text)
      let lineBytes = UnsafeRawBufferPointer(rebasing: text[line])
      var position = lines.position(
        of: (candidate.range.lowerBound + textBase)..<(candidate.range.upperBound + textBase), in: text, base: textBase)
      let start = original(candidate.range.lowerBound)
      position.byteOffset = start
      position.byteLength = original(candidate.range.upperBound) - start
      hits.append(
        ContentHit(
          ruleIndex: candidate.ruleIndex, secret: candidate.secret, secretSHA256: SHA256.hex(candidate.secret),
          position: position,
          snippet: Snippet.make(content: text, line: line, secret: candidate.range),
          encoding: candidate.encoding,
          browserVariable: BrowserVariables.present(in: lineBytes),
          longLine: line.count >= 1000, claims: candidate.claims))
    }
    // Carry the counts to the next window's own start (the last window has none: no pass for nothing).
    if !last { lines.advance(to: own.upperBound + textBase, in: text, base: textBase) }
  }
}
