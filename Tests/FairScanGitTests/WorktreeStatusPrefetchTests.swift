import XCTest
import FairScanTestSupport
@testable import FairScanGit

/// The status begun on the background thread is the one git gives when asked afterwards, and
/// only for the repository it looked at, once.
final class WorktreeStatusPrefetchTests: XCTestCase {
  /// `begin` does nothing while another test's background thread runs.
  override func setUp() { LibGit2.waitForBackgroundInitialization() }

  /// A work tree with a file of each state: unmodified, modified, untracked, deleted, and one
  /// in a folder.
  func mixed() throws -> GitFixture {
    let f = try GitFixture()
    try f.write("same.txt", "same\n")
    try f.write("changed.txt", "before\n")
    try f.write("gone.txt", "gone\n")
    try f.write("deep/inner.txt", "inner\n")
    try f.commitAll("one")
    try f.write("changed.txt", "after\n")
    try f.write("new.txt", "new\n")
    try f.remove("gone.txt")
    return f
  }

  func testTheStatusBegunEarlyIsTheStatusGitGivesForThatRepository() throws {
    let f = try mixed()
    WorktreeStatusPrefetch.begin(at: f.path + "/deep")  // found from a folder inside, as git does
    let repo = try f.open()
    let early = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo), "begun for this repository")
    let now = try repo.worktreeEntries()
    XCTAssertEqual(try early.get(), now)
    XCTAssertEqual(
      now.map(\.path), ["changed.txt", "deep/inner.txt", "new.txt", "same.txt"], "every state is in the comparison")
    XCTAssertNil(WorktreeStatusPrefetch.take(for: repo), "taken once")
  }

  func testAnotherRepositoryGetsNothing() throws {
    let looked = try mixed(), other = try mixed()
    WorktreeStatusPrefetch.begin(at: looked.path)
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try other.open()))
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try looked.open()), "what was not taken is not kept either")
  }

  func testNothingIsBegunOutsideARepositoryOrBeforeAsking() throws {
    let f = try mixed()
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try f.open()), "none begun")
    let plain = try TemporaryFolder.make().path
    WorktreeStatusPrefetch.begin(at: plain)
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try f.open()))
  }

  /// A git error (here an index git cannot read) is handed over as the error git gives.
  func testAnErrorIsTheErrorGitGives() throws {
    let f = try mixed()
    try FileManager.default.removeItem(atPath: f.path + "/.git/index")
    try Data("DIRC not an index".utf8).write(to: URL(fileURLWithPath: f.path + "/.git/index"))
    WorktreeStatusPrefetch.begin(at: f.path)
    let repo = try f.open()
    let early = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo))
    var direct: GitError?
    do { _ = try repo.worktreeEntries() } catch { direct = error }
    guard case .failure(let error) = early else { return XCTFail("git read a damaged index: \(early)") }
    XCTAssertEqual(error, try XCTUnwrap(direct))
  }
}
