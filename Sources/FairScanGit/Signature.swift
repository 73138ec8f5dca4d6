/// An author, committer or tagger line: name, email, unix time and time-zone offset.
public struct Signature: Sendable, Equatable {
  public var name: String
  public var email: String
  /// Seconds since the unix epoch.
  public var time: Int64
  /// Time-zone offset east of UTC in minutes (`+0130` is 90, `-0500` is -300).
  public var offsetMinutes: Int

  public init(name: String, email: String, time: Int64, offsetMinutes: Int) {
    self.name = name
    self.email = email
    self.time = time
    self.offsetMinutes = offsetMinutes
  }
}

extension Signature {
  /// Parses the value of a signature header, `Name <email> 1700000000 +0100`.
  ///
  /// Lenient like git: a missing or malformed date gives time 0 and offset 0.
  /// Returns nil only when there is no `<email>` part.
  init?(headerValue v: UnsafeRawBufferPointer) {
    guard let close = v.lastIndex(of: UInt8(ascii: ">")),
      let open = v[..<close].lastIndex(of: UInt8(ascii: "<"))
    else { return nil }
    var nameEnd = open
    while nameEnd > 0 && v[nameEnd - 1] == UInt8(ascii: " ") { nameEnd -= 1 }
    name = String(decoding: UnsafeRawBufferPointer(rebasing: v[0..<nameEnd]), as: UTF8.self)
    email = String(decoding: UnsafeRawBufferPointer(rebasing: v[(open + 1)..<close]), as: UTF8.self)
    time = 0
    offsetMinutes = 0
    // After '>': " <digits> <+|-hhmm>"
    var i = close + 1
    while i < v.count && v[i] == UInt8(ascii: " ") { i += 1 }
    var seconds: Int64 = 0
    var sawDigit = false
    while i < v.count, let d = Signature.digit(v[i]) {
      seconds = seconds &* 10 &+ Int64(d); sawDigit = true; i += 1
    }
    guard sawDigit else { return }
    time = seconds
    while i < v.count && v[i] == UInt8(ascii: " ") { i += 1 }
    guard i + 5 <= v.count, v[i] == UInt8(ascii: "+") || v[i] == UInt8(ascii: "-") else { return }
    let sign = v[i] == UInt8(ascii: "-") ? -1 : 1
    var hhmm = [Int]()
    for k in 1...4 {
      guard let d = Signature.digit(v[i + k]) else { return }
      hhmm.append(d)
    }
    offsetMinutes = sign * ((hhmm[0] * 10 + hhmm[1]) * 60 + hhmm[2] * 10 + hhmm[3])
  }

  private static func digit(_ byte: UInt8) -> Int? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
  }
}
