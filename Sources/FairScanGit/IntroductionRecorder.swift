/// Collects what the history walk finds: commits, blob introductions and reached objects.
struct IntroductionRecorder {
    let wanted: Set<ObjectID>?
    var commits: [CommitInfo] = []
    var introductions: [ObjectID: [Introduction]] = [:]
    var introducedBlobs: [ObjectID] = []
    var objects: Set<ObjectID> = []
    /// When false, objects seen are not added to `objects` (unreachable commits).
    var recordingObjects = true

    init(wanted: Set<ObjectID>?) { self.wanted = wanted }

    mutating func addCommit(_ info: CommitInfo) -> Int {
        commits.append(info)
        return commits.count - 1
    }

    mutating func sawObject(_ id: ObjectID) {
        if recordingObjects { objects.insert(id) }
    }

    /// Records `(blob, path)` unless that pair was already introduced earlier.
    mutating func introduce(_ blob: ObjectID, path: String, commit: Int, unreachable: Bool, atOrBefore: Bool) {
        if let wanted, !wanted.contains(blob) { return }
        let intro = Introduction(commit: commit, path: path, unreachable: unreachable, atOrBefore: atOrBefore)
        if let existing = introductions[blob] {
            if existing.contains(where: { $0.path == path }) { return }
            introductions[blob]!.append(intro)
        } else {
            introductions[blob] = [intro]
            introducedBlobs.append(blob)
        }
    }
}
