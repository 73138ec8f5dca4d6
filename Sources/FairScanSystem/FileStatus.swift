import Glibc

/// What `stat` says of a file: its kind, size and modification time.
public struct FileStatus: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case regular, directory, symbolicLink
    /// FIFOs, sockets, devices.
    case other
  }

  public let kind: Kind
  public let size: Int
  public let modifiedSeconds: Int
  public let modifiedNanoseconds: Int

  @inlinable init(_ info: stat) {
    switch info.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .directory
    case S_IFLNK: kind = .symbolicLink
    default: kind = .other
    }
    size = Int(info.st_size)
    modifiedSeconds = Int(info.st_mtim.tv_sec)
    modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
  }

  /// The status of `path`: of the symlink itself when `followingSymlinks` is false (`lstat`),
  /// else of what it points to (`stat`).
  @inlinable public init(path: UnsafePointer<CChar>, followingSymlinks: Bool) throws(SystemError) {
    var info = stat()
    guard (followingSymlinks ? stat(path, &info) : lstat(path, &info)) == 0 else { throw .current }
    self.init(info)
  }
}
