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
    public func listAllObjects() throws(GitError) -> ObjectListing {
        var seen = Set<ObjectID>()
        var packed: [ObjectID] = []
        var loose: [ObjectID] = []
        for dir in objectDirectories() {
            for idx in packIndexFiles(in: dir + "/pack") {
                for id in try PackIndex.idsByOffset(path: idx) where seen.insert(id).inserted {
                    packed.append(id)
                }
            }
        }
        for dir in objectDirectories() {
            for id in looseObjects(in: dir) where seen.insert(id).inserted {
                loose.append(id)
            }
        }
        return ObjectListing(ids: packed + loose, packedCount: packed.count, looseCount: loose.count)
    }

    /// `objects/` of this repository followed by its alternates, recursively, each once.
    func objectDirectories() -> [String] {
        var result: [String] = []
        var pending = [commonDirectory + "/objects"]
        while let dir = pending.first {
            pending.removeFirst()
            let canonical = URL(fileURLWithPath: dir).standardized.path
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

    /// Loose object ids under `objects/??/`, sorted.
    private func looseObjects(in objectsDir: String) -> [ObjectID] {
        let fm = FileManager.default
        var ids: [ObjectID] = []
        let subdirs = ((try? fm.contentsOfDirectory(atPath: objectsDir)) ?? []).filter {
            $0.utf8.count == 2 && ObjectID(hex: $0 + String(repeating: "0", count: 38)) != nil
        }
        for sub in subdirs {
            for name in (try? fm.contentsOfDirectory(atPath: objectsDir + "/" + sub)) ?? [] where name.utf8.count == 38 {
                if let id = ObjectID(hex: sub + name) { ids.append(id) }
            }
        }
        return ids.sorted()
    }
}
