import Glibc

/// Paths as text: made absolute and standardized by their components alone, reading no file (a
/// symlink is not resolved), as Foundation's `URL(fileURLWithPath:).standardizedFileURL.path`
/// does. Foundation's first `URL` cost a pre-commit hook and a warm rescan half a millisecond
/// (`RepositoryRoot`), this a few microseconds.
public enum PathName {
  /// `path`, made absolute against the current folder (`getcwd`) when it is relative, with its
  /// empty and `.` components dropped and each `..` removing the component before it (`..` at
  /// the root stays at the root); no trailing `/` but for `/` itself. A relative path is returned
  /// standardized but still relative when the current folder cannot be read.
  public static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return standardized(path) }
    guard let folder = currentFolder() else { return standardized(path) }
    return standardized(folder + "/" + path)
  }

  /// The folder holding `path` (absolute and standardized); nil for `/`.
  public static func parent(of path: String) -> String? {
    guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// `path`'s components standardized; keeps a leading `/`.
  static func standardized(_ path: String) -> String {
    var kept: [Substring] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch component {
      case ".": continue
      case "..":
        if let last = kept.last, last != ".." {
          kept.removeLast()
        } else if !path.hasPrefix("/") {
          kept.append(component)
        }
      default: kept.append(component)
      }
    }
    let joined = kept.joined(separator: "/")
    return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
  }

  /// The current folder (`getcwd`), nil when it cannot be read (it was removed, say).
  static func currentFolder() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(cString: buffer)
  }
}
