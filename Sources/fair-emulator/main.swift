import ArgumentParser
import Dispatch
import FairEmulator
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension KeyHashMode: ExpressibleByArgument {}
extension ListShape: ExpressibleByArgument {}
extension DropAfterRevoke: ExpressibleByArgument {}
extension RetryAfterStyle: ExpressibleByArgument {}

struct FairEmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fair-emulator",
    abstract: "A local emulator of the FAIR API key endpoints, with fault injection.",
    discussion: """
      Users and keys come from --seed FILE (JSON). Credentials are never read from flags.
      Prints "listening on http://HOST:PORT" first, then one redacted line per request.
      Request numbers for --rate-limit-every/--fail-every count every request, login included.
      """)

  @Option(help: "Address to bind (keep it loopback: clients accept plain http only there).")
  var host = "127.0.0.1"

  @Option(help: "Port to bind (0 = a free port, printed at start).")
  var port = 8080

  @Option(
    help: ArgumentHelp(
      "Seed file: [{username, password, keys: [{id, name, key, created, expires_at}]}].", valueName: "FILE"))
  var seed: String?

  @Flag(help: "List key_hash as the plaintext key (same as --key-hash plain).")
  var plainKeyHash = false

  @Option(help: "key_hash in lists: sha256, sha512, plain, salted.")
  var keyHash: KeyHashMode = .sha256

  @Flag(help: "Answer lists as {items,total,page,size} honouring ?page=&size= (same as --list-shape paged).")
  var paged = false

  @Option(help: "List shape: array or paged.")
  var listShape: ListShape = .array

  @Option(help: "Default page size for paged lists.")
  var pageSize = 10

  @Option(help: "Access token lifetime in seconds.")
  var tokenLifetime = 900

  @Option(help: "Answer 429 to every N-th request (0 = off).")
  var rateLimitEvery = 0

  @Option(help: "Retry-After seconds on injected 429s.")
  var retryAfter = 1

  @Option(help: "Retry-After style: seconds, http-date, none.")
  var retryAfterStyle: RetryAfterStyle = .seconds

  @Option(help: "Answer a failure status to every N-th request (0 = off).")
  var failEvery = 0

  @Option(
    help: ArgumentHelp("Failure status(es), used in turn: e.g. 503 or 500,503.", valueName: "STATUS[,STATUS...]"))
  var failStatus = "503"

  @Option(help: "Latency added to every request, in milliseconds.")
  var latencyMs = 0

  @Option(help: "Drop the connection after applying a revoke: never, once, always.")
  var dropAfterRevoke: DropAfterRevoke = .never

  @Flag(help: "The first key-list answer carries malformed JSON.")
  var malformedOnce = false

  @Option(help: "Key-list requests wait this many seconds before answering (0 = off).")
  var listStallSeconds = 0

  @Option(help: "Key-list bodies trickle one byte every N milliseconds (0 = off).")
  var listTrickleMs = 0

  @Flag(help: "Lists carry one more record: the first key's id with another key_hash.")
  var duplicateId = false

  @Flag(help: "The second listed key carries the first listed key's key_hash.")
  var duplicateKeyHash = false

  @Option(
    help: ArgumentHelp("Paged lists write this JSON text as total (e.g. 1000000000, -1, 2.5).", valueName: "JSON"))
  var listTotal: String?

  @Flag(help: "Paged lists answer every page with the first page's items.")
  var repeatFirstPage = false

  @Flag(name: .customLong("delete-answers-404"), help: "DELETE answers 404 and revokes nothing.")
  var deleteAnswers404 = false

  @Option(help: "After applying a revoke, wait this many milliseconds before answering.")
  var revokeAnswerDelayMs = 0

  @Option(help: ArgumentHelp("Leave this key id out of every other listing without revoking it.", valueName: "ID"))
  var flickerKey: String?

  @Option(
    name: .customLong("tls-cert"),
    help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "FILE"))
  var tlsCert: String?

  @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "FILE"))
  var tlsKey: String?

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
    guard rateLimitEvery >= 0, failEvery >= 0, latencyMs >= 0, retryAfter >= 0, tokenLifetime >= 0, pageSize >= 1,
      listStallSeconds >= 0, listTrickleMs >= 0, revokeAnswerDelayMs >= 0
    else { throw ValidationError("numeric options must not be negative (--page-size >= 1)") }
    _ = try statuses()
    if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
  }

  func statuses() throws -> [Int] {
    let list = failStatus.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let codes = list.compactMap { Int($0) }
    guard !codes.isEmpty, codes.count == list.count, codes.allSatisfy({ (400...599).contains($0) }) else {
      throw ValidationError("--fail-status takes HTTP error codes such as 503 or 500,503")
    }
    return codes
  }

  func run() async throws { try await serve() }

  func serve() async throws {
    var users: [SeedUser] = []
    if let seed {
      do {
        users = try SeedUser.load(contentsOf: seed)
      } catch {
        throw ValidationError("\(error)")
      }
    }
    var faults = FaultConfiguration(
      rateLimitEvery: rateLimitEvery, retryAfterSeconds: retryAfter, retryAfterStyle: retryAfterStyle,
      failEvery: failEvery, failStatuses: try statuses(), latencyMilliseconds: latencyMs,
      dropAfterRevoke: dropAfterRevoke, malformedListOnce: malformedOnce)
    faults.listStallSeconds = listStallSeconds
    faults.listTrickleMilliseconds = listTrickleMs
    faults.duplicateID = duplicateId
    faults.duplicateKeyHash = duplicateKeyHash
    faults.listTotal = listTotal
    faults.repeatFirstPage = repeatFirstPage
    faults.deleteAnswers404 = deleteAnswers404
    faults.revokeAnswerDelayMilliseconds = revokeAnswerDelayMs
    faults.flickerKeyID = flickerKey
    var configuration = FairEmulatorConfiguration(
      host: host, port: port, users: users, keyHashMode: plainKeyHash ? .plain : keyHash,
      listShape: paged ? .paged : listShape, defaultPageSize: pageSize, accessTokenLifetime: tokenLifetime,
      faults: faults,
      onRequestLogged: { entry in emit(entry.description) })
    if let tlsCert, let tlsKey { configuration.tls = TLSFiles(certificateChain: tlsCert, privateKey: tlsKey) }
    let emulator = try await FairEmulator.start(configuration)
    emit("listening on \(emulator.baseURL)")
    if users.isEmpty {
      FileHandle.standardError.write(Data("warning: no users (pass --seed FILE); every login will fail\n".utf8))
    } else {
      let keyCount = users.reduce(0) { $0 + $1.keys.count }
      FileHandle.standardError.write(Data("seeded \(users.count) user(s), \(keyCount) key(s)\n".utf8))
    }

    // Run until SIGINT or SIGTERM, then stop cleanly.
    let (signals, continuation) = AsyncStream<Int32>.makeStream()
    var sources: [any DispatchSourceSignal] = []
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { continuation.yield(sig) }
      source.resume()
      sources.append(source)
    }
    for await _ in signals { break }
    FileHandle.standardError.write(Data("stopping\n".utf8))
    await emulator.stop()
    sources.forEach { $0.cancel() }
  }
}

/// One line to stdout, flushed at once (readers follow the log live through a pipe).
func emit(_ line: String) {
  print(line)
  fflush(nil)
}

// Parse and run explicitly: in main.swift a bare `main()` can resolve to the synchronous entry point.
do {
  let command = try FairEmulatorCommand.parse()
  try await command.serve()
} catch {
  FairEmulatorCommand.exit(withError: error)
}
