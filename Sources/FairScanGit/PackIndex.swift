#if canImport(Glibc)
  import Glibc
#endif
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Reads the object names of a version-2 pack index (`pack-*.idx`), in pure Swift.
///
/// Layout: magic `\377tOc`, version 2, 256 cumulative fan-out counts, N sorted 20-byte
/// names, N CRC32s, N 4-byte offsets (MSB set: index into a table of 8-byte offsets).
enum PackIndex {
  /// The pack's object ids sorted by their offset in the pack file.
  static func idsByOffset(path: String) throws(GitError) -> [ObjectID] {
    try entriesByOffset(path: path).ids
  }

  /// The pack's objects sorted by their offset in the pack file: ids and offsets side by side.
  static func entriesByOffset(path: String) throws(GitError) -> (ids: [ObjectID], offsets: [UInt64]) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GitError(function: "PackIndex.read", code: -1, message: "cannot read pack index '\(path)'")
    }
    let parsed: (ids: [ObjectID], offsets: [UInt64])? = data.withUnsafeBytes { raw in parseEntries(raw) }
    guard let entries = parsed else {
      throw GitError(
        function: "PackIndex.read", code: -1,
        message: "not a version 2 pack index or truncated: '\(path)'")
    }
    return entries
  }

  /// The object count in a v2 index's header (the last fan-out entry); nil when unreadable.
  static func objectCount(path: String) -> Int? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return objectCount(fd: fd)
  }

  /// The same, from an index open as `fd` (`PackStamp` reads the trailer too).
  static func objectCount(fd: Int32) -> Int? {
    var header = [UInt8](repeating: 0, count: 8 + 256 * 4)
    guard header.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, $0.count, 0) }) == header.count else { return nil }
    return header.withUnsafeBytes { raw -> Int? in
      func be32(_ at: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
      guard be32(0) == 0xff74_4f63, be32(4) == 2 else { return nil }
      return Int(be32(8 + 255 * 4))
    }
  }

  /// Parses an index already in memory; nil when it is not a valid v2 index.
  static func parse(_ raw: UnsafeRawBufferPointer) -> [ObjectID]? {
    parseEntries(raw)?.ids
  }

  /// Parses an index already in memory into ids and offsets sorted by offset; nil when it is
  /// not a valid v2 index.
  static func parseEntries(_ raw: UnsafeRawBufferPointer) -> (ids: [ObjectID], offsets: [UInt64])? {
    func be32(_ at: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    func be64(_ at: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    let headerSize = 8 + 256 * 4
    guard raw.count >= headerSize + 40,
      be32(0) == 0xff74_4f63, be32(4) == 2
    else { return nil }
    let count = Int(be32(8 + 255 * 4))
    let namesAt = headerSize
    let offsetsAt = namesAt + count * 20 + count * 4
    let largeAt = offsetsAt + count * 4
    guard raw.count >= largeAt + 40 else { return nil }
    var offsets = [UInt64](repeating: 0, count: count)
    for i in 0..<count {
      let small = be32(offsetsAt + 4 * i)
      offsets[i] = UInt64(small)
      if small & 0x8000_0000 != 0 {
        let at = largeAt + 8 * Int(small & 0x7fff_ffff)
        guard at + 8 <= raw.count - 40 else { return nil }
        offsets[i] = be64(at)
      }
    }
    // Entry numbers (the index's name order) sorted by offset: one integer key each, the
    // offset above the number, when both fit (any pack under 4 GiB); pairs otherwise.
    let order: [Int]
    if count < 1 << 31, offsets.allSatisfy({ $0 < 1 << 32 }) {
      var keys = (0..<count).map { offsets[$0] << 31 | UInt64($0) }
      keys.sort()
      order = keys.map { Int($0 & 0x7fff_ffff) }
    } else {
      order = (0..<count).sorted { offsets[$0] < offsets[$1] }
    }
    let ids = order.map {
      ObjectID(bytes: UnsafeRawBufferPointer(rebasing: raw[(namesAt + 20 * $0)..<(namesAt + 20 * $0 + 20)]))
    }
    return (ids, order.map { offsets[$0] })
  }
}
