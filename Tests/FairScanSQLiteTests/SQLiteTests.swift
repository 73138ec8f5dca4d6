import FairScanSQLite
import Foundation
import XCTest

final class SQLiteTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-sqlite-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func path(_ name: String = "db.sqlite") -> String { folder.appendingPathComponent(name).path }

  func testOpenCreatesTheFileAndReopenSeesWhatWasWritten() throws {
    XCTAssertFalse(FileManager.default.fileExists(atPath: path()))
    do {
      let db = try SQLiteDatabase(path: path())
      try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO t VALUES ('a', 1)")
    }
    XCTAssertTrue(FileManager.default.fileExists(atPath: path()))
    let again = try SQLiteDatabase(path: path())
    let select = try again.prepare("SELECT k, v FROM t")
    XCTAssertTrue(try select.step())
    XCTAssertEqual(select.text(0), "a")
    XCTAssertEqual(select.int64(1), 1)
    XCTAssertFalse(try select.step())
  }

  func testBindsAndColumnsRoundTripEveryType() throws {
    let db = try SQLiteDatabase(path: path())
    try db.execute("CREATE TABLE t (id INTEGER, name TEXT, data BLOB, empty BLOB, missing TEXT)")
    let insert = try db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)")
    let bytes: [UInt8] = [0, 1, 0xFF, 0, 0x80]
    try insert.bind(1, Int64.min)
    try insert.bind(2, "naïve 'quoted' \u{1F511}")
    try insert.bind(3, bytes)
    try insert.bind(4, [UInt8]())
    try insert.bindNull(5)
    try insert.run()
    // run() reset the statement and cleared its binds: it can be used again at once.
    try insert.bind(1, Int64.max)
    try insert.run()

    let select = try db.prepare("SELECT id, name, data, empty, missing FROM t ORDER BY rowid")
    XCTAssertTrue(try select.step())
    XCTAssertEqual(select.int64(0), Int64.min)
    XCTAssertEqual(select.text(1), "naïve 'quoted' \u{1F511}")
    XCTAssertEqual(select.bytes(2), bytes)
    XCTAssertEqual(select.withBytes(2) { Array($0) }, bytes, "the bytes without a copy are the same")
    XCTAssertEqual(select.bytes(3), [])
    XCTAssertEqual(select.withBytes(3) { $0.count }, 0)
    XCTAssertEqual(select.withBytes(4) { $0.count }, 0, "NULL has no bytes")
    XCTAssertFalse(select.isNull(3), "an empty blob is not NULL")
    XCTAssertTrue(select.isNull(4))
    XCTAssertNil(select.text(4))
    XCTAssertTrue(try select.step())
    XCTAssertEqual(select.int64(0), Int64.max)
    XCTAssertTrue(select.isNull(1), "cleared binds are NULL")
    XCTAssertEqual(select.bytes(2), [])
    XCTAssertFalse(try select.step())
  }

  func testAStatementIsReusedAfterReset() throws {
    let db = try SQLiteDatabase(path: path())
    try db.execute("CREATE TABLE t (n INTEGER)")
    let insert = try db.prepare("INSERT INTO t VALUES (?1)")
    for n in 1...100 {
      try insert.bind(1, Int64(n))
      try insert.run()
    }
    let sum = try db.prepare("SELECT sum(n), count(*) FROM t WHERE n > ?1")
    try sum.bind(1, Int64(90))
    XCTAssertTrue(try sum.step())
    XCTAssertEqual(sum.int64(0), 955)
    sum.reset()
    try sum.bind(1, Int64(0))
    XCTAssertTrue(try sum.step())
    XCTAssertEqual(sum.int64(0), 5050)
    XCTAssertEqual(sum.int64(1), 100)
  }

  func testATransactionCommitsWhenItsBodyReturns() throws {
    let db = try SQLiteDatabase(path: path())
    try db.execute("CREATE TABLE t (n INTEGER)")
    try db.transaction {
      try db.execute("INSERT INTO t VALUES (1)")
      try db.execute("INSERT INTO t VALUES (2)")
    }
    XCTAssertEqual(try count(db), 2)
    // Seen by another connection: it was committed.
    XCTAssertEqual(try count(SQLiteDatabase(path: path())), 2)
  }

  func testATransactionRollsBackWhenItsBodyThrowsAndRethrows() throws {
    struct Stop: Error {}
    let db = try SQLiteDatabase(path: path())
    try db.execute("CREATE TABLE t (n INTEGER)")
    XCTAssertThrowsError(
      try db.transaction {
        try db.execute("INSERT INTO t VALUES (1)")
        throw Stop()
      }
    ) { XCTAssertTrue($0 is Stop, "\($0)") }
    XCTAssertEqual(try count(db), 0)
    // A failing statement inside: rolled back too, and the SQLite error comes out.
    XCTAssertThrowsError(
      try db.transaction {
        try db.execute("INSERT INTO t VALUES (1)")
        try db.execute("INSERT INTO nowhere VALUES (1)")
      }
    ) { XCTAssertTrue(($0 as? SQLiteError)?.message.contains("nowhere") == true, "\($0)") }
    XCTAssertEqual(try count(db), 0)
    // And the connection is usable afterwards (no transaction left open).
    try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
    XCTAssertEqual(try count(db), 1)
  }

  func testBadSQLIsAnErrorWithSQLitesMessage() throws {
    let db = try SQLiteDatabase(path: path())
    XCTAssertThrowsError(try db.execute("CREATE TABLE")) { error in
      let e = error as? SQLiteError
      XCTAssertEqual(e.map { $0.code & 0xFF }, 1, "SQLITE_ERROR")
      XCTAssertTrue(e?.description.hasPrefix("SQLite error 1: ") == true, "\(error)")
      XCTAssertFalse(e?.isBusy ?? true)
      XCTAssertFalse(e?.isCorruption ?? true)
    }
    XCTAssertThrowsError(try db.prepare("SELECT * FROM missing")) { error in
      XCTAssertTrue((error as? SQLiteError)?.message.contains("no such table: missing") == true, "\(error)")
    }
  }

  func testAConstraintFailureComesFromStep() throws {
    let db = try SQLiteDatabase(path: path())
    try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    let insert = try db.prepare("INSERT INTO t VALUES (?1)")
    try insert.bind(1, "a")
    try insert.run()
    try insert.bind(1, "a")
    XCTAssertThrowsError(try insert.run()) { error in
      let e = error as? SQLiteError
      XCTAssertEqual(e.map { $0.code & 0xFF }, 19, "SQLITE_CONSTRAINT")
      XCTAssertNotEqual(e?.code, 19, "extended result codes are on: \(String(describing: e))")
    }
  }

  func testABindOutOfRangeIsAnError() throws {
    let db = try SQLiteDatabase(path: path())
    let select = try db.prepare("SELECT ?1")
    XCTAssertThrowsError(try select.bind(2, Int64(1))) { error in
      XCTAssertEqual((error as? SQLiteError).map { $0.code & 0xFF }, 25, "SQLITE_RANGE")
    }
  }

  func testAFileThatIsNotADatabaseIsCorruption() throws {
    try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path()))
    // Opening is lazy; the first read finds out.
    let db = try SQLiteDatabase(path: path())
    XCTAssertThrowsError(try db.execute("SELECT * FROM sqlite_master")) { error in
      XCTAssertTrue((error as? SQLiteError)?.isCorruption == true, "\(error)")
    }
  }

  func testAFolderThatDoesNotExistCannotBeOpened() {
    XCTAssertThrowsError(try SQLiteDatabase(path: path("no/such/folder/db.sqlite"))) { error in
      XCTAssertEqual((error as? SQLiteError).map { $0.code & 0xFF }, 14, "SQLITE_CANTOPEN")
    }
  }

  func testAWriterWaitsThenReportsBusy() throws {
    let first = try SQLiteDatabase(path: path())
    try first.execute("CREATE TABLE t (n INTEGER)")
    try first.execute("BEGIN IMMEDIATE")
    let second = try SQLiteDatabase(path: path(), busyTimeoutMilliseconds: 50)
    XCTAssertThrowsError(try second.transaction { try second.execute("INSERT INTO t VALUES (1)") }) { error in
      XCTAssertTrue((error as? SQLiteError)?.isBusy == true, "\(error)")
    }
    try first.execute("COMMIT")
    try second.transaction { try second.execute("INSERT INTO t VALUES (1)") }
    XCTAssertEqual(try count(first), 1)
  }

  private func count(_ db: SQLiteDatabase) throws -> Int64 {
    let select = try db.prepare("SELECT count(*) FROM t")
    XCTAssertTrue(try select.step())
    return select.int64(0)
  }
}
