import FairScanDigest
import FairScanRegex
#if canImport(Glibc)
import Glibc
#endif

/// A secret one rule found in one piece of content, before it is tied to paths and commits.
public struct ContentHit: Sendable, Equatable {
  public var ruleIndex: Int
  public var secret: [UInt8]
  public var secretSHA256: String
  public var position: TextPosition
  public var snippet: String
}

/// The outcome of scanning one piece of content.
public struct ContentScan: Sendable {
  public var hits: [ContentHit] = []
  /// Rule id and what stopped it (a PCRE2 limit).
  public var errors: [(ruleID: String, message: String)] = []
}

/// Scans content with every rule. One per thread: it owns the PCRE2 match
/// context and the Vectorscan scratch space.
public final class ScanWorker {
  public let ruleSet: RuleSet
  private let context: MatchContext
  private let scratch: MultiPatternScratch?
  private var ruleHit: [Bool]
  private var keywordHit: [Bool]

  public init(ruleSet: RuleSet, limits: MatchLimits = .default) throws(PatternError) {
    self.ruleSet = ruleSet
    context = MatchContext(limits: limits)
    scratch = try ruleSet.database?.makeScratch()
    ruleHit = Array(repeating: false, count: ruleSet.rules.count)
    keywordHit = Array(repeating: false, count: ruleSet.keywords.count)
  }

  /// Scans `content`. `path` selects which rules apply (nil: all of them).
  public func scan(_ content: UnsafeRawBufferPointer, path: String?) -> ContentScan {
    var result = ContentScan()
    guard !content.isEmpty else { return result }
    for i in keywordHit.indices { keywordHit[i] = false }
    ruleSet.keywordMatcher.scan(content, found: &keywordHit)
    if let database = ruleSet.database, let scratch {
      for i in ruleHit.indices { ruleHit[i] = false }
      do {
        try database.scan(content, scratch: scratch) { id, _ in self.ruleHit[Int(id)] = true }
      } catch {
        for i in ruleHit.indices { ruleHit[i] = true }  // the prefilter failed: let the keywords decide
      }
    }
    var lines = LineIndex(content)
    for (index, rule) in ruleSet.rules.enumerated() {
      guard rule.keywordIDs.isEmpty || rule.keywordIDs.contains(where: { keywordHit[$0] }) else { continue }
      if ruleSet.database != nil && !ruleHit[index] && !ruleSet.unfiltered.contains(index) { continue }
      guard rule.applies(toPath: path) else { continue }
      let status = rule.pattern.forEachMatch(in: content, context: context) { match in
        if let hit = self.accept(match, rule: rule, index: index, content: content, lines: &lines) {
          result.hits.append(hit)
        }
        return true
      }
      switch status {
      case .complete: break
      case .limitExceeded(let what): result.errors.append((rule.rule.id, "\(what) exceeded"))
      case .error(let message): result.errors.append((rule.rule.id, message))
      }
    }
    return result
  }

  public func scan(_ bytes: [UInt8], path: String?) -> ContentScan {
    bytes.withUnsafeBytes { scan($0, path: path) }
  }

  private func accept(
    _ match: PatternMatch, rule: CompiledRule, index: Int, content: UnsafeRawBufferPointer, lines: inout LineIndex
  ) -> ContentHit? {
    let secretRange = rule.secretGroup.flatMap { match.groups.indices.contains($0) ? match.groups[$0] : nil } ?? match.range
    guard !secretRange.isEmpty else { return nil }
    let secret = Array(content[secretRange])
    if let minimum = rule.rule.minEntropy, Entropy.shannon(secret) < minimum { return nil }
    if !rule.stopwords.isEmpty {
      let lower = secret.map(ASCII.lowercase)
      if rule.stopwords.contains(where: { lower.contains(subsequence: $0) }) { return nil }
    }
    let lineRange = LineIndex.lineRange(containing: secretRange.lowerBound, in: content)
    for (pattern, target) in rule.allowPatterns {
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
    let position = lines.position(of: secretRange)
    let snippet = Snippet.make(content: content, line: lineRange, secret: secretRange)
    return ContentHit(
      ruleIndex: index, secret: secret, secretSHA256: SHA256.hex(secret), position: position, snippet: snippet)
  }
}

/// `fairscan:allow` on the line of a match (in any comment syntax) suppresses it.
enum InlineAllow {
  static let marker = Array("fairscan:allow".utf8)

  static func present(in content: UnsafeRawBufferPointer, lines: Range<Int>, secretEnd: Int) -> Bool {
    // A multi-line secret (a private key block) may carry the marker on its last line.
    let end = max(lines.upperBound, LineIndex.lineRange(containing: max(secretEnd - 1, lines.lowerBound), in: content).upperBound)
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
