/// Encodes a report (JSON, SARIF, the key audit) as the JSON fairscan prints: byte for byte what
/// Foundation's `JSONEncoder` printed with `.sortedKeys`, `.prettyPrinted` and
/// `.withoutEscapingSlashes` (`ReportJSONEncoderTests` compares the two), in about half its
/// time: a plain tree of values, keys sorted without hashing, strings escaped a run of bytes at a
/// time. Rendering a warm rescan's report went from 17.3 to 10.2 ms on curl (700 kB, 119
/// findings) and from 1.9 to 1.0 ms on swift-nio (80 kB) (2026-12-07, medians of 15 and 30 runs).
///
/// The format: two spaces of indent per level; `"key" : value`; an object's keys in `String`
/// order (what `JSONEncoder` sorts by on Linux); an empty object or array printed `{`, an empty
/// line, then `}` at its own indent; `"`, `\` and the C0 controls escaped (`\b`, `\t`, `\n`,
/// `\f`, `\r`, else `\u00xx`), everything else as UTF-8 (`JSONOutput.escapeInvisible` deals with
/// the invisible characters afterwards); integers in decimal, doubles as Swift prints them less a
/// trailing `.0`; `nil` as `null`. A value that encodes nothing is an empty object. Only what the
/// report types use is supported: strings, integers, booleans, finite doubles, optionals, arrays
/// and keyed values (a double that is not finite throws, as it did).
struct ReportJSONEncoder {
  /// The UTF-8 of `value`'s JSON, without a final newline.
  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let node = try Node.of(value, codingPath: [])
    var out: [UInt8] = []
    out.reserveCapacity(1 << 16)
    node.write(depth: 0, into: &out)
    return out
  }

  struct Failure: Error {
    let message: String
  }
}

// MARK: The tree

extension ReportJSONEncoder {
  /// One encoded value. Objects and arrays are boxes: a container keeps filling the box it
  /// handed out after the node that holds it has been stored.
  enum Node {
    case string(String)
    /// A number, already in its printed form.
    case number(String)
    case bool(Bool)
    case null
    case object(ObjectBox)
    case array(ArrayBox)

    final class ObjectBox {
      /// In the order they were set: a key set again is set anew, and its last value is written
      /// (as a dictionary's would be).
      private(set) var members: [(key: String, value: Node)] = []

      func set(_ key: String, _ value: Node) { members.append((key, value)) }

      /// The members to write: by key, each key's last value.
      func sortedMembers() -> [(key: String, value: Node)] {
        let order = members.indices.sorted {
          members[$0].key != members[$1].key ? members[$0].key < members[$1].key : $0 < $1
        }
        var result: [(key: String, value: Node)] = []
        result.reserveCapacity(order.count)
        for index in order {
          if result.last?.key == members[index].key { result.removeLast() }
          result.append(members[index])
        }
        return result
      }
    }

    final class ArrayBox {
      var items: [Node] = []
    }

    /// `value`'s node: the common leaf types directly, anything else by its `encode(to:)`.
    static func of<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws -> Node {
      if let leaf = try leaf(value) { return leaf }
      let encoder = TreeEncoder(codingPath: codingPath)
      try value.encode(to: encoder)
      return encoder.node ?? .object(ObjectBox())
    }

    /// The node of a string, integer, boolean or double; nil for any other type. Compares types,
    /// which costs nothing, instead of casting to a protocol, which costs a search of every
    /// conformance in the binary the first time for each type.
    static func leaf<T>(_ value: T) throws -> Node? {
      switch T.self {
      case is String.Type: return .string(value as! String)
      case is Int.Type: return .number(String(value as! Int))
      case is Bool.Type: return .bool(value as! Bool)
      case is Double.Type: return try number(value as! Double)
      case is Int64.Type: return .number(String(value as! Int64))
      case is UInt64.Type: return .number(String(value as! UInt64))
      case is Int32.Type: return .number(String(value as! Int32))
      case is UInt32.Type: return .number(String(value as! UInt32))
      case is UInt.Type: return .number(String(value as! UInt))
      case is Int16.Type: return .number(String(value as! Int16))
      case is UInt16.Type: return .number(String(value as! UInt16))
      case is Int8.Type: return .number(String(value as! Int8))
      case is UInt8.Type: return .number(String(value as! UInt8))
      case is Float.Type: return try number(value as! Float)
      default: return nil
      }
    }

    static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws -> Node {
      guard value.isFinite else { throw Failure(message: "\(value) is not a JSON number") }
      var text = value.description
      if text.hasSuffix(".0") { text.removeLast(2) }
      return .number(text)
    }

    // MARK: Writing

    func write(depth: Int, into out: inout [UInt8]) {
      switch self {
      case .string(let text): Node.writeString(text, into: &out)
      case .number(let text): out.append(contentsOf: text.utf8)
      case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
      case .null: out.append(contentsOf: "null".utf8)
      case .object(let box):
        let members = box.sortedMembers()
        Node.writeContainer(
          open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: members.count, depth: depth, into: &out
        ) {
          index, out in
          Node.writeString(members[index].key, into: &out)
          out.append(contentsOf: " : ".utf8)
          members[index].value.write(depth: depth + 1, into: &out)
        }
      case .array(let box):
        Node.writeContainer(
          open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: box.items.count, depth: depth, into: &out
        ) { index, out in
          box.items[index].write(depth: depth + 1, into: &out)
        }
      }
    }

    /// `open`, each member on its own line one level in (`writeMember`), `close` back at `depth`;
    /// an empty container has an empty line inside.
    static func writeContainer(
      open: UInt8, close: UInt8, count: Int, depth: Int, into out: inout [UInt8],
      _ writeMember: (Int, inout [UInt8]) -> Void
    ) {
      out.append(open)
      out.append(UInt8(ascii: "\n"))
      if count == 0 { out.append(UInt8(ascii: "\n")) }
      for index in 0..<count {
        indent(depth + 1, into: &out)
        writeMember(index, &out)
        if index + 1 < count { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\n"))
      }
      indent(depth, into: &out)
      out.append(close)
    }

    static func indent(_ depth: Int, into out: inout [UInt8]) {
      if 2 * depth <= spaces.count {
        out.append(contentsOf: spaces[..<(2 * depth)])
      } else {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
      }
    }

    static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    /// `text` quoted, escaped as the type's doc says; runs that need no escape are copied whole.
    static func writeString(_ text: String, into out: inout [UInt8]) {
      out.append(UInt8(ascii: "\""))
      var text = text
      text.withUTF8 { bytes in
        var copied = 0
        for i in 0..<bytes.count {
          let byte = bytes[i]
          guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
          out.append(UInt8(ascii: "\\"))
          switch byte {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
          case 0x08: out.append(UInt8(ascii: "b"))
          case 0x09: out.append(UInt8(ascii: "t"))
          case 0x0A: out.append(UInt8(ascii: "n"))
          case 0x0C: out.append(UInt8(ascii: "f"))
          case 0x0D: out.append(UInt8(ascii: "r"))
          default:
            let digits = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
          }
          copied = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
      }
      out.append(UInt8(ascii: "\""))
    }
  }

}

// MARK: The encoder

extension ReportJSONEncoder {
  /// `Encoder` for one value: its node is set by the first container asked for.
  class TreeEncoder: Encoder {
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?

    init(codingPath: [CodingKey]) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      KeyedEncodingContainer(KeyedTreeContainer<Key>(box: objectBox(), codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
      UnkeyedTreeContainer(box: arrayBox(), codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleValueTreeContainer(encoder: self) }

    /// The object this value is (asking twice gives the same one, as `JSONEncoder` does).
    func objectBox() -> Node.ObjectBox {
      if case .object(let box)? = node { return box }
      let box = Node.ObjectBox()
      node = .object(box)
      return box
    }

    func arrayBox() -> Node.ArrayBox {
      if case .array(let box)? = node { return box }
      let box = Node.ArrayBox()
      node = .array(box)
      return box
    }
  }

  /// A super encoder's: stores its value in the container that made it when it is released.
  final class ReferencingTreeEncoder: TreeEncoder {
    private let store: (Node) -> Void

    init(codingPath: [CodingKey], store: @escaping (Node) -> Void) {
      self.store = store
      super.init(codingPath: codingPath)
    }

    deinit { store(node ?? .object(Node.ObjectBox())) }
  }

  struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: Node.ObjectBox
    let codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
      box.set(key.stringValue, try Node.number(value))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      box.set(key.stringValue, try Node.of(value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
      -> KeyedEncodingContainer<NestedKey>
    {
      let nested = Node.ObjectBox()
      box.set(key.stringValue, .object(nested))
      return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
      let nested = Node.ArrayBox()
      box.set(key.stringValue, .array(nested))
      return UnkeyedTreeContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> Encoder { superEncoder(named: key.stringValue) }

    /// An encoder whose value becomes the member `name` when it is released (an empty object if
    /// it encodes nothing), as `JSONEncoder`'s does.
    private func superEncoder(named name: String) -> Encoder {
      box.set(name, .object(Node.ObjectBox()))
      return ReferencingTreeEncoder(codingPath: codingPath) { [box] in box.set(name, $0) }
    }
  }

  struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let box: Node.ArrayBox
    let codingPath: [CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Double) throws { box.items.append(try Node.number(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      box.items.append(try Node.of(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      let nested = Node.ObjectBox()
      box.items.append(.object(nested))
      return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
      let nested = Node.ArrayBox()
      box.items.append(.array(nested))
      return UnkeyedTreeContainer(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> Encoder {
      let index = box.items.count
      box.items.append(.object(Node.ObjectBox()))
      return ReferencingTreeEncoder(codingPath: codingPath) { [box] in box.items[index] = $0 }
    }
  }

  struct SingleValueTreeContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.node = .string(value) }
    mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Double) throws { encoder.node = try Node.number(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try Node.of(value, codingPath: codingPath) }
  }
}
