import FairScanDigest
import CVectorscan
import FairScanSystem
import Foundation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// On-disk cache of a serialized Vectorscan database plus its `rejected` table.
///
/// The file is named by a SHA-256 digest of the format version, `hs_version()`, the host
/// platform (`hs_populate_platform`) and every
/// pattern's id, kind and expression. Layout: magic, key digest (32 bytes), payload
/// digest (32 bytes), payload = rejected entries + serialized database. Any mismatch
/// or I/O failure makes ``load()`` return nil so the caller compiles instead.
struct MultiPatternCache {
  static let magic = Array("FSHSDB01".utf8)
  let directory: String
  let key: [UInt8]

  init(directory: String, patterns: [MultiPattern]) {
    self.directory = directory
    var h = SHA256()
    h.update(MultiPatternCache.magic)
    h.update(Array(String(cString: hs_version()).utf8))
    h.update([0])
    // A database built for this CPU may not run on another sharing the same directory.
    var platform = hs_platform_info_t()
    if hs_populate_platform(&platform) == HS_SUCCESS {
      h.update(le32(platform.tune))
      h.update(le64(platform.cpu_features))
    }
    for pattern in patterns {
      h.update(le32(pattern.id))
      h.update([pattern.kindTag])
      let bytes = Array(pattern.expression.utf8)
      h.update(le64(UInt64(bytes.count)))
      h.update(bytes)
    }
    key = h.finalize()
  }

  var path: String { directory + "/fairscan-hs-" + Hex.encode(key) + ".db" }

  /// The cached database and rejections, or nil if absent, corrupt or incompatible.
  /// Wraps `hs_deserialize_database`.
  func load() -> (database: OpaquePointer?, rejected: [UInt32: String])? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let bytes = [UInt8](data)
    let header = MultiPatternCache.magic.count
    guard bytes.count >= header + 64,
      Array(bytes[0..<header]) == MultiPatternCache.magic,
      Array(bytes[header..<header + 32]) == key
    else { return nil }
    let payload = bytes[(header + 64)...]
    guard Array(bytes[(header + 32)..<(header + 64)]) == SHA256.hash(payload) else { return nil }

    var reader = ByteReader(bytes: Array(payload))
    guard let count = reader.u32() else { return nil }
    var rejected: [UInt32: String] = [:]
    for _ in 0..<count {
      guard let id = reader.u32(), let length = reader.u32(), let message = reader.take(Int(length)) else { return nil }
      rejected[id] = String(decoding: message, as: UTF8.self)
    }
    guard let dbLength = reader.u64(), let serialized = reader.take(Int(dbLength)), reader.atEnd else { return nil }
    if serialized.isEmpty { return (nil, rejected) }
    var database: OpaquePointer?
    let rc = serialized.withUnsafeBufferPointer { buf in
      buf.withMemoryRebound(to: CChar.self) { hs_deserialize_database($0.baseAddress, $0.count, &database) }
    }
    guard rc == HS_SUCCESS, let database else { return nil }
    return (database, rejected)
  }

  /// Writes the cache file whole (`FileReplacement`); failures are ignored.
  /// Wraps `hs_serialize_database`.
  func store(database: OpaquePointer?, rejected: [UInt32: String]) {
    var serialized: [UInt8] = []
    if let database {
      var raw: UnsafeMutablePointer<CChar>?
      var length = 0
      guard hs_serialize_database(database, &raw, &length) == HS_SUCCESS, let raw else { return }
      serialized = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
      }
      free(raw)
    }
    var payload: [UInt8] = le32(UInt32(rejected.count))
    for (id, message) in rejected.sorted(by: { $0.key < $1.key }) {
      let bytes = Array(message.utf8)
      payload += le32(id) + le32(UInt32(bytes.count)) + bytes
    }
    payload += le64(UInt64(serialized.count)) + serialized
    let file = MultiPatternCache.magic + key + SHA256.hash(payload) + payload

    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      return
    }
    _ = try? FileReplacement.write(file, to: path, permissions: .create(0o666))
  }
}

private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
private func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

/// Bounds-checked little-endian reader; every accessor returns nil past the end.
private struct ByteReader {
  let bytes: [UInt8]
  var position = 0
  var atEnd: Bool { position == bytes.count }

  mutating func take(_ n: Int) -> [UInt8]? {
    guard n >= 0, n <= bytes.count - position else { return nil }
    defer { position += n }
    return Array(bytes[position..<position + n])
  }
  mutating func u32() -> UInt32? {
    take(4).map { $0.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
  }
  mutating func u64() -> UInt64? {
    take(8).map { $0.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
  }
}
