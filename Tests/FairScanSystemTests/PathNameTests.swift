import FairScanSystem
import Foundation
import XCTest

final class PathNameTests: XCTestCase {
  func testStandardizesByComponents() {
    XCTAssertEqual(PathName.absolute("/"), "/")
    XCTAssertEqual(PathName.absolute("//a///b/"), "/a/b")
    XCTAssertEqual(PathName.absolute("/a/./b/../c"), "/a/c")
    XCTAssertEqual(PathName.absolute("/.."), "/", "nothing above the root")
    XCTAssertEqual(PathName.absolute("/a/../../b"), "/b")
    XCTAssertEqual(PathName.absolute("/a b/ü/.git"), "/a b/ü/.git")
  }

  func testARelativePathIsTakenFromTheCurrentFolder() {
    let folder = FileManager.default.currentDirectoryPath
    XCTAssertEqual(PathName.absolute("."), folder)
    XCTAssertEqual(PathName.absolute("a/b/.."), folder == "/" ? "/a" : folder + "/a")
  }

  func testParents() {
    XCTAssertEqual(PathName.parent(of: "/a/b"), "/a")
    XCTAssertEqual(PathName.parent(of: "/a"), "/")
    XCTAssertNil(PathName.parent(of: "/"))
  }

  /// `a//..` is `a/..`, the folder itself, as the system resolves it. (Foundation's `URL` takes the
  /// empty component for one that `..` removes, and says `a`.)
  func testAnEmptyComponentIsNoComponent() {
    XCTAssertEqual(PathName.absolute("/x/a//.."), "/x")
    XCTAssertEqual(PathName.absolute("/x/a//../b"), "/x/b")
  }

  /// The same answers as Foundation's `URL(fileURLWithPath:).standardizedFileURL.path`, which it
  /// replaces, on paths built from every kind of component but the empty one (above).
  func testAgreesWithFoundationOnGeneratedPaths() {
    let components = ["a", "b c", ".", "..", "ü", ".git", "..."]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      let count = Int.random(in: 0...6, using: &generator)
      let parts = (0..<count).map { _ in components.randomElement(using: &generator)! }
      let absolute = "/" + parts.joined(separator: "/") + (Bool.random(using: &generator) ? "/" : "")
      let relative = parts.joined(separator: "/")
      for path in [absolute, relative] where !path.isEmpty {
        let foundation = URL(fileURLWithPath: path).standardizedFileURL.path
        XCTAssertEqual(PathName.absolute(path), foundation, "path '\(path)'")
      }
    }
  }
}
