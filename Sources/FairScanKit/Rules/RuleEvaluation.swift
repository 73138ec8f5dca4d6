import Foundation
import Yams

/// Recall and precision of the rules on the corpus, per rule family.
public struct RuleEvaluation: Sendable {
  public struct FamilyScore: Sendable, Equatable {
    public var family: String
    /// Marked secrets, and how many of them a rule of the family found.
    public var positives = 0
    public var found = 0
    /// Findings of the family: on a marked secret of its own family, or anywhere else.
    public var trueFindings = 0
    public var falseFindings = 0
    public var recall: Double? { positives == 0 ? nil : Double(found) / Double(positives) }
    public var precision: Double? {
      trueFindings + falseFindings == 0 ? nil : Double(trueFindings) / Double(trueFindings + falseFindings)
    }
  }

  public struct Miss: Sendable, Equatable {
    public var caseID: String
    public var family: String
    public var line: Int
  }

  public struct FalseAlarm: Sendable, Equatable {
    public var caseID: String
    public var ruleID: String
    public var line: Int
    public var snippet: String
  }

  public var families: [FamilyScore]
  public var total: FamilyScore
  public var misses: [Miss]
  public var falseAlarms: [FalseAlarm]
  public var cases: Int
  public var decoys: Int

  /// Families (and the total) below either bound.
  public func failing(minimumRecall: Double, minimumPrecision: Double) -> [FamilyScore] {
    (families + [total]).filter {
      ($0.recall.map { $0 < minimumRecall } ?? false) || ($0.precision.map { $0 < minimumPrecision } ?? false)
    }
  }

  public static func run(cases: [CorpusCase], ruleSet: RuleSet) throws -> RuleEvaluation {
    let worker = try ScanWorker(ruleSet: ruleSet)
    var scores: [String: FamilyScore] = [:]
    var misses: [Miss] = []
    var alarms: [FalseAlarm] = []
    func score(_ family: String, _ update: (inout FamilyScore) -> Void) {
      update(&scores[family, default: FamilyScore(family: family)])
    }
    for c in cases {
      let bytes = Array(c.text.utf8)
      let hits = worker.resolvedHits(bytes, path: c.path)
      func range(_ hit: ContentHit) -> Range<Int> { hit.byteRange }
      if let family = c.family {
        for marker in c.expected {
          let found = hits.contains { ruleSet.rules[$0.ruleIndex].rule.family == family && range($0).overlaps(marker) }
          score(family) {
            $0.positives += 1; if found { $0.found += 1 }
          }
          if !found {
            misses.append(Miss(caseID: c.id, family: family, line: line(of: marker.lowerBound, in: bytes)))
          }
        }
      }
      for hit in hits {
        let family = ruleSet.rules[hit.ruleIndex].rule.family
        let onMarker = family == c.family && c.expected.contains { range(hit).overlaps($0) }
        score(family) { if onMarker { $0.trueFindings += 1 } else { $0.falseFindings += 1 } }
        if !onMarker {
          alarms.append(
            FalseAlarm(
              caseID: c.id, ruleID: ruleSet.rules[hit.ruleIndex].rule.id, line: hit.position.line, snippet: hit.snippet)
          )
        }
      }
    }
    let families = scores.values.sorted { $0.family < $1.family }
    var total = FamilyScore(family: "all")
    for f in families {
      total.positives += f.positives; total.found += f.found
      total.trueFindings += f.trueFindings; total.falseFindings += f.falseFindings
    }
    return RuleEvaluation(
      families: families, total: total, misses: misses, falseAlarms: alarms, cases: cases.count,
      decoys: cases.filter { $0.family == nil }.count)
  }

  private static func line(of offset: Int, in bytes: [UInt8]) -> Int {
    1 + bytes[..<offset].filter { $0 == 0x0A }.count
  }

  /// A table: one line per family, then the total, then each miss and false alarm.
  public func render() -> String {
    func percent(_ value: Double?) -> String {
      guard let value else { return "     -" }
      let text = String(format: "%.1f%%", value * 100)
      return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
    let width = max(6, (families.map(\.family.count).max() ?? 0))
    func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
    func number(_ n: Int) -> String { let s = String(n); return String(repeating: " ", count: max(0, 6 - s.count)) + s }
    var out = "\(pad("family"))  secrets  found  false  recall  precision\n"
    for f in families + [total] {
      out +=
        "\(pad(f.family))   \(number(f.positives)) \(number(f.found)) \(number(f.falseFindings))  \(percent(f.recall))     \(percent(f.precision))\n"
    }
    out += "\(cases) cases (\(decoys) decoys)\n"
    for m in misses { out += "missed: \(m.caseID) line \(m.line) (\(m.family))\n" }
    for a in falseAlarms { out += "false alarm: \(a.caseID) line \(a.line) \(a.ruleID): \(a.snippet)\n" }
    return out
  }
}
