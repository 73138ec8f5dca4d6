/// Collects what the history walk finds: commits, blob introductions and reached objects.
///
/// Introductions are kept flat and small (a fixed-size record each, paths stored once), since
/// a walk without wanted blobs records every blob of the history.
struct IntroductionRecorder {
    let wanted: Set<ObjectID>?
    var commits: [CommitInfo] = []
    /// In walk order.
    private(set) var records: [IntroductionRecord] = []
    /// Each distinct path once; records name them by index.
    private(set) var paths: [String] = []
    private var pathIndex: [String: Int32] = [:]
    /// (blob, path) pairs already introduced: a later commit with the same pair adds nothing.
    private var pairs: Set<BlobAtPath> = []
    var introducedBlobs: [ObjectID] = []
    private var introduced: Set<ObjectID> = []
    var objects: Set<ObjectID> = []
    /// When false, objects seen are not added to `objects` (unreachable commits).
    var recordingObjects = true
    /// Blobs held before the walked commits (a range's base): never introduced by them.
    var known: Set<ObjectID> = []

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
        if known.contains(blob) { return }
        let pathID: Int32
        if let id = pathIndex[path] {
            pathID = id
        } else {
            pathID = Int32(paths.count)
            paths.append(path)
            pathIndex[path] = pathID
        }
        guard pairs.insert(BlobAtPath(blob: blob, path: pathID)).inserted else { return }
        records.append(IntroductionRecord(
            blob: blob, commit: Int32(commit), path: pathID, unreachable: unreachable, atOrBefore: atOrBefore))
        if introduced.insert(blob).inserted { introducedBlobs.append(blob) }
    }
}

/// One introduction as the walk keeps it: the blob, the commit's index, the path's index.
struct IntroductionRecord {
    var blob: ObjectID
    var commit: Int32
    var path: Int32
    var unreachable: Bool
    var atOrBefore: Bool
}

struct BlobAtPath: Hashable {
    var blob: ObjectID
    var path: Int32
}
