import ArgumentParser
import FairScanKit

/// fairscan's exit codes, defined once (the README lists them).
///
/// Bits combine: 3 means findings and an incomplete scan.
public enum ExitStatus {
  /// The scan is complete and found nothing.
  public static let clean: Int32 = 0
  /// Findings (value replaced by `--exit-code N`).
  public static let findings: Int32 = 1
  /// Incomplete: something not looked at (an object or file unreadable or over the size cap, a
  /// rule limit hit, shallow or partial history, repository damage, a range base not in the
  /// clone), or a FAIR finding left `indeterminate`.
  public static let incomplete: Int32 = 2
  /// An API action failed or was not taken (a revoke that did not complete, a key refused on
  /// doubt, an inventory that could not be read).
  public static let apiFailure: Int32 = 4
  /// With `--verify`: a finding is a live key of the account.
  public static let liveKey: Int32 = 8
  /// Usage or configuration error: bad flag, rule file, config, path.
  public static let usage: Int32 = 64

  /// A report's code: findings (or `--exit-code`), incomplete, a live key of the account.
  static func code(for report: ScanReport, findingsCode: Int32?) -> Int32 {
    (report.findings.isEmpty ? 0 : (findingsCode ?? ExitStatus.findings))
      | (report.summary.isComplete ? 0 : ExitStatus.incomplete)
      | (report.findings.contains { $0.keyStatus == .live } ? ExitStatus.liveKey : 0)
  }
}

/// A failure to report as one line on stderr and an exit code.
struct CommandFailure: Error {
  var message: String
  var code: Int32
  static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: ExitStatus.usage) }
}

extension CommandFailure {
  /// A scan that stopped: bad input (a path, a range) is a usage error, a failure along the way
  /// the incomplete bit. `message` replaces the error's own text.
  init(_ error: ScanError, message: String? = nil) {
    self.init(message: message ?? error.description, code: error.isBadInput ? ExitStatus.usage : ExitStatus.incomplete)
  }
}
