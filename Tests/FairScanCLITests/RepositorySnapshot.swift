import Foundation
import XCTest

/// Every file, symlink and folder under a folder (work tree and `.git` alike), with its bytes
/// and mode: two snapshots are equal when nothing was written, created, removed or chmodded.
struct RepositorySnapshot: Equatable {
  var entries: [String: Entry]

  struct Entry: Equatable {
    var mode: UInt32
    var bytes: Data
  }

  static func take(_ root: String) throws -> RepositorySnapshot {
    var entries: [String: Entry] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
    while let relative = walker.nextObject() as? String {
      let full = root + "/" + relative
      var info = stat()
      guard lstat(full, &info) == 0 else { continue }
      let mode = UInt32(info.st_mode)
      switch info.st_mode & S_IFMT {
      case S_IFREG: entries[relative] = Entry(mode: mode, bytes: try Data(contentsOf: URL(fileURLWithPath: full)))
      case S_IFLNK:
        entries[relative] = Entry(mode: mode, bytes: Data(try fm.destinationOfSymbolicLink(atPath: full).utf8))
      default: entries[relative] = Entry(mode: mode, bytes: Data())
      }
    }
    return RepositorySnapshot(entries: entries)
  }

  /// The paths that differ, for a readable failure.
  func difference(from other: RepositorySnapshot) -> [String] {
    Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }.sorted()
  }
}
