import CLibGit2

/// The refs of a repository: where each points, and the commits to start a walk from.
struct ReferenceTips {
  /// Ref name to its direct target (symbolic refs resolved, tags not peeled).
  var targets: [String: ObjectID] = [:]
  /// Commits the refs peel to: HEAD's first, then by ref name.
  var commits: [ObjectID] = []
  /// Tag objects, and trees/blobs that refs peel to (with everything under those trees).
  var nonCommitObjects: Set<ObjectID> = []

  /// Reads every ref under `refs/` (`Repository.references()`) plus HEAD.
  init(repository repo: Repository) throws(GitError) {
    targets = try repo.references()
    var head = git_oid()
    let hasHead = git_reference_name_to_id(&head, repo.handle, "HEAD") == 0
    if hasHead && git_repository_head_detached(repo.handle) == 1 {
      targets["HEAD"] = ObjectID(head)
    }
    var ordered: [ObjectID] = hasHead ? [ObjectID(head)] : []
    ordered += targets.keys.sorted().map { targets[$0]! }
    var seen = Set<ObjectID>()
    for id in ordered where seen.insert(id).inserted {
      peel(id, repo: repo)
    }
  }

  /// Follows tags to a commit (a walk tip) or records the tree/blob it ends at.
  private mutating func peel(_ start: ObjectID, repo: Repository) {
    var id = start
    for _ in 0..<64 {
      guard let kind = try? repo.odb.header(id).kind else { return }
      switch kind {
      case .commit:
        commits.append(id)
        return
      case .tag:
        nonCommitObjects.insert(id)
        let current = id
        guard
          let target = try? repo.odb.withObjectTyped(
            current,
            { _, raw in
              parseRawTag(raw, id: current)?.target
            })
        else { return }
        id = target
      case .tree:
        nonCommitObjects.insert(id)
        var under: [ObjectID] = []
        try? repo.forEachTreeEntry(id, prefix: "") { _, child, _ in under.append(child) }
        nonCommitObjects.formUnion(under)
        return
      case .blob:
        nonCommitObjects.insert(id)
        return
      case .other:
        return
      }
    }
  }
}
