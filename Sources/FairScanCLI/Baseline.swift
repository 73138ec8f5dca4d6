import Foundation

/// `--baseline REPORT.json`: the fingerprints of an earlier JSON report.
enum Baseline {
  static func load(_ path: String) throws -> Set<String> {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("cannot read baseline \(path)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let findings = object["findings"] as? [[String: Any]]
    else {
      throw CommandFailure.usage("baseline \(path) is not a fairscan JSON report")
    }
    return Set(findings.compactMap { $0["fingerprint"] as? String })
  }
}
