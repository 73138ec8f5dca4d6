import Foundation
import XCTest

/// Validates a JSON document against a JSON Schema with python3's `jsonschema`,
/// using the validator class the schema's `$schema` names. Fails (never skips)
/// when python3 or jsonschema is missing.
public func assertValidates(_ document: [UInt8], schema: URL, file: StaticString = #filePath, line: UInt = #line) throws
{
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-schema-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let instance = dir.appendingPathComponent("instance.json")
  try Data(document).write(to: instance)

  let script = """
    import json, sys
    try:
        import jsonschema
        from jsonschema.validators import validator_for
    except ImportError:
        print("python3 module jsonschema is missing: pip install jsonschema")
        sys.exit(3)
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    instance = json.load(open(sys.argv[2], encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(instance), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print("/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300])
    print(cls.__name__ + (" ok" if not errors else " failed"))
    sys.exit(1 if errors else 0)
    """
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", script, schema.path, instance.path]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  do {
    try process.run()
  } catch {
    XCTFail("cannot run python3 (\(error)); install python3, then pip install jsonschema", file: file, line: line)
    return
  }
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  switch process.terminationStatus {
  case 0: return
  case 3: XCTFail("schema validation needs jsonschema: pip install jsonschema", file: file, line: line)
  case 127: XCTFail("python3 not found; install python3, then pip install jsonschema", file: file, line: line)
  default: XCTFail("\(schema.lastPathComponent) rejects the document:\n\(output)", file: file, line: line)
  }
}
