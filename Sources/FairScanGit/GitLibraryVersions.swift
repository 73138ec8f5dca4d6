import CDeflate
import CLibGit2

/// The versions of the C libraries FairScanGit links, for `fairscan --version` (a bug report
/// names them).
public enum GitLibraryVersions {
  /// libgit2's version as the loaded library reports it (`git_libgit2_version`), `1.5.1`; if it
  /// cannot be opened, why.
  public static var libgit2: String {
    if let reason = LibGit2.openFailure { return "unavailable (\(reason))" }
    var major: Int32 = 0
    var minor: Int32 = 0
    var revision: Int32 = 0
    guard git_libgit2_version(&major, &minor, &revision) == 0 else { return "unknown" }
    return "\(major).\(minor).\(revision)"
  }

  /// libdeflate's version from the header fairscan was built with (libdeflate has no call
  /// that reports it at run time).
  public static var libdeflate: String { LIBDEFLATE_VERSION_STRING }
}
