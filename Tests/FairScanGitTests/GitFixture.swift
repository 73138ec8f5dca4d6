import Foundation
import FairScanTestSupport
@testable import FairScanGit

/// Object ids from the shared fixture, for tests that compare them with libgit2's.
extension GitFixture {
  /// Stages everything and commits; returns the new commit's id.
  @discardableResult
  func commitID(_ message: String) throws -> ObjectID {
    try ObjectID(hex: commitAll(message))!
  }

  func head() throws -> ObjectID { try id("HEAD") }

  func id(_ rev: String) throws -> ObjectID {
    guard let id = ObjectID(hex: try git("rev-parse", rev)) else { throw FixtureError(message: "bad rev \(rev)") }
    return id
  }

  /// The blob id git would give `contents`.
  func blobID(_ contents: String) throws -> ObjectID {
    guard let id = ObjectID(hex: try git("hash-object", "--stdin", input: contents)) else {
      throw FixtureError(message: "hash-object failed")
    }
    return id
  }

  func open() throws -> Repository { try Repository(path: path) }
}

extension HistoryIndex {
  /// The commit ids that introduced `blob`, with their paths.
  func introducers(of blob: ObjectID) -> [(ObjectID, String, Bool)] {
    introductions(of: blob).map { (commits[$0.commit].id, $0.path, $0.unreachable) }
  }
}
