import FairScanKit
import Foundation

/// A repository scanned against a key inventory already read (`audit --repo`, `revoke --repo`).
enum InventoryScan {
  /// Scans `path` (working tree and full history): the inventory's keys are found in any
  /// context and every FAIR finding gets `key_status`. Every finding counts here: a key of the
  /// account is a leak even in test code (`info` findings are kept) or behind `.fairscanignore`
  /// (the hash match with the inventory is not a guess; with a SHA-256 inventory,
  /// `fair.inventory-match` finds the keys on `fairscan:allow` lines too).
  static func repository(
    _ path: String, inventory: KeyInventory, quiet: Bool, cache: ScanCacheSetting = .none
  ) throws -> ScanReport {
    let flags = try ScanFlags.parse((quiet ? ["--quiet"] : []) + ["--min-severity", "info"])
    let runner = ScanRunner(flags: flags, configRoot: RepositoryRoot.find(path))
    var (ruleSet, options) = try runner.prepare(presetInventory: inventory)
    options.history = .full
    options.suppressedFingerprints = []
    options.cache = cache
    do {
      return runner.verified(try RepositoryScanner(ruleSet: ruleSet, options: options).scan(path: path))
    } catch let error as ScanError {
      throw CommandFailure(error)
    }
  }
}
