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
}

extension ObjectReader: ObjectReading {}
