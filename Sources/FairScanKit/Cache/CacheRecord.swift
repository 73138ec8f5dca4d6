/// The scan cache's records as bytes, field by field: the hits of an object, and a history
/// record (placed hits and skipped items). JSON through `Codable` cost about 3 ms of every warm
/// rescan on swift-nio, most of it the Swift runtime's first look-ups of the `Codable`
/// machinery's types rather than the bytes themselves.
///
/// Integers are 8 bytes little-endian, strings their UTF-8 length then bytes, an optional a 0 or
/// 1 byte then the value, a list its count then the elements. A rule is kept by its id (the
/// cache is keyed by the rules, so every id read back names a rule in force); a hit keeps the
/// secret's SHA-256 and redacted form, never the secret. Every read is checked: bytes that do not
/// read whole, to the end, are a `CacheProblem`, and the cache treats them as it treats a
/// damaged file.
enum CacheRecord {
  struct Writer {
    private(set) var bytes: [UInt8] = []
    /// Rule ids by rule index.
    let ruleIDs: [String]

    init(ruleIDs: [String]) { self.ruleIDs = ruleIDs }

    mutating func int(_ value: Int) { withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 } }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func double(_ value: Double) { int(Int(Int64(bitPattern: value.bitPattern))) }
    mutating func string(_ value: String) {
      int(value.utf8.count)
      bytes += value.utf8
    }
    mutating func optional<Value>(_ value: Value?, _ write: (inout Writer, Value) -> Void) {
      bool(value != nil)
      if let value { write(&self, value) }
    }
    mutating func list<Element>(_ values: [Element], _ write: (inout Writer, Element) -> Void) {
      int(values.count)
      for value in values { write(&self, value) }
    }

    mutating func hit(_ hit: ContentHit) throws(ScanCache.CacheProblem) {
      guard ruleIDs.indices.contains(hit.ruleIndex) else {
        throw ScanCache.CacheProblem(reason: "a hit of rule \(hit.ruleIndex), which is not in force")
      }
      string(ruleIDs[hit.ruleIndex])
      string(hit.secretSHA256)
      string(hit.redacted ?? Redaction.redact(hit.secret))
      position(hit.position)
      string(hit.snippet)
      optional(hit.encoding) { $0.string($1) }
      bool(hit.browserVariable)
      bool(hit.longLine)
      optional(hit.claims) { w, claims in
        w.optional(claims.expiresAt) { $0.double($1) }
        w.optional(claims.issuedAt) { $0.double($1) }
        w.optional(claims.type) { $0.string($1) }
        w.optional(claims.issuer) { $0.string($1) }
      }
      optional(hit.member) { $0.string($1) }
    }

    mutating func position(_ p: TextPosition) {
      for value in [p.line, p.column, p.endLine, p.endColumn, p.byteOffset, p.byteLength] { int(value) }
    }

    mutating func location(_ l: Location) {
      string(l.source.rawValue)
      string(l.path)
      for value in [l.line, l.column, l.endLine, l.endColumn, l.byteOffset, l.byteLength] { int(value) }
      optional(l.blob) { $0.string($1) }
      list(l.commits) { w, c in
        for text in [c.id, c.author, c.email, c.date, c.summary] { w.string(text) }
        w.bool(c.unreachable)
        w.optional(c.introducedAtOrBefore) { $0.bool($1) }
      }
      bool(l.unreachable)
      string(l.snippet)
      optional(l.encoding) { $0.string($1) }
      optional(l.member) { $0.string($1) }
      optional(l.pathBytes) { $0.string($1) }
    }

    mutating func skipped(_ s: SkippedItem) {
      string(s.path)
      optional(s.blob) { $0.string($1) }
      string(s.reason.rawValue)
      optional(s.size) { $0.int($1) }
      optional(s.detail) { $0.string($1) }
    }
  }

  struct Reader {
    private let bytes: [UInt8]
    private var at = 0
    /// Rule indexes by rule id.
    let ruleIndex: [String: Int]

    init(_ bytes: [UInt8], ruleIndex: [String: Int]) {
      self.bytes = bytes
      self.ruleIndex = ruleIndex
    }

    private func problem(_ what: String) -> ScanCache.CacheProblem {
      ScanCache.CacheProblem(reason: "a cached record does not read: \(what) at byte \(at)")
    }

    /// Every byte was read: call last.
    func end() throws(ScanCache.CacheProblem) {
      guard at == bytes.count else { throw problem("\(bytes.count - at) bytes left over") }
    }

    mutating func int() throws(ScanCache.CacheProblem) -> Int {
      guard bytes.count - at >= 8 else { throw problem("cut short") }
      let value = bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
      at += 8
      guard let result = Int(exactly: value) else { throw problem("an integer out of range") }
      return result
    }
    mutating func bool() throws(ScanCache.CacheProblem) -> Bool {
      guard at < bytes.count, bytes[at] <= 1 else { throw problem("not a yes or no") }
      at += 1
      return bytes[at - 1] == 1
    }
    mutating func double() throws(ScanCache.CacheProblem) -> Double {
      Double(bitPattern: UInt64(bitPattern: Int64(try int())))
    }
    /// A count of at most what the bytes left could hold (each element takes a byte at least).
    mutating func count() throws(ScanCache.CacheProblem) -> Int {
      let n = try int()
      guard n >= 0, n <= bytes.count - at else { throw problem("a count of \(n)") }
      return n
    }
    mutating func string() throws(ScanCache.CacheProblem) -> String {
      let n = try count()
      defer { at += n }
      return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }
    mutating func optional<Value>(_ read: (inout Reader) throws(ScanCache.CacheProblem) -> Value)
      throws(ScanCache.CacheProblem) -> Value?
    {
      try bool() ? try read(&self) : nil
    }
    mutating func list<Element>(_ read: (inout Reader) throws(ScanCache.CacheProblem) -> Element)
      throws(ScanCache.CacheProblem) -> [Element]
    {
      let n = try count()
      var result: [Element] = []
      result.reserveCapacity(n)
      for _ in 0..<n { result.append(try read(&self)) }
      return result
    }

    mutating func hit() throws(ScanCache.CacheProblem) -> ContentHit {
      let id = try string()
      guard let index = ruleIndex[id] else { throw problem("a hit of rule \(id), which is not in force") }
      let sha = try string()
      guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
      else { throw problem("not a SHA-256") }
      let redacted = try string()
      var hit = ContentHit(
        ruleIndex: index, secret: [], secretSHA256: sha, position: try position(), snippet: try string())
      hit.redacted = redacted
      hit.encoding = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      hit.browserVariable = try bool()
      hit.longLine = try bool()
      hit.claims = try optional { r throws(ScanCache.CacheProblem) in
        var claims = TokenClaims()
        claims.expiresAt = try r.optional { r throws(ScanCache.CacheProblem) in try r.double() }
        claims.issuedAt = try r.optional { r throws(ScanCache.CacheProblem) in try r.double() }
        claims.type = try r.optional { r throws(ScanCache.CacheProblem) in try r.string() }
        claims.issuer = try r.optional { r throws(ScanCache.CacheProblem) in try r.string() }
        return claims
      }
      hit.member = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      return hit
    }

    mutating func position() throws(ScanCache.CacheProblem) -> TextPosition {
      TextPosition(
        line: try int(), column: try int(), endLine: try int(), endColumn: try int(), byteOffset: try int(),
        byteLength: try int())
    }

    mutating func location() throws(ScanCache.CacheProblem) -> Location {
      let source = try string()
      guard let kind = SourceKind(rawValue: source) else { throw problem("an unknown source \(source)") }
      var location = Location(
        source: kind, path: try string(), line: try int(), column: try int(), endLine: try int(),
        endColumn: try int(), byteOffset: try int(), byteLength: try int())
      location.blob = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      location.commits = try list { r throws(ScanCache.CacheProblem) in
        CommitRef(
          id: try r.string(), author: try r.string(), email: try r.string(), date: try r.string(),
          summary: try r.string(), unreachable: try r.bool(),
          introducedAtOrBefore: try r.optional { r throws(ScanCache.CacheProblem) in try r.bool() })
      }
      location.unreachable = try bool()
      location.snippet = try string()
      location.encoding = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      location.member = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      location.pathBytes = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      return location
    }

    mutating func skipped() throws(ScanCache.CacheProblem) -> SkippedItem {
      let path = try string()
      let blob = try optional { r throws(ScanCache.CacheProblem) in try r.string() }
      let reason = try string()
      guard let kind = SkippedItem.Reason(rawValue: reason) else { throw problem("an unknown reason \(reason)") }
      return SkippedItem(
        path: path, blob: blob, reason: kind, size: try optional { r throws(ScanCache.CacheProblem) in try r.int() },
        detail: try optional { r throws(ScanCache.CacheProblem) in try r.string() })
    }
  }

  /// An object's hits.
  static func hits(_ hits: [ContentHit], ruleIDs: [String]) throws(ScanCache.CacheProblem) -> [UInt8] {
    var w = Writer(ruleIDs: ruleIDs)
    w.int(hits.count)
    for hit in hits { try w.hit(hit) }
    return w.bytes
  }

  static func hits(from bytes: [UInt8], ruleIndex: [String: Int]) throws(ScanCache.CacheProblem) -> [ContentHit] {
    var r = Reader(bytes, ruleIndex: ruleIndex)
    let hits = try r.list { r throws(ScanCache.CacheProblem) in try r.hit() }
    try r.end()
    return hits
  }

  static func history(_ record: ScanCache.HistoryRecord, ruleIDs: [String]) throws(ScanCache.CacheProblem) -> [UInt8] {
    var w = Writer(ruleIDs: ruleIDs)
    w.int(record.hits.count)
    for placed in record.hits {
      try w.hit(placed.hit)
      w.location(placed.location)
      w.bool(placed.pathIsReal)
    }
    w.list(record.skipped) { $0.skipped($1) }
    return w.bytes
  }

  static func history(from bytes: [UInt8], ruleIndex: [String: Int]) throws(ScanCache.CacheProblem)
    -> ScanCache.HistoryRecord
  {
    var r = Reader(bytes, ruleIndex: ruleIndex)
    let hits = try r.list { r throws(ScanCache.CacheProblem) in
      ScanCache.PlacedHit(hit: try r.hit(), location: try r.location(), pathIsReal: try r.bool())
    }
    let skipped = try r.list { r throws(ScanCache.CacheProblem) in try r.skipped() }
    try r.end()
    return ScanCache.HistoryRecord(hits: hits, skipped: skipped)
  }
}
