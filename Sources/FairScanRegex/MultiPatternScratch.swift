import CVectorscan

/// Per-thread Vectorscan scratch space for one ``MultiPatternDatabase``.
///
/// Not thread-safe: create one per thread with ``MultiPatternDatabase/makeScratch()``.
/// Keeps its database alive, owns the scratch and frees it on deinit. Wraps `hs_alloc_scratch`.
public final class MultiPatternScratch {
  let database: MultiPatternDatabase
  let handle: OpaquePointer?

  init(database: MultiPatternDatabase, handle: OpaquePointer?) {
    self.database = database
    self.handle = handle
  }

  deinit {
    if let handle { hs_free_scratch(handle) }
  }
}
