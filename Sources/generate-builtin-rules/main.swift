// generate-builtin-rules [RULES_DIR] [OUTPUT_FILE]
//
// Compiles rules/*.yml into FairScanKit as Swift values, after checking that every file
// loads and every pattern's fragments expand (with the folder's own fragments only). Run
// from the package root (`make generate`); RuleTests fails when the output is stale.
import FairScanKit
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let defaultOutput = "Sources/FairScanKit/Rules/" + BuiltinRulesGenerator.decodedFileName
if arguments.contains("-h") || arguments.contains("--help") || arguments.count > 2 {
  print("usage: generate-builtin-rules [RULES_DIR] [OUTPUT_FILE]")
  print("  defaults: rules  \(defaultOutput)")
  exit(arguments.count > 2 ? 64 : 0)
}
let rulesDir = arguments.first ?? "rules"
let output = arguments.dropFirst().first ?? defaultOutput

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("generate-builtin-rules: \(message)\n".utf8))
  exit(1)
}

do {
  let document = try RuleLoader.parse(path: rulesDir)
  _ = try document.expandedRules(with: document.fragmentTable(fallback: nil))
  let source = BuiltinRulesGenerator.renderDecoded(BuiltinRulesGenerator.builtin(document))
  let counts = "\(document.rules.count) rules, \(document.fragments.count) fragments"
  if (try? String(contentsOfFile: output, encoding: .utf8)) == source {
    print("\(output) is up to date (\(counts))")
  } else {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
    print("wrote \(output) (\(counts))")
  }
} catch let error as RuleLoadError {
  fail(error.description)
} catch {
  fail("\(error)")
}
