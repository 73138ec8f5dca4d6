/// A commit parsed from its raw object bytes, with where its message sits in those bytes.
public struct RawCommit: Sendable {
  public var info: CommitInfo
  /// Byte range of the message (everything after the header's blank line) in the raw object.
  public var messageRange: Range<Int>

  public init(info: CommitInfo, messageRange: Range<Int>) {
    self.info = info
    self.messageRange = messageRange
  }
}

/// Parses a commit object's bytes (as returned by `ObjectReader.withObject`), in pure Swift.
///
/// Returns nil when there is no valid `tree` header. Missing author/committer lines give
/// empty signatures; `gpgsig`, `encoding` and other headers are skipped.
public func parseRawCommit(_ raw: UnsafeRawBufferPointer, id: ObjectID) -> RawCommit? {
  var tree: ObjectID?
  var parents: [ObjectID] = []
  var author: Signature?
  var committer: Signature?
  let messageStart = forEachHeader(raw) { key, value in
    if bytesEqual(key, "tree") {
      tree = hexID(value)
      return tree != nil
    } else if bytesEqual(key, "parent") {
      guard let p = hexID(value) else { return false }
      parents.append(p)
    } else if bytesEqual(key, "author") {
      author = author ?? Signature(headerValue: value)
    } else if bytesEqual(key, "committer") {
      committer = committer ?? Signature(headerValue: value)
    }
    return true
  }
  guard let start = messageStart, let treeID = tree else { return nil }
  let empty = Signature(name: "", email: "", time: 0, offsetMinutes: 0)
  let summary = summaryOf(UnsafeRawBufferPointer(rebasing: raw[start...]))
  let info = CommitInfo(
    id: id, tree: treeID, parents: parents, author: author ?? empty,
    committer: committer ?? empty, summary: summary)
  return RawCommit(info: info, messageRange: start..<raw.count)
}
