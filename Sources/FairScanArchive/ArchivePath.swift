/// How members are named: `bundle.zip!config/app.env`, nested `outer.tar.gz!lib/inner.jar!META-INF/x`.
///
/// A bare gzip, bzip2 or xz stream (not a tar) holds one unnamed member. Inside an archive it is
/// named at once after the stream's own name without its extension (`lib/app.env.gz!app.env`);
/// at the top it is named when the content's path is known, since the same bytes may come from a
/// history blob whose path is found later: the walk writes `ArchivePath.unnamed` (a NUL, which no
/// member name can hold) and `join` replaces it. The name a gzip header may store is not used.
public enum ArchivePath {
  /// The member name of a bare stream at the top, until `join` names it.
  public static let unnamed = "\u{0}"
  /// The separator between an archive and its member.
  public static let separator = "!"
  /// The name of a bare stream whose own name has no compression extension.
  public static let decompressed = "(decompressed)"

  static let streamExtensions: [(suffix: String, replacement: String)] = [
    (".tar.gz", ".tar"), (".tgz", ".tar"), (".gz", ""), (".gzip", ""), (".tar.bz2", ".tar"), (".tbz2", ".tar"),
    (".tbz", ".tar"), (".bz2", ""), (".bz", ""), (".tar.xz", ".tar"), (".txz", ".tar"), (".xz", ""),
  ]

  /// `container!member`, with an unnamed stream at the top named after `container`.
  public static func join(_ container: String, _ member: String) -> String {
    guard member.hasPrefix(unnamed) else { return container + separator + member }
    return container + separator + streamName(of: container) + member.dropFirst(unnamed.count)
  }

  /// `join`'s path as globs see it: each `!` a `/` (`a.zip/test/k.pem` for `a.zip!test/k.pem`).
  public static func matchingPath(_ container: String, _ member: String) -> String {
    let joined = join(container, member)
    return container + "/" + String(joined.dropFirst(container.count + separator.count).map { $0 == "!" ? "/" : $0 })
  }

  /// The member name of a bare stream called `name`: its last path component without its
  /// compression extension (`app.env.gz` → `app.env`, `x.tgz` → `x.tar`), else `(decompressed)`.
  public static func streamName(of name: String) -> String {
    var last = Substring(name)
    if let cut = last.lastIndex(where: { $0 == "/" || $0 == "!" }) { last = last[last.index(after: cut)...] }
    let lower = last.lowercased()
    for (suffix, replacement) in streamExtensions where lower.hasSuffix(suffix) && lower.count > suffix.count {
      return String(last.dropLast(suffix.count)) + replacement
    }
    return decompressed
  }

  /// Why a member name is unsafe to name anything with, or nil: empty, absolute, a `..`
  /// component, or control characters. (libarchive ends a name at a NUL, so one never shows.)
  public static func unsafeReason(_ name: String) -> String? {
    if name.isEmpty { return "empty name" }
    if name.hasPrefix("/") || name.hasPrefix("\\") { return "absolute path" }
    let scalars = Array(name.unicodeScalars.prefix(3))
    if scalars.count >= 2, scalars[1] == ":", scalars[0].isASCII, scalars[0].properties.isAlphabetic {
      return "absolute path"
    }
    if name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") {
      return "parent directory (..)"
    }
    if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "control character" }
    return nil
  }
}
