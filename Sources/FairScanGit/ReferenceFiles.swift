import FairScanSystem

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
    var loose: [String] = []
    Self.listFiles(commonDirectory + "/", under: "refs", into: &loose)
    loose.sort()
    let packedRefs = FileManager.default.contents(atPath: commonDirectory + "/packed-refs") ?? Data()
    self.init(loose: loose, packedRefs: packedRefs)
  }

  /// `loose` as given and the entries of `packedRefs`, the bytes of a `packed-refs` file, read
  /// line by line as bytes: spaces, tabs and carriage returns around a line are ignored, as are
  /// empty lines, `#` comments and peel lines (`^` and an id); an entry is an id, one space and a
  /// name under `refs/`. Anything else is a corrupt line.
  init(loose: [String], packedRefs: Data) {
    self.loose = loose
    packedRefs.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      var start = 0
      var number = 0
      while start <= bytes.count {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        number += 1
        readPackedLine(trimmingSpaces(UnsafeRawBufferPointer(rebasing: bytes[start..<end])), number: number)
        start = end + 1
      }
    }
  }

  private mutating func readPackedLine(_ line: UnsafeRawBufferPointer, number: Int) {
    guard let first = line.first, first != UInt8(ascii: "#") else { return }
    if first == UInt8(ascii: "^"), ObjectID(hexDigits: line.dropFirst()) != nil { return }
    if let space = line.firstIndex(of: UInt8(ascii: " ")), let id = ObjectID(hexDigits: line[..<space]) {
      let name = line[(space + 1)...]
      if name.starts(with: "refs/".utf8) {
        packed.append((String(decoding: name, as: UTF8.self), id))
        return
      }
    }
    corruptPackedLines.append(number)
  }

  /// Appends the regular files below `root + relative` (lstat: symlinks are not followed).
  private static func listFiles(_ root: String, under relative: String, into files: inout [String]) {
    var names: [String] = []
    guard Directory.forEachEntry(root + relative, { raw, _ in names.append(String(decoding: raw, as: UTF8.self)) })
    else { return }
    for name in names where name != "." && name != ".." && !name.hasSuffix(".lock") {
      let path = relative + "/" + name
      guard let info = try? FileStatus(path: root + path, followingSymlinks: false) else { continue }
      switch info.kind {
      case .directory: listFiles(root, under: path, into: &files)
      case .regular: files.append(path)
      default: continue
      }
    }
  }
}
