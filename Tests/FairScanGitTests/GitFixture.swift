import Foundation
import XCTest
@testable import FairScanGit

/// A throw-away repository built with the `git` CLI, with fixed names and dates so ids are stable.
final class GitFixture {
    let root: String
    /// The work tree (or bare repository) path.
    let path: String
    /// Unix time used for the next commit; advanced by 60 s per commit.
    var clock: Int64 = 1_600_000_000

    init(bare: Bool = false) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("fairscan-git-\(UUID().uuidString)").path
        path = root + "/repo"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if bare { try git("init", "-q", "--bare") } else { try git("init", "-q") }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Runs git in `dir` (default: the repository) and returns its trimmed stdout.
    @discardableResult
    func git(_ args: String..., in dir: String? = nil, input: String? = nil) throws -> String {
        try GitFixture.run(args, in: dir ?? path, clock: clock, input: input)
    }

    static func run(_ args: [String], in dir: String, clock: Int64 = 1_600_000_000,
                    input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Fair Tester", "-c", "user.email=tester@example.com",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                             "-c", "tag.gpgsign=false", "-c", "gc.auto=0", "-c", "core.autocrlf=false",
                             "-c", "advice.detachedHead=false"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        let date = "@\(clock) +0000"
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = date
        env["GIT_AUTHOR_NAME"] = "Fair Tester"
        env["GIT_AUTHOR_EMAIL"] = "tester@example.com"
        env["GIT_COMMITTER_NAME"] = "Fair Tester"
        env["GIT_COMMITTER_EMAIL"] = "tester@example.com"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["HOME"] = dir
        process.environment = env
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "git \(args.joined(separator: " ")) failed: "
                               + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Raw stdout bytes of a git command (for byte-exact comparisons).
    func gitData(_ args: String..., stdinFile: String? = nil) throws -> Data {
        let process = Process()
        if let stdinFile { process.standardInput = FileHandle(forReadingAtPath: stdinFile) }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    func write(_ relative: String, _ contents: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relative)
    }

    /// Stages everything and commits; returns the new commit id.
    @discardableResult
    func commitAll(_ message: String) throws -> ObjectID {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        clock += 60
        return try head()
    }

    func head() throws -> ObjectID { try id("HEAD") }

    func id(_ rev: String) throws -> ObjectID {
        guard let id = ObjectID(hex: try git("rev-parse", rev)) else {
            throw FixtureError(message: "bad rev \(rev)")
        }
        return id
    }

    /// The blob id git would give `contents`.
    func blobID(_ contents: String) throws -> ObjectID {
        guard let id = ObjectID(hex: try git("hash-object", "--stdin", input: contents)) else {
            throw FixtureError(message: "hash-object failed")
        }
        return id
    }

    func open() throws -> Repository { try Repository(path: path) }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension HistoryIndex {
    /// The commit ids that introduced `blob`, with their paths.
    func introducers(of blob: ObjectID) -> [(ObjectID, String, Bool)] {
        introductions(of: blob).map { (commits[$0.commit].id, $0.path, $0.unreachable) }
    }
}
