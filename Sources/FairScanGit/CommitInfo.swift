/// Metadata of one commit, as a value that can cross threads.
public struct CommitInfo: Sendable {
  public var id: ObjectID
  public var tree: ObjectID
  public var parents: [ObjectID]
  public var author: Signature
  public var committer: Signature
  /// The first paragraph of the message, lines joined by spaces, trimmed (like `git_commit_summary`).
  public var summary: String

  public init(
    id: ObjectID, tree: ObjectID, parents: [ObjectID], author: Signature,
    committer: Signature, summary: String
  ) {
    self.id = id
    self.tree = tree
    self.parents = parents
    self.author = author
    self.committer = committer
    self.summary = summary
  }
}
