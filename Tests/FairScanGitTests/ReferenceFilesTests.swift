import XCTest
@testable import FairScanGit

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

final class ReferenceFilesTests: XCTestCase {
  /// Each kind of `packed-refs` line: entries (with a carriage return, spaces around, a
  /// non-ASCII name), what is skipped (header, comment, peel lines, empty lines) and what is
  /// corrupt (a short or non-hex id, a name outside `refs/`, two spaces, a bad peel line, no name).
  func testPackedRefsLinesAreReadOrSkippedOrNamedCorrupt() {
    let a = String(repeating: "a1", count: 20), b = String(repeating: "B2", count: 20)
    let text =
      [
        "# pack-refs with: peeled fully-peeled sorted ",  // 1
        "\(a) refs/heads/main",  // 2
        "^\(b)",  // 3
        "",  // 4
        "  \(b) refs/tags/v1.0\r",  // 5
        "\(a) refs/heads/caf\u{e9}",  // 6
        "\(a.dropLast()) refs/heads/short",  // 7
        "\(a.dropLast())g refs/heads/nothex",  // 8
        "\(a) heads/outside",  // 9
        "\(a)  refs/heads/two-spaces",  // 10
        "^not-an-id",  // 11
        "\(a)",  // 12
        "\t",  // 13
      ].joined(separator: "\n") + "\n"
    let files = ReferenceFiles(loose: ["refs/heads/loose"], packedRefs: Data(text.utf8))
    XCTAssertEqual(files.loose, ["refs/heads/loose"])
    XCTAssertEqual(files.packed.map(\.name), ["refs/heads/main", "refs/tags/v1.0", "refs/heads/caf\u{e9}"])
    XCTAssertEqual(files.packed.map(\.id), [ObjectID(hex: a)!, ObjectID(hex: b)!, ObjectID(hex: a)!])
    XCTAssertEqual(files.corruptPackedLines, [7, 8, 9, 10, 11, 12])
  }

  func testEmptyOrUnterminatedPackedRefs() {
    XCTAssertTrue(ReferenceFiles(loose: [], packedRefs: Data()).packed.isEmpty)
    XCTAssertTrue(ReferenceFiles(loose: [], packedRefs: Data()).corruptPackedLines.isEmpty)
    let a = String(repeating: "0f", count: 20)
    let files = ReferenceFiles(loose: [], packedRefs: Data("garbage\n\(a) refs/heads/last".utf8))
    XCTAssertEqual(files.packed.map(\.name), ["refs/heads/last"])
    XCTAssertEqual(files.corruptPackedLines, [1])
  }
}
