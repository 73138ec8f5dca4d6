/// What the scanner needs from an object reader: a header without the contents,
/// and the contents for the length of one call.
///
/// `ObjectReader` (libgit2) is the implementation today; a faster reader (one that
/// inflates pack entries itself, say) can take its place without touching the scanner.
public protocol ObjectReading: AnyObject {
  /// The object's kind and inflated size, without reading its contents.
  func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int)
  /// Calls `body` with the object's kind and bytes; the bytes are valid only during the call.
  func withObject<T>(_ id: ObjectID, _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> T) throws -> T
  /// The object's kind and bytes, owned by the result (a default copies through `withObject`).
  func contents(_ id: ObjectID) throws -> ObjectContents
}

extension ObjectReader: ObjectReading {}

extension ObjectReading {
  /// The object's kind and bytes, owned by the result: a copy, unless the reader can hand over
  /// its own buffer (`ObjectReader` does).
  public func contents(_ id: ObjectID) throws -> ObjectContents {
    try withObject(id) { kind, bytes in ObjectContents(kind: kind, copying: bytes) }
  }
}

/// An object's bytes, kept (not copied) until the last reference to them goes: the reader
/// hands them to a scanning thread as they are.
public final class ObjectContents: @unchecked Sendable {
  public let kind: ObjectKind
  public let bytes: UnsafeRawBufferPointer
  private let release: () -> Void

  init(kind: ObjectKind, bytes: UnsafeRawBufferPointer, release: @escaping () -> Void) {
    self.kind = kind
    self.bytes = bytes
    self.release = release
  }

  /// A copy of `bytes` (for readers whose buffers do not outlive a call).
  public convenience init(kind: ObjectKind, copying bytes: UnsafeRawBufferPointer) {
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    if let base = bytes.baseAddress, !bytes.isEmpty { copy.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
    self.init(kind: kind, bytes: UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count])) { copy.deallocate() }
  }

  deinit { release() }
}
