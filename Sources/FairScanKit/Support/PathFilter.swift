/// Include and exclude globs (`*` within a path segment, `**` across segments, `?` one byte).
public struct PathFilter: Sendable, Equatable, Codable {
  public var include: [String]
  public var exclude: [String]
  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include; self.exclude = exclude
  }
}
