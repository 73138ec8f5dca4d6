import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class RepositoryTests: XCTestCase {
  func testNonRepositoryPathsThrow() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-norepo-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    XCTAssertThrowsError(try Repository(path: dir)) { error in
      let e = error as? GitError
      XCTAssertEqual(e?.function, "git_repository_open_ext")
      XCTAssertTrue(e?.message.contains(dir) ?? false, e?.message ?? "")
      XCTAssertTrue(e?.message.contains("not a git repository") ?? false)
    }
    XCTAssertThrowsError(try Repository(path: dir + "/missing/deeper")) { error in
      XCTAssertLessThan((error as? GitError)?.code ?? 0, 0)
      XCTAssertTrue((error as? GitError)?.message.contains("no such file or directory") ?? false)
    }
    XCTAssertThrowsError(try ObjectReader(gitDirectory: dir))
  }

  /// Commands start libgit2's set-up on a thread of their own and open the repository at once:
  /// the opening waits for the set-up, however many were started.
  func testInitializeInBackgroundThenOpen() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "a\n")
    let commit = try repo.commitID("first")
    for _ in 0..<4 { LibGit2.initializeInBackground() }
    XCTAssertEqual(try repo.open().headCommit(), commit)
    LibGit2.waitForBackgroundInitialization()  // as the command line does before it exits
  }

  func testOpenFromWorkTreeSubfolderAndBare() throws {
    let f = try GitFixture()
    try f.write("sub/dir/file.txt", "x\n")
    let head = try f.commitID("one")
    let fromSub = try Repository(path: f.path + "/sub/dir")
    let realPath = URL(fileURLWithPath: f.path).resolvingSymlinksInPath().path
    XCTAssertEqual(fromSub.workingDirectory, realPath)
    XCTAssertEqual(fromSub.gitDirectory, realPath + "/.git")
    XCTAssertEqual(fromSub.headCommit(), head)
    XCTAssertFalse(fromSub.isShallow)
    XCTAssertEqual(fromSub.shallowBoundaries(), [])

    let bareDir = f.root + "/bare.git"
    _ = try GitFixture.run(["clone", "-q", "--bare", f.path, bareDir], in: f.root)
    let bare = try Repository(path: bareDir)
    XCTAssertNil(bare.workingDirectory)
    XCTAssertTrue(bare.isBare)
    XCTAssertEqual(bare.headCommit(), head)
    XCTAssertEqual(try bare.walkHistory().commits.map(\.id), [head])
  }

  func testUnbornHead() throws {
    let f = try GitFixture()
    let repo = try f.open()
    XCTAssertNil(repo.headCommit())
    let index = try repo.walkHistory()
    XCTAssertTrue(index.commits.isEmpty)
    XCTAssertTrue(index.refTargets.isEmpty)
    XCTAssertEqual(try repo.listAllObjects().ids, [])
  }

  func testBlobsAtCommitIsRecursiveAndSkipsGitlinks() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.write("dir/b.txt", "b\n")
    try f.write("dir/deeper/c.txt", "c\n")
    try f.git("add", "-A")
    try f.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,vendor/sub")
    try f.git("commit", "-q", "-m", "with gitlink")
    let repo = try f.open()
    let blobs = try repo.blobs(atCommit: try f.head())
    XCTAssertEqual(
      blobs,
      [
        "a.txt": try f.blobID("a\n"), "dir/b.txt": try f.blobID("b\n"),
        "dir/deeper/c.txt": try f.blobID("c\n"),
      ])
    let index = try repo.walkHistory()
    XCTAssertEqual(Set(index.introducedBlobs), Set(blobs.values))
    XCTAssertThrowsError(try repo.blobs(atCommit: try f.blobID("a\n")))
  }

  /// The lookup of a few paths answers as the whole map does for them: nested files, a symlink and
  /// a non-ASCII name are found; a folder, a submodule and a missing path are left out.
  func testBlobsAtPathsEqualTheWholeMapForThosePaths() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.write("dir/deeper/c.txt", "c\n")
    try f.write("dir/café.txt", "é\n")
    try f.git("add", "-A")
    let target = try f.git("hash-object", "-w", "--stdin", input: "a.txt").trimmingCharacters(
      in: .whitespacesAndNewlines)
    try f.git("update-index", "--add", "--cacheinfo", "120000,\(target),link")
    try f.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,vendor/sub")
    try f.git("commit", "-q", "-m", "paths")
    let repo = try f.open()
    let head = try f.head()
    let whole = try repo.blobs(atCommit: head)
    let asked = ["dir/deeper/c.txt", "link", "dir/café.txt", "a.txt", "dir", "dir/deeper", "vendor/sub", "nope.txt"]
    let found = try repo.blobs(atCommit: head, paths: asked)
    XCTAssertEqual(found, whole.filter { asked.contains($0.key) })
    XCTAssertEqual(Set(found.keys), ["dir/deeper/c.txt", "link", "dir/café.txt", "a.txt"])
    XCTAssertEqual(try repo.blobs(atCommit: head, paths: [String]()), [:])
    XCTAssertThrowsError(try repo.blobs(atCommit: try f.blobID("a\n"), paths: ["a.txt"]))
  }

  func testResolveCommit() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    let c1 = try f.commitID("one")
    try f.write("a.txt", "b\n")
    let c2 = try f.commitID("two")
    try f.git("tag", "-a", "v1", "-m", "v1", c1.hex)
    let repo = try f.open()
    XCTAssertEqual(try repo.resolveCommit("HEAD"), c2)
    XCTAssertEqual(try repo.resolveCommit("main~1"), c1)
    XCTAssertEqual(try repo.resolveCommit("v1"), c1)
    XCTAssertEqual(try repo.resolveCommit(String(c2.hex.prefix(10))), c2)
    XCTAssertThrowsError(try repo.resolveCommit("no-such-branch")) { error in
      XCTAssertEqual((error as? GitError)?.function, "git_revparse_single")
    }
    XCTAssertThrowsError(try repo.resolveCommit("HEAD^{tree}"))
  }

  func testShallowClone() throws {
    let f = try GitFixture()
    try f.write("old.txt", "old secret\n")
    try f.commitID("one")
    try f.write("new.txt", "new\n")
    let head = try f.commitID("two")
    let clone = f.root + "/shallow"
    _ = try GitFixture.run(["clone", "-q", "--depth", "1", "file://" + f.path, clone], in: f.root)
    let repo = try Repository(path: clone)
    XCTAssertTrue(repo.isShallow)
    XCTAssertEqual(repo.shallowBoundaries(), [head])
    let index = try repo.walkHistory()
    XCTAssertEqual(index.commits.map(\.id), [head])
    // The boundary acts as a root: everything in its tree is introduced by it.
    XCTAssertEqual(index.introducers(of: try f.blobID("old secret\n")).map(\.0), [head])
    XCTAssertEqual(index.introducers(of: try f.blobID("new\n")).map(\.0), [head])
    XCTAssertTrue(index.unreachableCommits.isEmpty)
  }

  func testLibGit2InitializeIsIdempotent() {
    LibGit2.initialize()
    LibGit2.initialize()
    XCTAssertTrue(GitLibraryVersions.libgit2.hasPrefix("1."))
  }

  /// libgit2 starts without parsing the CA bundle: mbedTLS's parser is bound to fairscan's
  /// definition, and libgit2 still opens and reads repositories (every other test).
  func testLibGit2StartsWithoutParsingTheCABundle() {
    LibGit2.initialize()
    XCTAssertTrue(LibGit2.skipsCABundle)
  }
}

final class IndexEntriesTests: XCTestCase {
  func testStagedBlobsWithPathsAndStages() throws {
    let f = try GitFixture()
    try f.write("a.txt", "one\n")
    try f.commitID("init")
    try f.write("dir/b.txt", "two\n")
    try f.git("add", "dir/b.txt")
    let entries = try f.open().indexEntries()
    XCTAssertEqual(entries.map(\.path), ["a.txt", "dir/b.txt"])
    XCTAssertEqual(entries.last?.blob, try f.blobID("two\n"))
    XCTAssertEqual(Set(entries.map(\.stage)), [0])
  }

  func testBareRepositoryHasNoIndexEntries() throws {
    let f = try GitFixture(bare: true)
    XCTAssertEqual(try f.open().indexEntries(), [])
  }
}
