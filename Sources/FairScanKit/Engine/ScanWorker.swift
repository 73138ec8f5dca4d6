import FairScanArchive
import FairScanDigest
import FairScanGit
import FairScanRegex

/// Scans content with every rule. One per thread: it owns the PCRE2 match
/// context and the Vectorscan scratch space.
///
/// Each piece of content is read twice: as it is, and through `EncodedSpans`
/// (base64 values, percent-encoding and string escapes decoded, two levels deep at
/// most, with the text around them kept as context). A secret found in decoded text
/// is reported at its encoded span.
///
/// What it returns depends on the bytes alone: every accepted match of every rule it ran.
/// Which of them stand for a given path (rule path filters, fallback ranking) is decided
/// afterwards by `HitResolution`, the same way for every source.
public final class ScanWorker {
  public let ruleSet: RuleSet
  private let context: MatchContext
  private let scratch: MultiPatternScratch?
  private var ruleHit: [Bool]
  /// The rule set's (`RuleSet.keywordMatcher()`), made by the first worker.
  private let keywordMatcher: KeywordMatcher
  private let keywordScratch: MultiPatternScratch?
  /// The rules `match` runs on the current content (reused between calls).
  private var candidateRules: [Int] = []
  /// What the keyword pass found in the content `match` last ran on; `EncodedSpans` reads its triggers.
  private(set) var keywordHits = KeywordHits()
  /// The path `match` last ran for, split once for the rules' globs (`Glob.Path`).
  private var splitPath: (text: String, split: Glob.Path)?
  /// Seconds spent in each rule's pattern (only with `FAIRSCAN_TRACE=rules`).
  private var ruleSeconds: [Double]
  /// Each rule's compiled pattern, fetched from the rule at its first use by this worker.
  private var matchers: [CompiledRule.Matcher?]
  /// Decode encoded spans (on by default; content larger than `decodeLimit` is read as is only).
  public var decodes = true
  public static let decodeLimit = 16 << 20
  /// Changes whenever the same bytes and rules give other hits (positions included), so the
  /// scan cache forgets what an older engine found: 2 is UTF-16, CR line ends, the column rule.
  static let contentRevision = 2
  /// Bounds on opening archives (`ScanWorker+Archives.swift`); nil: archives are scanned as plain bytes.
  public var archiveLimits: ArchiveLimits? = ArchiveLimits()
  /// How large content is cut into windows (`ContentWindows`).
  public var windows = ContentWindows.standard
  /// True while an archive's members are scanned: `scan` does not open them again.
  var insideArchive = false
  static let jwtStart = Array("eyJ".utf8)

  /// A match that passed every veto; `range` is in the content that was scanned.
  struct Candidate {
    var ruleIndex: Int
    var secret: [UInt8]
    var range: Range<Int>
    var encoding: String?
    var claims: TokenClaims?
  }

  public init(ruleSet: RuleSet, limits: MatchLimits = .default) throws(PatternError) {
    self.ruleSet = ruleSet
    context = MatchContext(limits: limits)
    scratch = try ruleSet.database?.makeScratch()
    ruleHit = Array(repeating: false, count: ruleSet.rules.count)
    matchers = Array(repeating: nil, count: ruleSet.rules.count)
    keywordMatcher = try ruleSet.keywordMatcher()
    keywordScratch = try keywordMatcher.makeScratch()
    ruleSeconds = Array(repeating: 0, count: Trace.rulesEnabled ? ruleSet.rules.count : 0)
  }

  /// A worker set up as a scan's options ask: their PCRE2 limits and archive limits.
  public convenience init(ruleSet: RuleSet, options: ScanOptions) throws(PatternError) {
    try self.init(ruleSet: ruleSet, limits: options.limits)
    archiveLimits = options.archiveLimits
  }

  deinit {
    if Trace.rulesEnabled { Trace.addRuleTimes(zip(ruleSet.rules.map(\.rule.id), ruleSeconds).map { ($0, $1) }) }
  }

  /// Scans `content`. `path`, when known, lets the worker skip rules that cannot apply there
  /// (nil: run every rule, as for a history blob whose paths are not known yet). It only
  /// saves work: `HitResolution` applies the path filters whatever ran.
  /// UTF-16 and UTF-32 content is decoded, and large content read in windows (`ScanWorker+Windows.swift`).
  public func scan(_ content: UnsafeRawBufferPointer, path: String?) -> ContentScan {
    guard !content.isEmpty else { return ContentScan() }
    if let members = scanArchive(content, path: path) { return members }  // Inside archives: ScanWorker+Archives.swift
    return scanText(MemoryContent(bytes: content), path: path)
  }

  public func scan(_ bytes: [UInt8], path: String?) -> ContentScan {
    bytes.withUnsafeBytes { scan($0, path: path) }
  }

  /// `scan`, then the hits that stand at `path` (`HitResolution`): what a report holds.
  public func resolvedHits(_ bytes: [UInt8], path: String?) -> [ContentHit] {
    HitResolution.resolve(scan(bytes, path: path).hits, path: path, rules: ruleSet.rules)
  }

  /// Secrets in the decoded views of `content`, with ranges in `content`; `size`: the whole content's.
  func decodedCandidates(
    _ content: UnsafeRawBufferPointer, path: String?, size: Int, errors: inout [(ruleID: String, message: String)]
  ) -> [Candidate] {
    var spans = EncodedSpans()
    var level = encodedViews(content, spans: &spans, errors: &errors).map { (view: $0, label: $0.encoding.rawValue) }
    var found: [Candidate] = []
    for depth in 0..<2 {
      var next: [(view: DecodedView, label: String)] = []
      for (view, label) in level {
        view.bytes.withUnsafeBytes { buffer in
          for var candidate in match(buffer, path: path, size: size, errors: &errors)
          where candidate.range.overlaps(view.decoded) {
            candidate.range = view.origin(of: candidate.range)
            candidate.encoding = label
            found.append(candidate)
          }
          guard depth == 0 else { return }
          for inner in encodedViews(buffer, spans: &spans, errors: &errors)
          where inner.decoded.overlaps(view.decoded) || inner.encoding != view.encoding {
            guard !inner.decoded.isEmpty else { continue }
            let innerOrigin =
              inner.originStart[inner.decoded.lowerBound]..<inner.originEnd[inner.decoded.upperBound - 1]
            guard innerOrigin.overlaps(view.decoded) else { continue }
            next.append((view.compose(inner), label + "+" + inner.encoding.rawValue))
          }
        }
      }
      level = next
      if level.isEmpty { break }
    }
    return found
  }

  /// Raw and decoded candidates together. A secret found as is wins over the same secret
  /// found again in decoded text, and over a shorter decoded secret inside it or partly over
  /// it; a decoded secret wins over a raw match lying within its encoded text (the same rule
  /// matching the percent- or base64-encoded form itself).
  static func merge(raw: [Candidate], decoded: [Candidate]) -> [Candidate] {
    func within(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
      b.lowerBound <= a.lowerBound && a.upperBound <= b.upperBound
    }
    var kept: [Candidate] = []
    var seen: Set<String> = []
    for d in decoded {
      let sameRule = raw.filter { $0.ruleIndex == d.ruleIndex }
      if sameRule.contains(where: { $0.secret == d.secret }) { continue }
      if sameRule.contains(where: { $0.range.overlaps(d.range) && !within($0.range, d.range) }) { continue }
      let key = "\(d.ruleIndex) \(d.range.lowerBound) \(d.range.upperBound) \(SHA256.hex(d.secret))"
      if seen.insert(key).inserted { kept.append(d) }
    }
    let rawKept = raw.filter { r in !kept.contains { $0.ruleIndex == r.ruleIndex && within(r.range, $0.range) } }
    return rawKept + kept
  }

  /// `path` split for the rules' globs: the split kept from the last call when it was for the
  /// same path (the windows of one file).
  private func globPath(_ path: String) -> Glob.Path {
    if let splitPath, splitPath.text == path { return splitPath.split }
    let split = Glob.Path(path)
    splitPath = (path, split)
    return split
  }

  /// Every rule's accepted matches in `content` (a window of content of `size` bytes in all).
  func match(
    _ content: UnsafeRawBufferPointer, path: String?, size: Int, errors: inout [(ruleID: String, message: String)]
  ) -> [Candidate] {
    var found: [Candidate] = []
    guard findKeywords(content, errors: &errors), !content.isEmpty else { return found }
    if let database = ruleSet.database, let scratch {
      for i in ruleHit.indices { ruleHit[i] = false }
      do {
        try database.scan(content, scratch: scratch) { id, _ in self.ruleHit[Int(id)] = true }
      } catch {
        for i in ruleHit.indices { ruleHit[i] = true }  // the prefilter failed: let the keywords decide
      }
    }
    // The rules of the keywords found, and those no keyword gates, in rule order.
    candidateRules.removeAll(keepingCapacity: true)
    candidateRules += ruleSet.ungatedRules
    for id in keywordHits.foundIDs { candidateRules += ruleSet.rulesByKeyword[id] }
    if keywordHits.foundIDs.count > 1 || !ruleSet.ungatedRules.isEmpty {
      candidateRules.sort()
      candidateRules.removeDuplicates()
    }
    let split = path.map(globPath)
    for index in candidateRules {
      let rule = ruleSet.rules[index]
      if ruleSet.database != nil && !ruleHit[index] && !ruleSet.unfiltered.contains(index) { continue }
      if let split, !rule.applies(toPath: split) { continue }
      if let maxSize = rule.rule.maxSize, size > maxSize { continue }
      guard let matcher = matcher(index, errors: &errors) else { continue }
      let started = Trace.rulesEnabled ? Clock.seconds() : 0
      defer { if Trace.rulesEnabled { ruleSeconds[index] += Clock.seconds() - started } }
      var status = MatchStatus.complete
      if rule.rule.startsAtKeyword {
        var resume = 0
        for (keyword, end) in keywordHits.positions where rule.keywordIDs.contains(Int(keyword)) {
          let start = Int(end) - ruleSet.keywords[Int(keyword)].count
          guard start >= resume else { continue }
          let (match, outcome) = matcher.pattern.match(in: content, at: start, context: context)
          status = outcome
          if case .complete = outcome {} else { break }
          guard let match else { continue }
          resume = match.range.upperBound
          if let candidate = accept(match, rule: rule, matcher: matcher, index: index, content: content) {
            found.append(candidate)
          }
        }
      } else {
        for window in windows(for: rule, in: content) {
          let slice = UnsafeRawBufferPointer(rebasing: content[window])
          let shift = window.lowerBound
          status = matcher.pattern.forEachMatch(in: slice, context: context) { local in
            let match =
              shift == 0
              ? local
              : PatternMatch(
                range: (local.range.lowerBound + shift)..<(local.range.upperBound + shift),
                groups: local.groups.map { $0.map { ($0.lowerBound + shift)..<($0.upperBound + shift) } })
            if let candidate = self.accept(match, rule: rule, matcher: matcher, index: index, content: content),
              !found.contains(where: { $0.ruleIndex == index && $0.range == candidate.range })
            {
              found.append(candidate)
            }
            return true
          }
          if case .complete = status {} else { break }
        }
      }
      switch status {
      case .complete: break
      case .limitExceeded(let what): errors.append((rule.rule.id, "\(what) exceeded"))
      case .error(let message): errors.append((rule.rule.id, message))
      }
    }
    return found
  }

  /// Drops the last keyword pass's results (`findKeywords` reuses them for the same buffer).
  func forgetKeywordHits() { keywordHits.content = (nil, -1) }

  /// Runs the keyword pass over `content` (unless it was the last content scanned); false when
  /// it failed, with an error for every rule: nothing then says which rules may match.
  private func findKeywords(_ content: UnsafeRawBufferPointer, errors: inout [(ruleID: String, message: String)])
    -> Bool
  {
    if keywordHits.are(for: content) { return true }
    do { try keywordMatcher.scan(content, scratch: keywordScratch, into: &keywordHits) } catch {
      keywordHits.reset(keywords: 0)
      errors += ruleSet.rules.map { ($0.rule.id, "keyword prefilter: \(error)") }
      return false
    }
    return true
  }

  /// The encoded spans of `content` worth decoding, from its keyword pass's triggers.
  private func encodedViews(
    _ content: UnsafeRawBufferPointer, spans: inout EncodedSpans, errors: inout [(ruleID: String, message: String)]
  ) -> [DecodedView] {
    guard findKeywords(content, errors: &errors) else { return [] }
    return spans.views(content, triggers: keywordHits)
  }

  /// Where a rule's pattern runs: all of `content`, or for a windowed rule the merged lines
  /// around its keywords' occurrences.
  private func windows(for rule: CompiledRule, in content: UnsafeRawBufferPointer) -> [Range<Int>] {
    guard let after = rule.rule.window else { return [0..<content.count] }
    var windows: [Range<Int>] = []
    for (keyword, end) in keywordHits.positions where rule.keywordIDs.contains(Int(keyword)) {
      let end = Int(end)
      let start = end - ruleSet.keywords[Int(keyword)].count
      let from = LineIndex.lineRange(containing: max(0, start - after), in: content, reach: 256).lowerBound
      let to = LineIndex.lineRange(containing: min(content.count, end + after), in: content, reach: 256).upperBound
      let window = from..<max(to, end)
      // Overlapping windows merge, up to 4 KiB: PCRE2's match limit counts every start
      // position of one call, so one huge window over a keyword-dense file could hit it.
      // Past that, windows overlap instead (a match found twice is reported once).
      if let last = windows.last, window.lowerBound <= last.upperBound,
        max(last.upperBound, window.upperBound) - min(last.lowerBound, window.lowerBound) <= 4 << 10
      {
        windows[windows.count - 1] = min(last.lowerBound, window.lowerBound)..<max(last.upperBound, window.upperBound)
      } else {
        windows.append(window)
      }
    }
    return windows
  }

  /// Rule `index`'s compiled pattern (compiled now if no worker needed it before); nil, with
  /// an error for the rule, when it does not compile.
  private func matcher(_ index: Int, errors: inout [(ruleID: String, message: String)]) -> CompiledRule.Matcher? {
    if let known = matchers[index] { return known }
    switch ruleSet.rules[index].matcher() {
    case .success(let matcher):
      matchers[index] = matcher
      return matcher
    case .failure(let error):
      errors.append((ruleSet.rules[index].rule.id, error.message))
      return nil
    }
  }

  private func accept(
    _ match: PatternMatch, rule: CompiledRule, matcher: CompiledRule.Matcher, index: Int,
    content: UnsafeRawBufferPointer
  ) -> Candidate? {
    let secretRange =
      matcher.secretGroup.flatMap { match.groups.indices.contains($0) ? match.groups[$0] : nil } ?? match.range
    guard !secretRange.isEmpty else { return nil }
    let secret = Array(content[secretRange])
    if let gate = rule.rule.digestGate {
      // Known secrets by hash alone (fair.inventory-match: the account's keys), whatever they look like.
      return gate.admits(secret) ? Candidate(ruleIndex: index, secret: secret, range: secretRange) : nil
    }
    if let minimum = rule.rule.minEntropy, Entropy.shannon(secret) < minimum { return nil }
    if !rule.stopwords.isEmpty {
      let lower = secret.map(ASCII.lowercase)
      if rule.stopwords.contains(where: { lower.contains(subsequence: $0) }) { return nil }
    }
    if Placeholder.isPlaceholder(secret) || Placeholder.isEncodedPlaceholder(secret) { return nil }
    // Any secret shaped like a JWT has its claims read; `secret_format: jwt` also requires it.
    let claims = secret.starts(with: Self.jwtStart) ? TokenClaims.parse(secret) : nil
    if rule.rule.secretFormat == .jwt && claims == nil { return nil }
    let lineRange = LineIndex.lineRange(containing: secretRange.lowerBound, in: content)
    for (pattern, target) in matcher.allowPatterns {
      let range: Range<Int>
      switch target {
      case .secret: range = secretRange
      case .match: range = match.range
      case .line: range = lineRange
      }
      let slice = UnsafeRawBufferPointer(rebasing: content[range])
      if case (.some, _) = pattern.firstMatch(in: slice, context: context) { return nil }
    }
    if InlineAllow.present(in: content, lines: lineRange, secretEnd: secretRange.upperBound) { return nil }
    return Candidate(ruleIndex: index, secret: secret, range: secretRange, claims: claims)
  }
}

/// Names of variables that front-end build tools inline into code shipped to browsers.
enum BrowserVariables {
  static let prefixes: [[UInt8]] = [
    "REACT_APP_", "NEXT_PUBLIC_", "VITE_", "VUE_APP_", "GATSBY_", "EXPO_PUBLIC_", "NUXT_PUBLIC_",
    "NG_APP_", "STORYBOOK_", "PUBLIC_FAIR", "import.meta.env",
  ].map { Array($0.utf8) }

  static func present(in line: UnsafeRawBufferPointer) -> Bool {
    prefixes.contains { line.contains(subsequence: $0) }
  }
}

/// `fairscan:allow` on the line of a match (in any comment syntax) suppresses it.
enum InlineAllow {
  static let marker = Array("fairscan:allow".utf8)

  static func present(in content: UnsafeRawBufferPointer, lines: Range<Int>, secretEnd: Int) -> Bool {
    // A multi-line secret (a private key block) may carry the marker on its last line.
    let end = max(
      lines.upperBound, LineIndex.lineRange(containing: max(secretEnd - 1, lines.lowerBound), in: content).upperBound)
    return UnsafeRawBufferPointer(rebasing: content[lines.lowerBound..<end]).contains(subsequence: marker)
  }
}

enum ASCII {
  @inline(__always) static func lowercase(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }
}

extension Collection where Element == UInt8 {
  /// Whether `needle` occurs in the collection (used on short secrets only).
  func contains(subsequence needle: [UInt8]) -> Bool {
    Array(self).withUnsafeBytes { UnsafeRawBufferPointer($0).contains(subsequence: needle) }
  }
}

extension UnsafeRawBufferPointer {
  /// Whether `needle` occurs in the buffer.
  func contains(subsequence needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    guard count >= needle.count else { return false }
    var i = 0
    let last = count - needle.count
    outer: while i <= last {
      if self[i] == first {
        for j in 1..<needle.count where self[i + j] != needle[j] {
          i += 1
          continue outer
        }
        return true
      }
      i += 1
    }
    return false
  }
}
