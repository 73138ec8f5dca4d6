import Glibc

/// Byte search in memory (`memchr`).
public enum MemorySearch {
  /// The offset from `base` of the first `byte` among the `count` bytes at `base`, or nil.
  @inlinable public static func firstIndex(of byte: UInt8, in base: UnsafeRawPointer, count: Int) -> Int? {
    guard let found = memchr(base, Int32(byte), count) else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
  }
}
