import ArgumentParser
import FairScanKit
import Foundation

/// What every scanning command does around the scan itself: rules, config,
/// suppressions, the verification stage, the report, the summary line and the exit code.
final class ScanRunner {
  let flags: ScanFlags
  /// Folder holding `.fairscan.yml` and `.fairscanignore` (a repository's root), if any.
  let configRoot: String?
  /// Whether the command compares its findings with the key inventory unasked when FAIR
  /// credentials are configured (`repo`, `dir`, `stdin`). The hooks verify only when
  /// `.fairscan.yml` says `verify: true` (or `--verify` is given).
  let verifiesByDefault: Bool
  /// The verification stage `prepare` set up (nil: the scan is offline).
  private(set) var verification: KeyVerification?

  init(flags: ScanFlags, configRoot: String?, verifiesByDefault: Bool = false) {
    self.flags = flags
    self.configRoot = configRoot
    self.verifiesByDefault = verifiesByDefault
  }

  /// `presetInventory`: an inventory already read (by `fairscan revoke`), used as `--verify` would.
  func prepare(presetInventory: KeyInventory? = nil) throws -> (RuleSet, ScanOptions) {
    var config = ScanConfig()
    if let root = configRoot {
      do {
        if let loaded = try ScanConfig.load(path: root + "/.fairscan.yml") { config = loaded }
      } catch { throw CommandFailure.usage("\(error)") }
    }
    var selection = RuleSelection()
    selection.onlyRules = flags.onlyRules
    selection.extraRules =
      flags.extraRules
      + config.ruleFiles.map { path in
        path.hasPrefix("/") ? path : (configRoot ?? ".") + "/" + path
      }
    selection.disabled = config.disableRules
    selection.fairHosts = config.fairHosts
    let rules: [Rule]
    do { rules = try Trace.phase("load rules") { try selection.load() } } catch {
      throw CommandFailure.usage("\(error)")
    }
    verification = try verification(config: config, preset: presetInventory)
    let ruleSet: RuleSet
    do {
      ruleSet = try Trace.phase("compile rules") {
        try RuleSet(
          rules: rules + (verification?.rules ?? []), prefilter: flags.prefilter,
          cacheDirectory: CacheLocation.directory)
      }
    } catch {
      throw CommandFailure.usage("\(error)")
    }

    var options = ScanOptions()
    options.showSecrets = flags.showSecrets
    options.minimumSeverity = flags.minSeverity
    options.keepsSecrets = verification != nil
    options.excludePaths = config.excludePaths
    if let size = config.maxFileSize { options.maxFileSize = size }
    if let text = flags.maxFileSize, let size = parseByteSize(text) { options.maxFileSize = size }
    if let jobs = flags.jobs { options.jobs = jobs }
    if let depth = flags.maxArchiveDepth { options.archiveDepth = depth }
    if let root = configRoot { options.suppressedFingerprints = try IgnoreFile.load(root + "/.fairscanignore") }
    if let baseline = flags.baseline { options.suppressedFingerprints.formUnion(try Baseline.load(baseline)) }
    if !flags.quiet && Terminal.isTTY(2) {
      options.progress = { line in Terminal.progress(line) }
    }
    return (ruleSet, options)
  }

  /// The verification stage, when it runs: asked for (`--verify`, `verify: true`), or unasked
  /// where the command verifies by default and FAIR credentials are configured. Asked for, a
  /// session that cannot open is an error; unasked, it leaves the FAIR findings `indeterminate`
  /// and the scan incomplete, never a finding hidden or a scan failed.
  private func verification(config: ScanConfig, preset: KeyInventory?) throws -> KeyVerification? {
    if let preset { return KeyVerification(inventory: preset) }
    if flags.noVerify { return nil }
    let asked = flags.verify || config.verify
    guard asked || (verifiesByDefault && FairSession.credentialsConfigured) else { return nil }
    let session: FairSession
    do { session = try FairSession.open(caFile: flags.api.caFile) } catch let failure as CommandFailure where !asked {
      Terminal.standardError("fairscan: the key inventory could not be read: \(failure.message)")
      return KeyVerification(inventory: KeyInventory(keys: [], complete: false), problem: failure.message)
    }
    let (read, failure) = session.inventory()
    var prober: APIProber? = nil
    if flags.probe { prober = APIProber(session: session) } else { session.close() }
    if let failure { Terminal.standardError("fairscan: the key inventory could not be read completely: \(failure)") }
    return KeyVerification(inventory: read, prober: prober, problem: failure)
  }

  /// The verification stage applied to a scan's report (the report as it is when offline).
  func verified(_ report: ScanReport) -> ScanReport {
    guard let verification else { return report }
    var report = report
    verification.apply(to: &report)
    return report
  }

  /// Writes the report and the summary, then throws the exit code (`ExitCode`, also for 0).
  /// `hookLines`: a `--hook` run's message (`HookMessage`), printed in place of the summary;
  /// such a run writes the report only to `--output`, never to standard output.
  func finish(_ report: ScanReport, hookLines: [String]? = nil) throws -> Never {
    if hookLines == nil || flags.output != nil {
      let color = flags.output == nil && Terminal.isTTY(1) && Terminal.colorAllowed && !flags.noColor
      let bytes = Trace.phase("render the report") {
        ReportRenderer.render(
          report, format: flags.format, options: ReportOptions(color: color, showSecrets: flags.showSecrets))
      }
      try Trace.phase("write the report") { try AtomicFile.emit(bytes, to: flags.output) }
    }
    if let hookLines {
      for line in hookLines { Terminal.standardError(line) }
    } else if !flags.quiet {
      Terminal.standardError(SummaryLine.make(report.summary))
    }
    throw ExitCode(ExitStatus.code(for: report, findingsCode: flags.exitCode))
  }
}
