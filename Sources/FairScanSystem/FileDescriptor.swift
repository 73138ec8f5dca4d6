import Glibc

/// An open file descriptor. A plain value: whoever opened it closes it (`close()`), once.
public struct FileDescriptor: Sendable, Equatable {
  public let rawValue: Int32

  @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

  public static let standardInput = FileDescriptor(rawValue: 0)
  public static let standardError = FileDescriptor(rawValue: 2)

  /// Opens `path` for reading without following a symlink in its last component (that fails
  /// with `SystemError.isSymbolicLink`) and without blocking on a FIFO; close-on-exec.
  @inlinable public static func openForReading(_ path: UnsafePointer<CChar>) throws(SystemError) -> FileDescriptor {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw .current }
    return FileDescriptor(rawValue: fd)
  }

  /// Opens `path` read-write, creating it readable and writable by its owner only (0600) when
  /// it does not exist; close-on-exec.
  @inlinable public static func openCreatingPrivate(_ path: UnsafePointer<CChar>) throws(SystemError) -> FileDescriptor
  {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .current }
    return FileDescriptor(rawValue: fd)
  }

  @inlinable public func close() { _ = Glibc.close(rawValue) }

  /// `fstat`.
  @inlinable public func status() throws(SystemError) -> FileStatus {
    var info = stat()
    guard fstat(rawValue, &info) == 0 else { throw .current }
    return FileStatus(info)
  }

  /// Reads into `buffer[0..<count]` until it is full or the file ends; the number of bytes read
  /// (fewer than `count` only at the end of the file). Interrupted reads are retried.
  @inlinable public func read(into buffer: inout [UInt8], count: Int) throws(SystemError) -> Int {
    try fill(&buffer, count: count) { start, wanted, _ in Glibc.read(rawValue, start, wanted) }
  }

  /// As `read(into:count:)`, from byte `offset` of the file (`pread`: the file position is
  /// neither used nor moved).
  @inlinable public func read(into buffer: inout [UInt8], count: Int, at offset: Int) throws(SystemError) -> Int {
    try fill(&buffer, count: count) { start, wanted, filled in pread(rawValue, start, wanted, off_t(offset + filled)) }
  }

  /// The loop both reads share: `call(start, wanted, filled)` reads up to `wanted` bytes to
  /// `start` (`filled` bytes are in already) and returns what `read` returns.
  @inlinable func fill(
    _ buffer: inout [UInt8], count: Int, _ call: (UnsafeMutableRawPointer, Int, Int) -> Int
  ) throws(SystemError) -> Int {
    precondition(count <= buffer.count)
    var filled = 0
    while filled < count {
      let n = buffer.withUnsafeMutableBytes { call($0.baseAddress! + filled, count - filled, filled) }
      if n < 0 {
        let error = SystemError.current
        if error.isInterrupted { continue }
        throw error
      }
      if n == 0 { break }
      filled += n
    }
    return filled
  }

  /// One `read` into the whole of `buffer`: the bytes read, 0 at the end of the file.
  /// An interrupted read is retried.
  @inlinable public func readSome(into buffer: inout [UInt8]) throws(SystemError) -> Int {
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(rawValue, $0.baseAddress!, $0.count) }
      if n >= 0 { return n }
      let error = SystemError.current
      if !error.isInterrupted { throw error }
    }
  }

  /// One `write` of `bytes`, for diagnostics: a failure or a short write is ignored.
  @inlinable public func writeIgnoringErrors(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.write(rawValue, $0.baseAddress, $0.count) }
  }
}
