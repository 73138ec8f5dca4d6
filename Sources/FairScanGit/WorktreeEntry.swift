/// A file in the work tree and how it relates to the index.
public struct WorktreeEntry: Sendable, Equatable {
  public enum State: Sendable, Equatable {
    /// The file's content equals the index entry; carries the index blob id.
    case unmodified(ObjectID)
    /// Tracked, but the work-tree content differs from the index.
    case modified
    /// Not in the index and not ignored.
    case untracked
  }

  /// Relative to the work tree, with `/` separators.
  public var path: String
  public var state: State

  public init(path: String, state: State) {
    self.path = path
    self.state = state
  }
}
