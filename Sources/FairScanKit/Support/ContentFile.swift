import FairScanSystem

/// An open regular file read piece by piece (`pread`), for content too large to hold
/// (`ContentWindows`). It owns the descriptor and closes it on deinit; one buffer, the size
/// of the largest piece asked, is reused.
final class ContentFile: ContentSource {
  typealias Failure = ContentReadError
  private let file: FileDescriptor
  let count: Int
  private var buffer: [UInt8] = []

  /// Takes ownership of `file`, a regular file of `count` bytes.
  init(file: FileDescriptor, count: Int) {
    self.file = file
    self.count = count
  }

  deinit { file.close() }

  func withBytes(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) throws(ContentReadError) {
    if buffer.count < range.count { buffer = [UInt8](repeating: 0, count: range.count) }
    let filled: Int
    do { filled = try file.read(into: &buffer, count: range.count, at: range.lowerBound) } catch {
      throw ContentReadError(message: error.message)
    }
    if filled < range.count { throw ContentReadError(message: "the file shrank while it was read") }
    buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<range.count])) }
  }
}
