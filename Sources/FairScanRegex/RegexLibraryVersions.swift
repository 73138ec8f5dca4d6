import CPCRE2
import CVectorscan

/// The versions of the C libraries FairScanRegex links, as the loaded libraries report them,
/// for `fairscan --version`.
public enum RegexLibraryVersions {
  /// PCRE2's version and release date (`pcre2_config(PCRE2_CONFIG_VERSION)`), `10.42 2022-12-11`.
  public static var pcre2: String {
    // The version is at most 24 code units, the terminating zero included (pcre2api(3)).
    var buffer = [UInt8](repeating: 0, count: 64)
    let length = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
    guard length > 1 else { return "unknown" }
    return String(decoding: buffer.prefix(Int(length) - 1), as: UTF8.self)
  }

  /// Vectorscan's version and build date, if it has one (`hs_version`), `5.4.9`.
  public static var vectorscan: String {
    guard let text = hs_version() else { return "unknown" }
    // Debian's build leaves the date empty: "5.4.9 ".
    var version = String(cString: text)
    while version.last == " " { version.removeLast() }
    return version
  }
}
