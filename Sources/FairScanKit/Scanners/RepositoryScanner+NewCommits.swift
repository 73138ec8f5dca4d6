import FairScanGit

// Attribution of what was added since the last scan (issue 12): when the cache's history record
// says which commits its walk reached, and every ref it started from is still reached, only the
// new commits are walked. The findings the record placed stand as they were; the new commits add
// their own places (new secrets, and old ones at new paths). Anything the record cannot speak
// for (a ref deleted or moved back, a commit no ref reaches, an unreachable commit reached again,
// a secret placed as staged or unreachable that a commit now holds) makes the caller walk in full.

extension RepositoryScanner {
  /// What an attribution of the new commits produced: every placed hit, old and new, and the
  /// walk record for the next scan. Nil when the full walk is needed.
  struct NewCommitsAttribution {
    var placed: [ScanCache.PlacedHit]
    var walk: ScanCache.WalkRecord
  }

  /// `fresh`: this scan's own reads (before cached objects were merged); `result`: with them.
  func attributeNewCommits(
    _ repo: Repository, previous: (record: ScanCache.HistoryRecord, walk: ScanCache.WalkRecord),
    fresh: ObjectScanResult, result: ObjectScanResult, collector: inout FindingCollector
  ) -> NewCommitsAttribution? {
    guard fresh.tooLarge.isEmpty, fresh.unreadable.isEmpty, fresh.ruleErrors.isEmpty, fresh.archiveSkipped.isEmpty
    else {
      return nil
    }
    var options = HistoryWalkOptions(selection: .after(known: previous.walk.reachable))
    options.wantedBlobs = Set(result.blobHits.keys)
    guard let index = try? Trace.phase("attribute (new commits)", { try repo.walkHistory(options) }) else { return nil }
    // Every ref the record's walk started from is still reached: a tip, or a parent of a new commit.
    let reachedTips = Set(index.tipCommits).union(index.boundary)
    guard previous.walk.tips.allSatisfy(reachedTips.contains) else { return nil }
    // The commits walked are exactly the new ones read now (a commit no ref reaches, or an
    // unreachable one reached again, needs the full walk).
    let walked = Set(index.commits.ids)
    let newCommits = Set(fresh.commitIDs).subtracting(previous.walk.reachable).subtracting(previous.walk.unreachable)
    guard walked == newCommits else { return nil }

    // The record's places, as they were.
    var placed = previous.record.hits
    var oldPlaces: Set<String> = []
    var oldKeys: Set<String> = []
    for hit in placed {
      oldKeys.insert(Self.placeKey(hit.hit, hit.location))
      if hit.location.source == .blob, let blob = hit.location.blob, !hit.location.unreachable {
        oldPlaces.insert(blob + "\u{0}" + hit.location.containerPath)
      }
    }
    // A staged place may be gone with the index, a placed blob with a prune: walk in full.
    guard !placed.contains(where: { $0.location.source == .index }) else { return nil }
    for blob in Set(placed.compactMap(\.location.blob)) {
      guard let id = ObjectID(hex: blob), repo.contains(id) else { return nil }
    }
    let unreachable = Set(placed.filter(\.location.unreachable).compactMap(\.location.blob))
    for blob in index.introducedBlobs where unreachable.contains(blob.hex) { return nil }  // a commit holds it now
    for hit in placed { collector.addResolved(hit.hit, hit.location, pathIsReal: hit.pathIsReal) }

    func add(_ hits: [ContentHit], at path: String?, location: (ContentHit) -> Location) {
      let fresh = hits.filter { !oldKeys.contains(Self.placeKey($0, location($0))) }
      placed += collector.add(fresh, at: path, location: location).map {
        ScanCache.PlacedHit(hit: $0.0, location: $0.1, pathIsReal: path != nil)
      }
    }
    // Blobs at the paths new commits gave them (a path the record placed a blob at stays its own).
    for blob in index.introducedBlobs {
      guard let hits = result.blobHits[blob] else { continue }
      for intro in index.introductions(of: blob) where !oldPlaces.contains(blob.hex + "\u{0}" + intro.path) {
        let ref = Self.commitRef(index.commits[intro.commit], unreachable: false, atOrBefore: intro.atOrBefore)
        add(hits, at: intro.path) {
          FindingCollector.location($0, source: .blob, path: intro.path, blob: blob.hex, commits: [ref])
        }
      }
    }
    // New blobs no new commit holds: staged, or no commit holds them.
    let placedBlobs = Set(placed.compactMap(\.location.blob))
    let loose = fresh.blobHits.filter { !placedBlobs.contains($0.key.hex) && index.introductions(of: $0.key).isEmpty }
    if !loose.isEmpty {
      let staged = Self.stagedPaths(repo)
      for (blob, hits) in loose { Self.placeUncommitted(blob, hits, stagedAt: staged[blob], add: add) }
    }
    // Messages: the new commits', and tags not placed before.
    for (commit, hits) in fresh.commitHits where walked.contains(commit.info.id) {
      Self.placeCommitMessage(commit, hits, reachable: true, add: add)
    }
    for (tag, hits) in fresh.tagHits { Self.placeTagMessage(tag, hits, add: add) }
    let walk = ScanCache.WalkRecord(
      tips: index.tipCommits, reachable: previous.walk.reachable.union(walked), unreachable: previous.walk.unreachable)
    return NewCommitsAttribution(placed: placed, walk: walk)
  }

  /// One placed hit, told apart from every other: rule, secret, where in the content, and where.
  /// Fields are joined with NUL, which no path holds; the enum and the commit list are spelled
  /// out (interpolating them goes through reflection, a tenth of a millisecond per rescan).
  static func placeKey(_ hit: ContentHit, _ location: Location) -> String {
    [
      String(hit.ruleIndex), hit.secretSHA256, String(hit.position.byteOffset), location.source.rawValue,
      location.path, location.blob ?? "", location.commits.map(\.id).joined(separator: ","),
    ].joined(separator: "\u{0}")
  }
}
