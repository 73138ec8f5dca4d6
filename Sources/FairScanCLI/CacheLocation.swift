import FairScanSystem

/// Where the compiled Vectorscan database is cached between runs (`--prefilter vectorscan`).
enum CacheLocation {
  static var directory: String? {
    if let explicit = Environment.value("FAIRSCAN_CACHE_DIR") { return explicit.isEmpty ? nil : explicit }
    if let xdg = Environment.value("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return xdg + "/fairscan" }
    if let home = Environment.value("HOME"), home.hasPrefix("/") { return home + "/.cache/fairscan" }
    return nil
  }
}
