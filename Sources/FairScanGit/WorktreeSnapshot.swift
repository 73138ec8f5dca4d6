import CDeflate
import FairScanSystem
import Glibc

/// A record of a work tree's status (`Repository.worktreeEntries()`) and of everything that
/// status read, so that the next scan of an unchanged work tree takes the record instead of
/// asking libgit2 again: on swift-nio about 3.5 ms of `fstatat`s instead of libgit2's 6 ms
/// status, on curl 10 to 16 ms instead of 25.
///
/// For each file the status says untracked, modified, or equal to its index entry; the scan
/// then reuses what it knows of that entry's blob without reading the file. A stale record would
/// hide a secret, so it is used only when every one of these is as it was recorded:
/// - the index: its size and its trailing checksum (its content, not its times);
/// - every listed file (`lstat`: device, inode, mode, size, modification and change times, to
///   the nanosecond);
/// - every folder the status reads, whose times move when an entry is added, removed or renamed
///   in it: the root, the folders of listed files, and every other folder git does not ignore as
///   a whole, even one holding only ignored files or nothing (walked here, since no listed path
///   names it); a nested repository's folder, not what is inside;
/// - each such folder's `.gitignore` and `.gitattributes`, listed or not;
/// - the configuration, exclude and attributes files of every level, present or absent
///   (`Repository.statusInputFiles`); none is recorded when the configuration includes others;
/// - `HOME`, `XDG_CONFIG_HOME` and the user, from which libgit2 finds the user's files.
///
/// A file's change time is set by the system to the time of the change, whatever its other times
/// say. A change made while the status ran, or shortly before it began, is racy: the file
/// system's clock moves by ticks (Linux stamps files with the time of the last timer tick, up to
/// 10 ms behind), and a second change within the same tick would keep every time. So no record
/// is written while a change is less than `fineMargin` old, or `coarseMargin` on a file system
/// whose change times fall on whole milliseconds (FAT's two seconds, HFS+'s one); the next scan
/// asks git. Times are compared with this machine's clock and with the file system's own (the
/// new record's change time, less the time since the status began).
///
/// The record is `<git dir>/fairscan/worktree-status`, beside the scan cache, and only scans that
/// use that cache read or write it. It ends with a CRC-32 of the rest; one that does not read
/// whole is not used. It is written to a new file renamed over the old one.
public enum WorktreeSnapshot {
  /// The record's file for a git directory.
  public static func path(gitDirectory: String) -> String { gitDirectory + "/fairscan/worktree-status" }

  /// How long before the status began a change must have been made to be trusted, in
  /// nanoseconds: where change times have nanoseconds, and where they fall on whole milliseconds.
  public static let fineMargin = 100_000_000
  public static let coarseMargin = 2_000_000_000

  /// The status from the record at `path` when it still holds for `repo`'s work tree, else
  /// git's (then, if `path` is given and the status succeeded, `pending` can record it).
  /// No `path`: git's status, nothing to record.
  public static func status(of repo: Repository, recordAt path: String?) -> WorktreeStatus {
    guard let path, let workdir = repo.workingDirectory else {
      return WorktreeStatus(entries: Result { () throws(GitError) in try repo.worktreeEntries() })
    }
    if let entries = recordedEntries(at: path, gitDirectory: repo.gitDirectory, workingDirectory: workdir) {
      return WorktreeStatus(entries: .success(entries), fromRecord: true)
    }
    let began = Moment.now(gitDirectory: repo.gitDirectory)
    var status = WorktreeStatus(entries: Result { () throws(GitError) in try repo.worktreeEntries() })
    if case .success(let entries) = status.entries {
      status.pending = Pending(
        path: path, gitDirectory: repo.gitDirectory, workingDirectory: workdir, entries: entries, began: began)
    }
    return status
  }

  /// The entries the record at `path` holds, if it was made for this git directory and work tree
  /// and nothing it depends on has changed since; nil otherwise (no record, another format, a
  /// damaged file, any change).
  public static func recordedEntries(at path: String, gitDirectory: String, workingDirectory: String)
    -> [WorktreeEntry]?
  {
    guard let bytes = readWhole(path), var reader = Reader(checked: bytes) else { return nil }
    guard reader.string() == workingDirectory, reader.string() == gitDirectory,
      reader.string() == environment(), let index = reader.indexIdentity(),
      index == IndexIdentity.now(gitDirectory: gitDirectory)
    else { return nil }
    guard let watched = reader.count() else { return nil }
    for _ in 0..<watched {
      guard let file = reader.string(), let stamp = reader.optionalStamp(), stamp == Stamp(path: file) else {
        return nil
      }
    }
    let root = workingDirectory + "/"
    guard let folders = reader.count() else { return nil }
    for _ in 0..<folders {
      guard let folder = reader.string(), let stamp = reader.stamp(), stamp == Stamp(path: root + folder) else {
        return nil
      }
    }
    guard let count = reader.count() else { return nil }
    var entries: [WorktreeEntry] = []
    entries.reserveCapacity(count)
    var files = FileStamps(root: workingDirectory)
    for _ in 0..<count {
      guard let file = reader.string(), let state = reader.state(), let stamp = reader.stamp(),
        stamp == files.stamp(of: file)
      else { return nil }
      entries.append(WorktreeEntry(path: file, state: state))
    }
    return reader.atEnd ? entries : nil
  }

  /// A status to record, and when it began.
  public struct Pending: Sendable {
    let path: String
    let gitDirectory: String
    let workingDirectory: String
    let entries: [WorktreeEntry]
    let began: Moment

    /// Writes the record, unless something it depends on changed while the status ran or
    /// shortly before (`Outcome.notWritten` says what). Opens the repository again (libgit2 for
    /// the ignore rules and the configuration), so it may run on any thread.
    /// `margin`: instead of `fineMargin` or `coarseMargin` (tests).
    public func write(margin: Int? = nil) -> Outcome {
      guard let repo = try? Repository(path: workingDirectory), repo.gitDirectory == gitDirectory,
        repo.workingDirectory == workingDirectory
      else { return .notWritten("the repository could not be opened again") }
      guard let index = began.index else { return .notWritten("the index has no checksum") }
      guard let inputs = repo.statusInputFiles() else {
        return .notWritten("the configuration includes other files or distrusts change times")
      }
      let root = workingDirectory + "/"
      var writer = Writer()
      writer.string(workingDirectory)
      writer.string(gitDirectory)
      writer.string(environment())
      writer.indexIdentity(index)
      var latest = LatestChange()
      var watched = inputs.map { ($0, Stamp(path: $0)) }

      // The folders the status reads: those of listed and of tracked files (a tracked file
      // deleted from a folder git ignores is listed again when it comes back), and the others
      // git does not ignore.
      guard let tracked = try? repo.indexEntries() else { return .notWritten("the index could not be read") }
      let listed = Set(entries.map(\.path))
      var holding = Set<String>([""])
      for path in entries.map(\.path) + tracked.map(\.path) {
        // A nested repository is listed as its folder, with a slash: not a folder to walk.
        var folder = path.hasSuffix("/") ? Substring(path).dropLast() : Substring(path)
        while let slash = folder.lastIndex(of: "/") {
          folder = folder[..<slash]
          guard holding.insert(String(folder)).inserted else { break }
        }
      }
      var folders: [(String, Stamp)] = []
      var queue = [""]
      while let folder = queue.popLast() {
        guard let stamp = Stamp(path: root + folder) else { return .notWritten("\(folder) could not be read") }
        folders.append((folder, stamp))
        guard let children = WorktreeSnapshot.children(of: root + folder) else {
          return .notWritten("\(folder) could not be read")
        }
        // A nested repository: its folder counts, not what is inside.
        if !folder.isEmpty, !holding.contains(folder), children.contains(where: { $0.name == ".git" }) { continue }
        for child in children where child.name != ".git" {
          let relative = folder.isEmpty ? child.name : folder + "/" + child.name
          if child.name == ".gitignore" || child.name == ".gitattributes", !listed.contains(relative) {
            watched.append((root + relative, Stamp(path: root + relative)))
          }
          guard child.isFolder else { continue }
          if holding.contains(relative) {
            queue.append(relative)
          } else {
            guard let ignored = repo.isIgnoredFolder(relative) else {
              return .notWritten("git could not say whether \(relative) is ignored")
            }
            if !ignored { queue.append(relative) }
          }
        }
      }

      writer.count(watched.count)
      for (file, stamp) in watched {
        writer.string(file)
        writer.optionalStamp(stamp)
        if let stamp { latest.note(stamp) }
      }
      writer.count(folders.count)
      for (folder, stamp) in folders {
        writer.string(folder)
        writer.stamp(stamp)
        latest.note(stamp)
      }
      writer.count(entries.count)
      var files = FileStamps(root: workingDirectory)
      for entry in entries {
        guard let stamp = files.stamp(of: entry.path) else {
          return .notWritten("\(entry.path) changed while the status ran")
        }
        writer.string(entry.path)
        writer.state(entry.state)
        writer.stamp(stamp)
        latest.note(stamp)
      }
      return WorktreeSnapshot.replace(path, with: writer.finished()) { fileTime in
        began.settled(latest, fileTime: fileTime, margin: margin)
      }
    }
  }

  /// What `Pending.write` did.
  public enum Outcome: Equatable, Sendable {
    case written
    case notWritten(String)
  }

  // MARK: The file

  static func readWhole(_ path: String) -> [UInt8]? {
    guard let file = try? FileDescriptor.openForReading(path) else { return nil }
    defer { file.close() }
    guard let size = try? file.status().size, size > 0, size < 1 << 30 else { return nil }
    var bytes = [UInt8](repeating: 0, count: size)
    guard (try? file.read(into: &bytes, count: size)) == size else { return nil }
    return bytes
  }

  /// Writes `bytes` to a new file beside `path` and renames it over `path` if `trusts`, given the
  /// new file's change time, says yes (no: a change too recent). `FileReplacement`, private (0600).
  static func replace(_ path: String, with bytes: [UInt8], trusts: (Stamp.Time) -> Bool) -> Outcome {
    let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    if mkdir(folder, 0o700) != 0 && errno != EEXIST { return .notWritten("cannot create \(folder)") }
    do {
      let outcome = try FileReplacement.write(bytes, to: path, permissions: .create(0o600)) { written in
        trusts(Stamp.Time(seconds: Int64(written.changedSeconds), nanoseconds: Int64(written.changedNanoseconds)))
      }
      return outcome == .replaced ? .written : .notWritten("a change too recent to trust")
    } catch {
      return .notWritten("cannot write \(path): \(error.message)")
    }
  }

  /// The names in a folder (`PathBytes`: a name that is not UTF-8 keeps its bytes), and which
  /// are folders (a symbolic link is not). Nil if it cannot be read.
  static func children(of folder: String) -> [(name: String, isFolder: Bool)]? {
    var result: [(name: String, isFolder: Bool)] = []
    let opened = PathBytes.withCString(folder) { path in
      Directory.forEachEntry(path) { raw, kind in
        let name = PathBytes.string(raw)
        if name == "." || name == ".." { return }
        let isFolder = kind == .unknown ? Stamp(path: folder + "/" + name)?.isFolder ?? false : kind == .folder
        result.append((name, isFolder))
      }
    }
    return opened ? result : nil
  }

  /// What decides where libgit2 finds the user's files.
  private static func environment() -> String {
    let values = ["HOME", "XDG_CONFIG_HOME"].map { name in Environment.value(name).map { name + "=" + $0 } ?? name }
    return values.joined(separator: "\n") + "\nuid=\(geteuid())"
  }
}

/// Git's status of a work tree, as `Repository.worktreeEntries()` gives it, and where it came from.
public struct WorktreeStatus: Sendable {
  public var entries: Result<[WorktreeEntry], GitError>
  /// Taken from `WorktreeSnapshot`'s record, not from git.
  public var fromRecord = false
  /// Git's status, to record for the next scan (`WorktreeSnapshot.Pending.write`).
  public var pending: WorktreeSnapshot.Pending?

  public init(entries: Result<[WorktreeEntry], GitError>, fromRecord: Bool = false) {
    self.entries = entries
    self.fromRecord = fromRecord
  }
}

extension WorktreeSnapshot {
  /// When a status began, by the machine's clocks, and the index it began with.
  struct Moment: Sendable {
    let wall: Stamp.Time
    let monotonic: Int
    /// Nil when the index cannot tell its content (no trailing checksum).
    let index: IndexIdentity?

    static func now(gitDirectory: String) -> Moment {
      let wall = SystemClock.wall()
      // Read before the status: an index written while it runs is not the one recorded.
      return Moment(
        wall: Stamp.Time(seconds: Int64(wall.seconds), nanoseconds: Int64(wall.nanoseconds)),
        monotonic: monotonicNanoseconds(), index: IndexIdentity.now(gitDirectory: gitDirectory))
    }

    /// Whether the `latest` change is old enough to trust when the work that read the files began
    /// at this moment: older than the margin (`margin`, else `fineMargin`, or `coarseMargin` when a
    /// stamp or the file system's times fall on whole milliseconds) by this machine's clock and by
    /// the file system's (`fileTime`: the change time of a file just written, less the time since
    /// the moment).
    func settled(_ latest: LatestChange, fileTime: Stamp.Time, margin: Int?) -> Bool {
      let margin =
        margin
        ?? (latest.coarse || fileTime.nanoseconds % 1_000_000 == 0 ? WorktreeSnapshot.coarseMargin : fineMargin)
      let fileSystemBegan = fileTime.minus(nanoseconds: Moment.monotonicNanoseconds() - monotonic)
      return latest.time < min(wall, fileSystemBegan).minus(nanoseconds: margin)
    }

    static func monotonicNanoseconds() -> Int {
      let now = SystemClock.monotonic()
      return now.seconds * 1_000_000_000 + now.nanoseconds
    }
  }

  /// The latest change among the stamps noted, and whether any change time falls on a whole
  /// millisecond (a file system with coarse times).
  struct LatestChange {
    private(set) var time = Stamp.Time.zero
    private(set) var coarse = false

    mutating func note(_ stamp: Stamp) {
      time = max(time, stamp.latest)
      if stamp.changed.nanoseconds % 1_000_000 == 0 { coarse = true }
    }
  }

  /// The index's content, told by its size and the checksum git writes at its end; or that
  /// there is no index file.
  struct IndexIdentity: Equatable, Sendable {
    /// -1: no index file.
    let size: Int
    let checksum: [UInt8]

    /// Nil when the index exists but cannot be told (unreadable, too short, or written without
    /// a checksum: `index.skipHash`).
    static func now(gitDirectory: String) -> IndexIdentity? {
      let file: FileDescriptor
      do { file = try FileDescriptor.openForReading(gitDirectory + "/index") } catch {
        return error.code == ENOENT ? IndexIdentity(size: -1, checksum: []) : nil
      }
      defer { file.close() }
      guard let size = try? file.status().size, size >= 32 else { return nil }
      var checksum = [UInt8](repeating: 0, count: 20)
      guard (try? file.read(into: &checksum, count: 20, at: size - 20)) == 20, checksum.contains(where: { $0 != 0 })
      else { return nil }
      return IndexIdentity(size: size, checksum: checksum)
    }
  }

  /// The `lstat` of files of the work tree, given in path order: each folder is opened once and
  /// its files looked at from it (`fstatat`), so the kernel walks one name a file instead of the
  /// whole path (curl's 4,449 files).
  struct FileStamps: ~Copyable {
    private let root: String
    /// The folder open in `descriptor`, relative to the root, as bytes.
    private var folder: [UInt8] = []
    private var descriptor: Int32 = -1
    /// The name looked up, NUL-terminated (reused).
    private var name: [CChar] = []

    init(root: String) { self.root = root }
    deinit { if descriptor >= 0 { close(descriptor) } }

    /// The stamp of `relative` (a trailing slash, a nested repository's folder, is dropped: the
    /// folder itself); nil when there is nothing there. Works on the path's exact bytes
    /// (`PathBytes`): Swift's `Character` steps (grapheme breaking) cost more than the `fstatat`.
    mutating func stamp(of relative: String) -> Stamp? {
      var relative = relative
      if PathBytes.isExact(relative) { return relative.withUTF8 { stamp(ofBytes: $0) } }
      return PathBytes.bytes(relative).withUnsafeBufferPointer { stamp(ofBytes: $0) }
    }

    private mutating func stamp(ofBytes path: UnsafeBufferPointer<UInt8>) -> Stamp? {
      var end = path.count
      if end > 0, path[end - 1] == UInt8(ascii: "/") { end -= 1 }
      var slash = end - 1
      while slash >= 0, path[slash] != UInt8(ascii: "/") { slash -= 1 }
      let parent = UnsafeBufferPointer(rebasing: path[0..<max(slash, 0)])
      if descriptor < 0 || !folder.elementsEqual(parent) {
        if descriptor >= 0 { close(descriptor) }
        folder = Array(parent)
        let full = folder.isEmpty ? root : root + "/" + PathBytes.string(folder)
        descriptor = PathBytes.withCString(full) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
      }
      guard descriptor >= 0, end > slash + 1 else { return nil }
      name.removeAll(keepingCapacity: true)
      for byte in path[(slash + 1)..<end] { name.append(CChar(bitPattern: byte)) }
      name.append(0)
      var info = stat()
      guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
      return Stamp(info)
    }
  }

  /// A file's `lstat`, as far as a change to it shows.
  struct Stamp: Equatable, Sendable {
    /// Seconds and nanoseconds since 1970.
    struct Time: Comparable, Sendable {
      var seconds: Int64
      var nanoseconds: Int64

      static let zero = Time(seconds: 0, nanoseconds: 0)
      init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
      }
      init(_ time: timespec) { self.init(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec)) }

      static func < (a: Time, b: Time) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }
      func minus(nanoseconds n: Int) -> Time {
        let total = nanoseconds - Int64(n)
        let borrow = total < 0 ? (-total + 999_999_999) / 1_000_000_000 : 0
        return Time(seconds: seconds - borrow, nanoseconds: total + borrow * 1_000_000_000)
      }
    }

    var device: UInt64
    var inode: UInt64
    var mode: UInt32
    var size: Int64
    var modified: Time
    var changed: Time

    init(device: UInt64, inode: UInt64, mode: UInt32, size: Int64, modified: Time, changed: Time) {
      (self.device, self.inode, self.mode, self.size, self.modified, self.changed) =
        (device, inode, mode, size, modified, changed)
    }

    /// `lstat(path)`; nil when there is nothing there (or it cannot be looked at).
    init?(path: String) {
      var info = stat()
      guard PathBytes.withCString(path, { lstat($0, &info) }) == 0 else { return nil }
      self.init(info)
    }

    init(_ info: stat) {
      self.init(
        device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mode: UInt32(info.st_mode), size: Int64(info.st_size),
        modified: Time(info.st_mtim), changed: Time(info.st_ctim))
    }

    var isFolder: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    /// The later of its modification and change times.
    var latest: Time { max(modified, changed) }
  }

  // MARK: Bytes

  /// The record's bytes: a header line, then fields (integers little-endian, strings as a
  /// 4-byte length and UTF-8), then the CRC-32 of all before it.
  static let header = Array("fairscan worktree-status 1\n".utf8)

  struct Writer {
    private(set) var bytes: [UInt8]

    /// `header`: the first line, which names the file's kind and format.
    init(header: [UInt8] = WorktreeSnapshot.header) { bytes = header }

    mutating func integer<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func count(_ n: Int) { integer(UInt32(n)) }
    mutating func string(_ value: String) {
      count(value.utf8.count)
      bytes += value.utf8
    }
    mutating func time(_ t: Stamp.Time) {
      integer(t.seconds)
      integer(t.nanoseconds)
    }
    mutating func stamp(_ s: Stamp) {
      integer(s.device)
      integer(s.inode)
      integer(s.mode)
      integer(s.size)
      time(s.modified)
      time(s.changed)
    }
    mutating func optionalStamp(_ s: Stamp?) {
      integer(UInt8(s == nil ? 0 : 1))
      if let s { stamp(s) }
    }
    mutating func indexIdentity(_ index: IndexIdentity) {
      integer(Int64(index.size))
      count(index.checksum.count)
      bytes += index.checksum
    }
    mutating func state(_ state: WorktreeEntry.State) {
      switch state {
      case .unmodified(let blob):
        integer(UInt8(0))
        bytes += blob.bytes
      case .modified: integer(UInt8(1))
      case .untracked: integer(UInt8(2))
      }
    }
    func finished() -> [UInt8] {
      var result = bytes
      let crc = UInt32(bytes.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) })
      withUnsafeBytes(of: crc.littleEndian) { result += $0 }
      return result
    }
  }

  /// Reads what `Writer` wrote; every read is nil past the end or on a value out of range.
  struct Reader {
    private let bytes: [UInt8]
    private var at: Int
    private let end: Int

    /// Nil unless `header` is there and the CRC-32 matches.
    init?(checked bytes: [UInt8], header: [UInt8] = WorktreeSnapshot.header) {
      guard bytes.count >= header.count + 4, bytes.starts(with: header) else { return nil }
      let body = bytes.count - 4
      let stored = bytes.withUnsafeBytes {
        UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: body, as: UInt32.self))
      }
      let crc = UInt32(bytes.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, body) })
      guard crc == stored else { return nil }
      (self.bytes, at, end) = (bytes, header.count, body)
    }

    var atEnd: Bool { at == end }

    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
      let size = MemoryLayout<T>.size
      guard end - at >= size else { return nil }
      defer { at += size }
      return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: T.self)) }
    }
    mutating func count() -> Int? {
      guard let n = integer(UInt32.self).map(Int.init), n <= end - at else { return nil }
      return n
    }
    mutating func string() -> String? {
      guard let n = count() else { return nil }
      defer { at += n }
      return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }
    mutating func time() -> Stamp.Time? {
      guard let seconds = integer(Int64.self), let nanoseconds = integer(Int64.self) else { return nil }
      return Stamp.Time(seconds: seconds, nanoseconds: nanoseconds)
    }
    mutating func stamp() -> Stamp? {
      guard let device = integer(UInt64.self), let inode = integer(UInt64.self), let mode = integer(UInt32.self),
        let size = integer(Int64.self), let modified = time(), let changed = time()
      else { return nil }
      return Stamp(device: device, inode: inode, mode: mode, size: size, modified: modified, changed: changed)
    }
    /// `.some(nil)`: recorded as absent.
    mutating func optionalStamp() -> Stamp?? {
      switch integer(UInt8.self) {
      case 0: return .some(nil)
      case 1: return stamp().map { .some($0) }
      default: return nil
      }
    }
    mutating func indexIdentity() -> IndexIdentity? {
      guard let size = integer(Int64.self), let n = count() else { return nil }
      defer { at += n }
      return IndexIdentity(size: Int(size), checksum: Array(bytes[at..<(at + n)]))
    }
    mutating func state() -> WorktreeEntry.State? {
      switch integer(UInt8.self) {
      case 0:
        guard end - at >= 20 else { return nil }
        defer { at += 20 }
        return bytes.withUnsafeBytes {
          .unmodified(ObjectID(bytes: UnsafeRawBufferPointer(rebasing: $0[at..<(at + 20)])))
        }
      case 1: return .modified
      case 2: return .untracked
      default: return nil
      }
    }
  }
}
