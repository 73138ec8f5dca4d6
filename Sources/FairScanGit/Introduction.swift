/// Where a blob first appeared at a path: the commit (an index into `HistoryIndex.commits`)
/// whose diff against its first parent added or changed that path to this blob.
public struct Introduction: Sendable, Equatable {
  /// Index into `HistoryIndex.commits`.
  public var commit: Int
  /// `/`-separated path inside the commit's tree.
  public var path: String
  /// `true` when the commit is not reachable from any ref (amended, dropped, dangling).
  public var unreachable: Bool
  /// `true` when the commit's history is cut (a shallow boundary, or a first parent missing
  /// from the object database): the blob was there at this commit or was added before it.
  public var atOrBefore: Bool

  public init(commit: Int, path: String, unreachable: Bool, atOrBefore: Bool = false) {
    self.commit = commit
    self.path = path
    self.unreachable = unreachable
    self.atOrBefore = atOrBefore
  }
}
