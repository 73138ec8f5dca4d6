import Foundation

/// Parses a byte count: a plain integer ("1024"), or a number with a unit
/// ("10KiB", "50 MiB", "1.5GiB"). Units are case-insensitive: `B`; `K`, `KB`, `KiB`;
/// `M`, `MB`, `MiB`; `G`, `GB`, `GiB`; `T`, `TB`, `TiB`. All multiples are powers of
/// 1024: "5MB" is 5 MiB (5 242 880 bytes), as in git's size settings, since a size
/// limit is about files and nobody means 5 000 000 exactly. Nil when malformed,
/// negative or too large for `Int`.
public func parseByteSize(_ s: String) -> Int? {
  let text = s.trimmingCharacters(in: .whitespaces)
  let numberEnd = text.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? text.endIndex
  let number = String(text[..<numberEnd])
  let unit = text[numberEnd...].trimmingCharacters(in: .whitespaces).lowercased()
  let shifts: [String: Int] = [
    "": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20,
    "g": 30, "gb": 30, "gib": 30, "t": 40, "tb": 40, "tib": 40,
  ]
  guard !number.isEmpty, let shift = shifts[unit] else { return nil }
  if let whole = Int(number) {
    let (value, overflow) = whole.multipliedReportingOverflow(by: 1 << shift)
    return overflow ? nil : value
  }
  guard shift > 0, number.filter({ $0 == "." }).count == 1, number.first != ".", number.last != ".",
    let fraction = Double(number)
  else { return nil }
  let value = (fraction * Double(1 << shift)).rounded(.down)
  return value < Double(Int.max) ? Int(value) : nil
}
