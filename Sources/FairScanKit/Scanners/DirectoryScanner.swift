import FairScanGit
import FairScanSystem

/// `fairscan dir`: plain files under a folder, no git. Symlinks are not followed,
/// FIFOs, sockets and devices are never opened, `.git` folders are left out, and
/// the walk never leaves the folder.
public struct DirectoryScanner {
  public let ruleSet: RuleSet
  public let options: ScanOptions

  public init(ruleSet: RuleSet, options: ScanOptions) {
    self.ruleSet = ruleSet
    self.options = options
  }

  public func scan(path: String) throws -> ScanReport {
    let started = Clock.seconds()
    let info: FileStatus
    switch PathBytes.withCString(
      path, { path in Result { () throws(SystemError) in try FileStatus(path: path, followingSymlinks: false) } })
    {
    case .success(let status): info = status
    case .failure(let error): throw ScanError.path("cannot read \(TerminalSafe.string(path)): \(error.message)")
    }
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var summary = ScanSummary()
    let root = path.hasSuffix("/") ? path : path + "/"
    var files: [String] = []
    if info.kind == .directory {
      DirectoryScanner.walk(root: root, relative: "", into: &files, excluded: collector.isExcluded)
    } else if info.kind == .regular {
      // A single file: scan it under its own name.
      let result = FileScan.run(root: "", relativePaths: [path], ruleSet: ruleSet, options: options, source: .file)
      result.apply(to: &collector, summary: &summary)
      return collector.report(target: path, summary: summary, started: started, options: options)
    } else {
      throw ScanError.path("not a folder or regular file: \(TerminalSafe.string(path))")
    }
    let result = FileScan.run(root: root, relativePaths: files, ruleSet: ruleSet, options: options, source: .file)
    result.apply(to: &collector, summary: &summary)
    return collector.report(target: path, summary: summary, started: started, options: options)
  }

  /// Lists regular files below `root + relative` (lstat only: nothing is opened but folders).
  static func walk(root: String, relative: String, into files: inout [String], excluded: (String) -> Bool) {
    var names: [String] = []
    let opened = PathBytes.withCString(root + relative) { path in
      Directory.forEachEntry(path) { raw, _ in
        // Lossless: a name that is not UTF-8 keeps its bytes (PathBytes).
        let name = PathBytes.string(raw)
        if name != "." && name != ".." { names.append(name) }
      }
    }
    guard opened else { return }
    for name in names.sorted() {
      let rel = relative + name
      guard let info = PathBytes.withCString(root + rel, { try? FileStatus(path: $0, followingSymlinks: false) }) else {
        continue
      }
      switch info.kind {
      case .directory:
        if name == ".git" || excluded(rel + "/") || excluded(rel) { continue }
        walk(root: root, relative: rel + "/", into: &files, excluded: excluded)
      case .regular:
        if !excluded(rel) { files.append(rel) }
      default:
        continue  // symlinks, FIFOs, sockets, devices
      }
    }
  }
}
