import FairScanSystem
import Foundation
import XCTest

final class FileReplacementTests: XCTestCase {
  var folder: String!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-replace-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: folder)
  }

  func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }
  func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }
  func permissions(_ path: String) throws -> UInt32 {
    try FileStatus(path: path, followingSymlinks: false).permissions
  }

  func testReplacesTheFileWholeAndLeavesNothingElseBehind() throws {
    let path = folder + "/report.json"
    XCTAssertEqual(try FileReplacement.write(Array("first".utf8), to: path, permissions: .create(0o644)), .replaced)
    XCTAssertEqual(contents(path), Array("first".utf8))
    XCTAssertEqual(
      try FileReplacement.write(Array("second, longer".utf8), to: path, permissions: .create(0o644)), .replaced)
    XCTAssertEqual(contents(path), Array("second, longer".utf8))
    XCTAssertEqual(try FileReplacement.write([], to: path, permissions: .create(0o644)), .replaced)
    XCTAssertEqual(contents(path), [])
    XCTAssertEqual(try names(), ["report.json"], "no new file is left beside it")
  }

  func testPermissionsAreCreatedLessTheUmaskExactOrKeptFromTheReplacedFile() throws {
    let saved = umask(0o077)
    defer { umask(saved) }
    let created = folder + "/created"
    try FileReplacement.write([1], to: created, permissions: .create(0o666))
    XCTAssertEqual(try permissions(created), 0o600, "the umask applies")

    let exact = folder + "/hook"
    try FileReplacement.write([1], to: exact, permissions: .exactly(0o755))
    XCTAssertEqual(try permissions(exact), 0o755, "the umask does not apply")

    let kept = folder + "/kept"
    try FileReplacement.write([1], to: kept, permissions: .keep(orCreate: 0o666))
    XCTAssertEqual(try permissions(kept), 0o600, "nothing to keep: created, less the umask")
    XCTAssertEqual(chmod(kept, 0o640), 0)
    try FileReplacement.write([2], to: kept, permissions: .keep(orCreate: 0o666))
    XCTAssertEqual(try permissions(kept), 0o640, "the replaced file's permissions")
    XCTAssertEqual(contents(kept), [2])
  }

  func testADeclinedFileLeavesTheOldOneAsItWas() throws {
    let path = folder + "/record"
    try FileReplacement.write(Array("old".utf8), to: path, permissions: .create(0o600))
    var seen: FileStatus? = nil
    let outcome = try FileReplacement.write(Array("newer".utf8), to: path, permissions: .create(0o600)) {
      seen = $0
      return false
    }
    XCTAssertEqual(outcome, .declined)
    XCTAssertEqual(seen?.kind, .regular)
    XCTAssertEqual(seen?.size, 5, "accept sees the new file, written whole")
    XCTAssertGreaterThan(seen?.changedSeconds ?? 0, 0)
    XCTAssertEqual(contents(path), Array("old".utf8))
    XCTAssertEqual(try names(), ["record"])
  }

  func testASymlinkAtThePathIsReplacedAndItsTargetLeftAlone() throws {
    let target = folder + "/target"
    try FileReplacement.write(Array("target".utf8), to: target, permissions: .create(0o644))
    let link = folder + "/link"
    XCTAssertEqual(symlink(target, link), 0)
    try FileReplacement.write(Array("new".utf8), to: link, permissions: .keep(orCreate: 0o644))
    XCTAssertEqual(try FileStatus(path: link, followingSymlinks: false).kind, .regular)
    XCTAssertEqual(contents(link), Array("new".utf8))
    XCTAssertEqual(contents(target), Array("target".utf8))
  }

  func testAFailureThrowsItsErrorAndLeavesNothingBehind() throws {
    XCTAssertThrowsError(
      try FileReplacement.write([1], to: folder + "/missing/file", permissions: .create(0o644))
    ) { error in
      XCTAssertEqual((error as? SystemError)?.code, ENOENT)
    }
    // A folder where the file should be: the new file is written, the rename fails.
    let occupied = folder + "/occupied"
    try FileManager.default.createDirectory(atPath: occupied + "/inside", withIntermediateDirectories: true)
    XCTAssertThrowsError(try FileReplacement.write([1], to: occupied, permissions: .create(0o644))) { error in
      XCTAssertNotNil(error as? SystemError)
    }
    XCTAssertEqual(try names(), ["occupied"], "the new file is removed")
  }
}
