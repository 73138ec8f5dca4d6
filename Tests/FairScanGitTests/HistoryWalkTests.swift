import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class HistoryWalkTests: XCTestCase {
  func testCancelledWalkStops() throws {
    let f = try GitFixture()
    for i in 0..<3 {
      try f.write("f.txt", "\(i)\n")
      try f.commitID("c\(i)")
    }
    var options = HistoryWalkOptions()
    options.isCancelled = { true }
    XCTAssertThrowsError(try f.open().walkHistory(options)) { error in
      XCTAssertEqual(error as? GitError, GitError.cancelled)
    }
    options.isCancelled = { false }
    XCTAssertEqual(try f.open().walkHistory(options).commits.count, 3)
  }

  func testBlobOnlyInDeletedFileIsIntroducedByItsCommit() throws {
    let f = try GitFixture()
    try f.write("README", "hello\n")
    try f.commitID("first")
    try f.write("config/secret.env", "TOKEN=deleted-secret\n")
    let adding = try f.commitID("add secret")
    try f.remove("config/secret.env")
    try f.commitID("remove secret")
    let blob = try f.blobID("TOKEN=deleted-secret\n")

    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.commits.count, 3)
    let intros = index.introducers(of: blob)
    XCTAssertEqual(intros.count, 1)
    XCTAssertEqual(intros.first?.0, adding)
    XCTAssertEqual(intros.first?.1, "config/secret.env")
    XCTAssertEqual(intros.first?.2, false)
    XCTAssertTrue(index.reachableObjects.contains(blob))
    XCTAssertEqual(index.commits[index.introductions(of: blob)[0].commit].summary, "add secret")
  }

  func testBlobOnlyOnUnmergedBranch() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("base")
    try f.git("checkout", "-q", "-b", "feature")
    try f.write("feature.txt", "feature secret\n")
    let featureCommit = try f.commitID("feature work")
    try f.git("checkout", "-q", "main")

    let index = try f.open().walkHistory(HistoryWalkOptions())
    let intros = index.introducers(of: try f.blobID("feature secret\n"))
    XCTAssertEqual(intros.map(\.0), [featureCommit])
    XCTAssertEqual(intros.map(\.1), ["feature.txt"])
    XCTAssertEqual(index.refTargets["refs/heads/feature"], featureCommit)
  }

  func testBlobOnlyInAnnotatedTagCommit() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("base")
    try f.git("checkout", "-q", "-b", "release")
    try f.write("release.txt", "tagged secret\n")
    let tagged = try f.commitID("release only")
    try f.git("tag", "-a", "v1.0", "-m", "release 1.0")
    try f.git("checkout", "-q", "main")
    try f.git("branch", "-q", "-D", "release")
    let tagObject = try f.id("refs/tags/v1.0")
    XCTAssertNotEqual(tagObject, tagged)

    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.introducers(of: try f.blobID("tagged secret\n")).map(\.0), [tagged])
    XCTAssertEqual(index.refTargets["refs/tags/v1.0"], tagObject, "unpeeled target")
    XCTAssertTrue(index.reachableObjects.contains(tagObject))
    XCTAssertTrue(index.reachableCommits.contains(tagged))
    XCTAssertTrue(index.unreachableCommits.isEmpty)
  }

  func testStashWithModifiedAndUntrackedFiles() throws {
    let f = try GitFixture()
    try f.write("app.cfg", "password=none\n")
    try f.commitID("base")
    try f.write("app.cfg", "password=stashed-modified\n")
    try f.write("notes/new.txt", "stashed untracked secret\n")
    try f.git("stash", "push", "-q", "-u")
    XCTAssertEqual(try String(contentsOfFile: f.path + "/app.cfg", encoding: .utf8), "password=none\n")

    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertNotNil(index.refTargets["refs/stash"])
    let modified = index.introducers(of: try f.blobID("password=stashed-modified\n"))
    XCTAssertEqual(modified.map(\.1), ["app.cfg"])
    XCTAssertEqual(modified.map(\.2), [false])
    let untracked = index.introducers(of: try f.blobID("stashed untracked secret\n"))
    XCTAssertEqual(untracked.map(\.1), ["notes/new.txt"])
    XCTAssertEqual(untracked.map(\.2), [false])
    XCTAssertTrue(index.unreachableCommits.isEmpty)
  }

  func testAmendedAwayCommitIsUnreachable() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("base")
    try f.write("key.pem", "amended-away secret\n")
    let original = try f.commitID("oops")
    try f.write("key.pem", "placeholder\n")
    try f.git("add", "-A")
    try f.git("commit", "-q", "--amend", "-m", "fixed")
    let amended = try f.head()

    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.unreachableCommits, [original])
    XCTAssertFalse(index.reachableCommits.contains(original))
    XCTAssertTrue(index.reachableCommits.contains(amended))
    let intros = index.introducers(of: try f.blobID("amended-away secret\n"))
    XCTAssertEqual(intros.map(\.0), [original])
    XCTAssertEqual(intros.map(\.2), [true])
    XCTAssertFalse(index.reachableObjects.contains(try f.blobID("amended-away secret\n")))
    // Same check with unreachable walking off: nothing known about the blob.
    let reachableOnly = try f.open().walkHistory(HistoryWalkOptions(includeUnreachable: false))
    XCTAssertTrue(reachableOnly.introductions(of: try f.blobID("amended-away secret\n")).isEmpty)
    XCTAssertTrue(reachableOnly.unreachableCommits.isEmpty)
  }

  func testBlobPresentInManyCommitsIsIntroducedOnce() throws {
    let f = try GitFixture()
    try f.write("stable.txt", "stable secret\n")
    try f.write("counter.txt", "0\n")
    let first = try f.commitID("c0")
    for i in 1..<100 {
      try f.write("counter.txt", "\(i)\n")
      try f.git("commit", "-q", "-a", "-m", "c\(i)")
      f.clock += 60
    }
    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.commits.count, 100)
    let intros = index.introducers(of: try f.blobID("stable secret\n"))
    XCTAssertEqual(intros.count, 1)
    XCTAssertEqual(intros.first?.0, first)
    // Parents come before children.
    var position: [ObjectID: Int] = [:]
    for (i, c) in index.commits.enumerated() { position[c.id] = i }
    for c in index.commits { for p in c.parents { XCTAssertLessThan(position[p]!, position[c.id]!) } }
    XCTAssertEqual(index.introducedBlobs.count, 101)
  }

  func testMergeDoesNotReintroduceSideBranchBlobs() throws {
    let f = try GitFixture()
    try f.write("base.txt", "base\n")
    try f.commitID("base")
    try f.git("checkout", "-q", "-b", "side")
    try f.write("side.txt", "side secret\n")
    let sideCommit = try f.commitID("side")
    try f.git("checkout", "-q", "main")
    try f.write("main.txt", "main change\n")
    let mainCommit = try f.commitID("main")
    try f.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    let merge = try f.head()

    // With the side commit excluded by `since`, only the merge filter keeps side.txt out.
    let recent = try f.open().walkHistory(HistoryWalkOptions(since: f.clock - 60))
    XCTAssertEqual(recent.commits.map(\.id), [mainCommit, merge])
    XCTAssertTrue(recent.introductions(of: try f.blobID("side secret\n")).isEmpty)
    XCTAssertEqual(recent.introducers(of: try f.blobID("main change\n")).map(\.0), [mainCommit])

    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.introducers(of: try f.blobID("side secret\n")).map(\.0), [sideCommit])
    let mergeIndex = try XCTUnwrap(index.commits.firstIndex { $0.id == merge })
    XCTAssertEqual(index.commits[mergeIndex].parents.count, 2)
    for blob in index.introducedBlobs {
      XCTAssertFalse(
        index.introductions(of: blob).contains { $0.commit == mergeIndex },
        "merge re-introduced \(blob)")
    }
  }

  func testMergeWithResolutionIntroducesNewContent() throws {
    let f = try GitFixture()
    XCTAssertNotEqual(
      try f.mergeConflict(at: "conf.txt", base: "v=1\n", ours: "v=main\n", theirs: "v=side\n").status, 0)
    try f.write("conf.txt", "v=resolved-secret\n")
    let merge = try f.commitID("merge with resolution")
    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.introducers(of: try f.blobID("v=resolved-secret\n")).map(\.0), [merge])
  }

  func testRenameGivesNewPathIntroduction() throws {
    let f = try GitFixture()
    try f.write("old/name.txt", "renamed secret\n")
    let first = try f.commitID("add")
    try f.git("mv", "old", "new")
    let second = try f.commitID("rename")
    let intros = try f.open().walkHistory(HistoryWalkOptions()).introducers(of: try f.blobID("renamed secret\n"))
    XCTAssertEqual(intros.map(\.0), [first, second])
    XCTAssertEqual(intros.map(\.1), ["old/name.txt", "new/name.txt"])
  }

  func testRangeAndSince() throws {
    let f = try GitFixture()
    try f.write("one.txt", "one\n")
    let c1 = try f.commitID("one")
    try f.write("two.txt", "two\n")
    let c2 = try f.commitID("two")
    try f.write("three.txt", "three\n")
    let c3 = try f.commitID("three")
    let repo = try f.open()

    let range = try repo.walkHistory(HistoryWalkOptions(selection: .range("\(c1.hex)..main")))
    XCTAssertEqual(range.commits.map(\.id), [c2, c3])
    XCTAssertEqual(range.reachableCommits, [c2, c3])
    XCTAssertTrue(range.introductions(of: try f.blobID("one\n")).isEmpty)
    XCTAssertEqual(range.introducers(of: try f.blobID("two\n")).map(\.0), [c2])

    let c2Time = range.commits[0].committer.time
    let since = try repo.walkHistory(HistoryWalkOptions(since: c2Time))
    XCTAssertEqual(since.commits.map(\.id), [c2, c3])
    XCTAssertTrue(since.introductions(of: try f.blobID("one\n")).isEmpty)
    XCTAssertEqual(since.introducers(of: try f.blobID("three\n")).map(\.0), [c3])
    XCTAssertEqual(since.reachableCommits, [c1, c2, c3])

    let single = try repo.walkHistory(HistoryWalkOptions(selection: .range("HEAD~1")))
    XCTAssertEqual(single.commits.map(\.id), [c1, c2])
    XCTAssertThrowsError(try repo.walkHistory(HistoryWalkOptions(selection: .range("nope..main"))))
  }

  func testWantedBlobsLimitsRecording() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.write("b.txt", "b\n")
    try f.commitID("ab")
    let wanted = try f.blobID("b\n")
    let index = try f.open().walkHistory(HistoryWalkOptions(wantedBlobs: [wanted]))
    XCTAssertEqual(index.introducedBlobs, [wanted])
    XCTAssertTrue(index.introductions(of: try f.blobID("a\n")).isEmpty)
    XCTAssertTrue(index.reachableObjects.contains(try f.blobID("a\n")))
  }

  /// A walk of the new commits only (`.after`) introduces the wanted blobs exactly where the walk
  /// of the whole history says those commits did: a secret copied to a new folder, a new one deep
  /// in an old folder, one on a new branch and one in a merge; an unwanted blob nowhere; an old
  /// secret left where it was, nowhere new.
  func testNewCommitsWalkIntroducesWhatTheWholeWalkSaysTheyDid() throws {
    let f = try GitFixture()
    try f.write("src/deep/old.env", "old secret\n")
    try f.write("src/readme.txt", "readme\n")
    let base = try f.commitID("base")
    try f.write("copy/again.env", "old secret\n")
    try f.write("src/deep/new.env", "new secret\n")
    try f.write("src/readme.txt", "readme 2\n")
    try f.commitID("copy and add")
    try f.git("checkout", "-q", "-b", "side", base.hex)
    try f.write("side/s.env", "side secret\n")
    try f.commitID("side")
    try f.git("checkout", "-q", "main")
    try f.git("merge", "-q", "--no-edit", "side")
    let wanted: Set<ObjectID> = [
      try f.blobID("old secret\n"), try f.blobID("new secret\n"), try f.blobID("side secret\n"),
    ]
    let repo = try f.open()
    let whole = try repo.walkHistory(HistoryWalkOptions(wantedBlobs: wanted))
    let new = try repo.walkHistory(HistoryWalkOptions(selection: .after(known: [base]), wantedBlobs: wanted))
    func places(_ index: HistoryIndex, excluding: ObjectID?) -> Set<String> {
      var result = Set<String>()
      for blob in index.introducedBlobs {
        for intro in index.introductions(of: blob) where index.commits[intro.commit].id != excluding {
          result.insert("\(blob.hex) \(intro.path) \(index.commits[intro.commit].id.hex)")
        }
      }
      return result
    }
    XCTAssertEqual(places(new, excluding: nil), places(whole, excluding: base))
    XCTAssertEqual(places(new, excluding: nil).count, 3)
    XCTAssertFalse(new.introducedBlobs.contains(try f.blobID("readme 2\n")))
  }

  func testReachableObjectsMatchRevList() throws {
    let f = try GitFixture()
    try f.write("src/a.txt", "a\n")
    try f.write("src/deep/b.txt", "b\n")
    try f.commitID("one")
    try f.git("tag", "-a", "v1", "-m", "v1")
    try f.write("src/deep/b.txt", "b2\n")
    try f.commitID("two")
    try f.git("checkout", "-q", "-b", "side")
    try f.write("side.txt", "side\n")
    try f.commitID("side")
    try f.git("checkout", "-q", "main")
    try f.write("wip.txt", "wip\n")
    try f.git("stash", "push", "-q", "-u")
    let blobTag = try f.git("hash-object", "-w", "--stdin", input: "tagged blob\n")
    try f.git("tag", "blobtag", blobTag)
    try f.git("notes", "add", "-m", "a note", "HEAD")

    let expected = Set(
      try f.git("rev-list", "--objects", "--all").split(separator: "\n")
        .compactMap { ObjectID(hex: String($0.prefix(40))) })
    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(Set(index.reachableObjects), expected)
    XCTAssertTrue(index.reachableObjects.contains(ObjectID(hex: blobTag)!))
    XCTAssertNotNil(index.refTargets["refs/notes/commits"])
    XCTAssertTrue(index.introductions(of: ObjectID(hex: blobTag)!).isEmpty)
  }

  func testDetachedHeadCommitIsWalked() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitID("base")
    try f.git("checkout", "-q", "--detach")
    try f.write("detached.txt", "detached secret\n")
    let detached = try f.commitID("detached")
    let index = try f.open().walkHistory(HistoryWalkOptions())
    XCTAssertEqual(index.refTargets["HEAD"], detached)
    XCTAssertEqual(index.introducers(of: try f.blobID("detached secret\n")).map(\.2), [false])
  }
}
