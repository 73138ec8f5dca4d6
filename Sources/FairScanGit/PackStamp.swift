#if canImport(Glibc)
  import Glibc
#endif

/// What names a pack's content: its checksum (the SHA-1 its `.pack` file ends with, which the
/// `.idx` repeats), and how many objects it holds; and the index's own checksum.
public struct PackStamp: Hashable, Sendable {
  public var checksum: ObjectID
  public var objectCount: Int
  public var indexChecksum: ObjectID

  public init(checksum: ObjectID, objectCount: Int, indexChecksum: ObjectID) {
    self.checksum = checksum
    self.objectCount = objectCount
    self.indexChecksum = indexChecksum
  }

  /// Reads a version-2 `.idx`: the count is the fan-out table's last entry
  /// (`PackIndex.objectCount`), the 40-byte trailer the pack's checksum then the index's. Nil
  /// when the file is not such an index.
  init?(indexPath: String) {
    let fd = open(indexPath, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    // Header (8 bytes), fan-out (256 × 4), at least the trailer (40).
    guard fstat(fd, &info) == 0, info.st_size >= 8 + 1024 + 40, let count = PackIndex.objectCount(fd: fd) else {
      return nil
    }
    var trailer = [UInt8](repeating: 0, count: 40)
    guard trailer.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, 40, off_t(info.st_size) - 40) }) == 40 else {
      return nil
    }
    checksum = trailer.withUnsafeBytes { ObjectID(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<20])) }
    indexChecksum = trailer.withUnsafeBytes { ObjectID(bytes: UnsafeRawBufferPointer(rebasing: $0[20..<40])) }
    objectCount = count
  }
}
