extension Array where Element: Equatable {
  /// Removes elements equal to the one before them (on a sorted array: every duplicate).
  public mutating func removeDuplicates() {
    guard count > 1 else { return }
    var kept = 1
    for i in 1..<count where self[i] != self[kept - 1] {
      self[kept] = self[i]
      kept += 1
    }
    removeLast(count - kept)
  }
}
