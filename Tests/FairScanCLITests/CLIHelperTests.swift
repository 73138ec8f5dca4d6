import FairScanGit
import FairScanKit
import Foundation
import XCTest
@testable import FairScanCLI

/// The CLI's small helpers called directly (the binary tests reach them only through whole runs).
final class DateParserTests: XCTestCase {
  /// 2026-12-06T12:00:00Z.
  let now = Date(timeIntervalSince1970: 1_796_558_400)

  func testUnixSecondsAndRelativeDates() {
    XCTAssertEqual(DateParser.unixSeconds("1700000000", now: now), 1_700_000_000)
    XCTAssertEqual(DateParser.unixSeconds("0", now: now), 0)
    XCTAssertEqual(DateParser.unixSeconds("yesterday", now: now), 1_796_558_400 - 86_400)
    XCTAssertEqual(DateParser.unixSeconds("Yesterday", now: now), 1_796_558_400 - 86_400)
    XCTAssertEqual(DateParser.unixSeconds("3 days ago", now: now), 1_796_558_400 - 3 * 86_400)
    XCTAssertEqual(DateParser.unixSeconds("1 day ago", now: now), 1_796_558_400 - 86_400)
    XCTAssertEqual(DateParser.unixSeconds("2 Weeks Ago", now: now), 1_796_558_400 - 2 * 604_800)
    XCTAssertEqual(DateParser.unixSeconds("0 seconds ago", now: now), 1_796_558_400)
    XCTAssertEqual(DateParser.unixSeconds("1 year ago", now: now), 1_796_558_400 - 31_536_000)
  }

  func testCalendarDatesAreUTC() {
    XCTAssertEqual(DateParser.unixSeconds("2023-11-14", now: now), 1_699_920_000)
    XCTAssertEqual(DateParser.unixSeconds("2023-11-14T22:13:20", now: now), 1_700_000_000)
    XCTAssertEqual(DateParser.unixSeconds("2023-11-14 22:13:20", now: now), 1_700_000_000)
    XCTAssertEqual(DateParser.unixSeconds("2023-11-14T23:13:20+01:00", now: now), 1_700_000_000)
    XCTAssertEqual(DateParser.unixSeconds("2023-11-14T22:13:20Z", now: now), 1_700_000_000)
  }

  func testBadDatesAreNil() {
    for text in [
      "", " ", "soon", "tomorrow", "3 days", "days ago", "three days ago", "-3 days ago", "3 fortnights ago",
      "3 days from now", "2023-11-14T", "14/11/2023", "2023-13-45", "2023-02-30", "2023-11-14T25:00:00",
      "2023-11-14garbage", "1.5", "99999999999999999999",
    ] {
      XCTAssertNil(DateParser.unixSeconds(text, now: now), "'\(text)'")
    }
  }

  func testAnAgeTooLargeToCountIsNilNotACrash() {
    // n × seconds-per-unit overflows Int64: the flag is refused, the process does not trap.
    XCTAssertNil(DateParser.unixSeconds("9223372036854775807 years ago", now: now))
    XCTAssertNil(DateParser.unixSeconds("300000000000 years ago", now: now))
    XCTAssertEqual(DateParser.unixSeconds("1000 years ago", now: now), 1_796_558_400 - 1000 * 31_536_000)
  }
}

final class PushLineTests: XCTestCase {
  let a = String(repeating: "a", count: 40)
  let b = String(repeating: "b", count: 40)
  let zero = String(repeating: "0", count: 40)

  func testParsesGitsLines() throws {
    let lines = try PushLine.parse(
      Data("refs/heads/main \(a) refs/heads/main \(b)\nrefs/heads/new \(b) refs/heads/new \(zero)\n".utf8))
    XCTAssertEqual(
      lines,
      [
        PushLine(localRef: "refs/heads/main", localSHA: a, remoteRef: "refs/heads/main", remoteSHA: b),
        PushLine(localRef: "refs/heads/new", localSHA: b, remoteRef: "refs/heads/new", remoteSHA: zero),
      ])
    XCTAssertFalse(lines[0].isNewRef)
    XCTAssertFalse(lines[0].isDeletion)
    XCTAssertTrue(lines[1].isNewRef)
  }

  func testADeletionSendsNothing() throws {
    let lines = try PushLine.parse(Data("(delete) \(zero) refs/heads/old \(a)\n".utf8))
    XCTAssertEqual(lines.count, 1)
    XCTAssertTrue(lines[0].isDeletion)
    XCTAssertFalse(lines[0].isNewRef)
  }

  func testSHA256IdsBlankLinesAndCRLF() throws {
    let long = String(repeating: "c", count: 64)
    let lines = try PushLine.parse(Data("\n  \r\nrefs/heads/x \(long) refs/heads/x \(zero)\r\n\n".utf8))
    XCTAssertEqual(
      lines, [PushLine(localRef: "refs/heads/x", localSHA: long, remoteRef: "refs/heads/x", remoteSHA: zero)])
    XCTAssertEqual(try PushLine.parse(Data()), [])
  }

  func testMalformedLinesAreUsageErrors() {
    for text in [
      "refs/heads/main \(a) refs/heads/main",  // three fields
      "refs/heads/main \(a) refs/heads/main \(b) extra",  // five
      "refs/heads/main \(a.prefix(39)) refs/heads/main \(b)",  // short id
      "refs/heads/main \(String(repeating: "g", count: 40)) refs/heads/main \(b)",  // not hex
    ] {
      XCTAssertThrowsError(try PushLine.parse(Data(text.utf8)), text) { error in
        let failure = error as? CommandFailure
        XCTAssertEqual(failure?.code, ExitStatus.usage)
        XCTAssertTrue(failure?.message.hasPrefix("pre-push: stdin line is not") == true, failure?.message ?? "\(error)")
      }
    }
  }

  func testAnEscapeInABadLineIsShownEscaped() {
    XCTAssertThrowsError(try PushLine.parse(Data("\u{1b}[31mred \(a)\n".utf8))) { error in
      let message = (error as? CommandFailure)?.message ?? ""
      XCTAssertFalse(message.contains("\u{1b}"), message)
      XCTAssertTrue(message.contains("\\u{1b}[31mred"), message)
    }
  }
}

final class SummaryLineTests: XCTestCase {
  func testAnEmptyScanSaysZeroFiles() {
    XCTAssertEqual(
      SummaryLine.make(ScanSummary()), "fairscan: scanned 0 files (0.00 MiB) in 0.00s (0.00 MiB/s); 0 findings")
  }

  func testCountsSingularAndPlural() {
    XCTAssertEqual(SummaryLine.count(0, "key"), "0 keys")
    XCTAssertEqual(SummaryLine.count(1, "key"), "1 key")
    XCTAssertEqual(SummaryLine.count(2, "live key"), "2 live keys")
  }

  func testEveryPartInItsPlace() {
    var s = ScanSummary()
    s.blobsScanned = 1
    s.commitsScanned = 2
    s.filesScanned = 0
    s.bytesScanned = 3 * 1_048_576
    s.elapsedSeconds = 1.5
    s.findings = 1
    s.suppressed = 2
    s.belowMinimumSeverity = 4
    s.skipped = [
      SkippedItem(path: "a.bin", reason: .tooLarge, size: 200 * 1_048_576),
      SkippedItem(path: "b.bin", reason: .tooLarge, size: 1_048_576),
      SkippedItem(path: "c.bin", reason: .tooLarge, size: 0),
      SkippedItem(path: "d.bin", reason: .tooLarge, size: 5),
      SkippedItem(path: "fifo", reason: .unreadable),
    ]
    s.notes = ["1 known secret moved"]
    s.cachedObjects = 7
    s.incomplete = ["one", "two"]
    XCTAssertEqual(
      SummaryLine.make(s),
      "fairscan: scanned 1 blob, 2 commits (3.00 MiB) in 1.50s (2.00 MiB/s); 1 finding; 2 suppressed; 4 below --min-severity; "
        + "5 skipped (too large: a.bin 200.00 MiB, b.bin 1.00 MiB, c.bin 0.00 MiB, …); 1 known secret moved; "
        + "7 objects known from the scan cache; INCOMPLETE: one; two")
  }

  func testFilesAreNamedWhenScannedBesideBlobs() {
    var s = ScanSummary()
    s.blobsScanned = 2
    s.filesScanned = 1
    XCTAssertTrue(SummaryLine.make(s).hasPrefix("fairscan: scanned 2 blobs, 1 file (0.00 MiB)"), SummaryLine.make(s))
  }
}

final class ShellQuoteTests: XCTestCase {
  func testSafePathsStayBare() {
    for path in ["src/a.txt", "config/prod.env", "a_b-c.d/e+f=g:h@i%j", "./x"] {
      XCTAssertEqual(ShellQuote.quote(path), path)
    }
  }

  func testEverythingElseIsQuotedAndReadsBackExactly() throws {
    let paths = [
      "", "-rf", "it's", "'", "''", "a b", "$HOME", "`id`", "a\\b", "a\"b", "semi;colon", "star*", "café.txt",
      "new\nline", "tab\there", "cr\rhere", "esc\u{1b}[31m", "bidi\u{202E}txt.exe", "!bang",
    ]
    for path in paths {
      let quoted = ShellQuote.quote(path)
      XCTAssertNotEqual(quoted, path, "'\(path)' must be quoted")
      XCTAssertEqual(try shellReadsBack(quoted), Array(path.utf8), "\(path.debugDescription) quoted as \(quoted)")
    }
    XCTAssertEqual(ShellQuote.quote(""), "''")
    XCTAssertEqual(ShellQuote.quote("it's"), #"'it'\''s'"#)
    XCTAssertEqual(ShellQuote.quote("-rf"), "'-rf'")
  }

  func testControlAndBidiCharactersNeverReachTheTerminalRaw() {
    for path in ["new\nline", "esc\u{1b}[31m", "bidi\u{202E}txt", "del\u{7f}"] {
      let quoted = ShellQuote.quote(path)
      XCTAssertFalse(
        quoted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E }, quoted)
    }
  }

  func testAPathThatIsNotUTF8KeepsItsBytes() throws {
    let path = PathBytes.string([0x61, 0xFF, 0x27, 0x62])  // a, 0xFF, ', b: not UTF-8
    let quoted = ShellQuote.quote(path)
    XCTAssertEqual(quoted, #"$'a\377\047b'"#)
    XCTAssertEqual(try shellReadsBack(quoted), [0x61, 0xFF, 0x27, 0x62])
  }

  /// The bytes bash makes of `quoted` as one word.
  private func shellReadsBack(_ quoted: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", "printf '%s' " + quoted]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, quoted)
    return Array(data)
  }
}

final class ReplacementNameTests: XCTestCase {
  func testTheOldNameAndTheFirst8CharactersOfTheOldID() {
    func key(_ id: String) -> KeyReference {
      try! JSONDecoder().decode(KeyReference.self, from: Data(#"{"id": "\#(id)", "name": "ci"}"#.utf8))
    }
    XCTAssertEqual(
      RevokeCommand.replacementName(for: key("3f9a1c07-5b2e-4d8a-9c1f-0e6b7a8d9c2b")), "ci-rotated-3f9a1c07")
    XCTAssertEqual(RevokeCommand.replacementName(for: key("k-ci")), "ci-rotated-k-ci", "a shorter id whole")
  }
}
