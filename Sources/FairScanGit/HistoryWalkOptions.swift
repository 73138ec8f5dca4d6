/// What `Repository.walkHistory` walks and records.
public struct HistoryWalkOptions: Sendable {
  /// Which commits to walk.
  public enum Selection: Sendable {
    /// Every commit reachable from any ref (and a detached HEAD).
    case all
    /// `"A..B"`: commits reachable from B but not from A (an empty side means HEAD).
    /// A single revision `"B"` means every commit reachable from B.
    case range(String)
    /// Commits reachable from any of `show` but from none of `hide` (revisions or hex ids,
    /// peeled to commits). A `hide` revision that does not resolve is ignored: it names
    /// commits this repository does not have, so nothing it could hide is here either.
    case commits(show: [String], hide: [String])
    /// The commits the refs reach that are not in `known` (the reachable commits of an
    /// earlier walk): what was added since. Introductions are diffs against first parents,
    /// as in `.all`; unreachable commits are not walked.
    case after(known: Set<ObjectID>)
  }

  public var selection: Selection = .all
  /// Only commits whose committer time is at least this (unix seconds) are diffed.
  /// Their diffs are still taken against their parents, so nothing they introduce is missed.
  public var since: Int64? = nil
  /// Also walk commit objects in the database that no ref reaches (only with `.all`).
  public var includeUnreachable: Bool = true
  /// If set, record introductions only for these blobs (saves memory on large histories).
  public var wantedBlobs: Set<ObjectID>? = nil
  /// Every object in the database (`Repository.listAllObjects().ids`), when the caller has
  /// listed them already: unreachable commits are looked for among these instead of a new
  /// listing (which would cost a second list and set of every object at the walk's end).
  public var objectIDs: [ObjectID]? = nil
  /// Polled while walking; when it returns true the walk stops and throws `GitError.cancelled`.
  public var isCancelled: (@Sendable () -> Bool)? = nil

  public init(
    selection: Selection = .all, since: Int64? = nil, includeUnreachable: Bool = true,
    wantedBlobs: Set<ObjectID>? = nil
  ) {
    self.selection = selection
    self.since = since
    self.includeUnreachable = includeUnreachable
    self.wantedBlobs = wantedBlobs
  }
}
