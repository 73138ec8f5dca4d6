/// The container formats fairscan opens, told apart by their first bytes (never by a file name,
/// so a blob read from history, a file and standard input give the same answer).
public enum ArchiveFormat: String, Sendable, CaseIterable {
  /// `PK\3\4`: zip and the formats built on it (`.jar`, `.war`, `.whl`, `.nupkg`, `.apk`, office files).
  case zip
  /// POSIX or GNU tar (`ustar` at byte 257), uncompressed.
  case tar
  /// A gzip stream (`1F 8B 08`): a `.tar.gz`, or a single compressed file.
  case gzip
  /// A bzip2 stream (`BZh1`…`BZh9` and a block or end-of-stream marker).
  case bzip2
  /// An xz stream (`FD 37 7A 58 5A 00`).
  case xz

  /// Whether the format is a compression stream around a tar or a single file.
  public var isCompressedStream: Bool {
    switch self {
    case .gzip, .bzip2, .xz: return true
    case .zip, .tar: return false
    }
  }

  /// The format `bytes` begin with, or nil for anything else.
  public static func detect(_ bytes: UnsafeRawBufferPointer) -> ArchiveFormat? {
    func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
      guard bytes.count >= offset + magic.count else { return false }
      for (i, b) in magic.enumerated() where bytes[offset + i] != b { return false }
      return true
    }
    if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
    if starts([0x1F, 0x8B, 0x08]) { return .gzip }
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
    if starts([0x42, 0x5A, 0x68]), bytes.count >= 10, (0x31...0x39).contains(bytes[3]),
      starts([0x31, 0x41, 0x59, 0x26, 0x53, 0x59], at: 4) || starts([0x17, 0x72, 0x45, 0x38, 0x50, 0x90], at: 4)
    {
      return .bzip2
    }
    if starts(Array("ustar".utf8), at: 257) { return .tar }
    return nil
  }

  public static func detect(_ bytes: [UInt8]) -> ArchiveFormat? { bytes.withUnsafeBytes { detect($0) } }
}
