import Foundation

/// Where the compiled Vectorscan database is cached between runs (`--prefilter vectorscan`).
enum CacheLocation {
  static var directory: String? {
    let env = ProcessInfo.processInfo.environment
    if let explicit = env["FAIRSCAN_CACHE_DIR"] { return explicit.isEmpty ? nil : explicit }
    if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/fairscan" }
    if let home = env["HOME"], home.hasPrefix("/") { return home + "/.cache/fairscan" }
    return nil
  }
}
