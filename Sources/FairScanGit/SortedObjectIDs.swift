/// Distinct object ids in one sorted flat array: a read-only set at about half the memory of
/// a `Set<ObjectID>` (24 bytes an id, no empty buckets), looked up by binary search.
public struct SortedObjectIDs: RandomAccessCollection, Equatable, Sendable {
  private var ids: [ObjectID]

  public init() { ids = [] }

  /// The distinct ids of `ids`, in any order, with duplicates.
  public init(_ ids: [ObjectID]) {
    self.ids = ids
    self.ids.sort()
    self.ids.removeDuplicates()
  }

  /// `ids` as they are: already sorted, each once.
  init(sortedDistinct ids: [ObjectID]) { self.ids = ids }

  public var startIndex: Int { 0 }
  public var endIndex: Int { ids.count }
  public subscript(position: Int) -> ObjectID { ids[position] }

  public func contains(_ id: ObjectID) -> Bool {
    var low = 0, high = ids.count
    while low < high {
      let mid = (low + high) / 2
      if ids[mid] < id { low = mid + 1 } else { high = mid }
    }
    return low < ids.count && ids[low] == id
  }
}
