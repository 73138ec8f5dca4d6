import CDeflate
#if canImport(Glibc)
  import Glibc
#endif

/// One pack file (`pack-*.pack`) and its version-2 index, the pack mapped read-only, with the
/// layout of every entry: its kind (a delta's is its base's), the size its header gives, where
/// its compressed data lies, and the entry it is a delta of.
///
/// Entries are numbered by their offset in the pack. Reading an entry (`inflate`) is safe from
/// any number of threads, each with its own `PackInflater`. Anything the layout cannot place
/// (a delta whose base is not in this pack, a header that runs off the end) is marked broken:
/// such entries are left to libgit2, which reports them as it always did.
public final class PackFile: @unchecked Sendable {
  /// The pack's path.
  public let path: String
  /// Object ids, by offset.
  public let ids: [ObjectID]
  /// The kind of each entry, through delta chains; nil for an entry that cannot be placed.
  let kinds: [ObjectKind?]
  /// The size in each entry's header: the object's own size, or the size of its delta data.
  let sizes: [Int]
  /// Where each entry's compressed data starts and ends in the pack.
  let dataStart: [Int]
  let dataEnd: [Int]
  /// The entry each delta applies to; `PackFile.none` for a whole object, `PackFile.broken`
  /// when the base cannot be placed.
  let bases: [Int32]
  private let map: UnsafeRawBufferPointer

  static let none: Int32 = -1
  static let broken: Int32 = -2

  /// Maps the pack beside `indexPath` (`pack-X.idx` -> `pack-X.pack`) and reads every
  /// entry's header. Throws when the index or the pack cannot be read, or they disagree.
  public init(indexPath: String) throws(GitError) {
    let packPath = String(indexPath.dropLast(4)) + ".pack"
    path = packPath
    let (ids, offsets) = try PackIndex.entriesByOffset(path: indexPath)
    self.ids = ids
    map = try Self.mapFile(packPath)
    let count = ids.count
    let fail = { (why: String) in GitError(function: "PackFile", code: -1, message: "\(why): '\(packPath)'") }
    guard map.count >= 32, map.load(fromByteOffset: 0, as: UInt32.self) == UInt32(0x4b43_4150),  // "PACK"
      [2, 3].contains(UInt32(bigEndian: map.loadUnaligned(fromByteOffset: 4, as: UInt32.self))),
      Int(UInt32(bigEndian: map.loadUnaligned(fromByteOffset: 8, as: UInt32.self))) == count
    else {
      munmap(UnsafeMutableRawPointer(mutating: map.baseAddress), map.count)
      throw fail("not a pack matching its index")
    }
    let end = map.count - 20
    var kinds = [ObjectKind?](repeating: nil, count: count)
    var sizes = [Int](repeating: 0, count: count)
    var starts = [Int](repeating: 0, count: count)
    var ends = [Int](repeating: 0, count: count)
    var bases = [Int32](repeating: PackFile.broken, count: count)
    var refBases: [(entry: Int, base: ObjectID)] = []
    for i in 0..<count {
      let offset = Int(clamping: offsets[i])
      let next = i + 1 < count ? Int(clamping: offsets[i + 1]) : end
      ends[i] = next
      guard offset >= 12, offset < next, next <= end,
        let header = PackEntryHeader(map, at: offset, end: next)
      else { continue }
      sizes[i] = header.size
      starts[i] = header.dataStart
      switch header.type {
      case 1: kinds[i] = .commit; bases[i] = PackFile.none
      case 2: kinds[i] = .tree; bases[i] = PackFile.none
      case 3: kinds[i] = .blob; bases[i] = PackFile.none
      case 4: kinds[i] = .tag; bases[i] = PackFile.none
      case 6:
        if let base = Self.entry(at: header.baseOffset, in: offsets), base < i { bases[i] = Int32(base) }
      case 7:
        refBases.append((i, header.baseID))
      default:
        break
      }
    }
    if !refBases.isEmpty {
      let byID = ids.indices.sorted { ids[$0] < ids[$1] }
      for (entry, base) in refBases {
        if let found = Self.search(base, in: byID, ids: ids), found != entry { bases[entry] = Int32(found) }
      }
    }
    // A delta's kind is its chain's whole object's; a chain that loops or breaks has none.
    for i in 0..<count where kinds[i] == nil && bases[i] >= 0 {
      var chain: [Int] = [i]
      var at = Int(bases[i])
      while kinds[at] == nil && bases[at] >= 0 && chain.count <= count {
        chain.append(at)
        at = Int(bases[at])
      }
      let kind = kinds[at]
      for link in chain { kinds[link] = kind }
      if kind == nil { for link in chain { bases[link] = PackFile.broken } }
    }
    self.kinds = kinds
    self.sizes = sizes
    self.dataStart = starts
    self.dataEnd = ends
    self.bases = bases
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: map.baseAddress), map.count)
  }

  /// How many objects the pack holds.
  public var count: Int { ids.count }

  /// How many objects the pack of `indexPath` holds, from the index's header alone.
  public static func objectCount(indexPath: String) -> Int? {
    PackIndex.objectCount(path: indexPath)
  }

  /// Inflates entry `entry`'s data (whole object or delta) into `output`, which must be
  /// exactly the entry's header size. False when the data is not valid zlib of that size.
  func inflate(_ entry: Int, into output: UnsafeMutableRawBufferPointer, with inflater: PackInflater) -> Bool {
    let start = dataStart[entry], end = dataEnd[entry]
    guard start > 0, start < end, output.count == sizes[entry] else { return false }
    var read = 0, written = 0
    let result = libdeflate_zlib_decompress_ex(
      inflater.decompressor, map.baseAddress! + start, end - start,
      output.baseAddress ?? UnsafeMutableRawPointer(mutating: map.baseAddress!), output.count, &read, &written)
    return result == LIBDEFLATE_SUCCESS && written == output.count
  }

  /// Lets go of the pages read so far (they stay in the page cache): keeps the resident size
  /// of a scan from growing with the pack.
  func releasePages() {
    madvise(UnsafeMutableRawPointer(mutating: map.baseAddress), map.count, MADV_DONTNEED)
  }

  /// Compressed bytes of entry `entry`.
  func compressedSize(_ entry: Int) -> Int { max(0, dataEnd[entry] - dataStart[entry]) }

  private static func mapFile(_ path: String) throws(GitError) -> UnsafeRawBufferPointer {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw GitError(function: "PackFile", code: -1, message: "cannot open '\(path)'") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else {
      throw GitError(function: "PackFile", code: -1, message: "cannot read '\(path)'")
    }
    let size = Int(info.st_size)
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw GitError(function: "PackFile", code: -1, message: "cannot map '\(path)'")
    }
    return UnsafeRawBufferPointer(start: base, count: size)
  }

  /// The entry that starts at `offset`, if any.
  private static func entry(at offset: Int, in offsets: [UInt64]) -> Int? {
    var low = 0, high = offsets.count
    let target = UInt64(offset)
    while low < high {
      let mid = (low + high) / 2
      if offsets[mid] < target { low = mid + 1 } else { high = mid }
    }
    return low < offsets.count && offsets[low] == target ? low : nil
  }

  /// The entry whose id is `id`, searching `byID` (entry numbers sorted by id).
  private static func search(_ id: ObjectID, in byID: [Int], ids: [ObjectID]) -> Int? {
    var low = 0, high = byID.count
    while low < high {
      let mid = (low + high) / 2
      if ids[byID[mid]] < id { low = mid + 1 } else { high = mid }
    }
    return low < byID.count && ids[byID[low]] == id ? byID[low] : nil
  }
}

/// One thread's libdeflate decompressor.
public final class PackInflater {
  let decompressor: OpaquePointer

  public init() {
    decompressor = libdeflate_alloc_decompressor()
  }

  deinit { libdeflate_free_decompressor(decompressor) }
}

/// The header of one pack entry: its type, size, where its data starts and, for a delta, its base.
struct PackEntryHeader {
  /// 1 commit, 2 tree, 3 blob, 4 tag, 6 delta by offset, 7 delta by id.
  var type: UInt8
  var size: Int
  var dataStart: Int
  var baseOffset = 0
  var baseID = ObjectID.zero

  /// Parses the header at `offset`; nil when it is malformed or runs past `end`.
  init?(_ map: UnsafeRawBufferPointer, at offset: Int, end: Int) {
    var at = offset
    guard at < end else { return nil }
    var byte = map[at]
    at += 1
    type = (byte >> 4) & 7
    var size = Int(byte & 15)
    var shift = 4
    while byte & 0x80 != 0 {
      guard at < end, shift <= 56 else { return nil }
      byte = map[at]
      at += 1
      size |= Int(byte & 0x7f) << shift
      shift += 7
    }
    self.size = size
    if type == 6 {
      guard at < end else { return nil }
      byte = map[at]
      at += 1
      var distance = Int(byte & 0x7f)
      while byte & 0x80 != 0 {
        guard at < end, distance < (1 << 55) else { return nil }
        byte = map[at]
        at += 1
        distance = ((distance + 1) << 7) | Int(byte & 0x7f)
      }
      guard distance > 0, distance <= offset else { return nil }
      baseOffset = offset - distance
    } else if type == 7 {
      guard at + 20 <= end else { return nil }
      baseID = ObjectID(bytes: UnsafeRawBufferPointer(rebasing: map[at..<(at + 20)]))
      at += 20
    }
    dataStart = at
  }
}
