import Glibc

/// Folder listings (`opendir`, `readdir`).
public enum Directory {
  /// Calls `body` with the name of each entry of the folder at `path`, as bytes (names need
  /// not be UTF-8), `.` and `..` included, in the order the file system gives. False when the
  /// folder cannot be opened.
  public static func forEachEntry(_ path: UnsafePointer<CChar>, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
    guard let dir = opendir(path) else { return false }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
      withUnsafeBytes(of: entry.pointee.d_name) { raw in
        body(UnsafeRawBufferPointer(rebasing: raw.prefix(while: { $0 != 0 })))
      }
    }
    return true
  }
}
