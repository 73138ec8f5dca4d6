import FairScanGit

// Stage 4 of a history scan (`RepositoryScanner+History.swift`): ties each hit to the places that
// hold it, as a file scan of each path would resolve it, and names the commits that brought it.

extension RepositoryScanner {
  /// Places every hit of the scan: blobs at each path the walk saw them at (or staged, or
  /// unreachable), commit messages (within `--since` and the selection) and tag messages.
  func placeHits(_ result: ObjectScanResult, places: HistoryPlaces, repo: Repository, add: Place) {
    // Blobs no commit holds may be staged: the index names their paths.
    let staged = result.blobHits.keys.contains(where: { places.paths(of: $0).isEmpty }) ? Self.stagedPaths(repo) : [:]
    // Each place a blob is seen at resolves its hits for that path, as a file scan of the path would.
    for (blob, hits) in result.blobHits {
      let paths = places.paths(of: blob)
      if paths.isEmpty { Self.placeUncommitted(blob, hits, stagedAt: staged[blob], add: add) }
      for place in paths {
        add(hits, place.path) {
          FindingCollector.location(
            $0, source: .blob, path: place.path, blob: blob.hex, commits: place.commits, unreachable: place.unreachable)
        }
      }
    }
    for (commit, hits) in result.commitHits {
      let reachable = places.index?.reachableCommits.contains(commit.info.id) ?? true
      if let since = options.since, commit.info.committer.time < since { continue }
      if let walked = places.walkedCommits, !walked.contains(commit.info.id) { continue }
      Self.placeCommitMessage(commit, hits, reachable: reachable, add: add)
    }
    for (tag, hits) in result.tagHits { Self.placeTagMessage(tag, hits, add: add) }
  }

  /// A commit as findings name it.
  static func commitRef(_ info: CommitInfo, unreachable: Bool, atOrBefore: Bool = false) -> CommitRef {
    CommitRef(
      id: info.id.hex, author: TerminalSafe.string(info.author.name), email: TerminalSafe.string(info.author.email),
      date: ISODate.utc(info.author.time), summary: TerminalSafe.string(info.summary), unreachable: unreachable,
      introducedAtOrBefore: atOrBefore ? true : nil)
  }

  /// A tag as findings name it (its message's hits).
  static func tagRef(_ tag: RawTag) -> CommitRef {
    CommitRef(
      id: tag.id.hex, author: TerminalSafe.string(tag.tagger?.name ?? ""),
      email: TerminalSafe.string(tag.tagger?.email ?? ""),
      date: tag.tagger.map { ISODate.utc($0.time) } ?? "", summary: "tag " + TerminalSafe.string(tag.name))
  }

  /// The path of a blob no commit holds and the index does not name.
  static let unattributed = "(unreachable blob)"

  /// How a history scan places hits: `add(hits, path, location)` resolves them at `path`.
  typealias Place = (_ hits: [ContentHit], _ path: String?, _ location: (ContentHit) -> Location) -> Void

  /// The index's paths of each staged blob.
  static func stagedPaths(_ repo: Repository) -> [ObjectID: [String]] {
    var staged: [ObjectID: [String]] = [:]
    for entry in (try? repo.indexEntries()) ?? [] { staged[entry.blob, default: []].append(entry.path) }
    return staged
  }

  /// Places the hits of a blob no walked commit holds: at the index paths it is staged at or,
  /// staged nowhere, as an unreachable blob.
  static func placeUncommitted(_ blob: ObjectID, _ hits: [ContentHit], stagedAt paths: [String]?, add: Place) {
    guard let paths else {
      add(hits, nil) {
        FindingCollector.location($0, source: .blob, path: unattributed, blob: blob.hex, unreachable: true)
      }
      return
    }
    for path in paths {
      add(hits, path) { FindingCollector.location($0, source: .index, path: path, blob: blob.hex) }
    }
  }

  static func placeCommitMessage(_ commit: RawCommit, _ hits: [ContentHit], reachable: Bool, add: Place) {
    let ref = commitRef(commit.info, unreachable: !reachable)
    add(hits, nil) {
      FindingCollector.location(
        $0, source: .commitMessage, path: "(commit message)", commits: [ref], unreachable: !reachable)
    }
  }

  static func placeTagMessage(_ tag: RawTag, _ hits: [ContentHit], add: Place) {
    let ref = tagRef(tag)
    add(hits, nil) { FindingCollector.location($0, source: .tagMessage, path: "(tag message)", commits: [ref]) }
  }
}
