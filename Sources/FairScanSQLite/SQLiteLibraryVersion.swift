import CSQLite

/// The version of SQLite as the loaded library reports it (`sqlite3_libversion`), `3.40.1`,
/// for `fairscan --version`.
public enum SQLiteLibraryVersion {
  public static var current: String { String(cString: sqlite3_libversion()) }
}
