import FairScanGit

/// Where the whole-history walk saw each blob: its paths, and the commits that introduced it there.
struct HistoryPlaces {
  let index: HistoryIndex?
  /// Which commits a selective scan walked (a full one needs no such table): messages of others are not placed.
  let walkedCommits: Set<ObjectID>?

  init(index: HistoryIndex?, selective: Bool) {
    self.index = index
    walkedCommits = selective ? Set(index?.commits.ids ?? []) : nil
  }

  /// Each path `blob` is seen at, in the walk's order, with the commits that put it there;
  /// `unreachable` when only commits no ref reaches hold it there.
  func paths(of blob: ObjectID) -> [(path: String, commits: [CommitRef], unreachable: Bool)] {
    guard let index else { return [] }
    var byPath: [String: [Introduction]] = [:]
    var order: [String] = []
    for intro in index.introductions(of: blob) {
      if byPath[intro.path] == nil { order.append(intro.path) }
      byPath[intro.path, default: []].append(intro)
    }
    return order.map { path in
      let intros = byPath[path]!
      return (
        path,
        intros.map {
          RepositoryScanner.commitRef(index.commits[$0.commit], unreachable: $0.unreachable, atOrBefore: $0.atOrBefore)
        },
        intros.allSatisfy(\.unreachable)
      )
    }
  }
}
