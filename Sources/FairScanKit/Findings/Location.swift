/// Where content came from.
public enum SourceKind: String, Codable, Sendable, Equatable {
  /// A blob in the object database (history).
  case blob
  /// A file of the working tree.
  case worktree
  /// A blob staged in the index that no commit holds (yet).
  case index
  /// A plain file (`fairscan dir`).
  case file
  /// Standard input.
  case stdin
  /// The message of a commit.
  case commitMessage = "commit-message"
  /// The message of an annotated tag.
  case tagMessage = "tag-message"
}

/// The commit that introduced content at a path.
public struct CommitRef: Codable, Sendable, Equatable, Hashable {
  public var id: String
  public var author: String
  public var email: String
  /// ISO-8601 UTC, e.g. `2026-03-16T11:39:32Z`.
  public var date: String
  public var summary: String
  /// True when no ref reaches the commit (amended away, rebased, reset).
  public var unreachable: Bool
  /// True when the history stops at this commit (a shallow clone's boundary, a missing
  /// parent): the blob was there at this commit, introduced by it or by an earlier one.
  /// Absent (nil) otherwise.
  public var introducedAtOrBefore: Bool?

  enum CodingKeys: String, CodingKey {
    case id, author, email, date, summary, unreachable, introducedAtOrBefore = "introduced_at_or_before"
  }

  public init(
    id: String, author: String, email: String, date: String, summary: String, unreachable: Bool = false,
    introducedAtOrBefore: Bool? = nil
  ) {
    self.id = id; self.author = author; self.email = email; self.date = date
    self.summary = summary; self.unreachable = unreachable; self.introducedAtOrBefore = introducedAtOrBefore
  }
}

/// One place a secret was seen. Lines and columns are 1-based; a column counts
/// characters (UTF-8 sequences, or single bytes where the content is not UTF-8).
public struct Location: Codable, Sendable, Equatable {
  public var source: SourceKind
  public var path: String
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
  /// Byte offset and length of the secret in the content.
  public var byteOffset: Int
  public var byteLength: Int
  /// Blob id (hex) when the content is a git blob.
  public var blob: String?
  /// Commits that introduced this blob at this path (history), or the commit whose message it is.
  public var commits: [CommitRef]
  /// True when the content is only in objects no ref reaches.
  public var unreachable: Bool
  /// The matched line, redacted and made terminal-safe, shortened around the secret.
  public var snippet: String
  /// How the secret is encoded here (`base64`, `percent`, `escape`, nested ones joined by `+`,
  /// outermost first); the position is the encoded text's. Nil when it is written as is.
  public var encoding: String?
  /// The archive member holding the secret (`config/app.env`, nested ones joined with `!`):
  /// `path` is then `archive!member` and the position is within the member.
  public var member: String? = nil
  /// In the JSON report, when `path` is not valid UTF-8: base64 of its exact bytes. Nil otherwise.
  public var pathBytes: String? = nil

  enum CodingKeys: String, CodingKey {
    case source, path, line, column, endLine = "end_line", endColumn = "end_column"
    case byteOffset = "byte_offset", byteLength = "byte_length", blob, commits, unreachable, snippet, encoding, member
    case pathBytes = "path_bytes"
  }

  public init(
    source: SourceKind, path: String, line: Int, column: Int, endLine: Int, endColumn: Int,
    byteOffset: Int, byteLength: Int, blob: String? = nil, commits: [CommitRef] = [],
    unreachable: Bool = false, snippet: String = "", encoding: String? = nil
  ) {
    self.source = source; self.path = path; self.line = line; self.column = column
    self.endLine = endLine; self.endColumn = endColumn; self.byteOffset = byteOffset
    self.byteLength = byteLength; self.blob = blob; self.commits = commits
    self.unreachable = unreachable; self.snippet = snippet; self.encoding = encoding
  }
}
