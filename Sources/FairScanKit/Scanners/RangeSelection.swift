import FairScanGit

/// What `--range A..B` walks, including what CI hands over: GitHub's all-zero `before` for a
/// new branch, and a base commit the clone does not hold (shallow or not).
struct RangeSelection {
  var selection: HistoryWalkOptions.Selection
  /// Remarks for the summary (how the range was read).
  var notes: [String] = []
  /// Why the range could not be scanned as asked (each makes the scan incomplete).
  var incomplete: [String] = []

  /// Reads `range` in `repo`. Throws `ScanError.badRange` when it names nothing this clone could
  /// have: a tip that does not resolve, or a base that is neither a commit id nor in a shallow clone.
  static func resolve(_ range: String, in repo: Repository) throws(ScanError) -> RangeSelection {
    guard !range.contains("..."), let dots = range.firstRange(of: "..") else {
      return RangeSelection(selection: .range(range))
    }
    let left = String(range[..<dots.lowerBound]), right = String(range[dots.upperBound...])
    let base = left.isEmpty ? "HEAD" : left, tipName = right.isEmpty ? "HEAD" : right
    func tip() throws(ScanError) -> ObjectID {
      do { return try repo.resolveCommit(tipName) } catch { throw ScanError.badRange("'\(range)': \(error.message)") }
    }
    if isNullCommit(base) { return newBranch(tip: try tip(), tipName: tipName, in: repo) }
    if (try? repo.resolveCommit(base)) != nil { return RangeSelection(selection: .range(range)) }
    guard isCommitID(base) || repo.isShallow else {
      throw ScanError.badRange("'\(range)': '\(base)' is not a revision of this repository")
    }
    // The base was not fetched: scan what is here of the tip's history and say what is missing.
    let id = try tip()
    let fix =
      repo.isShallow
      ? "git fetch --unshallow, or fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in GitLab CI"
      : "git fetch origin \(base), or fetch-depth: 0 in GitHub Actions"
    let scope = repo.isShallow ? " back to the shallow boundary" : ""
    return RangeSelection(
      selection: .commits(show: [id.hex], hide: []),
      incomplete: [
        "--range base \(base) is not in this clone: every commit reachable from \(tipName)\(scope) was scanned instead; fetch the base to scan the range (\(fix))"
      ])
  }

  /// A push that created a branch: the commits of the tip that no other remote-tracking branch
  /// has. Remote refs of the branch itself (by name, or pointing at the tip) compare with nothing.
  private static func newBranch(tip: ObjectID, tipName: String, in repo: Repository) -> RangeSelection {
    let remotes = (try? repo.references(matching: "refs/remotes/*")) ?? [:]
    let branch = repo.headBranch
    let others = remotes.filter { name, id in
      id != tip && !(branch.map { name.hasSuffix("/" + $0) } ?? false)
    }
    let hide = Set(others.values.map(\.hex)).sorted()
    guard !hide.isEmpty else {
      return RangeSelection(
        selection: .commits(show: [tip.hex], hide: []),
        notes: [
          "--range starts at the null commit (a new branch) and no other remote-tracking branch is here to compare with: every commit reachable from \(tipName) was scanned"
        ])
    }
    return RangeSelection(
      selection: .commits(show: [tip.hex], hide: hide),
      notes: [
        "--range starts at the null commit (a new branch): scanned the commits of \(tipName) that none of the \(others.count) other remote-tracking branches has"
      ])
  }

  /// `0000…` (40 or 64 zeros): what GitHub and GitLab send as the `before` of a new branch.
  static func isNullCommit(_ text: String) -> Bool {
    (text.count == 40 || text.count == 64) && text.allSatisfy { $0 == "0" }
  }

  /// A full or abbreviated hex commit id (7 to 64 digits).
  static func isCommitID(_ text: String) -> Bool {
    (7...64).contains(text.count) && text.allSatisfy(\.isHexDigit)
  }
}
