import XCTest
import FairScanTestSupport
@testable import FairScanGit

/// The walk keeps its commits as `CommitTable` rows and its reached objects as a sorted list
/// (for memory); what it hands out must be what the objects say.
final class CommitTableTests: XCTestCase {
  func testWalkedCommitsReadBackAsParsed() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("first line\nsecond line of the summary\n\nbody")
    try f.git("checkout", "-q", "-b", "side")
    try f.write("b.txt", "b\n")
    let unusual = try f.gitResult(
      ["commit", "-q", "-a", "--allow-empty", "-m", "ünïcødé summary ✓"],
      environment: [
        "GIT_AUTHOR_NAME": "Ånother Author", "GIT_AUTHOR_EMAIL": "another.author@example.org",
        "GIT_AUTHOR_DATE": "1600000000 +0530", "GIT_COMMITTER_DATE": "1600000100 -0245",
      ])
    XCTAssertEqual(unusual.status, 0)
    try f.git("add", "-A")
    try f.git("commit", "-q", "-m", "side file")
    try f.git("checkout", "-q", "main")
    try f.write("c.txt", "c\n")
    try f.commitID("main file")
    try f.git("merge", "-q", "--no-ff", "-m", "merge side", "side")

    let repo = try f.open()
    let index = try repo.walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.commits.count, 5)
    XCTAssertEqual(index.commits.ids, index.commits.map(\.id))
    var sawMerge = false, sawOffset = false
    for (n, commit) in index.commits.enumerated() {
      let parsed = try XCTUnwrap(
        repo.odb.withObjectTyped(commit.id) { kind, raw in
          kind == .commit ? parseRawCommit(raw, id: commit.id)?.info : nil
        })
      XCTAssertEqual(index.commits.id(at: n), parsed.id)
      XCTAssertEqual(commit.tree, parsed.tree)
      XCTAssertEqual(commit.parents, parsed.parents)
      XCTAssertEqual(commit.author, parsed.author)
      XCTAssertEqual(commit.committer, parsed.committer)
      XCTAssertEqual(commit.summary, parsed.summary)
      sawMerge = sawMerge || commit.parents.count == 2
      sawOffset = sawOffset || (commit.author.offsetMinutes == 330 && commit.committer.offsetMinutes == -165)
    }
    XCTAssertTrue(sawMerge)
    XCTAssertTrue(sawOffset)
    XCTAssertTrue(index.commits.contains { $0.summary == "ünïcødé summary ✓" && $0.author.name == "Ånother Author" })
    XCTAssertTrue(index.commits.contains { $0.summary == "first line second line of the summary" })
  }

  /// A dangling commit is found among the objects the caller listed (`objectIDs`), as it is
  /// when the walk lists them itself; the walk looks nowhere else.
  func testUnreachableCommitsAreLookedForAmongTheListedObjects() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("base")
    try f.git("checkout", "-q", "--detach")
    try f.write("key.pem", "dangling secret\n")
    let dangling = try f.commitID("soon dangling")
    try f.git("checkout", "-q", "main")
    let blob = try f.blobID("dangling secret\n")

    let repo = try f.open()
    let listed = try repo.listAllObjects().ids
    var options = HistoryWalkOptions()
    options.objectIDs = listed
    let index = try repo.walkHistory(options)
    XCTAssertEqual(index.unreachableCommits, [dangling])
    XCTAssertEqual(index.introducers(of: blob).map(\.0), [dangling])
    XCTAssertEqual(index.introducers(of: blob).map(\.2), [true])
    XCTAssertFalse(index.reachableObjects.contains(blob))
    XCTAssertEqual(try repo.walkHistory(HistoryWalkOptions()).unreachableCommits, [dangling])

    options.objectIDs = listed.filter { $0 != dangling }
    let blind = try repo.walkHistory(options)
    XCTAssertTrue(blind.unreachableCommits.isEmpty)
    XCTAssertTrue(blind.introductions(of: blob).isEmpty)
  }

  func testSortedObjectIDsIsTheSetOfItsInput() throws {
    var generator = SystemRandomNumberGenerator()
    let pool = (0..<500).map { _ in
      ObjectID(
        hex: (0..<40).map { _ in "0123456789abcdef".randomElement(using: &generator)! }.map(String.init).joined())!
    }
    let input = (0..<3000).map { _ in pool.randomElement(using: &generator)! }
    let sorted = SortedObjectIDs(input)
    XCTAssertEqual(Array(sorted), Set(input).sorted())
    for id in pool { XCTAssertEqual(sorted.contains(id), input.contains(id)) }
    XCTAssertFalse(SortedObjectIDs([]).contains(pool[0]))

    // The walk's recorder compacts repeats as it grows; it hands over each id once.
    var recorder = IntroductionRecorder(wanted: nil)
    for _ in 0..<40 { recorder.sawObjects(input) }
    XCTAssertEqual(recorder.takeReachedObjects(), sorted)
    recorder.sawObject(pool[0])
    XCTAssertEqual(recorder.takeReachedObjects(), SortedObjectIDs(), "nothing is recorded once handed over")
  }
}
