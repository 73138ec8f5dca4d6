/// A 20-byte SHA-1 object id stored inline (no heap allocation).
///
/// Ordering is byte-wise, the same as git's sorted order of object names.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  // Big-endian words: comparing them in order compares the bytes in order.
  @usableFromInline var a: UInt64
  @usableFromInline var b: UInt64
  @usableFromInline var c: UInt32

  /// The id whose 20 bytes are all zero.
  public static let zero = ObjectID(a: 0, b: 0, c: 0)

  /// Hashes the 20 bytes folded into one word: an object id is a SHA-1, uniform already, and
  /// `Hasher`'s per-process seed keeps the table's layout unpredictable. Sets and maps of ids are
  /// on every history scan's path. Equality still compares all 20 bytes.
  public func hash(into hasher: inout Hasher) { hasher.combine(a ^ b ^ UInt64(c)) }

  @usableFromInline init(a: UInt64, b: UInt64, c: UInt32) {
    self.a = a; self.b = b; self.c = c
  }

  /// Reads 20 raw bytes from the start of `bytes` (which must hold at least 20).
  public init(bytes: UnsafeRawBufferPointer) {
    precondition(bytes.count >= 20, "an object id needs 20 bytes")
    a = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    b = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    c = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
  }

  /// Parses 40 hexadecimal digits (either case); nil otherwise.
  public init?(hex: String) {
    self.init(hexDigits: hex.utf8)
  }

  /// Parses 40 hexadecimal digits (either case), given as ASCII bytes; nil otherwise.
  public init?<Digits: Collection<UInt8>>(hexDigits: Digits) {
    guard hexDigits.count == 40 else { return nil }
    var words = (UInt64(0), UInt64(0), UInt32(0))
    var index = 0
    for ch in hexDigits {
      let v: UInt8
      switch ch {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = ch &- UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): v = ch &- UInt8(ascii: "a") &+ 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): v = ch &- UInt8(ascii: "A") &+ 10
      default: return nil
      }
      if index < 16 {
        words.0 = words.0 << 4 | UInt64(v)
      } else if index < 32 {
        words.1 = words.1 << 4 | UInt64(v)
      } else {
        words.2 = words.2 << 4 | UInt32(v)
      }
      index += 1
    }
    self.init(a: words.0, b: words.1, c: words.2)
  }

  /// Calls `body` with the 20 raw bytes.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var big = (a.bigEndian, b.bigEndian, c.bigEndian)
    return try Swift.withUnsafeBytes(of: &big) { raw in
      try body(UnsafeRawBufferPointer(rebasing: raw[0..<20]))
    }
  }

  /// The 20 raw bytes.
  public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

  /// 40 lowercase hexadecimal digits.
  public var hex: String {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: 40) { out in
      withUnsafeBytes { raw in
        digits.withUTF8Buffer { d in
          for i in 0..<20 {
            out[2 * i] = d[Int(raw[i] >> 4)]
            out[2 * i + 1] = d[Int(raw[i] & 0xF)]
          }
        }
      }
      return 40
    }
  }

  public var description: String { hex }

  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
    (lhs.a, lhs.b, lhs.c) < (rhs.a, rhs.b, rhs.c)
  }
}
