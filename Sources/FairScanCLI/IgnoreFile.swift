import Foundation

/// `.fairscanignore`: one fingerprint per line, `#` comments.
enum IgnoreFile {
  static func load(_ path: String) throws -> Set<String> {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("cannot read \(path)")
    }
    var result: Set<String> = []
    for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
      let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty { result.insert(trimmed) }
    }
    return result
  }
}
