/// Something that was not scanned, and why.
public struct SkippedItem: Codable, Sendable, Equatable {
  public enum Reason: String, Codable, Sendable {
    case tooLarge = "too-large", unreadable, notRegularFile = "not-regular-file"
    /// Inside archives: a limit (depth, members, bytes, ratio) or an unsafe member name; `encrypted` members.
    case archiveLimit = "archive-limit", encrypted
  }
  public var path: String
  public var blob: String?
  public var reason: Reason
  public var size: Int?
  public var detail: String?
  public init(path: String, blob: String? = nil, reason: Reason, size: Int? = nil, detail: String? = nil) {
    self.path = path; self.blob = blob; self.reason = reason; self.size = size; self.detail = detail
  }
}
