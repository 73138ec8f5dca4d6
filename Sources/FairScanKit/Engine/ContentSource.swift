/// Content the scan reads in pieces (`ScanWorker+Windows.swift`): bytes already in memory, or a
/// file too large to hold, read window by window (`ContentFile`).
protocol ContentSource {
  /// What a read can fail with (`Never` for bytes in memory).
  associatedtype Failure: Error
  /// Bytes in all.
  var count: Int { get }
  /// Calls `body` with the bytes of `range`; valid during the call only.
  func withBytes(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) throws(Failure)
}

/// A read of content that failed part way (a file that shrank or went away while it was read).
struct ContentReadError: Error, Equatable {
  var message: String
}

/// Content already in memory.
struct MemoryContent: ContentSource {
  typealias Failure = Never
  let bytes: UnsafeRawBufferPointer
  var count: Int { bytes.count }

  func withBytes(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) {
    body(UnsafeRawBufferPointer(rebasing: bytes[range]))
  }
}
