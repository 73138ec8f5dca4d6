import CLibGit2
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Repository {
  /// `true` for a shallow clone. Wraps `git_repository_is_shallow`.
  public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

  /// `shallowBoundaries()` for a shallow clone, nil for a full one.
  public var shallowBoundariesWhenShallow: [ObjectID]? { isShallow ? shallowBoundaries() : nil }

  /// The commit ids listed in `<gitdir>/shallow`: commits whose parents are absent on purpose.
  public func shallowBoundaries() -> [ObjectID] {
    let path = commonDirectory + "/shallow"
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return String(decoding: data, as: UTF8.self)
      .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
      .compactMap { ObjectID(hex: String($0).trimmingSpaces()) }
  }
}
