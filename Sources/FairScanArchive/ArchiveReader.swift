import CLibArchive

/// What a walk through an archive read and left out.
public struct ArchiveWalk: Sendable, Equatable {
  /// What was not read whole, in the order met.
  public var skips: [ArchiveSkip] = []
  /// Entries read, at every level (files, folders, links).
  public var members = 0
  /// Bytes decompressed, at every level.
  public var expandedBytes = 0
  /// The content announced an archive but libarchive could not read a single entry of it (the
  /// caller may scan it as plain bytes; `skips` says why).
  public var unreadable = false
}

/// Walks the members of archives held in memory, with libarchive, within `ArchiveLimits`.
public enum ArchiveReader {
  /// Calls `body` with every regular member of `content` and its bytes, opening archives found
  /// inside (up to `limits.maxDepth` levels) instead of handing them over; returns what was left
  /// out and why. Nil when `content` is not an archive (`ArchiveFormat.detect`).
  ///
  /// Member paths are as the archive stores them, nested ones joined with `!` (`ArchivePath`).
  /// Folders, links and devices are passed over; unsafe names, encrypted and oversized members
  /// are listed, not read; a limit of the walk (members, bytes, ratio) stops it, listed. The
  /// bytes given to `body` are valid during the call only. Never writes anything to disk.
  /// Wraps `archive_read_open_memory`, `archive_read_next_header` and `archive_read_data` (libarchive
  /// is opened at the first archive: `CLibArchive`).
  /// A member name that is not UTF-8 (libarchive cannot convert it) is turned into a `String`
  /// by `decodeName` from its exact bytes; the default repairs it (U+FFFD), fairscan's keeps the
  /// bytes (`PathBytes`).
  public static func forEachMember(
    of content: UnsafeRawBufferPointer, limits: ArchiveLimits = ArchiveLimits(),
    decodeName: @escaping ([UInt8]) -> String = { String(decoding: $0, as: UTF8.self) },
    _ body: (_ member: String, _ bytes: UnsafeRawBufferPointer) -> Void
  ) -> ArchiveWalk? {
    guard let format = ArchiveFormat.detect(content) else { return nil }
    var walker = Walker(limits: limits, inputSize: content.count, decodeName: decodeName)
    defer { walker.chunk.deallocate() }
    let outcome = walker.expand(content, format: format, prefix: nil, depth: 1, body)
    walker.walk.unreadable = outcome == .failed
    return walker.walk
  }

  public static func forEachMember(
    of content: [UInt8], limits: ArchiveLimits = ArchiveLimits(),
    decodeName: @escaping ([UInt8]) -> String = { String(decoding: $0, as: UTF8.self) },
    _ body: (_ member: String, _ bytes: UnsafeRawBufferPointer) -> Void
  ) -> ArchiveWalk? {
    content.withUnsafeBytes { forEachMember(of: $0, limits: limits, decodeName: decodeName, body) }
  }
}

/// One walk: the budget shared by every level.
private struct Walker {
  let limits: ArchiveLimits
  let inputSize: Int
  var walk = ArchiveWalk()
  /// A limit of the walk was reached: every level stops.
  var stopped = false
  let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

  /// Turns the exact bytes of a name that is not UTF-8 into a `String`.
  let decodeName: ([UInt8]) -> String

  init(limits: ArchiveLimits, inputSize: Int, decodeName: @escaping ([UInt8]) -> String) {
    self.limits = limits
    self.inputSize = inputSize
    self.decodeName = decodeName
  }

  enum Outcome { case read, failed }

  static let regularFile: mode_t = 0o100000  // AE_IFREG, a cast macro Swift does not import

  /// Reads one archive level; `prefix` is the member holding it (nil at the top).
  mutating func expand(
    _ content: UnsafeRawBufferPointer, format: ArchiveFormat, prefix: String?, depth: Int,
    _ body: (String, UnsafeRawBufferPointer) -> Void
  ) -> Outcome {
    let here = prefix ?? ""
    if let failure = lazy_archive_open() {  // libarchive is opened at the first archive
      walk.skips.append(ArchiveSkip(member: here, reason: .unreadable, detail: String(cString: failure)))
      return .failed
    }
    guard let a = lazy_archive_read_new() else {
      walk.skips.append(ArchiveSkip(member: here, reason: .unreadable, detail: "libarchive could not start"))
      return .failed
    }
    defer { lazy_archive_read_free(a) }
    var support: [Int32] = []
    switch format {
    case .zip: support = [lazy_archive_read_support_format_zip(a)]
    case .tar: support = [lazy_archive_read_support_format_tar(a)]
    case .gzip, .bzip2, .xz:
      // Only the library's own decoders: a missing one answers ARCHIVE_WARN and would run an external program.
      let filter =
        format == .gzip
        ? lazy_archive_read_support_filter_gzip(a)
        : format == .bzip2 ? lazy_archive_read_support_filter_bzip2(a) : lazy_archive_read_support_filter_xz(a)
      support = [filter, lazy_archive_read_support_format_tar(a), lazy_archive_read_support_format_raw(a)]
    }
    guard support.allSatisfy({ $0 == ARCHIVE_OK }) else {
      walk.skips.append(
        ArchiveSkip(member: here, reason: .unreadable, detail: "this libarchive cannot read \(format.rawValue)"))
      return .failed
    }
    guard lazy_archive_read_open_memory(a, content.baseAddress, content.count) == ARCHIVE_OK else {
      walk.skips.append(
        ArchiveSkip(member: here, reason: .unreadable, detail: "corrupt \(format.rawValue): \(message(a))"))
      return .failed
    }
    var entries = 0
    var entry: OpaquePointer?
    while !stopped {
      let rc = lazy_archive_read_next_header(a, &entry)
      if rc == ARCHIVE_EOF { break }
      if rc < ARCHIVE_WARN || entry == nil {
        let after = entries == 0 ? "" : " after \(entries) entries"
        walk.skips.append(
          ArchiveSkip(member: here, reason: .unreadable, detail: "corrupt \(format.rawValue)\(after): \(message(a))"))
        if rc == ARCHIVE_RETRY, count(here) { continue }  // libarchive passes over the damaged entry
        return entries == 0 ? .failed : .read
      }
      entries += 1
      guard count(here) else { break }
      let raw = lazy_archive_format(a) == ARCHIVE_FORMAT_RAW
      let name = raw ? (prefix.map(ArchivePath.streamName(of:)) ?? ArchivePath.unnamed) : memberName(entry)
      let member = prefix.map { $0 + ArchivePath.separator + name } ?? name
      guard lazy_archive_entry_filetype(entry) == Self.regularFile else { continue }  // folders, links, devices
      if !raw, let why = ArchivePath.unsafeReason(name) {
        walk.skips.append(ArchiveSkip(member: member, reason: .limit, detail: "unsafe member name: \(why)"))
        continue
      }
      if lazy_archive_entry_is_encrypted(entry) != 0 {
        walk.skips.append(ArchiveSkip(member: member, reason: .encrypted, detail: "encrypted member"))
        continue
      }
      let declared = lazy_archive_entry_size_is_set(entry) != 0 ? Int(lazy_archive_entry_size(entry)) : nil
      if let declared, declared > limits.maxMemberSize {
        if declared > limits.ratioFloor && declared / max(1, inputSize) >= limits.maxRatio {
          walk.skips.append(
            ArchiveSkip(
              member: member, reason: .limit,
              detail:
                "declares \(Self.size(declared)), more than \(limits.maxRatio):1 of the \(Self.size(inputSize)) scanned: not read",
              size: declared))
        } else {
          walk.skips.append(
            ArchiveSkip(
              member: member, reason: .tooLarge, detail: "larger than \(Self.size(limits.maxMemberSize))",
              size: declared))
        }
        // Passing over it costs nothing in a zip or a plain tar; in a compressed stream it is decompressed.
        if format.isCompressedStream, !charge(declared, member: member) { break }
        continue
      }
      var bytes: [UInt8] = []
      bytes.reserveCapacity(min(declared ?? (64 << 10), limits.maxMemberSize))
      var total = 0
      var failure: (message: String, fatal: Bool)? = nil
      while true {
        let n = lazy_archive_read_data(a, chunk.baseAddress, chunk.count)
        if n == 0 { break }
        if n < 0 {
          failure = (message(a), n != Int(ARCHIVE_WARN))
          break
        }
        total += n
        guard charge(n, member: member) else { break }
        if total <= limits.maxMemberSize {
          bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        } else if !bytes.isEmpty {
          bytes = []  // over the cap: read on (counted) to reach the next member, keep nothing
        }
      }
      if stopped { break }  // the limit's skip names this member
      if total > limits.maxMemberSize {
        walk.skips.append(
          ArchiveSkip(
            member: member, reason: .tooLarge, detail: "larger than \(Self.size(limits.maxMemberSize))", size: total))
        continue
      }
      if let failure {
        walk.skips.append(
          ArchiveSkip(member: member, reason: .unreadable, detail: "damaged member: \(failure.message)"))
        deliver(bytes, member: member, depth: depth, body)  // what could be read
        if failure.fatal { break }
        continue
      }
      deliver(bytes, member: member, depth: depth, body)
    }
    return .read
  }

  /// Hands a member's bytes over, or opens them when they are an archive themselves.
  mutating func deliver(_ bytes: [UInt8], member: String, depth: Int, _ body: (String, UnsafeRawBufferPointer) -> Void)
  {
    bytes.withUnsafeBytes { buffer in
      guard let inner = ArchiveFormat.detect(buffer) else { return body(member, buffer) }
      guard depth < limits.maxDepth else {
        walk.skips.append(
          ArchiveSkip(
            member: member, reason: .limit,
            detail: "an archive nested deeper than \(limits.maxDepth) levels: its members were not read"))
        return body(member, buffer)
      }
      if expand(buffer, format: inner, prefix: member, depth: depth + 1, body) == .failed { body(member, buffer) }
    }
  }

  /// Counts one entry; false (and the walk stops) past the member limit.
  mutating func count(_ archive: String) -> Bool {
    walk.members += 1
    guard walk.members > limits.maxMembers else { return true }
    stop(archive, "more than \(limits.maxMembers) members: the rest was not read")
    return false
  }

  /// Counts decompressed bytes; false (and the walk stops) past the byte or ratio limit.
  mutating func charge(_ bytes: Int, member: String) -> Bool {
    walk.expandedBytes += bytes
    if walk.expandedBytes > limits.maxTotalBytes {
      stop(member, "more than \(Self.size(limits.maxTotalBytes)) decompressed: the rest was not read")
      return false
    }
    if walk.expandedBytes > limits.ratioFloor && walk.expandedBytes / max(1, inputSize) >= limits.maxRatio {
      stop(
        member,
        "expands more than \(limits.maxRatio):1 (\(Self.size(walk.expandedBytes)) out of \(Self.size(inputSize))): the rest was not read"
      )
      return false
    }
    return true
  }

  mutating func stop(_ member: String, _ detail: String) {
    stopped = true
    walk.skips.append(ArchiveSkip(member: member, reason: .limit, detail: detail))
  }

  /// The member's name: as UTF-8 when libarchive can give it so, else from its exact bytes.
  func memberName(_ entry: OpaquePointer?) -> String {
    if let utf8 = lazy_archive_entry_pathname_utf8(entry) { return String(cString: utf8) }
    if let raw = lazy_archive_entry_pathname(entry) {
      var length = 0
      while raw[length] != 0 { length += 1 }
      return decodeName(UnsafeBufferPointer(start: raw, count: length).map { UInt8(bitPattern: $0) })
    }
    return ""
  }

  func message(_ a: OpaquePointer) -> String {
    lazy_archive_error_string(a).map { String(cString: $0) } ?? "error \(lazy_archive_errno(a))"
  }

  static func size(_ bytes: Int) -> String {
    if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
  }
}
