import Foundation

/// A parsed JSON document, decoded without Foundation's bridging quirks.
enum JSONValue: Sendable, Equatable, Decodable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int64.self) {
      self = .int(i)
    } else if let d = try? c.decode(Double.self) {
      self = .double(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  static func parse(_ bytes: [UInt8]) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }

  subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// A string, or a number written as one (ids may be either).
  var stringOrNumber: String? {
    switch self {
    case .string(let s): return s
    case .int(let i): return String(i)
    case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    default: return nil
    }
  }

  var int: Int? {
    switch self {
    case .int(let i): return Int(exactly: i)
    case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) : nil
    case .string(let s): return Int(s)
    default: return nil
    }
  }

  /// A JSON number that is a whole count ≥ 0 (a string, a fraction or a negative is not).
  var count: Int? {
    switch self {
    case .int(let i): return i >= 0 ? Int(exactly: i) : nil
    case .double(let d): return d >= 0 && d == d.rounded() && d < 1e15 ? Int(d) : nil
    default: return nil
    }
  }

  var isNull: Bool { self == .null }
}
