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
    selection.extraRules = flags.extraRules + config.ruleFiles.map { path in
      path.hasPrefix("/") ? path : (configRoot ?? ".") + "/" + path
    }
    selection.disabled = config.disableRules
    selection.fairHosts = config.fairHosts
    let rules: [Rule]
    do { rules = try selection.load() } catch { throw CommandFailure.usage("\(error)") }
    verification = try verification(config: config, preset: presetInventory)
    let ruleSet: RuleSet
    do {
      ruleSet = try RuleSet(
        rules: rules + (verification?.rules ?? []), prefilter: flags.prefilter, cacheDirectory: CacheLocation.directory)
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
    do { session = try FairSession.open(caFile: flags.caFile) } catch let failure as CommandFailure where !asked {
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
  func finish(_ report: ScanReport) throws -> Never {
    let color = flags.output == nil && Terminal.isTTY(1) && Terminal.colorAllowed && !flags.noColor
    let bytes = ReportRenderer.render(report, format: flags.format, options: ReportOptions(color: color, showSecrets: flags.showSecrets))
    try AtomicFile.emit(bytes, to: flags.output)
    if !flags.quiet { Terminal.standardError(SummaryLine.make(report.summary)) }
    throw ExitCode(ExitStatus.code(for: report, findingsCode: flags.exitCode))
  }
}

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

/// `.fairscanignore`: one fingerprint per line, `#` comments.
enum IgnoreFile {
  static func load(_ path: String) throws -> Set<String> {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("cannot read \(path)")
    }
    var result: Set<String> = []
    for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
      let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty { result.insert(trimmed) }
    }
    return result
  }
}

/// `--baseline REPORT.json`: the fingerprints of an earlier JSON report.
enum Baseline {
  static func load(_ path: String) throws -> Set<String> {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("cannot read baseline \(path)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let findings = object["findings"] as? [[String: Any]]
    else {
      throw CommandFailure.usage("baseline \(path) is not a fairscan JSON report")
    }
    return Set(findings.compactMap { $0["fingerprint"] as? String })
  }
}

/// Replaces a regular file whole (a temporary file beside it, then rename), so a
/// reader never sees half a report. Anything else that exists (`/dev/null`, a FIFO,
/// `/dev/stdout`) is written in place: renaming over it would replace the device.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    var info = stat()
    if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
      guard let handle = FileHandle(forWritingAtPath: path) else {
        throw CommandFailure.usage("cannot open \(path) for writing")
      }
      defer { try? handle.close() }
      try handle.write(contentsOf: Data(bytes))
      return
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// A report to `--output FILE` (replaced whole) or, without one, to standard output.
  static func emit(_ bytes: [UInt8], to output: String?) throws {
    guard let output else { return Terminal.write(bytes, to: 1) }
    do { try write(bytes, to: output) } catch { throw CommandFailure.usage("cannot write \(output): \(error)") }
  }
}

/// The one-line summary on stderr.
enum SummaryLine {
  static func make(_ s: ScanSummary) -> String {
    var parts: [String] = []
    var what: [String] = []
    if s.blobsScanned > 0 { what.append(count(s.blobsScanned, "blob")) }
    if s.commitsScanned > 0 { what.append(count(s.commitsScanned, "commit")) }
    if s.filesScanned > 0 || what.isEmpty { what.append(count(s.filesScanned, "file")) }
    let mib = Double(s.bytesScanned) / 1_048_576
    let rate = s.elapsedSeconds > 0 ? mib / s.elapsedSeconds : 0
    parts.append("scanned \(what.joined(separator: ", ")) (\(format(mib)) MiB) in \(format(s.elapsedSeconds))s (\(format(rate)) MiB/s)")
    parts.append(count(s.findings, "finding"))
    if s.suppressed > 0 { parts.append("\(s.suppressed) suppressed") }
    if s.belowMinimumSeverity > 0 { parts.append("\(s.belowMinimumSeverity) below --min-severity") }
    if !s.skipped.isEmpty {
      let large = s.skipped.filter { $0.reason == .tooLarge }
      var text = "\(s.skipped.count) skipped"
      if !large.isEmpty {
        text += " (too large: " + large.prefix(3).map { "\($0.path) \(format(Double($0.size ?? 0) / 1_048_576)) MiB" }
          .joined(separator: ", ") + (large.count > 3 ? ", …" : "") + ")"
      }
      parts.append(text)
    }
    for note in s.notes ?? [] { parts.append(note) }
    if let cached = s.cachedObjects, cached > 0 { parts.append("\(cached) objects known from the scan cache") }
    if !s.incomplete.isEmpty { parts.append("INCOMPLETE: " + s.incomplete.joined(separator: "; ")) }
    return "fairscan: " + parts.joined(separator: "; ")
  }

  static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

  static func format(_ v: Double) -> String { String(format: "%.2f", v) }
}
