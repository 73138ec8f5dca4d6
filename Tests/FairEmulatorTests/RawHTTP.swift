import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny HTTP/1.1 client over a blocking socket: one request per connection
/// (`Connection: close`), so a dropped connection is seen as exactly that.
struct RawHTTP {
  struct Reply {
    var status: Int
    var headers: [String: String]  // lowercased names
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
  }

  enum Failure: Error, Equatable {
    case connect(Int32)
    case closedWithoutResponse
    case malformedResponse
    case timeout
  }

  let port: Int

  func send(
    _ method: String, _ target: String, headers: [String: String] = [:], body: Data? = nil,
    timeout: Int = 10
  ) async throws -> Reply {
    var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    if let body {
      request += "Content-Length: \(body.count)\r\n"
    } else if method == "POST" {
      request += "Content-Length: 0\r\n"
    }
    request += "\r\n"
    var bytes = Data(request.utf8)
    if let body { bytes.append(body) }
    let payload = bytes
    let port = self.port
    // Blocking I/O runs on its own thread, never on the concurrency pool.
    return try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(with: Result { try RawHTTP.exchange(port: port, payload: payload, timeout: timeout) })
      }
      thread.start()
    }
  }

  func get(_ target: String, auth: String? = nil) async throws -> Reply {
    try await send("GET", target, headers: auth.map { ["Authorization": $0] } ?? [:])
  }

  private static func exchange(port: Int, payload: Data, timeout: Int) throws -> Reply {
    #if canImport(Glibc)
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw Failure.connect(errno) }
    defer { close(fd) }
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw Failure.connect(errno) }
    try payload.withUnsafeBytes { raw in
      var sent = 0
      while sent < raw.count {
        let n = write(fd, raw.baseAddress! + sent, raw.count - sent)
        guard n > 0 else { throw Failure.closedWithoutResponse }
        sent += n
      }
    }
    var received = Data()
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let n = read(fd, &chunk, chunk.count)
      if n > 0 {
        received.append(contentsOf: chunk[0..<n])
        if let reply = try parse(received) { return reply }
      } else if n == 0 {
        break
      } else {
        if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timeout }
        if errno == ECONNRESET { break }
        throw Failure.closedWithoutResponse
      }
    }
    if received.isEmpty { throw Failure.closedWithoutResponse }
    if let reply = try parse(received, atEOF: true) { return reply }
    throw Failure.malformedResponse
  }

  /// A complete reply, or nil if more bytes are needed.
  private static func parse(_ data: Data, atEOF: Bool = false) throws -> Reply? {
    let bytes = [UInt8](data)
    guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: 0) else { return nil }
    let head = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.malformedResponse }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let bodyStart = headerEnd + 4
    if let length = headers["content-length"].flatMap(Int.init) {
      guard bytes.count - bodyStart >= length else { return nil }
      return Reply(status: status, headers: headers, body: Data(bytes[bodyStart..<(bodyStart + length)]))
    }
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      var body = Data()
      var i = bodyStart
      while true {
        guard let lineEnd = find([13, 10], in: bytes, from: i) else { return nil }
        let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";")[0]
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
          throw Failure.malformedResponse
        }
        let chunkStart = lineEnd + 2
        if size == 0 { return Reply(status: status, headers: headers, body: body) }
        guard bytes.count >= chunkStart + size + 2 else { return nil }
        body.append(contentsOf: bytes[chunkStart..<(chunkStart + size)])
        i = chunkStart + size + 2
      }
    }
    if status == 204 || status == 304 { return Reply(status: status, headers: headers, body: Data()) }
    return atEOF ? Reply(status: status, headers: headers, body: Data(bytes[bodyStart...])) : nil
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
    guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
    for i in from...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
      return i
    }
    return nil
  }
}
