import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan verify REPORT.json`: an earlier JSON report against the account's key inventory.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the findings of a JSON report against your FAIR key inventory (key_status).",
    discussion: """
      Reads the inventory once and compares each finding's secret_sha256 with the keys' key_hash \
      locally: no found secret is sent anywhere. An inventory that lists plaintext keys needs the \
      secrets themselves: scan again with --verify instead. Exit bit 8: a finding is a live key.
      """)

  @Argument(help: "A report written by --format json.") var report: String
  @Option(help: "Output format: text, json, sarif, csv or junit.") var format: ReportFormat = .text
  @Option(help: "Write the report to FILE (replaced whole) instead of stdout.") var output: String?
  @OptionGroup var api: APIFlags

  func run() throws {
    var parsed = try ReportFile.load(report)
    let session = try FairSession.open(caFile: api.caFile)
    let (inventory, failure) = session.inventory()
    session.close()
    if let failure { Terminal.standardError("fairscan: the key inventory could not be read completely: \(failure)") }
    // The report's own secrets are gone: only its secret_sha256 values are compared. A FAIR
    // finding left indeterminate makes the report incomplete (exit bit 2).
    KeyVerification(inventory: inventory, problem: failure).apply(to: &parsed)
    let bytes = ReportRenderer.render(parsed, format: format, options: ReportOptions(color: false, showSecrets: false))
    try AtomicFile.emit(bytes, to: output)
    throw ExitCode(ExitStatus.code(for: parsed, findingsCode: nil) | (failure == nil ? 0 : ExitStatus.apiFailure))
  }
}
