import FairScanArchive
import FairScanGit

// Inside archives (issue 10, section 5). Content whose first bytes announce a zip, tar, gzip,
// bzip2 or xz archive is not scanned as bytes: its members are, each as content of its own, and
// their hits carry the member (`ContentHit.member`). The answer depends on the bytes only, so a
// history blob, a file, the index and standard input agree; the member is joined to the path
// where the hit is placed (`FindingCollector.location`), as `bundle.zip!config/app.env`.

extension ScanWorker {
  /// The members of `content` scanned, when it is an archive; nil for anything else and for
  /// members themselves (nested archives are opened by `ArchiveReader`, within its limits).
  /// `path`, when known, selects the rules for each member at `path!member`.
  func scanArchive(_ content: UnsafeRawBufferPointer, path: String?) -> ContentScan? {
    guard !insideArchive, let limits = archiveLimits, ArchiveFormat.detect(content) != nil else { return nil }
    insideArchive = true
    defer { insideArchive = false }
    var result = ContentScan()
    let walk = ArchiveReader.forEachMember(of: content, limits: limits, decodeName: { PathBytes.string($0) }) {
      member, bytes in
      let memberPath = path.map { ArchivePath.join($0, member) }
      let scan = self.scan(bytes, path: path.map { ArchivePath.matchingPath($0, member) })
      for var hit in scan.hits {
        hit.member = member
        result.hits.append(hit)
      }
      let shown = memberPath ?? String(ArchivePath.join("", member).dropFirst())
      for error in scan.errors { result.errors.append((error.ruleID, "\(error.message) (in \(shown))")) }
    }
    guard let walk else { return nil }
    result.skipped = walk.skips.map(SkippedItem.init(archiveSkip:))
    if walk.unreadable {
      // libarchive could read no entry of it: its bytes are scanned as they are as well.
      let plain = scan(content, path: path)
      result.hits += plain.hits
      result.errors += plain.errors
    }
    return result
  }
}

extension ScanOptions {
  /// The archive limits of a scan: the defaults, nested `archiveDepth` deep, with members capped
  /// at `--max-file-size`; nil when archives are scanned as plain bytes (`--max-archive-depth 0`).
  var archiveLimits: ArchiveLimits? {
    guard archiveDepth > 0 else { return nil }
    var limits = ArchiveLimits()
    limits.maxDepth = archiveDepth
    limits.maxMemberSize = maxFileSize
    return limits
  }
}

extension SkippedItem {
  /// An archive's skip, its `path` the member's (`""`: the archive itself) until `placed(in:)`.
  init(archiveSkip skip: ArchiveSkip) {
    let reason: Reason =
      switch skip.reason {
      case .limit: .archiveLimit
      case .unreadable: .unreadable
      case .encrypted: .encrypted
      case .tooLarge: .tooLarge
      }
    self.init(path: skip.member, reason: reason, size: skip.size, detail: skip.detail)
  }

  /// An archive's skip placed under the path of the content holding the archive.
  func placed(in container: String, blob: String? = nil) -> SkippedItem {
    var item = self
    item.path = TerminalSafe.string(path.isEmpty ? container : ArchivePath.join(container, path))
    item.blob = blob
    return item
  }
}

enum ArchiveSkips {
  /// Why archive skips make a scan incomplete, or nil: a limit or damage left something unread.
  /// Members over the size cap and encrypted ones are listed only, as files over the cap are.
  static func incompleteReason(_ items: [SkippedItem]) -> String? {
    let limits = items.filter { $0.reason == .archiveLimit }.count
    let damaged = items.filter { $0.reason == .unreadable }.count
    guard limits + damaged > 0 else { return nil }
    var parts: [String] = []
    if limits > 0 { parts.append("\(limits) at an archive limit or with an unsafe name") }
    if damaged > 0 { parts.append("\(damaged) damaged") }
    return "archive members not read whole: " + parts.joined(separator: ", ")
  }
}

extension Location {
  /// Points the location into an archive member: `path` becomes `path!member`.
  mutating func placeInArchive(member: String) {
    let full = ArchivePath.join(path, member)
    self.member = String(full.dropFirst(path.count + ArchivePath.separator.count))
    path = full
  }

  /// The path of the file or blob that holds the content: `path` without its `!member`.
  var containerPath: String {
    guard let member, path.count > member.count else { return path }
    return String(path.dropLast(member.count + ArchivePath.separator.count))
  }

  /// The path globs and path practices see: inside an archive, `!` counts as a folder
  /// (`a.zip!test/k.pem` is matched as `a.zip/test/k.pem`).
  var matchingPath: String {
    guard let member else { return path }
    return containerPath + "/" + member.replacingOccurrences(of: ArchivePath.separator, with: "/")
  }

  /// Whether excluding paths leaves this archive member out: its archive, or its matching path.
  func isExcludedArchiveMember(by isExcluded: (String) -> Bool) -> Bool {
    member != nil && (isExcluded(containerPath) || isExcluded(matchingPath))
  }
}
