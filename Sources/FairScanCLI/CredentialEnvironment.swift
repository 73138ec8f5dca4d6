import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The credentials fairscan read from its environment, taken out of it once read: another
/// process of the same user could otherwise read them from `/proc/PID/environ` for as long as
/// the run lasts, and a child process would inherit them.
enum CredentialEnvironment {
  /// The variables that hold a secret (`FAIR_USERNAME` is not one).
  static let secretNames = ["FAIR_API_KEY", "FAIR_PASSWORD"]

  /// Removes each of `names` from the environment. `unsetenv` alone only drops the pointer:
  /// `/proc/PID/environ` shows the block the kernel set up at `exec`, so the `NAME=value` bytes
  /// there (or wherever the entry lives) are overwritten with zeros first.
  static func scrub(_ names: [String] = secretNames) {
    for name in names {
      let prefix = Array((name + "=").utf8)
      var entries: [UnsafeMutablePointer<CChar>] = []
      var cursor = environ
      while let entry = cursor.pointee {
        if strncmp(entry, prefix.map { CChar(bitPattern: $0) }, prefix.count) == 0 { entries.append(entry) }
        cursor += 1
      }
      unsetenv(name)
      for entry in entries { memset(entry, 0, strlen(entry)) }
    }
  }
}
