/// A last line of defence: when secrets are not to be shown, a `Finding.secret`
/// that does not have the redacted shape (`abcd…(40)`) is redacted here, and the
/// raw value is cut out of that finding's snippets too.
enum SecretGuard {
  static func redacted(_ report: ScanReport) -> ScanReport {
    var copy = report
    copy.findings = report.findings.map(redacted)
    return copy
  }

  static func redacted(_ finding: Finding) -> Finding {
    guard !looksRedacted(finding.secret) else { return finding }
    var copy = finding
    let raw = finding.secret
    copy.secret = Redaction.redact(Array(raw.utf8))
    if !raw.isEmpty {
      for i in copy.locations.indices {
        copy.locations[i].snippet = copy.locations[i].snippet.replacingAll(raw, with: copy.secret)
      }
    }
    return copy
  }

  /// True for `prefix…(digits)` where the prefix is at most four characters.
  static func looksRedacted(_ secret: String) -> Bool {
    guard let ellipsis = secret.lastIndex(of: "…") else { return false }
    let prefix = secret[..<ellipsis]
    let tail = secret[secret.index(after: ellipsis)...]
    guard tail.count >= 3, tail.first == "(", tail.last == ")" else { return false }
    let digits = tail.dropFirst().dropLast()
    // The prefix may hold TerminalSafe escapes, so allow it some room beyond four characters.
    return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && prefix.count <= 4 * 8
  }
}

extension String {
  /// Replaces every non-overlapping occurrence of `target`, without Foundation.
  func replacingAll(_ target: String, with replacement: String) -> String {
    let hay = Array(self.utf8), needle = Array(target.utf8)
    guard !needle.isEmpty, hay.count >= needle.count else { return self }
    var out: [UInt8] = []
    var i = 0
    while i < hay.count {
      if i + needle.count <= hay.count && hay[i..<i + needle.count].elementsEqual(needle) {
        out += replacement.utf8
        i += needle.count
      } else {
        out.append(hay[i]); i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
