import CSQLite

/// An SQLite failure: the call, SQLite's code and message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
  public let code: Int32
  public let message: String
  public var description: String { "SQLite error \(code): \(message)" }
  /// The file is not a database, or its pages are damaged.
  public var isCorruption: Bool { code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB }
  /// Another process holds the lock.
  public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// One SQLite connection: the few calls the scan cache needs (statements, binds, rows,
/// transactions). Not thread-safe: use from one thread at a time.
public final class SQLiteDatabase {
  private var handle: OpaquePointer?

  /// Opens (creating) `path` read-write; a busy database is waited on up to `busyTimeoutMilliseconds`.
  public init(path: String, busyTimeoutMilliseconds: Int32 = 2_000) throws(SQLiteError) {
    var db: OpaquePointer?
    let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close(db)
      throw SQLiteError(code: code, message: message)
    }
    handle = db
    sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    sqlite3_extended_result_codes(db, 1)
  }

  deinit { sqlite3_close(handle) }

  /// Runs statements that return no rows.
  public func execute(_ sql: String) throws(SQLiteError) {
    var error: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(handle, sql, nil, nil, &error)
    if code != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
      sqlite3_free(error)
      throw SQLiteError(code: code, message: message)
    }
  }

  /// A prepared statement.
  public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK, let statement else { throw failure(code) }
    return SQLiteStatement(statement, database: self)
  }

  /// Runs `body` in one transaction (committed if it returns, rolled back if it throws).
  public func transaction(_ body: () throws -> Void) throws {
    try execute("BEGIN IMMEDIATE")
    do {
      try body()
      try execute("COMMIT")
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  func failure(_ code: Int32) -> SQLiteError {
    SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
  }
}

/// A prepared statement: bind, step, read columns, reset.
public final class SQLiteStatement {
  private let statement: OpaquePointer
  private let database: SQLiteDatabase

  init(_ statement: OpaquePointer, database: SQLiteDatabase) {
    self.statement = statement
    self.database = database
  }

  deinit { sqlite3_finalize(statement) }

  public func bind(_ index: Int32, _ bytes: [UInt8]) throws(SQLiteError) {
    let code = bytes.withUnsafeBytes {
      fairscan_sqlite3_bind_blob_copy(
        statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count))
    }
    guard code == SQLITE_OK else { throw database.failure(code) }
  }

  public func bind(_ index: Int32, _ text: String) throws(SQLiteError) {
    let code = fairscan_sqlite3_bind_text_copy(statement, index, text)
    guard code == SQLITE_OK else { throw database.failure(code) }
  }

  public func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
    let code = sqlite3_bind_int64(statement, index, value)
    guard code == SQLITE_OK else { throw database.failure(code) }
  }

  public func bindNull(_ index: Int32) throws(SQLiteError) {
    let code = sqlite3_bind_null(statement, index)
    guard code == SQLITE_OK else { throw database.failure(code) }
  }

  /// Advances: true while a row is available, false when done.
  public func step() throws(SQLiteError) -> Bool {
    let code = sqlite3_step(statement)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw database.failure(code)
    }
  }

  /// Runs the statement to completion and resets it for the next binds.
  public func run() throws(SQLiteError) {
    while try step() {}
    reset()
  }

  public func reset() {
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
  }

  public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

  public func text(_ column: Int32) -> String? {
    guard let pointer = sqlite3_column_text(statement, column) else { return nil }
    return String(cString: pointer)
  }

  public func bytes(_ column: Int32) -> [UInt8] { withBytes(column) { Array($0) } }

  /// The column's bytes where SQLite holds them, without a copy: valid during `body` only (the
  /// next step or reset frees them).
  public func withBytes<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
    -> Result
  {
    let pointer = sqlite3_column_blob(statement, column)  // first, then its length (SQLite's order)
    let count = Int(sqlite3_column_bytes(statement, column))
    return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: pointer == nil ? 0 : count))
  }

  public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
}
