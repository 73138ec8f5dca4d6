import XCTest

/// Marks for the expected match inside test input: `⟦` opens, `⟧` closes (habit 15).
private let openMark = Array("⟦".utf8)
private let closeMark = Array("⟧".utf8)

/// Strips one `⟦…⟧` pair from `input` and returns the bytes and the byte range it enclosed.
func marked(_ input: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> (bytes: [UInt8], range: Range<Int>)
{
  func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
    guard hay.count >= needle.count else { return nil }
    for i in 0...(hay.count - needle.count) where Array(hay[i..<i + needle.count]) == needle { return i }
    return nil
  }
  var bytes = input
  guard let open = find(openMark, in: bytes) else {
    XCTFail("no ⟦ mark", file: file, line: line)
    return (bytes, 0..<0)
  }
  bytes.removeSubrange(open..<open + openMark.count)
  guard let close = find(closeMark, in: bytes) else {
    XCTFail("no ⟧ mark", file: file, line: line)
    return (bytes, 0..<0)
  }
  bytes.removeSubrange(close..<close + closeMark.count)
  return (bytes, open..<close)
}

func marked(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> (bytes: [UInt8], range: Range<Int>) {
  marked(Array(text.utf8), file: file, line: line)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A fresh, not-yet-created directory under the system temp directory.
func temporaryDirectoryPath(_ name: String = #function) -> String {
  let safe = name.filter { $0.isLetter || $0.isNumber }
  return NSTemporaryDirectory() + "/fairscan-regex-tests-\(safe)-\(UUID().uuidString)"
}
