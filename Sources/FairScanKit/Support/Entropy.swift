import FairScanSystem

/// Shannon entropy in bits per byte.
public enum Entropy {
  public static func shannon<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
    guard !bytes.isEmpty else { return 0 }
    var counts = [Int](repeating: 0, count: 256)
    for b in bytes { counts[Int(b)] += 1 }
    let n = Double(bytes.count)
    var h = 0.0
    for c in counts where c > 0 {
      let p = Double(c) / n
      h -= p * Math.log2(p)
    }
    return h
  }
}
