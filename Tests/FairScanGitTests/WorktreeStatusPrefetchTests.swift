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
    WorktreeStatusPrefetch.begin(at: f.path + "/deep", readsRecord: false)  // found from a folder inside, as git does
    let repo = try f.open()
    let early = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo, recordAt: nil), "begun for this repository")
    let now = try repo.worktreeEntries()
    XCTAssertEqual(try early.entries.get(), now)
    XCTAssertEqual(
      now.map(\.path), ["changed.txt", "deep/inner.txt", "new.txt", "same.txt"], "every state is in the comparison")
    XCTAssertNil(WorktreeStatusPrefetch.take(for: repo, recordAt: nil), "taken once")
  }

  func testAnotherRepositoryGetsNothing() throws {
    let looked = try mixed(), other = try mixed()
    WorktreeStatusPrefetch.begin(at: looked.path, readsRecord: false)
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try other.open(), recordAt: nil))
    XCTAssertNil(
      WorktreeStatusPrefetch.take(for: try looked.open(), recordAt: nil), "what was not taken is not kept either")
  }

  func testNothingIsBegunOutsideARepositoryOrBeforeAsking() throws {
    let f = try mixed()
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try f.open(), recordAt: nil), "none begun")
    let plain = try TemporaryFolder.make().path
    WorktreeStatusPrefetch.begin(at: plain, readsRecord: false)
    XCTAssertNil(WorktreeStatusPrefetch.take(for: try f.open(), recordAt: nil))
  }

  /// A git error (here an index git cannot read) is handed over as the error git gives.
  func testAnErrorIsTheErrorGitGives() throws {
    let f = try mixed()
    try FileManager.default.removeItem(atPath: f.path + "/.git/index")
    try Data("DIRC not an index".utf8).write(to: URL(fileURLWithPath: f.path + "/.git/index"))
    WorktreeStatusPrefetch.begin(at: f.path, readsRecord: false)
    let repo = try f.open()
    let early = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo, recordAt: nil))
    var direct: GitError?
    do { _ = try repo.worktreeEntries() } catch { direct = error }
    guard case .failure(let error) = early.entries else { return XCTFail("git read a damaged index: \(early)") }
    XCTAssertEqual(error, try XCTUnwrap(direct))
  }

  /// A status from the record of the last scan goes only to a scan that uses that record; git's
  /// own goes to any, without a record to write when it was begun for another.
  func testARecordedStatusIsTakenOnlyByAScanThatUsesTheRecord() throws {
    let f = try mixed()
    let repo = try f.open()
    let record = WorktreeSnapshot.path(gitDirectory: repo.gitDirectory)
    usleep(30_000)
    XCTAssertEqual(WorktreeSnapshot.status(of: repo, recordAt: record).pending?.write(margin: 0), .written)

    WorktreeStatusPrefetch.begin(at: f.path, readsRecord: true)
    XCTAssertNil(WorktreeStatusPrefetch.take(for: repo, recordAt: nil), "a scan without the record asks git")
    WorktreeStatusPrefetch.begin(at: f.path, readsRecord: true)
    let recorded = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo, recordAt: record))
    XCTAssertTrue(recorded.fromRecord)
    XCTAssertEqual(try recorded.entries.get(), try repo.worktreeEntries())

    WorktreeStatusPrefetch.begin(at: f.path, readsRecord: false)
    let git = try XCTUnwrap(WorktreeStatusPrefetch.take(for: repo, recordAt: record))
    XCTAssertFalse(git.fromRecord)
    XCTAssertNil(git.pending, "begun for no record: nothing to write")
    XCTAssertEqual(try git.entries.get(), try repo.worktreeEntries())
  }
}
