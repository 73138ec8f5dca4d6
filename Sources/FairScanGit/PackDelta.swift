/// Git's delta format: two sizes (base, result) as little-endian base-128 numbers, then
/// instructions that either copy a range of the base or insert the bytes that follow them.
///
/// Every instruction is checked against the base and the result before any byte moves, so a
/// malformed delta fails (`apply` returns false) and never reads or writes out of bounds.
enum PackDelta {
  /// The base size and result size at the start of `delta`, and where the instructions start.
  static func sizes(_ delta: UnsafeRawBufferPointer) -> (base: Int, result: Int, instructions: Int)? {
    var at = 0
    guard let base = number(delta, &at), let result = number(delta, &at) else { return nil }
    return (base, result, at)
  }

  /// Applies the instructions of `delta` (from `at`) to `base`, filling `output` exactly.
  static func apply(
    _ delta: UnsafeRawBufferPointer, from at: Int, base: UnsafeRawBufferPointer,
    into output: UnsafeMutableRawBufferPointer
  ) -> Bool {
    var at = at
    var written = 0
    let end = delta.count
    while at < end {
      let op = delta[at]
      at += 1
      if op & 0x80 != 0 {
        var offset = 0, size = 0
        for bit in 0..<4 where op & (1 << bit) != 0 {
          guard at < end else { return false }
          offset |= Int(delta[at]) << (8 * bit)
          at += 1
        }
        for bit in 0..<3 where op & (0x10 << bit) != 0 {
          guard at < end else { return false }
          size |= Int(delta[at]) << (8 * bit)
          at += 1
        }
        if size == 0 { size = 0x10000 }
        guard offset + size <= base.count, written + size <= output.count else { return false }
        output.baseAddress!.advanced(by: written)
          .copyMemory(from: base.baseAddress!.advanced(by: offset), byteCount: size)
        written += size
      } else if op != 0 {
        let size = Int(op)
        guard at + size <= end, written + size <= output.count else { return false }
        output.baseAddress!.advanced(by: written)
          .copyMemory(from: delta.baseAddress!.advanced(by: at), byteCount: size)
        at += size
        written += size
      } else {
        return false  // reserved
      }
    }
    return written == output.count
  }

  private static func number(_ bytes: UnsafeRawBufferPointer, _ at: inout Int) -> Int? {
    var value = 0, shift = 0
    while at < bytes.count {
      let byte = bytes[at]
      at += 1
      value |= Int(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
      if shift > 56 { return nil }
    }
    return nil
  }
}
