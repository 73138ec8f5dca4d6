import FairScanDigest

// HMAC-SHA256 (RFC 2104) over FairScanDigest's SHA-256; SHA-512 from FairScanDigest too.

/// SHA-2 digests used by the emulator (key digests, JWT signatures).
public enum Digest {
  /// SHA-256 of `bytes`.
  public static func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    FairScanDigest.SHA256.hash(bytes)
  }

  /// SHA-512 of `bytes`.
  public static func sha512(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    FairScanDigest.SHA512.hash(bytes)
  }

  /// SHA-256 of the UTF-8 bytes of `string`, as lowercase hex.
  public static func sha256Hex(_ string: String) -> String { hex(sha256(Array(string.utf8))) }

  /// SHA-512 of the UTF-8 bytes of `string`, as lowercase hex.
  public static func sha512Hex(_ string: String) -> String { hex(sha512(Array(string.utf8))) }

  /// HMAC-SHA256 (RFC 2104).
  public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    let blockSize = 64
    var k = key.count > blockSize ? sha256(key) : key
    k += [UInt8](repeating: 0, count: blockSize - k.count)
    let inner = sha256(k.map { $0 ^ 0x36 } + message)
    return sha256(k.map { $0 ^ 0x5c } + inner)
  }

  /// Lowercase hexadecimal rendering of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
