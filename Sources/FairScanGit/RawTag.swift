/// An annotated tag parsed from its raw object bytes.
public struct RawTag: Sendable {
  public var id: ObjectID
  /// The object the tag points at (may itself be a tag).
  public var target: ObjectID
  /// The kind named by the `type` header.
  public var targetKind: ObjectKind
  public var name: String
  /// nil for old tags without a `tagger` line.
  public var tagger: Signature?
  /// Byte range of the message (including any appended signature) in the raw object.
  public var messageRange: Range<Int>

  public init(
    id: ObjectID, target: ObjectID, targetKind: ObjectKind, name: String,
    tagger: Signature?, messageRange: Range<Int>
  ) {
    self.id = id
    self.target = target
    self.targetKind = targetKind
    self.name = name
    self.tagger = tagger
    self.messageRange = messageRange
  }
}

/// Parses a tag object's bytes in pure Swift; nil when there is no valid `object` header.
public func parseRawTag(_ raw: UnsafeRawBufferPointer, id: ObjectID) -> RawTag? {
  var target: ObjectID?
  var kind = ObjectKind.other
  var name = ""
  var tagger: Signature?
  let messageStart = forEachHeader(raw) { key, value in
    if bytesEqual(key, "object") {
      target = hexID(value)
      return target != nil
    } else if bytesEqual(key, "type") {
      if bytesEqual(value, "commit") {
        kind = .commit
      } else if bytesEqual(value, "tree") {
        kind = .tree
      } else if bytesEqual(value, "blob") {
        kind = .blob
      } else if bytesEqual(value, "tag") {
        kind = .tag
      }
    } else if bytesEqual(key, "tag") {
      name = String(decoding: value, as: UTF8.self)
    } else if bytesEqual(key, "tagger") {
      tagger = Signature(headerValue: value)
    }
    return true
  }
  guard let start = messageStart, let targetID = target else { return nil }
  return RawTag(
    id: id, target: targetID, targetKind: kind, name: name, tagger: tagger,
    messageRange: start..<raw.count)
}
