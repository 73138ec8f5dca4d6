/// Base64 (RFC 4648, standard and URL-safe alphabets) without Foundation, for
/// the decoders and JWT claims. Padding is optional; whitespace is not accepted.
enum Base64 {
  /// 0-63 for a character of either alphabet, 64 for `=`, 255 otherwise.
  static let table: [UInt8] = {
    var t = [UInt8](repeating: 255, count: 256)
    for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8.enumerated() {
      t[Int(c)] = UInt8(i)
    }
    t[Int(UInt8(ascii: "+"))] = 62; t[Int(UInt8(ascii: "-"))] = 62
    t[Int(UInt8(ascii: "/"))] = 63; t[Int(UInt8(ascii: "_"))] = 63
    t[Int(UInt8(ascii: "="))] = 64
    return t
  }()

  /// Decodes `input` (either alphabet, optional padding). Nil when a byte is outside
  /// the alphabet or the length cannot be base64 (one character left over).
  static func decode<C: Collection>(_ input: C) -> [UInt8]? where C.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 3 / 4)
    var acc: UInt32 = 0
    var bits = 0
    var padded = false
    for c in input {
      let v = table[Int(c)]
      if v == 255 { return nil }
      if v == 64 { padded = true; continue }
      if padded { return nil }  // data after padding
      acc = (acc << 6) | UInt32(v)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
      }
    }
    if bits >= 6 { return nil }  // a lone trailing character
    return out
  }
}
