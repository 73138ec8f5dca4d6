import Glibc

/// What `stat` says of a file: its kind, size, permissions, and modification and change times.
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
  /// The permission bits (`st_mode & 0o7777`).
  public let permissions: UInt32
  /// The change time (`st_ctim`): when the file's content or metadata last changed.
  public let changedSeconds: Int
  public let changedNanoseconds: Int

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
    permissions = UInt32(info.st_mode & 0o7777)
    changedSeconds = Int(info.st_ctim.tv_sec)
    changedNanoseconds = Int(info.st_ctim.tv_nsec)
  }

  /// The status of `path`: of the symlink itself when `followingSymlinks` is false (`lstat`),
  /// else of what it points to (`stat`).
  @inlinable public init(path: UnsafePointer<CChar>, followingSymlinks: Bool) throws(SystemError) {
    var info = stat()
    guard (followingSymlinks ? stat(path, &info) : lstat(path, &info)) == 0 else { throw .current }
    self.init(info)
  }
}
