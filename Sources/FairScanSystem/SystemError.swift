import Glibc

/// A failed system call: its `errno`.
public struct SystemError: Error, Sendable, Equatable {
  public let code: Int32

  @inlinable public init(code: Int32) { self.code = code }

  /// The current thread's `errno`, read right after the call that failed.
  @inlinable public static var current: SystemError { SystemError(code: errno) }

  /// `strerror`, e.g. "No such file or directory".
  public var message: String { String(cString: strerror(code)) }

  /// `ELOOP`: the last path component is a symlink and the open was asked not to follow it.
  public var isSymbolicLink: Bool { code == ELOOP }

  /// `EINTR`: interrupted by a signal before anything happened; retried by the readers here.
  @inlinable var isInterrupted: Bool { code == EINTR }
}
