import Glibc

/// Folder listings (`opendir`, `readdir`).
public enum Directory {
  /// What an entry is, as `readdir` says it (`d_type`). Not every file system says: `unknown`
  /// then, and only `lstat` can tell.
  public enum EntryKind: Sendable, Equatable {
    case folder, regular, symbolicLink, other, unknown
  }

  /// Calls `body` with the name of each entry of the folder at `path`, as bytes (names need
  /// not be UTF-8), and its kind; `.` and `..` included, in the order the file system gives.
  /// False when the folder cannot be opened.
  public static func forEachEntry(
    _ path: UnsafePointer<CChar>, _ body: (UnsafeRawBufferPointer, EntryKind) -> Void
  ) -> Bool {
    guard let dir = opendir(path) else { return false }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
      let kind: EntryKind
      switch Int(entry.pointee.d_type) {
      case DT_DIR: kind = .folder
      case DT_REG: kind = .regular
      case DT_LNK: kind = .symbolicLink
      case DT_UNKNOWN: kind = .unknown
      default: kind = .other
      }
      withUnsafeBytes(of: entry.pointee.d_name) { raw in
        body(UnsafeRawBufferPointer(rebasing: raw.prefix(while: { $0 != 0 })), kind)
      }
    }
    return true
  }
}
