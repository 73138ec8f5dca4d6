/// How content is cut into windows, so that memory stays flat whatever its size: each window
/// is `size` bytes of its own with `context` bytes on either side. A match is kept by the
/// window its first byte is in, so one spanning a boundary (seen whole in both windows) is
/// reported once, and the context lets every match shorter than `context` be seen whole.
/// Content up to `size + context` bytes is one window. The cut depends on the byte count
/// alone, so the same bytes give the same answer from a file on disk, a git blob, standard
/// input or an archive member.
public struct ContentWindows: Sendable, Equatable {
  /// Bytes each window owns (a multiple of 4, so UTF-16 and UTF-32 units are never cut).
  public var size: Int
  /// Bytes read on either side (a multiple of 4); longer than any secret, any line a
  /// snippet or an inline allow looks at (4 KiB), and any rule's keyword window.
  public var context: Int

  public static let standard = ContentWindows(size: 16 << 20, context: 256 << 10)

  public init(size: Int, context: Int) {
    precondition(size > 0 && size % 4 == 0 && context % 4 == 0, "windows must keep 4-byte alignment")
    self.size = size
    self.context = context
  }

  struct Window: Equatable {
    /// What is read.
    var bytes: Range<Int>
    /// Where the matches it keeps start.
    var own: Range<Int>
    var isLast: Bool
  }

  /// The windows of content of `count` bytes.
  func windows(count: Int) -> [Window] {
    guard count > size + context else { return [Window(bytes: 0..<count, own: 0..<count, isLast: true)] }
    let n = (count + size - 1) / size
    return (0..<n).map { k in
      Window(
        bytes: max(0, k * size - context)..<min(count, (k + 1) * size + context),
        own: k * size..<min(count, (k + 1) * size), isLast: k == n - 1)
    }
  }
}
