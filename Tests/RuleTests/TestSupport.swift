import Foundation
import XCTest

@testable import FairScanKit

/// The package root, found from this file's path (Tests/RuleTests/TestSupport.swift).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

var rulesFolder: String { packageRoot.appendingPathComponent("rules").path }

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("fairscan-ruletests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// The error `RuleLoader.load(yaml:file:)` throws, or nil when it loads.
func loadError(_ yaml: String, file: String = "rules/test.yml") -> RuleLoadError? {
  do {
    _ = try RuleLoader.load(yaml: yaml, file: file)
    return nil
  } catch {
    return error
  }
}

func configError(_ yaml: String, file: String = ".fairscan.yml") -> ConfigError? {
  do {
    _ = try ScanConfig.parse(yaml: yaml, file: file)
    return nil
  } catch {
    return error
  }
}

/// Splits a marked example into the plain text and the marked secret.
func unmark(_ example: String) -> (text: String, secret: String) {
  let open = example.firstIndex(of: "⟦")!, close = example.firstIndex(of: "⟧")!
  let secret = String(example[example.index(after: open)..<close])
  let text = String(example[..<open]) + secret + String(example[example.index(after: close)...])
  return (text, secret)
}

/// Shannon entropy in bits per byte.
func shannonEntropy(_ s: String) -> Double {
  let bytes = Array(s.utf8)
  guard !bytes.isEmpty else { return 0 }
  var counts = [Int](repeating: 0, count: 256)
  for b in bytes { counts[Int(b)] += 1 }
  let n = Double(bytes.count)
  return counts.filter { $0 > 0 }.reduce(0) { acc, c in
    let p = Double(c) / n
    return acc - p * log2(p)
  }
}
