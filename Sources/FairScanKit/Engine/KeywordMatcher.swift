import FairScanRegex

/// Finds, in one SIMD pass over a buffer, which rule keywords occur (ASCII case ignored) and
/// where the percent-encoding and string-escape triggers are: one Vectorscan literal database
/// (`hs_compile_lit_multi`, block mode).
///
/// This is the gate every rule passes before PCRE2 runs: a rule runs on content only if one of
/// its keywords occurs there. Keywords whose positions windowed rules need are reported at every
/// occurrence; the others once (single-match mode). Literal databases only: Debian 12's
/// Vectorscan 5.4.9 missed matches at some buffer alignments when regexes and literals shared a
/// database (`AlignmentTests`, and `KeywordMatcherTests` checks the literals against a naive search).
struct KeywordMatcher: Sendable {
  let keywordCount: Int
  /// Every keyword and trigger literal; nil when there is none.
  let database: MultiPatternDatabase?
  /// Keyword lengths, to turn an end offset into a start.
  let lengths: [Int32]
  /// Keywords reported at every occurrence, with their positions.
  let recorded: [Bool]

  /// Trigger literals, after the keywords' ids: `%` before a hex digit 2-7 (a printable byte
  /// percent-encoded), and the string escapes `\"`, `\/`, `\u00`, `\x`. `EncodedSpans` checks the rest.
  static let percentTriggers = (2...7).map { Array("%\($0)".utf8) }
  static let escapeTriggers = [#"\""#, #"\/"#, #"\u00"#, #"\x"#].map { Array($0.utf8) }
  static let escapeLengths = escapeTriggers.map(\.count)

  /// `keywords` are matched case-insensitively (ASCII); empty ones never match. `record[id]`:
  /// report every occurrence of that keyword (its positions), not only whether it occurs.
  /// `cacheDirectory`: where the compiled database is kept for the next run (`MultiPatternCache`).
  init(keywords: [[UInt8]], record: [Bool] = [], cacheDirectory: String? = nil) throws(PatternError) {
    keywordCount = keywords.count
    lengths = keywords.map { Int32($0.count) }
    recorded = keywords.indices.map { record.indices.contains($0) && record[$0] }
    var patterns: [MultiPattern] = []
    for (id, word) in keywords.enumerated() where !word.isEmpty {
      let every = recorded[id]
      patterns.append(
        MultiPattern(
          id: UInt32(id), expression: String(decoding: word, as: UTF8.self),
          kind: .literal(caseless: true, everyMatch: every)))
    }
    for (k, trigger) in (Self.percentTriggers + Self.escapeTriggers).enumerated() {
      patterns.append(
        MultiPattern(
          id: UInt32(keywords.count + k), expression: String(decoding: trigger, as: UTF8.self),
          kind: .literal(caseless: false, everyMatch: true)))
    }
    database = try MultiPatternDatabase(patterns: patterns, cacheDirectory: cacheDirectory)
    if let rejected = database?.rejected.first { throw .vectorscan("keyword refused: \(rejected.value)") }
  }

  func makeScratch() throws(PatternError) -> MultiPatternScratch? { try database?.makeScratch() }

  /// Fills `hits` for `content` (cleared first). Throws when Vectorscan cannot scan.
  func scan(_ content: UnsafeRawBufferPointer, scratch: MultiPatternScratch?, into hits: inout KeywordHits)
    throws(PatternError)
  {
    hits.reset(keywords: keywordCount)
    hits.content = (content.baseAddress, content.count)
    guard let database, let scratch, !content.isEmpty else { return }
    let keywords = keywordCount
    let percentEnd = keywords + Self.percentTriggers.count
    let escapeLengths = Self.escapeLengths
    try database.scan(content, scratch: scratch) { id, end in
      let id = Int(id)
      if id < keywords {
        if !hits.found[id] { hits.foundIDs.append(id) }
        hits.found[id] = true
        if recorded[id] { hits.positions.append((Int32(id), Int32(end))) }
      } else if id < percentEnd {
        hits.percent.append(end - 2)
      } else {
        hits.escape.append(end - escapeLengths[id - percentEnd])
      }
    }
    hits.order(lengths: lengths)
  }
}

/// What `KeywordMatcher` found in one buffer.
struct KeywordHits {
  /// `found[id]`: keyword `id` occurs.
  var found: [Bool] = []
  /// The ids set in `found`, in the order they were met.
  var foundIDs: [Int] = []
  /// Every occurrence (keyword id, end offset) of the recorded keywords, by end and, at one
  /// end, longest keyword first.
  var positions: [(keyword: Int32, end: Int32)] = []
  /// Offsets of `%` and `\` that start a percent or escape trigger, ascending.
  var percent: [Int] = []
  var escape: [Int] = []
  /// The buffer these are for (start and length).
  var content: (base: UnsafeRawPointer?, count: Int) = (nil, -1)

  /// Whether these hits were found in `buffer`.
  func are(for buffer: UnsafeRawBufferPointer) -> Bool {
    content.base == buffer.baseAddress && content.count == buffer.count
  }

  mutating func reset(keywords: Int) {
    if found.count != keywords { found = Array(repeating: false, count: keywords) }
    for id in foundIDs where id < found.count { found[id] = false }
    foundIDs.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    percent.removeAll(keepingCapacity: true)
    escape.removeAll(keepingCapacity: true)
  }

  /// Vectorscan reports literals by end offset, but not strictly so across its engines.
  mutating func order(lengths: [Int32]) {
    func sorted(_ a: (keyword: Int32, end: Int32), _ b: (keyword: Int32, end: Int32)) -> Bool {
      a.end != b.end ? a.end < b.end : lengths[Int(a.keyword)] > lengths[Int(b.keyword)]
    }
    if !positions.isEmpty && !zip(positions, positions.dropFirst()).allSatisfy({ !sorted($1, $0) }) {
      positions.sort(by: sorted)
    }
    if !percent.isEmpty && !zip(percent, percent.dropFirst()).allSatisfy({ $0 <= $1 }) { percent.sort() }
    if !escape.isEmpty && !zip(escape, escape.dropFirst()).allSatisfy({ $0 <= $1 }) { escape.sort() }
  }
}
