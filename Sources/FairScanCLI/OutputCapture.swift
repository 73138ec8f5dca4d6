import Synchronization

/// The output of commands run in process: the bytes written to each file descriptor.
final class OutputCapture: Sendable {
  private let written = Mutex<[Int32: [UInt8]]>([:])

  init() {}

  func append(_ bytes: [UInt8], to fd: Int32) {
    written.withLock { $0[fd, default: []] += bytes }
  }

  /// What was written to `fd` so far.
  func bytes(_ fd: Int32) -> [UInt8] { written.withLock { $0[fd] ?? [] } }

  /// What was written to `fd`, as text.
  func text(_ fd: Int32) -> String { String(decoding: bytes(fd), as: UTF8.self) }
}
