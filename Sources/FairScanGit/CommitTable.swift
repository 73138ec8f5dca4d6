/// The commits a history walk loaded, one fixed-size row each in a flat array.
///
/// A 100,000-commit history held as `CommitInfo` values costs about 170 bytes a commit plus a
/// heap allocation for each parent list and each longer string, and the walk held them twice.
/// Here a row is 96 bytes, parents sit in one shared array, each distinct author or committer
/// is stored once and the summaries share one byte buffer; `info(_:)` rebuilds a `CommitInfo`
/// for the few commits a report names.
public struct CommitTable: Sendable {
  /// Row numbers are positions in `rows`.
  public typealias Row = Int32

  private struct Entry: Sendable {
    var id: ObjectID
    var parentCount: Int32
    var tree: ObjectID
    var author: Int32
    var authorTime: Int64
    var committerTime: Int64
    var committer: Int32
    var authorOffset: Int32
    var committerOffset: Int32
    var summaryCount: Int32
    var summaryStart: Int
    var parentStart: Int
  }

  private struct Person: Hashable, Sendable {
    var name: String
    var email: String

    func matches(_ signature: Signature) -> Bool { name == signature.name && email == signature.email }
  }

  private var rows: [Entry] = []
  private var parentIDs: [ObjectID] = []
  private var summaries: [UInt8] = []
  private var people: [Person] = []
  private var personIndex: [Person: Int32] = [:]

  public init() {}

  /// How many commits the table holds.
  public var count: Int { rows.count }

  /// Adds `info` as a new row (`parents` replaces its parents, e.g. none at a shallow boundary).
  mutating func append(_ info: CommitInfo, parents: [ObjectID]) -> Row {
    let summary = Array(info.summary.utf8)
    rows.append(
      Entry(
        id: info.id, parentCount: Int32(parents.count), tree: info.tree,
        author: person(info.author), authorTime: info.author.time, committerTime: info.committer.time,
        committer: person(info.committer), authorOffset: Int32(clamping: info.author.offsetMinutes),
        committerOffset: Int32(clamping: info.committer.offsetMinutes), summaryCount: Int32(summary.count),
        summaryStart: summaries.count, parentStart: parentIDs.count))
    parentIDs += parents
    summaries += summary
    return Row(rows.count - 1)
  }

  private mutating func person(_ signature: Signature) -> Int32 {
    // Neighbouring commits mostly share their people: those need no hashing.
    if let last = rows.last {
      if people[Int(last.author)].matches(signature) { return last.author }
      if people[Int(last.committer)].matches(signature) { return last.committer }
    }
    let key = Person(name: signature.name, email: signature.email)
    if let known = personIndex[key] { return known }
    let index = Int32(people.count)
    people.append(key)
    personIndex[key] = index
    return index
  }

  public func id(_ row: Row) -> ObjectID { rows[Int(row)].id }

  public func tree(_ row: Row) -> ObjectID { rows[Int(row)].tree }

  public func parents(_ row: Row) -> ArraySlice<ObjectID> {
    let entry = rows[Int(row)]
    return parentIDs[entry.parentStart..<(entry.parentStart + Int(entry.parentCount))]
  }

  public func committerTime(_ row: Row) -> Int64 { rows[Int(row)].committerTime }

  /// The row as a `CommitInfo` (strings and the parent list built anew).
  public func info(_ row: Row) -> CommitInfo {
    let entry = rows[Int(row)]
    let author = people[Int(entry.author)], committer = people[Int(entry.committer)]
    let summaryEnd = entry.summaryStart + Int(entry.summaryCount)
    return CommitInfo(
      id: entry.id, tree: entry.tree, parents: Array(parents(row)),
      author: Signature(
        name: author.name, email: author.email, time: entry.authorTime,
        offsetMinutes: Int(entry.authorOffset)),
      committer: Signature(
        name: committer.name, email: committer.email, time: entry.committerTime,
        offsetMinutes: Int(entry.committerOffset)),
      summary: String(decoding: summaries[entry.summaryStart..<summaryEnd], as: UTF8.self))
  }
}

/// Commits of a `CommitTable` in a chosen order (a walk's diffed commits), each read as a
/// `CommitInfo` when asked for.
public struct CommitList: RandomAccessCollection, Sendable {
  public let table: CommitTable
  /// Rows of `table`, in this list's order.
  public let rows: [CommitTable.Row]

  public init(table: CommitTable, rows: [CommitTable.Row]) {
    self.table = table
    self.rows = rows
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { rows.count }
  public subscript(position: Int) -> CommitInfo { table.info(rows[position]) }

  /// The id of the commit at `position`, without building its `CommitInfo`.
  public func id(at position: Int) -> ObjectID { table.id(rows[position]) }

  /// Every commit's id, in order.
  public var ids: [ObjectID] { rows.map(table.id) }
}
