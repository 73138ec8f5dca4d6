import XCTest

@testable import FairScanKit

final class GlobTests: XCTestCase {
  func check(_ pattern: String, matches: [String], not: [String], line: UInt = #line) {
    let glob = Glob(pattern)
    for path in matches { XCTAssertTrue(glob.matches(path), "\(pattern) should match \(path)", line: line) }
    for path in not { XCTAssertFalse(glob.matches(path), "\(pattern) should not match \(path)", line: line) }
  }

  func testStarStaysInASegment() {
    check("src/*.js", matches: ["src/a.js", "src/.js", "./src/a.js"], not: ["src/a.ts", "lib/src/a.js", "srca.js"])
    check("src/*", matches: ["src/a", "src/a/b.js"], not: ["src", "lib/src/a"])
  }

  func testBasenamePatternsMatchAtAnyDepth() {
    check("*.min.js", matches: ["a.min.js", "x/y/a.min.js"], not: ["a.js", "min.js.map"])
    check("package-lock.json", matches: ["package-lock.json", "web/package-lock.json"], not: ["package-lock.json5"])
    check("vendor", matches: ["vendor", "vendor/a.go", "x/vendor/a/b.go"], not: ["vendors/a.go", "myvendor/a"])
  }

  func testDoubleStar() {
    check("**/*.min.js", matches: ["a.min.js", "a/b/c.min.js"], not: ["a/b/c.js"])
    check("vendor/**", matches: ["vendor/a", "vendor/a/b/c"], not: ["x/vendor/a", "vendorx/a"])
    check("a/**/b", matches: ["a/b", "a/x/b", "a/x/y/b", "a/x/b/c.txt"], not: ["a/x/c", "x/a/b", "ab"])
    check("**/test/**", matches: ["test/a", "x/test/y/z"], not: ["tests/a", "x/latest/y"])
    check("a/**/b/**/c", matches: ["a/b/c", "a/1/b/2/3/c"], not: ["a/c/b", "a/b"])
  }

  func testQuestionMarkAndClasses() {
    check("file?.txt", matches: ["file1.txt", "d/fileA.txt"], not: ["file.txt", "file12.txt"])
    check("[abc].py", matches: ["a.py", "x/c.py"], not: ["d.py", "ab.py"])
    check("log[0-9].txt", matches: ["log3.txt"], not: ["logx.txt"])
    check("[!a-c]*.md", matches: ["d.md", "readme.md"], not: ["a.md", "b1.md"])
    check("[^a-c]*.md", matches: ["d.md"], not: ["c.md"])
    check("[]x].txt", matches: ["].txt", "x.txt"], not: ["y.txt"])
    check("a[.txt", matches: ["a[.txt"], not: ["a.txt"])
    check(#"\*.txt"#, matches: ["*.txt"], not: ["a.txt"])
  }

  func testAnchoringAndTrailingSlash() {
    check("/build", matches: ["build", "build/out.o"], not: ["src/build"])
    check("docs/", matches: ["docs/a.md", "x/docs/a.md"], not: ["docs.md"])
    check("docs/api/", matches: ["docs/api/a.md"], not: ["x/docs/api/a.md"])
  }

  func testNonASCIIPaths() {
    check("*.txt", matches: ["café/naïve.txt"], not: ["café/naïve.md"])
    check("caf?/x", matches: ["cafe/x"], not: ["café/x"])  // '?' is one byte; é is two
  }

  func testPathFilter() {
    XCTAssertTrue(PathFilter().allows("anything/at/all"))
    let filter = PathFilter(include: ["**/*.py", "*.env"], exclude: ["tests/**"])
    XCTAssertTrue(filter.allows("app/main.py"))
    XCTAssertTrue(filter.allows(".env"))
    XCTAssertFalse(filter.allows("app/main.js"))
    XCTAssertFalse(filter.allows("tests/test_main.py"))
    XCTAssertFalse(PathFilter(exclude: ["*.lock"]).allows("deps/Cargo.lock"))
    XCTAssertTrue(PathFilter(exclude: ["*.lock"]).allows("deps/Cargo.toml"))
  }
}
