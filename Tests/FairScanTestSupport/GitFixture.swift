import Foundation
import XCTest

/// A throw-away repository built with the `git` CLI, with a fixed identity and
/// fixed dates (advanced 60 s per commit), so commit ids are the same on every run.
public final class GitFixture {
  /// The temporary folder holding the repository (room for clones beside it).
  public let root: String
  /// The work tree (or bare repository).
  public let path: String
  public var url: URL { URL(fileURLWithPath: path) }
  /// Unix time of the next commit.
  public var clock: Int64 = 1_700_000_000

  public init(bare: Bool = false) throws {
    root = try TemporaryFolder.make().path
    path = root + "/repo"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    if bare { try git("init", "-q", "--bare") } else { try git("init", "-q") }
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Runs git in `dir` (default: the repository) and returns its trimmed stdout.
  @discardableResult
  public func git(_ args: String..., in dir: String? = nil, input: String? = nil) throws -> String {
    try GitFixture.run(args, in: dir ?? path, clock: clock, input: input)
  }

  /// Runs git with the fixture's identity, dates and an empty configuration.
  @discardableResult
  public static func run(_ args: [String], in dir: String, clock: Int64 = 1_700_000_000, input: String? = nil) throws
    -> String
  {
    let result = try gitProcess(args, in: dir, clock: clock, input: input.map { Array($0.utf8) })
    return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Raw stdout bytes of a git command (for byte-exact comparisons).
  public func gitData(_ args: String..., stdinFile: String? = nil) throws -> Data {
    let input = try stdinFile.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    return Data(try GitFixture.gitProcess(args, in: path, clock: clock, input: input).stdout)
  }

  /// Runs git like `git(_:)` but returns the whole result, failing or not (for commands a
  /// hook may refuse), with `environment` added (`GIT_INDEX_FILE`, `PATH`...).
  public func gitResult(
    _ args: [String], environment: [String: String] = [:], input: String? = nil, in dir: String? = nil
  )
    throws -> Run.Result
  {
    try GitFixture.gitProcess(
      args, in: dir ?? path, clock: clock, input: input.map { Array($0.utf8) }, environment: environment, checked: false
    )
  }

  private static func gitProcess(
    _ args: [String], in dir: String, clock: Int64, input: [UInt8]?, environment: [String: String] = [:],
    checked: Bool = true
  ) throws -> Run.Result {
    let date = "@\(clock) +0000"
    var env = [
      "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Fixture Author",
      "GIT_AUTHOR_EMAIL": "author@example.com", "GIT_COMMITTER_NAME": "Fixture Author",
      "GIT_COMMITTER_EMAIL": "author@example.com", "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": dir,
    ]
    for (k, v) in environment { env[k] = v }
    let result = try Run.process(
      "/usr/bin/git",
      [
        "-c", "user.name=Fixture Author", "-c", "user.email=author@example.com", "-c", "init.defaultBranch=main",
        "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "gc.auto=0", "-c", "core.autocrlf=false",
        "-c", "advice.detachedHead=false",
      ] + args,
      environment: env, input: input, currentDirectory: dir)
    guard result.status == 0 || !checked else {
      throw FixtureError("git \(args.joined(separator: " ")) failed: \(result.stderrText)")
    }
    return result
  }

  public func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

  public func write(_ relative: String, _ bytes: [UInt8]) throws {
    let file = url.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
  }

  public func remove(_ relative: String) throws {
    try FileManager.default.removeItem(at: url.appendingPathComponent(relative))
  }

  /// Stages everything and commits; returns the new commit id (hex).
  @discardableResult
  public func commitAll(_ message: String) throws -> String {
    try git("add", "-A")
    try git("commit", "-q", "--allow-empty", "-m", message)
    clock += 60
    return try git("rev-parse", "HEAD")
  }

  /// Leaves `path` conflicted: commits it as `base`, as `theirs` on a new branch `branch`, as
  /// `ours` back on the branch it started from, then merges `branch`, which stops. Returns the
  /// merge's result (a test asserts that it failed).
  @discardableResult
  public func mergeConflict(
    at path: String, base: String, ours: String, theirs: String, branch: String = "side"
  ) throws -> Run.Result {
    try write(path, base)
    try commitAll("base")
    try git("checkout", "-q", "-b", branch)
    try write(path, theirs)
    try commitAll("theirs, on \(branch)")
    try git("checkout", "-q", "-")
    try write(path, ours)
    try commitAll("ours")
    return try gitResult(["merge", "-q", branch])
  }
}

public struct FixtureError: Error, CustomStringConvertible {
  public var description: String
  public var message: String { description }
  public init(_ d: String) { description = d }
  public init(message: String) { description = message }
}

/// Temporary folders removed when the test process ends.
public enum TemporaryFolder {
  public static func make() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Runs a process to completion with captured output.
public enum Run {
  public struct Result {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  public static func process(
    _ executable: String, _ args: [String], environment: [String: String] = [:], input: [UInt8]? = nil,
    currentDirectory: String? = nil, timeout: TimeInterval = 120
  ) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let currentDirectory { p.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    let stdoutBox = DataBox(), stderrBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      stdoutBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      stderrBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
    }
    if let input { inp.fileHandleForWriting.write(Data(input)) }
    try? inp.fileHandleForWriting.close()
    if group.wait(timeout: .now() + timeout) == .timedOut {
      p.terminate()
      throw FixtureError("\(executable) \(args) did not finish in \(timeout)s")
    }
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: Array(stdoutBox.data), stderr: Array(stderrBox.data))
  }
}

/// Output read on another thread; the DispatchGroup orders the write before the read.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}

/// A throwaway private CA and a server certificate for 127.0.0.1 it signed, made with openssl.
public struct TestCertificateAuthority {
  public let caCertificate: String
  public let serverCertificate: String
  public let serverKey: String

  public init() throws {
    let dir = try TemporaryFolder.make().path
    caCertificate = dir + "/ca.pem"
    serverCertificate = dir + "/server.pem"
    serverKey = dir + "/server.key"
    try String("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
      .write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
    let steps: [[String]] = [
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir + "/ca.key",
        "-out", caCertificate, "-days", "2", "-subj", "/CN=fairscan test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ],
      [
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", serverKey,
        "-out", dir + "/server.csr", "-subj", "/CN=127.0.0.1",
      ],
      [
        "x509", "-req", "-in", dir + "/server.csr", "-CA", caCertificate, "-CAkey", dir + "/ca.key", "-CAcreateserial",
        "-out", serverCertificate, "-days", "2", "-extfile", dir + "/server.ext",
      ],
    ]
    for args in steps {
      let result = try Run.process("/usr/bin/env", ["openssl"] + args)
      guard result.status == 0 else { throw FixtureError("openssl \(args[0]) failed: \(result.stderrText)") }
    }
  }
}
