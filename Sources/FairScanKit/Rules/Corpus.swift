import Foundation
import Yams

/// One labelled text of the rule corpus (`Tests/RuleCorpus/*.yml`).
public struct CorpusCase: Sendable, Equatable {
  public var id: String
  /// The family whose rules must find the marked secrets (nil for a decoy).
  public var family: String?
  /// What kind of decoy this is (nil for positives).
  public var decoy: String?
  /// The name the text is scanned under.
  public var path: String
  /// The text without its markers.
  public var text: String
  /// Byte ranges of the secrets marked `⟦` … `⟧` in the text.
  public var expected: [Range<Int>]
  public var file: String
}

/// Reads corpus files: `cases:`, each with `id`, `text`, optional `path`, and either
/// `family` (with one or more `⟦…⟧` markers) or `decoy` (with none).
public enum Corpus {
  public static let keys = ["id", "family", "decoy", "path", "text"]

  public static func load(paths: [String]) throws(RuleLoadError) -> [CorpusCase] {
    var cases: [CorpusCase] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw .unreadable(file: path, message: "no such file or folder")
      }
      if isDirectory.boolValue {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
          .filter(RuleLoader.isRuleFileName).sorted()
        for name in names {
          let file = (path.hasSuffix("/") ? path : path + "/") + name
          cases += try load(yaml: RuleLoader.readText(file), file: file)
        }
      } else {
        cases += try load(yaml: RuleLoader.readText(path), file: path)
      }
    }
    var seen: Set<String> = []
    for c in cases where !seen.insert(c.id).inserted {
      throw .invalid(file: c.file, ruleID: nil, line: nil, message: "case id '\(c.id)' is used twice")
    }
    return cases
  }

  public static func load(yaml: String, file: String) throws(RuleLoadError) -> [CorpusCase] {
    do throws(YAMLProblem) {
      guard let root = try YAMLReader.compose(yaml) else { return [] }
      var result: [CorpusCase] = []
      for field in try YAMLReader.fields(of: root, what: "a corpus file") {
        guard field.key == "cases" else { throw YAMLReader.unknownKey(field, known: ["cases"]) }
        for item in try YAMLReader.items(field.value, field: "cases") {
          result.append(try decodeCase(item, file: file))
        }
      }
      return result
    } catch {
      if error.isSyntax { throw .syntax(file: file, line: error.line ?? 1, message: error.message) }
      throw .invalid(file: file, ruleID: nil, line: error.line, message: error.message)
    }
  }

  private static func decodeCase(_ node: Node, file: String) throws(YAMLProblem) -> CorpusCase {
    var id: String?, family: String?, decoy: String?, path = "corpus.txt", marked: String?
    for field in try YAMLReader.fields(of: node, what: "a case") {
      let value = try YAMLReader.string(field.value, field: field.key)
      switch field.key {
      case "id": id = value
      case "family": family = value
      case "decoy": decoy = value
      case "path": path = value
      case "text": marked = value
      default: throw YAMLReader.unknownKey(field, known: keys)
      }
    }
    let line = node.mark?.line
    guard let id else { throw YAMLProblem(line: line, message: "case without 'id'") }
    guard let marked else { throw YAMLProblem(line: line, message: "case '\(id)' has no 'text'") }
    guard let (text, expected) = unmark(marked) else {
      throw YAMLProblem(line: line, message: "case '\(id)': unbalanced ⟦ ⟧ markers")
    }
    if family == nil && decoy == nil {
      throw YAMLProblem(line: line, message: "case '\(id)' needs 'family' (a positive) or 'decoy'")
    }
    if family != nil && expected.isEmpty {
      throw YAMLProblem(line: line, message: "case '\(id)' names a family but marks no secret with ⟦…⟧")
    }
    if family == nil && !expected.isEmpty {
      throw YAMLProblem(line: line, message: "case '\(id)' is a decoy but marks a secret")
    }
    return CorpusCase(id: id, family: family, decoy: decoy, path: path, text: text, expected: expected, file: file)
  }

  /// Removes every `⟦` and `⟧`, returning the byte ranges they enclosed.
  static func unmark(_ marked: String) -> (String, [Range<Int>])? {
    var out: [UInt8] = []
    var ranges: [Range<Int>] = []
    var open: Int? = nil
    let openMark = Array("⟦".utf8), closeMark = Array("⟧".utf8)
    let bytes = Array(marked.utf8)
    var i = 0
    while i < bytes.count {
      if bytes[i...].starts(with: openMark) {
        guard open == nil else { return nil }
        open = out.count; i += openMark.count
      } else if bytes[i...].starts(with: closeMark) {
        guard let start = open else { return nil }
        ranges.append(start..<out.count); open = nil; i += closeMark.count
      } else {
        out.append(bytes[i]); i += 1
      }
    }
    guard open == nil else { return nil }
    return (String(decoding: out, as: UTF8.self), ranges)
  }
}
