/// A member, or a whole archive, that was not read whole, and why.
public struct ArchiveSkip: Sendable, Equatable {
  public enum Reason: String, Sendable {
    /// A limit of `ArchiveLimits` was reached, or the member's name is unsafe (`../`, absolute,
    /// control characters): what it names was not read.
    case limit
    /// The archive is corrupt or truncated: what came before the damage was read.
    case unreadable
    /// An encrypted member (its bytes cannot be read without the password).
    case encrypted
    /// A member over `maxMemberSize`.
    case tooLarge
  }

  /// The member's path (nested ones joined with `!`, see `ArchivePath`); `""` is the archive itself.
  public var member: String
  public var reason: Reason
  /// What happened, for people: the limit and its value, or libarchive's message.
  public var detail: String
  /// The member's size, when it is known and matters (too large).
  public var size: Int?

  public init(member: String, reason: Reason, detail: String, size: Int? = nil) {
    self.member = member; self.reason = reason; self.detail = detail; self.size = size
  }
}
