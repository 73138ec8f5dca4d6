// generate-builtin-rules [RULES_DIR] [OUTPUT_FILE]
//
// Embeds rules/*.yml into FairScanKit as Swift source, after checking that every
// file loads. Run from the package root; RuleTests fails when the output is stale.
import FairScanKit
import Foundation

let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("-h") || arguments.contains("--help") || arguments.count > 2 {
  print("usage: generate-builtin-rules [RULES_DIR] [OUTPUT_FILE]")
  print("  defaults: rules  Sources/FairScanKit/Rules/BuiltinRules+Generated.swift")
  exit(arguments.count > 2 ? 64 : 0)
}
let rulesDir = arguments.first ?? "rules"
let output = arguments.dropFirst().first ?? "Sources/FairScanKit/Rules/BuiltinRules+Generated.swift"

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("generate-builtin-rules: \(message)\n".utf8))
  exit(1)
}

do {
  let rules = try RuleLoader.load(path: rulesDir)  // validates every file and unique ids
  let names = try FileManager.default.contentsOfDirectory(atPath: rulesDir)
    .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
    .filter { !$0.hasPrefix(".") }
    .sorted()
  let files = try names.map { name in
    (name: name, contents: try String(contentsOfFile: rulesDir + "/" + name, encoding: .utf8))
  }
  var builtin: [Rule] = []
  for file in files {
    builtin += try RuleLoader.load(yaml: file.contents, file: "builtin:rules/\(file.name)")
  }
  let decodedOutput = ((output as NSString).deletingLastPathComponent as NSString)
    .appendingPathComponent(BuiltinRulesGenerator.decodedFileName)
  for (path, source) in [
    (output, BuiltinRulesGenerator.render(files: files)),
    (decodedOutput, BuiltinRulesGenerator.renderDecoded(rules: builtin)),
  ] {
    if (try? String(contentsOfFile: path, encoding: .utf8)) == source {
      print("\(path) is up to date (\(files.count) files, \(rules.count) rules)")
    } else {
      try source.write(toFile: path, atomically: true, encoding: .utf8)
      print("wrote \(path) (\(files.count) files, \(rules.count) rules)")
    }
  }
} catch let error as RuleLoadError {
  fail(error.description)
} catch {
  fail("\(error)")
}
