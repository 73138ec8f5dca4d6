import FairScanSystem

#if canImport(Glibc)
  import Glibc
#endif
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Repository {
  /// Lists every object in the object database, including alternates, each once.
  ///
  /// Packs are read from their `.idx` files (version 2) and each pack's objects are sorted
  /// by offset, so reading them in order streams through the pack; loose objects follow.
  /// Pure Swift: reads `objects/pack/*.idx`, `objects/??/` and `objects/info/alternates`.
  ///
  /// `skipping`: `.idx` paths whose objects are left out (packs a scan already knows whole);
  /// a loose object one of them also holds is then listed.
  public func listAllObjects(skipping: Set<String> = []) throws(GitError) -> ObjectListing {
    let directories = objectDirectories()
    var packs: [[ObjectID]] = []
    for dir in directories {
      for idx in packIndexFiles(in: dir + "/pack") where !skipping.contains(idx) {
        packs.append(try PackIndex.idsByOffset(path: idx))
      }
    }
    let looseLists = directories.map { looseObjects(in: $0) }.filter { !$0.isEmpty }
    // One pack holds each object once: no set of all ids is needed to drop repeats, only a
    // look-up of the loose ids in the pack's (a few: one pass each; more: a sorted copy).
    if packs.count == 1 && looseLists.count <= 1 {
      let loose = looseLists.first ?? []
      let onlyLoose: [ObjectID]
      if loose.count <= 16 {
        onlyLoose = loose.filter { !packs[0].contains($0) }
      } else {
        let inPack = SortedObjectIDs(packs[0])
        onlyLoose = loose.filter { !inPack.contains($0) }
      }
      return ObjectListing(ids: packs[0] + onlyLoose, packedCount: packs[0].count, looseCount: onlyLoose.count)
    }
    var seen = Set<ObjectID>()
    var packed: [ObjectID] = []
    var loose: [ObjectID] = []
    for ids in packs {
      for id in ids where seen.insert(id).inserted { packed.append(id) }
    }
    for ids in looseLists {
      for id in ids where seen.insert(id).inserted { loose.append(id) }
    }
    return ObjectListing(ids: packed + loose, packedCount: packed.count, looseCount: loose.count)
  }

  /// The `.idx` files of every pack, in the order `listAllObjects` lists their objects.
  public func packIndexPaths() -> [String] {
    objectDirectories().flatMap { packIndexFiles(in: $0 + "/pack") }
  }

  /// Every pack's `.idx` path with the pack's checksum (which names its content) and object
  /// count, read from the index's trailer and fan-out table without listing the objects. Nil
  /// when an index cannot be read.
  public func packStamps() -> [(path: String, stamp: PackStamp)]? {
    var stamps: [(path: String, stamp: PackStamp)] = []
    for idx in packIndexPaths() {
      guard let stamp = PackStamp(indexPath: idx) else { return nil }
      stamps.append((idx, stamp))
    }
    return stamps
  }

  /// Bytes that change whenever the set of objects changes, read without listing them: each
  /// pack's name and the checksums its `.idx` ends with (the pack's content and the index's,
  /// `PackStamp`), and every loose object's id. Nil when a pack index cannot be read.
  public func objectStoreFingerprint() -> [UInt8]? {
    var bytes: [UInt8] = []
    for dir in objectDirectories() {
      bytes += Array(dir.utf8) + [0]
      for idx in packIndexFiles(in: dir + "/pack") {
        guard let stamp = PackStamp(indexPath: idx) else { return nil }
        bytes += Array(idx.utf8) + [0] + stamp.checksum.bytes + stamp.indexChecksum.bytes
      }
      for id in looseObjects(in: dir) { id.withUnsafeBytes { bytes += $0 } }
    }
    return bytes
  }

  /// `objects/` of this repository followed by its alternates, recursively, each once.
  func objectDirectories() -> [String] {
    var result: [String] = []
    var pending = [commonDirectory + "/objects"]
    while let dir = pending.first {
      pending.removeFirst()
      let canonical = PathName.absolute(dir)
      guard !result.contains(canonical), result.count < 16 else { continue }
      result.append(canonical)
      guard let data = FileManager.default.contents(atPath: canonical + "/info/alternates") else { continue }
      for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let entry = String(line).trimmingSpaces()
        if entry.isEmpty || entry.hasPrefix("#") { continue }
        pending.append(entry.hasPrefix("/") ? entry : canonical + "/" + entry)
      }
    }
    return result
  }

  /// `.idx` files that have a matching `.pack`, sorted by name.
  private func packIndexFiles(in packDir: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: packDir)) ?? []
    return names.filter { $0.hasSuffix(".idx") }.sorted().compactMap { name in
      let pack = packDir + "/" + name.dropLast(4) + ".pack"
      return FileManager.default.fileExists(atPath: pack) ? packDir + "/" + name : nil
    }
  }

  /// Whether `name`, in `objects/`, is a fan-out folder of loose objects: two hex digits.
  static func isFanOutFolder(_ name: String) -> Bool {
    name.utf8.count == 2 && ObjectID(hex: name + String(repeating: "0", count: 38)) != nil
  }

  /// Loose object ids under `objects/??/`, sorted.
  private func looseObjects(in objectsDir: String) -> [ObjectID] {
    let fm = FileManager.default
    var ids: [ObjectID] = []
    let subdirs = ((try? fm.contentsOfDirectory(atPath: objectsDir)) ?? []).filter(Self.isFanOutFolder)
    for sub in subdirs {
      for name in (try? fm.contentsOfDirectory(atPath: objectsDir + "/" + sub)) ?? [] where name.utf8.count == 38 {
        if let id = ObjectID(hex: sub + name) { ids.append(id) }
      }
    }
    return ids.sorted()
  }
}
