#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The refs as files: loose ref names under `refs/` and the lines of `packed-refs`, read
/// without libgit2, so one damaged ref or line cannot hide the others.
struct ReferenceFiles {
  /// Names (`refs/heads/main`) of the files under `<commondir>/refs`, sorted; `.lock` files left out.
  var loose: [String] = []
  /// `packed-refs` entries that parse: name and target (peel lines `^…` are skipped).
  var packed: [(name: String, id: ObjectID)] = []
  /// 1-based numbers of `packed-refs` lines that are neither a comment, an entry nor a peel line.
  var corruptPackedLines: [Int] = []

  init(commonDirectory: String) {
    Self.listFiles(commonDirectory + "/", under: "refs", into: &loose)
    loose.sort()
    guard let data = FileManager.default.contents(atPath: commonDirectory + "/packed-refs") else { return }
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for (n, raw) in lines.enumerated() {
      let line = String(decoding: raw, as: UTF8.self).trimmingSpaces()
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("^"), ObjectID(hex: String(line.dropFirst())) != nil { continue }
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2, let id = ObjectID(hex: String(parts[0])), parts[1].hasPrefix("refs/") {
        packed.append((String(parts[1]), id))
      } else {
        corruptPackedLines.append(n + 1)
      }
    }
  }

  /// Appends the regular files below `root + relative` (lstat: symlinks are not followed).
  private static func listFiles(_ root: String, under relative: String, into files: inout [String]) {
    guard let dir = opendir(root + relative) else { return }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." || name.hasSuffix(".lock") { continue }
      let path = relative + "/" + name
      var info = stat()
      guard lstat(root + path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: listFiles(root, under: path, into: &files)
      case S_IFREG: files.append(path)
      default: continue
      }
    }
  }
}
