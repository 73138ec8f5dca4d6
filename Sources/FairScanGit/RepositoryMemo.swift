import FairScanSystem
import Glibc

/// What a scan learnt about a repository through libgit2, kept beside the work tree's record
/// (`WorktreeSnapshot`) so that the next scan of an unchanged repository needs no libgit2 at all:
/// opening libgit2 and the libraries it pulls in, finding the repository, listing and peeling
/// its refs cost more than the rest of a warm rescan of a small repository.
///
/// The facts (`Facts`) are the repository's state hash for the scan cache, the damage found
/// among the refs, the shallow boundaries and the blobs at `HEAD` of the findings' paths: each a
/// function of files in the git directory and of objects, which never change under their ids. A
/// stale memo would hide a secret or a damaged ref, so it is used only when all of these are as
/// they were when the facts were read (`lstat`: device, inode, mode, size, modification and
/// change times, to the nanosecond), present or absent:
/// - `HEAD`, `config`, `commondir`, `packed-refs`, `shallow`, `index` and
///   `objects/info/alternates` in the git directory;
/// - `objects/`, `objects/pack/` and every fan-out folder of loose objects: a new object or pack
///   (or one removed) moves the folder's times;
/// - every folder and file under `refs/`: a new, moved, rewritten or deleted ref;
/// - `HEAD`, `objects` and `refs` in the work tree's top (with them, libgit2 would find a
///   repository there before `.git`).
///
/// Only the plain layout has a memo (`plainRepository`): a work tree whose `.git` is a folder
/// (no link, no `.git` file of a linked work tree or submodule), both owned by the user, without
/// alternates; the top and its `.git` must be the very folders (device and inode) the memo was
/// made for. Anything else opens libgit2 as before. Facts read while something they depend on
/// changed, or shortly before (`WorktreeSnapshot`'s racy margins), are not kept.
///
/// The memo is `<git dir>/fairscan/repository-memo`, written like the work tree's record (a new
/// file renamed over the old one, a CRC-32 at its end) by scans that use the cache in the git
/// directory.
public struct RepositoryMemo: Sendable, Equatable {
  /// What a scan read through libgit2, as it gave it.
  public struct Facts: Sendable, Equatable {
    /// The scan cache's key (rules, settings, version) the state was computed with.
    public var cacheKey: String
    /// The repository's state hash for that key: refs, objects, index.
    public var state: String
    /// `Repository.referenceDamage()`.
    public var damage: [String]
    /// `Repository.shallowBoundaries()` for a shallow clone; nil when the clone is not shallow.
    public var shallowBoundaries: [ObjectID]?
    /// The paths looked up at `HEAD`, each with its blob there (nil: not at `HEAD`, or no `HEAD`).
    public var headBlobs: [String: ObjectID?]

    public init(
      cacheKey: String, state: String, damage: [String], shallowBoundaries: [ObjectID]?,
      headBlobs: [String: ObjectID?]
    ) {
      (self.cacheKey, self.state, self.damage, self.shallowBoundaries, self.headBlobs) =
        (cacheKey, state, damage, shallowBoundaries, headBlobs)
    }
  }

  public let workingDirectory: String
  public let gitDirectory: String
  public let facts: Facts

  /// The memo's file for a git directory.
  public static func path(gitDirectory: String) -> String { gitDirectory + "/fairscan/repository-memo" }

  /// A work tree in the plain layout, as `plainRepository` found it: its top and git directory,
  /// and which folders (device and inode) they were.
  public struct PlainRepository: Sendable {
    public let workingDirectory: String
    public let gitDirectory: String
    let top: Identity
    let git: Identity
  }

  /// The work tree whose top is `path` (made absolute by its components), when it has the plain
  /// layout: `path/.git` a folder, both owned by the user. Nil otherwise (then only libgit2 can
  /// say where the repository is).
  public static func plainRepository(at path: String) -> PlainRepository? {
    let top = PathName.absolute(path)
    let git = top == "/" ? "/.git" : top + "/.git"
    guard let topInfo = Identity(path: top), let gitInfo = Identity(path: git), topInfo.isOwnedFolder,
      gitInfo.isOwnedFolder
    else { return nil }
    return PlainRepository(workingDirectory: top, gitDirectory: git, top: topInfo, git: gitInfo)
  }

  /// The memo of `plain`'s repository, if one was made for these very folders and nothing it
  /// depends on has changed since; nil otherwise (no memo, another format, a damaged file, any
  /// change).
  public static func holding(_ plain: PlainRepository) -> RepositoryMemo? {
    let (workingDirectory, gitDirectory) = (plain.workingDirectory, plain.gitDirectory)
    guard let bytes = WorktreeSnapshot.readWhole(path(gitDirectory: gitDirectory)),
      var reader = WorktreeSnapshot.Reader(checked: bytes, header: header),
      reader.string() == workingDirectory, reader.string() == gitDirectory,
      reader.identity() == plain.top, reader.identity() == plain.git, let watched = reader.count()
    else { return nil }
    for _ in 0..<watched {
      guard let file = reader.string(), let stamp = reader.optionalStamp(),
        stamp == WorktreeSnapshot.Stamp(path: file)
      else { return nil }
    }
    guard let facts = reader.facts(), reader.atEnd else { return nil }
    return RepositoryMemo(workingDirectory: workingDirectory, gitDirectory: gitDirectory, facts: facts)
  }

  /// Stamps `repo`'s files before its facts are read, when it has the plain layout and no
  /// alternates; nil otherwise (no memo for it).
  public static func begin(_ repo: Repository) -> Beginning? {
    guard let workdir = repo.workingDirectory, repo.commonDirectory == repo.gitDirectory,
      let plain = plainRepository(at: workdir), plain.gitDirectory == repo.gitDirectory
    else { return nil }
    let began = WorktreeSnapshot.Moment.now(gitDirectory: repo.gitDirectory)
    let watched = watchedFiles(workingDirectory: workdir, gitDirectory: repo.gitDirectory)
    // Alternates: objects elsewhere, which these stamps do not watch. Links: their targets.
    let alternates = repo.gitDirectory + "/objects/info/alternates"
    let link = UInt32(S_IFLNK)
    guard !watched.contains(where: { $0.0 == alternates && $0.1 != nil }),
      !watched.contains(where: { $0.1.map { $0.mode & UInt32(S_IFMT) == link } ?? false })
    else { return nil }
    return Beginning(plain: plain, watched: watched, began: began)
  }

  /// The files stamped when a scan began, to write its facts once it has them.
  public struct Beginning: Sendable {
    let plain: PlainRepository
    let watched: [(String, WorktreeSnapshot.Stamp?)]
    let began: WorktreeSnapshot.Moment

    /// Writes the memo of `facts`, unless a file it depends on changed since `begin` or shortly
    /// before (`margin`: instead of `WorktreeSnapshot`'s margins, for tests).
    public func write(_ facts: Facts, margin: Int? = nil) -> WorktreeSnapshot.Outcome {
      let now = RepositoryMemo.watchedFiles(workingDirectory: plain.workingDirectory, gitDirectory: plain.gitDirectory)
      guard now.elementsEqual(watched, by: { $0.0 == $1.0 && $0.1 == $1.1 }) else {
        return .notWritten("the repository changed while it was scanned")
      }
      var writer = WorktreeSnapshot.Writer(header: RepositoryMemo.header)
      writer.string(plain.workingDirectory)
      writer.string(plain.gitDirectory)
      writer.identity(plain.top)
      writer.identity(plain.git)
      writer.count(watched.count)
      var latest = WorktreeSnapshot.LatestChange()
      for (file, stamp) in watched {
        writer.string(file)
        writer.optionalStamp(stamp)
        if let stamp { latest.note(stamp) }
      }
      writer.facts(facts)
      return WorktreeSnapshot.replace(RepositoryMemo.path(gitDirectory: plain.gitDirectory), with: writer.finished()) {
        began.settled(latest, fileTime: $0, margin: margin)
      }
    }
  }

  /// A folder's device, inode and owner, by `lstat` (a link is not a folder).
  struct Identity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let isOwnedFolder: Bool

    init(device: UInt64, inode: UInt64, isOwnedFolder: Bool) {
      (self.device, self.inode, self.isOwnedFolder) = (device, inode, isOwnedFolder)
    }

    init?(path: String) {
      var info = stat()
      guard PathBytes.withCString(path, { lstat($0, &info) }) == 0 else { return nil }
      self.init(
        device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
        isOwnedFolder: info.st_mode & S_IFMT == S_IFDIR && info.st_uid == geteuid())
    }
  }

  /// Every file the facts depend on, with its stamp (nil: absent), in a fixed order.
  static func watchedFiles(workingDirectory: String, gitDirectory: String) -> [(String, WorktreeSnapshot.Stamp?)] {
    var files: [(String, WorktreeSnapshot.Stamp?)] = []
    func watch(_ path: String) { files.append((path, WorktreeSnapshot.Stamp(path: path))) }
    for name in ["HEAD", "objects", "refs"] { watch(workingDirectory + "/" + name) }
    for name in ["HEAD", "config", "commondir", "packed-refs", "shallow", "index", "objects/info/alternates"] {
      watch(gitDirectory + "/" + name)
    }
    let objects = gitDirectory + "/objects"
    watch(objects)
    watch(objects + "/pack")
    let fanOut = (WorktreeSnapshot.children(of: objects) ?? []).map(\.name).filter(Repository.isFanOutFolder)
    for name in fanOut.sorted() { watch(objects + "/" + name) }
    var folders = [gitDirectory + "/refs"]
    while let folder = folders.popLast() {
      watch(folder)
      guard files.last?.1?.isFolder == true else { continue }
      for child in (WorktreeSnapshot.children(of: folder) ?? []).sorted(by: { $0.name > $1.name }) {
        if child.isFolder { folders.append(folder + "/" + child.name) } else { watch(folder + "/" + child.name) }
      }
    }
    return files
  }

  static let header = Array("fairscan repository-memo 1\n".utf8)
}

extension WorktreeSnapshot.Writer {
  mutating func identity(_ identity: RepositoryMemo.Identity) {
    integer(identity.device)
    integer(identity.inode)
  }

  mutating func facts(_ facts: RepositoryMemo.Facts) {
    string(facts.cacheKey)
    string(facts.state)
    count(facts.damage.count)
    for line in facts.damage { string(line) }
    integer(UInt8(facts.shallowBoundaries == nil ? 0 : 1))
    if let boundaries = facts.shallowBoundaries {
      count(boundaries.count)
      for id in boundaries { string(id.hex) }
    }
    count(facts.headBlobs.count)
    for path in facts.headBlobs.keys.sorted() {
      string(path)
      string(facts.headBlobs[path]!?.hex ?? "")
    }
  }
}

extension WorktreeSnapshot.Reader {
  /// The device and inode `Writer.identity` wrote, of an owned folder.
  mutating func identity() -> RepositoryMemo.Identity? {
    guard let device = integer(UInt64.self), let inode = integer(UInt64.self) else { return nil }
    return RepositoryMemo.Identity(device: device, inode: inode, isOwnedFolder: true)
  }

  mutating func facts() -> RepositoryMemo.Facts? {
    guard let cacheKey = string(), let state = string(), let damageCount = count() else { return nil }
    var damage: [String] = []
    for _ in 0..<damageCount {
      guard let line = string() else { return nil }
      damage.append(line)
    }
    var shallow: [ObjectID]? = nil
    switch integer(UInt8.self) {
    case 0: break
    case 1:
      guard let n = count() else { return nil }
      var boundaries: [ObjectID] = []
      for _ in 0..<n {
        guard let hex = string(), let id = ObjectID(hex: hex) else { return nil }
        boundaries.append(id)
      }
      shallow = boundaries
    default: return nil
    }
    guard let n = count() else { return nil }
    var headBlobs: [String: ObjectID?] = [:]
    for _ in 0..<n {
      guard let path = string(), let hex = string() else { return nil }
      if hex.isEmpty {
        headBlobs[path] = .some(nil)
      } else {
        guard let id = ObjectID(hex: hex) else { return nil }
        headBlobs[path] = id
      }
    }
    return RepositoryMemo.Facts(
      cacheKey: cacheKey, state: state, damage: damage, shallowBoundaries: shallow, headBlobs: headBlobs)
  }
}
