import Foundation
import XCTest

@testable import FairScanKit

/// `ReportJSONEncoder` prints what `JSONEncoder` printed, byte for byte, for every report type
/// and for generated values of every shape the reports can take.
final class ReportJSONEncoderTests: XCTestCase {
  func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }

  func assertSame<T: Encodable>(_ value: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let ours = try ReportJSONEncoder.encode(value)
    let theirs = try foundation(value)
    XCTAssertEqual(
      String(decoding: ours, as: UTF8.self), String(decoding: theirs, as: UTF8.self), message, file: file, line: line)
  }

  func testEveryReportTypeAsJSONEncoderPrintedIt() throws {
    for report in [ReportFixture.report, ReportFixture.empty] {
      try assertSame(JSONReport.withPathBytes(report))
      try assertSame(SARIFReport.log(report))
    }
    let keys = [
      InventoryKey(
        id: "k-1", name: "ci", keyHash: String(repeating: "ab", count: 32), created: "2020-01-01T00:00:00",
        expiresAt: "2026-12-08T00:00:00"),
      InventoryKey(id: "k-2", name: "old \u{202E}", keyHash: "x"),
    ]
    try assertSame(KeyAudit.audit(keys, now: 1_765_000_000))
  }

  /// Custom `encode(to:)` shapes: nested containers, a super encoder, values asked for twice.
  func testNestedContainersAndSuperEncoders() throws {
    try assertSame(Shapes())
    try assertSame([Shapes(), Shapes()])
    try assertSame([String: [Int]]())
    try assertSame([3: "three", 1: "one"])
  }

  func testANumberThatIsNotFiniteIsAnError() {
    XCTAssertThrowsError(try ReportJSONEncoder.encode(["x": Double.nan]))
    XCTAssertThrowsError(try ReportJSONEncoder.encode([Double.infinity]))
    XCTAssertEqual(JSONOutput.encode(["x": Double.nan]), "{}\n", "the report falls back to an empty object")
  }

  /// Pseudo-random trees: objects with keys that sort differently by bytes, case and numbers,
  /// arrays, empty containers, strings of every kind of character, integers at their limits,
  /// doubles small, large, negative and whole, booleans and nulls.
  func testGeneratedValuesAsJSONEncoderPrintsThem() throws {
    var random = Generator(seed: 0x5EED_0F_1A50)
    for round in 0..<400 {
      let tree = random.tree(depth: 0)
      try assertSame(tree, "round \(round)")
    }
  }
}

/// A value with every container a custom `encode(to:)` can ask for.
private struct Shapes: Encodable {
  enum Key: String, CodingKey { case name, nested, list, parent, empty, again }

  func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode("shapes/\u{7}\"", forKey: .name)
    var nested = container.nestedContainer(keyedBy: Key.self, forKey: .nested)
    try nested.encode(-0.0, forKey: .name)
    try nested.encodeNil(forKey: .list)
    var list = container.nestedUnkeyedContainer(forKey: .list)
    try list.encode(1.5)
    try list.encode(true)
    try list.encodeNil()
    var inner = list.nestedContainer(keyedBy: Key.self)
    try inner.encode(Int.min, forKey: .name)
    _ = list.nestedUnkeyedContainer()
    let parent = container.superEncoder(forKey: .parent)
    var single = parent.singleValueContainer()
    try single.encode(UInt64.max)
    _ = container.superEncoder()
    _ = container.nestedContainer(keyedBy: Key.self, forKey: .empty)
    var again = encoder.container(keyedBy: Key.self)
    try again.encode(7, forKey: .again)
    try again.encode("set again: the last value counts", forKey: .name)
  }
}

/// A JSON value to encode, built by `Generator`.
private indirect enum Tree: Encodable {
  case object([String: Tree])
  case array([Tree])
  case string(String)
  case int(Int)
  case int64(Int64)
  case double(Double)
  case bool(Bool)
  case null
  case optional(String?)

  func encode(to encoder: Encoder) throws {
    switch self {
    case .object(let members): try members.encode(to: encoder)
    case .array(let items): try items.encode(to: encoder)
    case .string(let text):
      var single = encoder.singleValueContainer()
      try single.encode(text)
    case .int(let value): try value.encode(to: encoder)
    case .int64(let value): try value.encode(to: encoder)
    case .double(let value): try value.encode(to: encoder)
    case .bool(let value): try value.encode(to: encoder)
    case .null:
      var single = encoder.singleValueContainer()
      try single.encodeNil()
    case .optional(let text):
      // `encodeIfPresent` leaves the key out for nil, `encode` writes null.
      var keyed = encoder.container(keyedBy: AnyKey.self)
      try keyed.encodeIfPresent(text, forKey: AnyKey("if_present"))
      try keyed.encode(text, forKey: AnyKey("always"))
    }
  }
}

private struct AnyKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// A small deterministic generator (a 64-bit LCG), so a failure repeats.
private struct Generator {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 11
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  static let keys = [
    "a", "A", "a_b", "aB", "a10", "a9", "a02", "$schema", "ruleId", "rule_id", "é", "ß", "", " ", "z", "_x", "a/b",
    "quote\"", "line\nbreak",
  ]
  static let scalars: [Unicode.Scalar] = [
    "a", "Z", "0", " ", "/", "\\", "\"", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1B}",
    "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "é", "\u{200B}", "\u{2028}", "\u{202E}", "\u{2066}",
    "\u{FEFF}", "漢", "\u{1F600}",
  ]

  mutating func string() -> String {
    var text = ""
    for _ in 0..<below(12) { text.unicodeScalars.append(Self.scalars[below(Self.scalars.count)]) }
    return text
  }

  mutating func double() -> Double {
    switch below(6) {
    case 0: return Double(below(2000)) - 1000
    case 1: return Double(bitPattern: next() & 0x7FEF_FFFF_FFFF_FFFF)  // finite, any magnitude
    case 2: return -Double(bitPattern: next() & 0x3FFF_FFFF_FFFF_FFFF)
    case 3: return Double(below(1_000_000)) / 1000
    case 4: return [0.0, -0.0, 1e21, 1e-7, 5e-324, Double.greatestFiniteMagnitude][below(6)]
    default: return Double(below(100)) * 0.1
    }
  }

  mutating func tree(depth: Int) -> Tree {
    let choice = depth >= 4 ? 2 + below(7) : below(9)
    switch choice {
    case 0:
      var members: [String: Tree] = [:]
      for _ in 0..<below(5) { members[Self.keys[below(Self.keys.count)]] = tree(depth: depth + 1) }
      return .object(members)
    case 1: return .array((0..<below(5)).map { _ in tree(depth: depth + 1) })
    case 2: return .string(string())
    case 3: return .int([0, -1, Int.max, Int.min, below(1000)][below(5)])
    case 4: return .int64(Int64(bitPattern: next() << 11))
    case 5: return .double(double())
    case 6: return .bool(below(2) == 0)
    case 7: return .null
    default: return .optional(below(2) == 0 ? nil : string())
    }
  }
}
