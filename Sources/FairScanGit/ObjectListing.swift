/// Every object in a repository's object database, each once, in an order that reads fast.
public struct ObjectListing: Sendable {
  /// Pack by pack (objects sorted by pack offset), then loose objects (sorted by id).
  public var ids: [ObjectID]
  /// How many of `ids` came from packs.
  public var packedCount: Int
  /// How many of `ids` are loose objects not also in a pack.
  public var looseCount: Int

  public init(ids: [ObjectID], packedCount: Int, looseCount: Int) {
    self.ids = ids
    self.packedCount = packedCount
    self.looseCount = looseCount
  }
}
