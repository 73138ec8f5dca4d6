import FairScanSystem
import Foundation
import XCTest

final class FileDescriptorTests: XCTestCase {
  var folder: String!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-system-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: folder)
  }

  func write(_ name: String, _ bytes: [UInt8]) -> String {
    let path = folder + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  func testReadsAFileWholeAndSaysWhereItEnds() throws {
    let path = write("a", Array(0..<200).map { UInt8($0) })
    let file = try FileDescriptor.openForReading(path)
    defer { file.close() }
    let status = try file.status()
    XCTAssertEqual(status.kind, .regular)
    XCTAssertEqual(status.size, 200)
    var buffer = [UInt8](repeating: 0xEE, count: 300)
    XCTAssertEqual(try file.read(into: &buffer, count: 150), 150)
    XCTAssertEqual(Array(buffer[0..<150]), Array(0..<150).map { UInt8($0) })
    XCTAssertEqual(buffer[150], 0xEE, "nothing past count is written")
    XCTAssertEqual(try file.read(into: &buffer, count: 300), 50, "the rest, then the end of the file")
    XCTAssertEqual(Array(buffer[0..<50]), Array(150..<200).map { UInt8($0) })
    XCTAssertEqual(try file.read(into: &buffer, count: 10), 0)
  }

  func testReadsAtAnOffsetWithoutMovingThePosition() throws {
    let path = write("b", Array("0123456789".utf8))
    let file = try FileDescriptor.openForReading(path)
    defer { file.close() }
    var buffer = [UInt8](repeating: 0, count: 4)
    XCTAssertEqual(try file.read(into: &buffer, count: 4, at: 6), 4)
    XCTAssertEqual(buffer, Array("6789".utf8))
    XCTAssertEqual(try file.read(into: &buffer, count: 4, at: 8), 2, "only two bytes left there")
    XCTAssertEqual(try file.read(into: &buffer, count: 3), 3)
    XCTAssertEqual(Array(buffer[0..<3]), Array("012".utf8), "pread left the position at 0")
    XCTAssertEqual(try file.readSome(into: &buffer), 4)
    XCTAssertEqual(buffer, Array("3456".utf8))
  }

  func testASymlinkIsNotFollowed() throws {
    let target = write("target", [1, 2, 3])
    let link = folder + "/link"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    XCTAssertThrowsError(try FileDescriptor.openForReading(link)) { error in
      XCTAssertTrue((error as? SystemError)?.isSymbolicLink == true, "\(error)")
    }
    XCTAssertEqual(try FileStatus(path: link, followingSymlinks: false).kind, .symbolicLink)
    XCTAssertEqual(try FileStatus(path: link, followingSymlinks: true).kind, .regular)
    XCTAssertEqual(try FileStatus(path: link, followingSymlinks: true).size, 3)
  }

  func testAFIFOOpensWithoutBlockingAndIsNotRegular() throws {
    let fifo = folder + "/fifo"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    // No writer: a blocking open would never return.
    let file = try FileDescriptor.openForReading(fifo)
    defer { file.close() }
    XCTAssertEqual(try file.status().kind, .other)
  }

  func testAMissingFileIsAnErrorWithItsMessage() {
    XCTAssertThrowsError(try FileDescriptor.openForReading(folder + "/missing")) { error in
      let e = error as? SystemError
      XCTAssertEqual(e?.code, ENOENT)
      XCTAssertEqual(e?.message, "No such file or directory")
      XCTAssertFalse(e?.isSymbolicLink ?? true)
    }
    XCTAssertThrowsError(try FileStatus(path: folder + "/missing", followingSymlinks: false))
  }

  func testAPrivateFileIsCreatedForItsOwnerOnlyAndAnExistingOneKept() throws {
    let path = folder + "/private"
    let file = try FileDescriptor.openCreatingPrivate(path)
    file.close()
    let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    XCTAssertEqual(mode & 0o077, 0, String(mode, radix: 8))
    let kept = write("kept", [9, 9])
    try FileDescriptor.openCreatingPrivate(kept).close()
    XCTAssertEqual(FileManager.default.contents(atPath: kept), Data([9, 9]))
  }

  func testFolderStatusAndModificationTime() throws {
    XCTAssertEqual(try FileStatus(path: folder, followingSymlinks: false).kind, .directory)
    let path = write("m", [1])
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_700_000_000.25)], ofItemAtPath: path)
    let status = try FileStatus(path: path, followingSymlinks: false)
    XCTAssertEqual(status.modifiedSeconds, 1_700_000_000)
    XCTAssertEqual(Double(status.modifiedNanoseconds), 250_000_000, accuracy: 1_000)
  }
}

final class DirectoryTests: XCTestCase {
  func testListsEveryNameAsBytes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-dir-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    FileManager.default.createFile(atPath: folder + "/plain.txt", contents: Data())
    try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
    // A name that is not UTF-8, made through the C call so its bytes stay as they are.
    let odd: [UInt8] = Array((folder + "/odd-").utf8) + [0xFF, 0xFE, 0]
    let fd = odd.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { creat($0.baseAddress!, 0o600) } }
    XCTAssertGreaterThanOrEqual(fd, 0)
    close(fd)
    XCTAssertEqual(symlink(folder + "/plain.txt", folder + "/link"), 0)
    var names: [[UInt8]] = []
    var kinds: [String: Directory.EntryKind] = [:]
    XCTAssertTrue(
      Directory.forEachEntry(folder) { raw, kind in
        names.append(Array(raw))
        kinds[String(decoding: raw, as: UTF8.self)] = kind
      })
    XCTAssertEqual(
      Set(names),
      [
        Array(".".utf8), Array("..".utf8), Array("plain.txt".utf8), Array("sub".utf8), Array("link".utf8),
        Array("odd-".utf8) + [0xFF, 0xFE],
      ])
    // The kinds `readdir` gives (a file system that gives none says unknown).
    for (name, kind) in [("plain.txt", Directory.EntryKind.regular), ("sub", .folder), ("link", .symbolicLink)] {
      XCTAssertTrue(kinds[name] == kind || kinds[name] == .unknown, "\(name): \(String(describing: kinds[name]))")
    }
    XCTAssertFalse(Directory.forEachEntry(folder + "/missing") { _, _ in XCTFail("no entries") })
    XCTAssertFalse(Directory.forEachEntry(folder + "/plain.txt") { _, _ in XCTFail("not a folder") })
  }
}

final class SmallCallsTests: XCTestCase {
  func testEnvironment() {
    setenv("FAIRSCAN_SYSTEM_TEST", "a=b c", 1)
    XCTAssertEqual(Environment.value("FAIRSCAN_SYSTEM_TEST"), "a=b c")
    unsetenv("FAIRSCAN_SYSTEM_TEST")
    XCTAssertNil(Environment.value("FAIRSCAN_SYSTEM_TEST"))
  }

  func testClocks() {
    let a = SystemClock.monotonic()
    let b = SystemClock.monotonic()
    XCTAssertTrue((b.seconds, b.nanoseconds) >= (a.seconds, a.nanoseconds))
    XCTAssertTrue((0..<1_000_000_000).contains(a.nanoseconds))
    let wall = SystemClock.wall()
    XCTAssertEqual(Double(wall.seconds), Date().timeIntervalSince1970, accuracy: 60)
  }

  func testMemorySearch() {
    let bytes: [UInt8] = Array("abc\ndef\n".utf8)
    bytes.withUnsafeBytes { raw in
      XCTAssertEqual(MemorySearch.firstIndex(of: 0x0A, in: raw.baseAddress!, count: raw.count), 3)
      XCTAssertEqual(MemorySearch.firstIndex(of: 0x0A, in: raw.baseAddress! + 4, count: 4), 3)
      XCTAssertNil(MemorySearch.firstIndex(of: 0x0A, in: raw.baseAddress!, count: 3))
      XCTAssertNil(MemorySearch.firstIndex(of: 0x7A, in: raw.baseAddress!, count: raw.count))
    }
  }

  func testProcessorsAndLogarithm() {
    XCTAssertGreaterThanOrEqual(Processors.online, 1)
    XCTAssertEqual(Math.log2(8), 3)
    XCTAssertEqual(Math.log2(0.5), -1)
  }
}

/// The engine reaches the system only through FairScanSystem (its README and the package's say so).
final class ImportBoundaryTests: XCTestCase {
  func testFairScanKitImportsNoCModule() throws {
    let kit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("Sources/FairScanKit")
    let files = try XCTUnwrap(FileManager.default.enumerator(atPath: kit.path)).compactMap { $0 as? String }.filter {
      $0.hasSuffix(".swift")
    }
    XCTAssertGreaterThan(files.count, 50)
    let cModules = [
      "Glibc", "Darwin", "Musl", "CSQLite", "CLibGit2", "CPCRE2", "CVectorscan", "CByteScan", "CLibArchive", "CDeflate",
      "SystemPackage",
    ]
    for file in files {
      let text = try String(contentsOf: kit.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") where line.contains("import ") {
        let words = line.split(separator: " ")
        guard let i = words.firstIndex(of: "import"), i + 1 < words.count else { continue }
        XCTAssertFalse(cModules.contains(String(words[i + 1])), "\(file): \(line)")
      }
    }
  }
}
