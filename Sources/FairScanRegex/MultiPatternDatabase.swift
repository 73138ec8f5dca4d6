import CVectorscan
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Vectorscan block-mode database used as a fast prefilter over many patterns.
///
/// Immutable after init and safe to share across threads; each thread scans with its
/// own ``MultiPatternScratch``. Owns the database and frees it on deinit.
/// Wraps `hs_compile_multi`, `hs_alloc_scratch` and `hs_scan`.
public final class MultiPatternDatabase: @unchecked Sendable {
  /// Patterns Vectorscan refused, by id, with its message. Same whether compiled or loaded.
  public let rejected: [UInt32: String]
  /// True when the database was deserialized from `cacheDirectory` instead of compiled.
  public let loadedFromCache: Bool
  /// Nil when no pattern survived (or none was given): scanning then reports nothing.
  let handle: OpaquePointer?

  /// Compiles `patterns`, dropping (and recording in ``rejected``) those Vectorscan refuses.
  ///
  /// With `cacheDirectory`, a serialized database named by a digest of the Vectorscan
  /// version and every pattern is loaded when present and valid, and written otherwise;
  /// cache failures fall back to compiling silently.
  /// Wraps `hs_compile_multi`, `hs_serialize_database` and `hs_deserialize_database`.
  public init(patterns: [MultiPattern], cacheDirectory: String? = nil) throws(PatternError) {
    if patterns.isEmpty {
      (handle, rejected, loadedFromCache) = (nil, [:], false)
      return
    }
    let cache = cacheDirectory.map { MultiPatternCache(directory: $0, patterns: patterns) }
    if let cache, let loaded = cache.load() {
      (handle, rejected, loadedFromCache) = (loaded.database, loaded.rejected, true)
      return
    }
    let compiled = try MultiPatternDatabase.compile(patterns)
    (handle, rejected, loadedFromCache) = (compiled.database, compiled.rejected, false)
    cache?.store(database: compiled.database, rejected: compiled.rejected)
  }

  deinit {
    if let handle { hs_free_database(handle) }
  }

  /// Allocates scratch space for scanning this database on one thread. Wraps `hs_alloc_scratch`.
  public func makeScratch() throws(PatternError) -> MultiPatternScratch {
    guard let handle else { return MultiPatternScratch(database: self, handle: nil) }
    var scratch: OpaquePointer?
    let rc = hs_alloc_scratch(handle, &scratch)
    guard rc == HS_SUCCESS, let scratch else {
      throw .vectorscan("cannot allocate scratch (error \(rc))")
    }
    return MultiPatternScratch(database: self, handle: scratch)
  }

  /// Reports `(id, end)` for each pattern that matches in `buffer`: once per pattern id (single-match
  /// mode), or at every occurrence for a literal with `everyMatch`. `end` is the byte offset just
  /// past the reported match.
  ///
  /// `scratch` must come from this database's ``makeScratch()``. Wraps `hs_scan`.
  public func scan(
    _ buffer: UnsafeRawBufferPointer, scratch: MultiPatternScratch,
    _ onMatch: (_ id: UInt32, _ end: Int) -> Void
  ) throws(PatternError) {
    guard scratch.database === self else { throw .vectorscan("scratch belongs to another database") }
    guard let handle, let scratchHandle = scratch.handle, let base = buffer.baseAddress, buffer.count > 0 else {
      return
    }
    guard buffer.count <= Int(UInt32.max) else { throw .vectorscan("buffer larger than 4 GiB") }
    let rc = withoutActuallyEscaping(onMatch) { escapable -> hs_error_t in
      var box = ScanCallbackBox(onMatch: escapable)
      return withUnsafeMutablePointer(to: &box) { boxPointer in
        hs_scan(
          handle, base.assumingMemoryBound(to: CChar.self), UInt32(buffer.count), 0,
          scratchHandle, scanTrampoline, UnsafeMutableRawPointer(boxPointer))
      }
    }
    guard rc == HS_SUCCESS else { throw .vectorscan("scan failed (error \(rc))") }
  }

  // MARK: - Compiling

  struct Compiled {
    var database: OpaquePointer?
    var rejected: [UInt32: String]
  }

  /// Compiles, removing each expression `hs_compile_multi` names as failing, until it succeeds.
  static func compile(_ patterns: [MultiPattern]) throws(PatternError) -> Compiled {
    var remaining = patterns
    var rejected: [UInt32: String] = [:]
    while !remaining.isEmpty {
      var database: OpaquePointer?
      var compileError: UnsafeMutablePointer<hs_compile_error_t>?
      let flags: [UInt32] = remaining.map {
        switch $0.kind {
        case .literal(let caseless, let everyMatch):
          return UInt32((caseless ? HS_FLAG_CASELESS : 0) | (everyMatch ? 0 : HS_FLAG_SINGLEMATCH))
        case .regex: return UInt32(HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH)
        }
      }
      let ids = remaining.map(\.id)
      let rc: hs_error_t
      if remaining.allSatisfy(\.isLiteral) {
        // Literals only: Vectorscan's literal compiler takes the bytes as they are (no escaping).
        let literals = remaining.map { Array($0.expression.utf8).map { CChar(bitPattern: $0) } }
        let pointers = literals.map { bytes -> UnsafeMutablePointer<CChar> in
          let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
          p.initialize(from: bytes, count: bytes.count)
          return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        let lengths = literals.map(\.count)
        rc = pointers.map { UnsafePointer<CChar>($0) }.withUnsafeBufferPointer { exprs in
          hs_compile_lit_multi(
            exprs.baseAddress, flags, ids, lengths, UInt32(remaining.count), UInt32(HS_MODE_BLOCK), nil,
            &database, &compileError)
        }
      } else {
        let expressions = remaining.map { strdup($0.vectorscanExpression) }
        defer { expressions.forEach { free($0) } }
        rc = expressions.map { UnsafePointer<CChar>($0) }.withUnsafeBufferPointer { exprs in
          hs_compile_multi(
            exprs.baseAddress, flags, ids, UInt32(remaining.count), UInt32(HS_MODE_BLOCK), nil,
            &database, &compileError)
        }
      }
      if rc == HS_SUCCESS, let database {
        return Compiled(database: database, rejected: rejected)
      }
      let message = compileError.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "error \(rc)"
      let index = compileError.map { Int($0.pointee.expression) } ?? -1
      if let compileError { hs_free_compile_error(compileError) }
      guard index >= 0 && index < remaining.count else {
        throw .vectorscan(message.lowercased())
      }
      let failed = remaining.remove(at: index)
      if rejected[failed.id] == nil { rejected[failed.id] = message }
    }
    return Compiled(database: nil, rejected: rejected)
  }
}

/// Carries the caller's closure through `hs_scan`'s `void *context`.
private struct ScanCallbackBox {
  let onMatch: (UInt32, Int) -> Void
}

/// The C callback: forwards each match to the boxed closure and keeps scanning.
private let scanTrampoline: match_event_handler = { id, _, to, _, context in
  guard let context else { return 0 }
  context.assumingMemoryBound(to: ScanCallbackBox.self).pointee.onMatch(id, Int(to))
  return 0
}
