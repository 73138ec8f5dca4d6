import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One tree object, read as raw bytes (`git_odb_read`) and parsed here: fairscan's only tree
/// parser (internal). No libgit2 tree object is built.
///
/// Git stores a tree as entries `<octal mode> <name>\0<20-byte id>`, sorted by name, where a
/// directory's name compares as if it ended in `/` (`TreeEntry.order`). The whole object is
/// checked when it is read, as libgit2's parser checks it, so a tree reads whole or not at all.
/// `TreeCursor` looks entries up by merging two trees in git's order, in one pass.
///
/// The bytes are libgit2's: a tree must not outlive the repository that read it.
final class Tree {
  let id: ObjectID
  /// Number of entries.
  let count: Int
  /// Whether every entry sorts strictly after the one before it (`TreeEntry.order`); checked
  /// when first asked.
  private(set) lazy var isSorted: Bool = {
    var entries = self.entries
    guard var previous = entries.next() else { return true }
    while let entry = entries.next() {
      if TreeEntry.order(previous, entry) >= 0 { return false }
      previous = entry
    }
    return true
  }()
  private let contents: ObjectContents

  /// Reads and checks the tree `id`. Wraps `git_odb_read`.
  convenience init(odb: ObjectDatabase, id: ObjectID) throws(GitError) {
    try self.init(id: id, contents: try odb.contents(id))
  }

  /// Checks `contents` as the tree `id`: it must be a tree object whose entries all parse.
  init(id: ObjectID, contents: ObjectContents) throws(GitError) {
    guard contents.kind == .tree else {
      throw GitError(function: "Tree", code: GIT_ENOTFOUND.rawValue, message: "object \(id.hex) is not a tree")
    }
    var count = 0
    var offset = 0
    while offset < contents.bytes.count {
      guard let (_, next) = TreeEntry.parse(contents.bytes, at: offset) else {
        throw GitError(
          function: "Tree", code: GIT_ERROR.rawValue, message: "failed to parse tree \(id.hex) at byte \(offset)")
      }
      count += 1
      offset = next
    }
    self.id = id
    self.count = count
    self.contents = contents
  }

  /// The raw object (borrowed; valid while this tree lives).
  var bytes: UnsafeRawBufferPointer { contents.bytes }

  /// The entries in stored order. The iteration keeps this tree alive; an entry is valid
  /// only while the tree lives.
  var entries: TreeEntries { TreeEntries(tree: self) }
}

/// The entries of a checked `Tree`, in stored order.
struct TreeEntries: Sequence, IteratorProtocol {
  /// Held so that the bytes stay valid for the whole iteration.
  private let tree: Tree
  private let bytes: UnsafeRawBufferPointer
  private var offset = 0

  init(tree: Tree) {
    self.tree = tree
    bytes = tree.bytes
  }

  mutating func next() -> TreeEntry? {
    guard offset < bytes.count, let (entry, next) = TreeEntry.parse(bytes, at: offset) else { return nil }
    offset = next
    return entry
  }
}

/// One entry of a tree, borrowed from its `Tree`'s bytes (valid only while that tree lives).
struct TreeEntry {
  /// Where the entry's bytes start (its mode).
  let start: UnsafeRawPointer
  /// The mode as stored (`0o100644`, `0o040000`, `0o160000`, ...).
  let mode: UInt32
  /// The name's bytes (no NUL).
  let name: UnsafeRawBufferPointer
  /// Where the 20 id bytes start.
  let idBytes: UnsafeRawPointer

  var id: ObjectID { ObjectID(bytes: UnsafeRawBufferPointer(start: idBytes, count: 20)) }
  /// The number of bytes the entry takes.
  var length: Int { idBytes + 20 - start }
  var isTree: Bool { mode == 0o040000 }
  var isGitlink: Bool { mode == 0o160000 }
  var isBlob: Bool { !isTree && !isGitlink }
  /// Whether git sorts the name as a directory's (with a trailing `/`): `S_ISDIR(mode)`.
  var sortsAsDirectory: Bool { mode & 0o170000 == 0o040000 }
  /// The name as a `String` (lossless; see `PathBytes`).
  var nameString: String { PathBytes.string(name) }

  /// Whether the two entries name the same object.
  func hasSameID(as other: TreeEntry) -> Bool {
    idBytes.loadUnaligned(as: UInt64.self) == other.idBytes.loadUnaligned(as: UInt64.self)
      && idBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        == other.idBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      && idBytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
        == other.idBytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
  }

  /// Whether the entry's name is `other`'s.
  func hasName(of other: TreeEntry) -> Bool {
    name.count == other.name.count && memcmp(name.baseAddress!, other.name.baseAddress!, name.count) == 0
  }

  /// Git's order of tree entries (git's `base_name_compare`): names compared byte by byte,
  /// a directory's as if it ended in `/`. Negative, zero or positive as `a` sorts before,
  /// with or after `b`; zero only for the same name and the same directory-ness.
  @inline(__always)
  static func order(_ a: TreeEntry, _ b: TreeEntry) -> Int32 {
    let common = min(a.name.count, b.name.count)
    let x = a.name.baseAddress!, y = b.name.baseAddress!
    // Names are short: eight bytes at a time (big-endian, so the first byte weighs most).
    var i = 0
    while i + 8 <= common {
      let u = UInt64(bigEndian: x.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      let v = UInt64(bigEndian: y.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      if u != v { return u < v ? -1 : 1 }
      i += 8
    }
    while i < common {
      let u = x.load(fromByteOffset: i, as: UInt8.self), v = y.load(fromByteOffset: i, as: UInt8.self)
      if u != v { return Int32(u) - Int32(v) }
      i += 1
    }
    let next1: UInt8 = a.name.count > common ? a.name[common] : (a.sortsAsDirectory ? 0x2F : 0)
    let next2: UInt8 = b.name.count > common ? b.name[common] : (b.sortsAsDirectory ? 0x2F : 0)
    return Int32(next1) - Int32(next2)
  }

  /// Parses the entry at `start` as libgit2's tree parser does: one or more octal digits
  /// worth at most 0xFFFF, a space, a non-empty name of at most 0xFFFF bytes ending in NUL,
  /// then 20 id bytes. The entry and the offset after it; nil if malformed.
  @inline(__always)
  static func parse(_ bytes: UnsafeRawBufferPointer, at start: Int) -> (TreeEntry, Int)? {
    guard let base = bytes.baseAddress else { return nil }
    let end = bytes.count
    var i = start
    var mode: UInt32 = 0
    if start + 8 <= end {
      // The five modes git writes, with their space, at one load (little-endian ASCII).
      let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
      switch word & 0x00FF_FFFF_FFFF_FFFF {
      case 0x20_34_34_36_30_30_31: mode = 0o100644  // "100644 "
      case 0x20_35_35_37_30_30_31: mode = 0o100755  // "100755 "
      case 0x20_30_30_30_30_32_31: mode = 0o120000  // "120000 "
      case 0x20_30_30_30_30_36_31: mode = 0o160000  // "160000 "
      default: if word & 0xFFFF_FFFF_FFFF == 0x20_30_30_30_30_34 { mode = 0o040000 }  // "40000 "
      }
      if mode != 0 { i = start + (mode == 0o040000 ? 5 : 6) }
    }
    if mode == 0 {
      while i < end {
        let digit = base.load(fromByteOffset: i, as: UInt8.self) &- 0x30
        if digit >= 8 { break }
        mode = mode << 3 | UInt32(digit)
        if mode > 0xFFFF { return nil }
        i += 1
      }
    }
    guard i > start, i < end, base.load(fromByteOffset: i, as: UInt8.self) == 0x20 else { return nil }
    let nameStart = i + 1
    // The NUL after the name: names are short, so eight bytes at a time in place of memchr.
    var nul = nameStart
    while true {
      if nul + 8 <= end {
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: nul, as: UInt64.self))
        let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        if zeros == 0 { nul += 8; continue }
        nul += zeros.trailingZeroBitCount >> 3
        break
      }
      while nul < end && base.load(fromByteOffset: nul, as: UInt8.self) != 0 { nul += 1 }
      break
    }
    let nameLength = nul - nameStart
    let idStart = nul + 1
    guard nul < end, nameLength > 0, nameLength <= 0xFFFF, end - idStart >= 20 else { return nil }
    let entry = TreeEntry(
      start: base + start, mode: mode,
      name: UnsafeRawBufferPointer(start: base + nameStart, count: nameLength),
      idBytes: base + idStart)
    return (entry, idStart + 20)
  }
}

/// Finds, entry after entry, the entries of another tree with the same names (internal).
///
/// Look-ups go forward through the tree, as a merge of two lists in git's order does. A merge
/// never matches a wrong entry but can miss one in a tree that is not in git's order, so a
/// look-up that finds nothing searches the whole tree by name unless both trees are in order
/// (`Tree.isSorted`, checked only then: only an added entry or a file that became a directory
/// or back misses).
struct TreeCursor {
  let tree: Tree
  private let other: Tree
  private var offset = 0

  /// A cursor over `tree` for look-ups of the entries of `other`, in `other`'s stored order.
  init(_ tree: Tree, lookingFrom other: Tree) {
    self.tree = tree
    self.other = other
  }

  /// Whether the next entry is byte for byte `target` (same mode, name and id); if so the
  /// cursor moves past it. A look-up that says no changes nothing.
  mutating func skipSame(_ target: TreeEntry) -> Bool {
    let length = target.length
    guard tree.bytes.count - offset >= length,
      memcmp(tree.bytes.baseAddress! + offset, target.start, length) == 0
    else { return false }
    offset += length
    return true
  }

  /// The entry named as `target` is, if any. An entry of the other directory-ness is not the
  /// same name (git never stores both; a search by name finds the one that is there).
  mutating func find(_ target: TreeEntry) -> TreeEntry? {
    let bytes = tree.bytes
    while let (entry, next) = TreeEntry.parse(bytes, at: offset) {
      let c = TreeEntry.order(entry, target)
      if c > 0 { break }
      offset = next
      if c == 0 { return entry }
    }
    if tree.isSorted && other.isSorted { return nil }
    for entry in tree.entries where entry.hasName(of: target) { return entry }
    return nil
  }
}
