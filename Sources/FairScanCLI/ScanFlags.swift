import ArgumentParser
import FairScanKit

extension ReportFormat: ExpressibleByArgument {}
extension Prefilter: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// Options every scanning command shares.
struct ScanFlags: ParsableArguments {
  @Option(help: "Output format: text, json, sarif, csv or junit.")
  var format: ReportFormat = .text

  @Option(help: "Write the report to FILE (replaced whole, never half-written) instead of stdout.")
  var output: String?

  @Flag(help: "Print secrets in full. Nothing else ever does.")
  var showSecrets = false

  @Option(name: .customLong("rules"), help: "Add the rules in a file or folder (repeatable).")
  var extraRules: [String] = []

  @Option(
    name: .customLong("only-rules"), help: "Use only the rules in a file or folder, not the built-in ones (repeatable)."
  )
  var onlyRules: [String] = []

  @Option(help: "Do not report findings already in this earlier JSON report (matched by fingerprint).")
  var baseline: String?

  @Option(
    name: .customLong("max-file-size"),
    help: "Skip files and blobs larger than this (bytes, or KiB/MiB/GiB). Default 100MiB.")
  var maxFileSize: String?

  @Option(
    name: .customLong("max-archive-depth"),
    help: ArgumentHelp(
      "Open archives (zip, jar, tar, gzip, bzip2, xz) nested up to N deep (default 3); 0 scans them as plain bytes."))
  var maxArchiveDepth: Int?

  @Option(help: "Worker threads (default: one per core).")
  var jobs: Int?

  @Option(name: .customLong("exit-code"), help: "Exit code to use when there are findings (default 1).")
  var exitCode: Int32?

  @Option(
    help: ArgumentHelp(
      "What picks the rules that run on each blob: keywords (default), or vectorscan (experimental).",
      discussion:
        "vectorscan adds a Vectorscan prefilter over every pattern; Debian 12's Vectorscan 5.4.9 misses some matches on x86, so fairscan never uses it unless asked."
    ))
  var prefilter: Prefilter = .keywords

  @Option(
    name: .customLong("min-severity"),
    help: ArgumentHelp(
      "Report findings of this severity and above: info, low (default), medium, high or critical.",
      discussion:
        "info findings are test vectors (private keys, sample JWTs, fixture passwords) found only in test, example or documentation code; --min-severity info shows them."
    ))
  var minSeverity: Severity = .low

  @Flag(
    help: ArgumentHelp(
      "Compare findings with your FAIR key inventory (key_status; exit bit 8 for a live key of yours).",
      discussion:
        "Reads the inventory once over the FAIR API (credentials from the environment or the 0600 credentials file); secrets are hashed and compared locally, never sent. Also finds your keys in any context (fair.inventory-match)."
    ))
  var verify = false

  @Flag(
    name: .customLong("no-verify"),
    help: ArgumentHelp(
      "Do not compare findings with your FAIR key inventory, even where fairscan would unasked.",
      discussion:
        "repo, dir and stdin verify by default when FAIR credentials are configured (FAIR_API_KEY, FAIR_USERNAME and FAIR_PASSWORD, or the credentials file); staged and pre-push only when .fairscan.yml says verify: true."
    ))
  var noVerify = false

  @Flag(
    help: ArgumentHelp(
      "With --verify: ask the FAIR API whether FAIR keys not in your inventory still work (sends those found keys to the FAIR host).",
      discussion:
        "Off by default: it uses a leaked credential against its account. Only the configured FAIR host is asked, each key once, at most FAIR_PROBE_MAX (25) keys FAIR_PROBE_INTERVAL (1 s) apart. key_status becomes live-foreign or dead."
    ))
  var probe = false

  /// `--ca-file`, for `--verify`.
  @OptionGroup var api: APIFlags

  @Flag(help: "No progress line and no summary on stderr.")
  var quiet = false

  @Flag(name: .customLong("no-color"), help: "No colors in text output.")
  var noColor = false

  func validate() throws {
    if probe && !verify {
      throw ValidationError("--probe needs --verify (it probes only keys your inventory does not hold)")
    }
    if verify && noVerify { throw ValidationError("--verify and --no-verify contradict each other") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let maxArchiveDepth, !(0...16).contains(maxArchiveDepth) {
      throw ValidationError("--max-archive-depth must be 0...16")
    }
    if let maxFileSize, parseByteSize(maxFileSize) == nil {
      throw ValidationError("--max-file-size: not a size: '\(maxFileSize)'")
    }
    if let exitCode, exitCode < 0 || exitCode > 255 { throw ValidationError("--exit-code must be 0...255") }
  }
}
