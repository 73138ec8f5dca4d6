import Foundation
import XCTest

/// A real git repository in a temporary folder, driven by the git CLI with a
/// fixed identity and fixed dates, so commit ids are the same on every run.
public final class GitFixture {
  public let root: URL
  public var path: String { root.path }
  private var tick = 0

  public init(_ name: String = "repo", bare: Bool = false) throws {
    root = try TemporaryFolder.make().appendingPathComponent(name)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try git("init", "-q", "-b", "main")
  }

  /// Wraps an existing folder (a clone made by a test).
  public init(existing: URL) { root = existing }

  /// Runs git in the repository; throws with git's stderr when it fails.
  @discardableResult
  public func git(_ args: String...) throws -> String { try git(args) }

  @discardableResult
  public func git(_ args: [String], input: String? = nil) throws -> String {
    tick += 1
    let date = "\(1_700_000_000 + tick * 60) +0000"
    let result = try Run.process(
      "/usr/bin/git",
      ["-c", "user.name=Fixture Author", "-c", "user.email=author@example.com", "-c", "commit.gpgsign=false",
       "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false", "-c", "gc.auto=0", "-C", path] + args,
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1",
                    "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": root.path],
      input: input.map { Array($0.utf8) })
    guard result.status == 0 else {
      throw FixtureError("git \(args.joined(separator: " ")) failed: \(result.stderrText)")
    }
    return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  public func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

  public func write(_ relative: String, _ bytes: [UInt8]) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  public func remove(_ relative: String) throws {
    try FileManager.default.removeItem(at: root.appendingPathComponent(relative))
  }

  /// Stages everything and commits; returns the new commit id.
  @discardableResult
  public func commitAll(_ message: String) throws -> String {
    try git("add", "-A")
    try git("commit", "-q", "--allow-empty", "-m", message)
    return try git("rev-parse", "HEAD")
  }
}

public struct FixtureError: Error, CustomStringConvertible {
  public var description: String
  public init(_ d: String) { description = d }
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
    DispatchQueue.global().async { stdoutBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
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
