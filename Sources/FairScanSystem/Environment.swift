import Glibc

/// The process environment (`getenv`).
public enum Environment {
  /// The value of the variable `name`, nil when it is not set.
  public static func value(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
