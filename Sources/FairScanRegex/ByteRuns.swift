import CByteScan

/// Runs of bytes of one class, found over a whole buffer with SIMD compares (`CByteScan`).
public enum ByteRuns {
  /// The best implementation this CPU runs (0 a plain loop, 1 SSE2, 2 AVX2).
  public static var bestLevel: Int { Int(fs_base64_runs_best_level()) }

  /// The maximal runs of base64 bytes (both alphabets and `=`) at least `minimum` (1...64)
  /// long, in order. Wraps `fs_base64_runs`.
  /// `level`: the implementation, for tests (0 a plain loop, 1 SSE2, 2 AVX2; nil the best here).
  public static func base64(in buffer: UnsafeRawBufferPointer, minimum: Int, level: Int? = nil) -> [Range<Int>] {
    guard let base = buffer.baseAddress, buffer.count >= minimum, (1...64).contains(minimum) else { return [] }
    let bytes = base.assumingMemoryBound(to: UInt8.self)
    var result: [Range<Int>] = []
    var found = [fs_byte_run](repeating: fs_byte_run(), count: 256)
    var from = 0
    while from < buffer.count {
      let n = found.withUnsafeMutableBufferPointer {
        fs_base64_runs_level(
          bytes, buffer.count, from, minimum, $0.baseAddress, $0.count, Int32(level ?? Int(bestLevel)))
      }
      for run in found[0..<n] { result.append(Int(run.start)..<Int(run.end)) }
      guard n == found.count else { break }
      from = Int(found[n - 1].end)
    }
    return result
  }
}
