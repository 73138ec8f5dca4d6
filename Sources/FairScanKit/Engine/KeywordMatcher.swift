/// Finds which of a set of keywords occur in content, ignoring ASCII case, in one
/// pass: an Aho–Corasick automaton compiled to a dense transition table.
///
/// This is the gate every rule passes before PCRE2 runs: a rule runs on content only
/// if one of its keywords occurs there. Pure Swift, so its answer never depends on
/// the CPU's vector units or the buffer's alignment.
struct KeywordMatcher: Sendable {
  /// `table[state << 8 | byte]`: the next state.
  private let table: [Int32]
  /// Keyword ids that end in each state (its own and those reached through failure links),
  /// flattened: state `s` owns `outputIDs[outputStart[s]..<outputStart[s + 1]]`.
  private let outputStart: [Int32]
  private let outputIDs: [Int32]
  /// The start filter: bit `hash(b0 b1 b2)` is set when some three-byte keyword is those bytes,
  /// and bit `quadHash(b0 b1 b2 b3)` when a longer keyword starts with those four (compared with
  /// bit 0x20 set on every byte, which folds ASCII case and can only add false alarms). Four
  /// bytes tell far more positions apart than three (`data` is rarer than `dat`). Positions
  /// whose bits are clear are skipped without running the automaton.
  /// Nil when a keyword is shorter than three bytes: then every position runs the automaton.
  private let startFilter: [UInt64]?
  static let filterBits = 15  // 4 KiB: stays in L1
  /// A cheaper first check: entry `(b0 | 0x20) | (b1 | 0x20) << 8` is 1 when some keyword
  /// starts with b0 b1 (case folded the same way). Most positions stop here.
  private let startPairs: [UInt8]
  let keywordCount: Int

  /// `keywords` are matched case-insensitively (ASCII); empty ones are ignored.
  init(keywords: [[UInt8]]) {
    keywordCount = keywords.count
    // The trie, over lowercase bytes.
    var children: [[UInt8: Int32]] = [[:]]
    var ends: [[Int]] = [[]]
    for (id, word) in keywords.enumerated() where !word.isEmpty {
      var state: Int32 = 0
      for byte in word.map(ASCII.lowercase) {
        if let next = children[Int(state)][byte] {
          state = next
        } else {
          children.append([:])
          ends.append([])
          let next = Int32(children.count - 1)
          children[Int(state)][byte] = next
          state = next
        }
      }
      ends[Int(state)].append(id)
    }
    // Breadth-first: failure links, merged outputs and the dense table.
    let count = children.count
    var failure = [Int32](repeating: 0, count: count)
    var table = [Int32](repeating: 0, count: count << 8)
    var outputs = ends
    var queue: [Int32] = []
    for byte in 0..<256 {
      let lower = ASCII.lowercase(UInt8(byte))
      if let next = children[0][lower] {
        table[byte] = next
        if UInt8(byte) == lower { queue.append(next) }
      }
    }
    // Each state's row is its failure state's row (complete: failure states are shallower,
    // so breadth-first order has filled them) with the state's own children on top. Copying
    // rows instead of asking the trie for all 256 bytes keeps this to a few milliseconds for
    // the built-in keywords, which every run of fairscan pays at start.
    var head = 0
    table.withUnsafeMutableBufferPointer { t in
      while head < queue.count {
        let state = Int(queue[head])
        head += 1
        let fail = Int(failure[state])
        outputs[state] += outputs[fail]
        let row = state << 8, failRow = fail << 8
        for byte in 0..<256 { t[row | byte] = t[failRow | byte] }
        for (byte, next) in children[state].sorted(by: { $0.key < $1.key }) {
          // Keys are lowercase: the byte and, for a letter, its uppercase form lead to `next`.
          t[row | Int(byte)] = next
          if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { t[row | Int(byte - 32)] = next }
          failure[Int(next)] = t[failRow | Int(byte)]
          queue.append(next)
        }
      }
    }
    self.table = table
    var start: [Int32] = [0]
    var ids: [Int32] = []
    for list in outputs {
      ids += list.map { Int32($0) }
      start.append(Int32(ids.count))
    }
    outputStart = start
    outputIDs = ids
    let words = keywords.filter { !$0.isEmpty }
    if !words.isEmpty && words.allSatisfy({ $0.count >= 3 }) {
      var bits = [UInt64](repeating: 0, count: (1 << KeywordMatcher.filterBits) / 64)
      for word in words {
        let three = UInt32(word[0]) | UInt32(word[1]) << 8 | UInt32(word[2]) << 16
        let h = word.count == 3
          ? KeywordMatcher.trigramHash(three) : KeywordMatcher.quadHash(three | UInt32(word[3]) << 24)
        bits[h >> 6] |= 1 << UInt64(h & 63)
      }
      startFilter = bits
    } else {
      startFilter = nil
    }
    var pairs = [UInt8](repeating: 0, count: 65536)
    for word in words where word.count >= 2 {
      pairs[Int(word[0] | 0x20) | Int(word[1] | 0x20) << 8] = 1
    }
    startPairs = pairs
  }

  /// Hashes four bytes (little-endian) after folding bit 0x20 into each.
  @inline(__always) static func quadHash(_ word: UInt32) -> Int {
    let folded = word | 0x2020_2020
    return Int((folded &* 2_246_822_507) >> UInt32(32 - filterBits))
  }

  /// Hashes three bytes (little-endian in the low 24 bits) after folding bit 0x20 into each.
  @inline(__always) static func trigramHash(_ word: UInt32) -> Int {
    let folded = (word | 0x0020_2020) & 0x00FF_FFFF
    return Int((folded &* 2_654_435_761) >> UInt32(32 - filterBits))
  }

  /// Sets `found[id]` for every keyword that occurs in `content`; stops once all are found.
  /// Marks in `found` the keywords that occur in `content`. For the keywords flagged in
  /// `record`, also appends each occurrence (keyword id, end offset) to `positions`.
  func scan(
    _ content: UnsafeRawBufferPointer, found: inout [Bool], record: [Bool] = [],
    positions: inout [(keyword: Int32, end: Int32)]
  ) {
    guard keywordCount > 0, let base = content.baseAddress else { return }
    var missing = found.lazy.filter { !$0 }.count
    let recording = !record.isEmpty
    guard missing > 0 || recording else { return }
    let bytes = base.assumingMemoryBound(to: UInt8.self)
    let n = content.count
    table.withUnsafeBufferPointer { t in
      outputStart.withUnsafeBufferPointer { start in
        (startFilter ?? []).withUnsafeBufferPointer { filter in
         startPairs.withUnsafeBufferPointer { pairs in
          let filtered = startFilter != nil
          let raw = UnsafeRawPointer(bytes)
          @inline(__always) func pair(_ k: Int) -> UInt8 {
            pairs[Int(raw.loadUnaligned(fromByteOffset: k, as: UInt16.self) | 0x2020)]
          }
          @inline(__always) func maybe(_ k: Int) -> UInt64 {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt32.self)
            let h3 = KeywordMatcher.trigramHash(word), h4 = KeywordMatcher.quadHash(word)
            return (filter[h3 >> 6] >> UInt64(h3 & 63) | filter[h4 >> 6] >> UInt64(h4 & 63)) & 1
          }
          var i = 0
          while i < n {
            if filtered {
              // Skip positions where no keyword can start: a two-byte table first, eight positions
              // at a time, then the three-byte filter (which reads four bytes: stop four short of the end).
              while i + 11 <= n
                && (pair(i) | pair(i + 1) | pair(i + 2) | pair(i + 3) | pair(i + 4) | pair(i + 5) | pair(i + 6)
                  | pair(i + 7)) == 0
              {
                i += 8
              }
              if i + 4 <= n && (pair(i) == 0 || maybe(i) == 0) {
                i += 1
                continue
              }
            }
            // Run the automaton from the root until no keyword is in progress any more.
            var state = 0
            repeat {
              state = Int(t[state << 8 | Int(bytes[i])])
              i += 1
              let first = Int(start[state]), end = Int(start[state + 1])
              if first != end {
                for k in first..<end {
                  let id = Int(outputIDs[k])
                  if recording && record[id] { positions.append((Int32(id), Int32(i))) }
                  if !found[id] {
                    found[id] = true
                    missing -= 1
                  }
                }
                if missing == 0 && !recording { return }
              }
            } while state != 0 && i < n
          }
         }
        }
      }
    }
  }

  func scan(_ content: UnsafeRawBufferPointer, found: inout [Bool]) {
    var none: [(keyword: Int32, end: Int32)] = []
    scan(content, found: &found, positions: &none)
  }
}
