import CPCRE2
import Synchronization

/// A PCRE2 pattern compiled once (and JIT-compiled before its first match) over bytes.
///
/// Shareable by many threads once built: each thread matches with its own ``MatchContext``,
/// and the one-time JIT compilation runs under a lock before any match. Owns the compiled
/// code and frees it on deinit. Wraps `pcre2_compile` and `pcre2_jit_compile`.
///
/// JIT compilation is deferred because it costs about twenty times the compilation itself
/// (for the built-in rules, about 80 ms against 4 ms): a scan of a few staged files runs a
/// handful of rules, and a hook must start fast. A pattern's errors still surface in `init`.
public final class Pattern: @unchecked Sendable {
  public let source: String
  /// Number of capture groups (not counting group 0).
  public let captureCount: Int
  let code: OpaquePointer
  private let namedGroups: [String: Int]
  /// Set (release) once `jitState` is final; read (acquire) before every match.
  private let jitDone = Atomic<Bool>(false)
  private let jitState = Mutex<JITState>(.notTried)

  private enum JITState { case notTried, compiled, unavailable }

  /// True when `pcre2_jit_compile` succeeded (it runs now if it has not yet); otherwise the
  /// interpreter is used.
  public var isJITCompiled: Bool {
    prepareJIT()
    return jitState.withLock { $0 == .compiled }
  }

  /// Compiles `source` as a byte pattern (no UTF mode; `(*UTF)` is refused); JIT compilation
  /// follows before the first match.
  ///
  /// Falls back to the interpreter silently when JIT is unavailable on this platform or fails.
  /// Wraps `pcre2_compile`.
  /// `anchored`: every match must start at the offset the search starts from (`match(in:at:)`).
  public init(_ source: String, caseless: Bool = false, anchored: Bool = false) throws(PatternError) {
    self.source = source
    var options = UInt32(PCRE2_NEVER_UTF)
    if caseless { options |= UInt32(PCRE2_CASELESS) }
    if anchored { options |= UInt32(PCRE2_ANCHORED) }
    var errorCode: Int32 = 0
    var errorOffset = 0
    let bytes = Array(source.utf8)
    let compiled = bytes.withUnsafeBufferPointer { buf in
      cpcre2_compile(buf.baseAddress ?? Pattern.emptyByte, buf.count, options, &errorCode, &errorOffset)
    }
    guard let compiled else {
      throw .compile(message: pcre2Message(errorCode), offset: errorOffset)
    }
    self.code = compiled
    var count: UInt32 = 0
    _ = cpcre2_pattern_info(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
    self.captureCount = Int(count)
    self.namedGroups = Pattern.readNameTable(compiled)
  }

  deinit { cpcre2_code_free(code) }

  /// JIT-compiles the pattern the first time it is needed; later calls cost one atomic load.
  /// Wraps `pcre2_jit_compile` with `PCRE2_JIT_COMPLETE`.
  @inline(__always)
  func prepareJIT() {
    if !jitDone.load(ordering: .acquiring) { compileJIT() }
  }

  private func compileJIT() {
    jitState.withLock { state in
      guard state == .notTried else { return }
      state = cpcre2_jit_compile(code, UInt32(PCRE2_JIT_COMPLETE)) == 0 ? .compiled : .unavailable
      jitDone.store(true, ordering: .releasing)
    }
  }

  /// The group number for `(?<name>...)`, or nil if there is no such group.
  ///
  /// Read once at init from `PCRE2_INFO_NAMETABLE`.
  public func groupNumber(named name: String) -> Int? { namedGroups[name] }

  /// Calls `body` with every non-overlapping match, left to right, until it returns false.
  ///
  /// After an empty match the search resumes at the same byte requiring a non-empty
  /// match there (`PCRE2_NOTEMPTY_ATSTART`), so an empty match effectively advances one byte.
  /// A limit error ends the run with `.limitExceeded`; earlier matches were already delivered.
  /// Wraps `pcre2_match`.
  public func forEachMatch(
    in buffer: UnsafeRawBufferPointer, context: MatchContext, _ body: (PatternMatch) -> Bool
  ) -> MatchStatus {
    prepareJIT()
    let data = context.matchData(for: self)
    let subject = buffer.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? Pattern.emptyByte
    let length = buffer.count
    var start = 0
    var options: UInt32 = 0
    let groupCount = captureCount + 1
    let unset = cpcre2_unset()
    while start <= length {
      let rc = cpcre2_match(code, subject, length, start, options, data, context.context)
      if rc == Int32(PCRE2_ERROR_NOMATCH) { return .complete }
      if rc < 0 { return Pattern.status(for: rc) }
      let ovector = cpcre2_get_ovector_pointer(data)!
      let matchStart = ovector[0]
      let matchEnd = ovector[1]
      var groups: [Range<Int>?] = []
      groups.reserveCapacity(groupCount)
      for i in 0..<groupCount {
        let s = ovector[2 * i], e = ovector[2 * i + 1]
        groups.append(s == unset || e == unset ? nil : min(s, e)..<max(s, e))
      }
      // \K can report an end before the start; normalise the range.
      let match = PatternMatch(range: min(matchStart, matchEnd)..<max(matchStart, matchEnd), groups: groups)
      if !body(match) { return .complete }
      if matchEnd > start || (matchEnd == start && matchStart == matchEnd) {
        options = matchStart == matchEnd ? UInt32(PCRE2_NOTEMPTY_ATSTART) : 0
        start = matchEnd
      } else {
        // Guard against a match that ends before the search start (\K in lookbehind).
        options = 0
        start += 1
      }
    }
    return .complete
  }

  /// All non-overlapping matches in `bytes` and how the run ended.
  public func matches(in bytes: [UInt8], context: MatchContext) -> (matches: [PatternMatch], status: MatchStatus) {
    var found: [PatternMatch] = []
    let status = bytes.withUnsafeBytes { raw in
      forEachMatch(in: raw, context: context) {
        found.append($0); return true
      }
    }
    return (found, status)
  }

  /// The leftmost match in `buffer`, if any, and how the search ended.
  public func firstMatch(in buffer: UnsafeRawBufferPointer, context: MatchContext) -> (PatternMatch?, MatchStatus) {
    var first: PatternMatch?
    let status = forEachMatch(in: buffer, context: context) {
      first = $0; return false
    }
    return (first, status)
  }

  /// The match starting at `offset` for a pattern compiled `anchored` (the bytes before
  /// `offset` are still seen by lookbehinds), or the leftmost match from `offset` otherwise.
  public func match(in buffer: UnsafeRawBufferPointer, at offset: Int, context: MatchContext) -> (
    PatternMatch?, MatchStatus
  ) {
    guard offset <= buffer.count else { return (nil, .complete) }
    prepareJIT()
    let data = context.matchData(for: self)
    let subject = buffer.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? Pattern.emptyByte
    let rc = cpcre2_match(code, subject, buffer.count, offset, 0, data, context.context)
    if rc == Int32(PCRE2_ERROR_NOMATCH) { return (nil, .complete) }
    if rc < 0 { return (nil, Pattern.status(for: rc)) }
    let ovector = cpcre2_get_ovector_pointer(data)!
    let unset = cpcre2_unset()
    var groups: [Range<Int>?] = []
    for i in 0...captureCount {
      let s = ovector[2 * i], e = ovector[2 * i + 1]
      groups.append(s == unset || e == unset ? nil : min(s, e)..<max(s, e))
    }
    return (PatternMatch(range: min(ovector[0], ovector[1])..<max(ovector[0], ovector[1]), groups: groups), .complete)
  }

  // MARK: - Helpers

  /// A valid pointer for empty subjects (PCRE2 10.42 rejects NULL even with length 0).
  nonisolated(unsafe) static let emptyByte: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
  }()

  static func status(for rc: Int32) -> MatchStatus {
    switch rc {
    case Int32(PCRE2_ERROR_MATCHLIMIT): return .limitExceeded("match limit")
    case Int32(PCRE2_ERROR_DEPTHLIMIT): return .limitExceeded("depth limit")
    case Int32(PCRE2_ERROR_HEAPLIMIT): return .limitExceeded("heap limit")
    case Int32(PCRE2_ERROR_JIT_STACKLIMIT): return .limitExceeded("JIT stack limit")
    default: return .error(pcre2Message(rc))
    }
  }

  /// Reads the name table: entries of a 2-byte big-endian group number then a NUL-terminated name.
  private static func readNameTable(_ code: OpaquePointer) -> [String: Int] {
    var count: UInt32 = 0
    var entrySize: UInt32 = 0
    var table: UnsafePointer<UInt8>?
    guard cpcre2_pattern_info(code, UInt32(PCRE2_INFO_NAMECOUNT), &count) == 0, count > 0,
      cpcre2_pattern_info(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize) == 0,
      cpcre2_pattern_info(code, UInt32(PCRE2_INFO_NAMETABLE), &table) == 0,
      let table
    else { return [:] }
    var names: [String: Int] = [:]
    for i in 0..<Int(count) {
      let entry = table + i * Int(entrySize)
      let number = Int(entry[0]) << 8 | Int(entry[1])
      var end = 2
      while end < Int(entrySize) && entry[end] != 0 { end += 1 }
      let name = String(decoding: UnsafeBufferPointer(start: entry + 2, count: end - 2), as: UTF8.self)
      if names[name] == nil { names[name] = number }
    }
    return names
  }
}

/// PCRE2's text for an error code. Wraps `pcre2_get_error_message`.
func pcre2Message(_ code: Int32) -> String {
  var buffer = [UInt8](repeating: 0, count: 256)
  let n = buffer.withUnsafeMutableBufferPointer { cpcre2_get_error_message(code, $0.baseAddress!, $0.count) }
  guard n > 0 else { return "pcre2 error \(code)" }
  return String(decoding: buffer[0..<Int(n)], as: UTF8.self)
}
