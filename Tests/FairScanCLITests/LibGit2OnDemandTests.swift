import FairScanTestSupport
import Foundation
import XCTest

/// fairscan is not linked with libgit2: the commands that read a repository open it when they
/// need it (`CLibGit2`). What the dynamic linker reports (`LD_DEBUG`) shows who loads it and how
/// it binds; without libgit2, a repository scan fails with one line naming it, never clean.
final class LibGit2OnDemandTests: XCTestCase {
  /// A repository holding one secret, and the rules that find it.
  private func fixture() throws -> (repo: GitFixture, scan: [String]) {
    let repo = try GitFixture()
    try repo.write("config.txt", "key: \(TestRules.token(TestRules.secretA))\n")
    _ = try repo.commitAll("first")
    return (repo, ["--only-rules", try TestRules.file()])
  }

  func testOnlyCommandsThatReadARepositoryOpenLibGit2() throws {
    let (repo, scan) = try fixture()
    let files = ["LD_DEBUG": "files"]
    let dir = try Fairscan.run(["dir", repo.path] + scan, environment: files)
    XCTAssertEqual(dir.status, 1, dir.stderrText)
    XCTAssertFalse(dir.stderrText.contains("libgit2"), "dir loads no libgit2")
    let stdin = try Fairscan.run(
      ["stdin"] + scan, input: "key: \(TestRules.token(TestRules.secretA))\n", environment: files)
    XCTAssertEqual(stdin.status, 1, stdin.stderrText)
    XCTAssertFalse(stdin.stderrText.contains("libgit2"), "stdin loads no libgit2")

    let scanned = try Fairscan.run(["repo", "."] + scan, cwd: repo.path, environment: files)
    XCTAssertEqual(scanned.status, 1, scanned.stderrText)
    let lines = scanned.stderrText.split(separator: "\n")
    XCTAssertTrue(
      lines.contains { $0.contains("file=libgit2.so") && $0.contains("dynamically loaded by") }, "repo opens libgit2")
    XCTAssertFalse(
      lines.contains { $0.contains("file=libgit2.so") && $0.contains("needed by") }, "nothing is linked with libgit2")
  }

  /// libgit2, opened later, still binds mbedTLS's CA bundle parser to the executable's stand-in
  /// (`CLibGit2Setup`), and its own functions to its own: fairscan's forwarders are hidden.
  func testLibGit2BindsTheCABundleStandInAndKeepsItsOwnFunctions() throws {
    let (repo, scan) = try fixture()
    let run = try Fairscan.run(["repo", "."] + scan, cwd: repo.path, environment: ["LD_DEBUG": "bindings"])
    XCTAssertEqual(run.status, 1)
    let fromLibGit2 = run.stderrText.split(separator: "\n").filter {
      $0.contains("binding file ") && $0.contains("libgit2.so")
    }
    .map { $0[$0.range(of: "binding file ")!.lowerBound...] }
    let toFairscan = fromLibGit2.filter { $0.contains(" to \(Fairscan.binary) [") }
    XCTAssertEqual(toFairscan.count, 1, toFairscan.joined(separator: "\n"))
    XCTAssertTrue(
      toFairscan.first?.hasSuffix("`mbedtls_x509_crt_parse_file'") ?? false, toFairscan.joined(separator: "\n"))
    XCTAssertTrue(fromLibGit2.contains { $0.hasSuffix("`git_repository_open_ext'") }, "libgit2 calls its own functions")
  }

  /// libgit2's file replaced by an empty one (a private mount namespace, as an unprivileged user
  /// may make): a repository scan fails with one line naming libgit2 and exits 64; a folder scan
  /// runs as before; `--version` says libgit2 is unavailable and why.
  func testWithoutLibGit2ARepositoryScanFailsOnOneLineAndOtherCommandsRun() throws {
    let (repo, scan) = try fixture()
    let opened = try Fairscan.run(["repo", "."] + scan, cwd: repo.path, environment: ["LD_DEBUG": "files"])
    let library = try XCTUnwrap(
      opened.stderrText.split(separator: "\n").lazy.compactMap { line -> String? in
        guard let at = line.range(of: "calling init: "), line.contains("libgit2.so") else { return nil }
        return String(line[at.upperBound...])
      }.first, "where libgit2 was found")

    func withoutLibGit2(_ args: [String]) throws -> Run.Result {
      try Run.process(
        "/usr/bin/unshare",
        [
          "--mount", "--map-root-user", "/bin/sh", "-c", #"mount --bind /dev/null "$1" && shift && exec "$@""#, "sh",
          library,
          Fairscan.binary,
        ] + args,
        environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path, "NO_COLOR": "1"],
        currentDirectory: repo.path)
    }

    // Without the cache: an unchanged repository's rescan may need no libgit2 (`RepositoryMemo`).
    let failed = try withoutLibGit2(["repo", ".", "--no-cache"] + scan)
    XCTAssertEqual(failed.status, 64, failed.stderrText)
    XCTAssertEqual(failed.stdoutText, "")
    let message = failed.stderrText.split(separator: "\n")
    XCTAssertEqual(message.count, 1, failed.stderrText)
    XCTAssertTrue(message.first?.hasPrefix("fairscan: error: ") ?? false, failed.stderrText)
    XCTAssertTrue(failed.stderrText.contains("libgit2 could not be opened: "), failed.stderrText)

    let folder = try withoutLibGit2(["dir", "."] + scan)
    XCTAssertEqual(folder.status, 1, folder.stderrText)
    let version = try withoutLibGit2(["--version"])
    XCTAssertEqual(version.status, 0, version.stderrText)
    XCTAssertTrue(
      version.stdoutText.contains("libgit2:     unavailable (libgit2 could not be opened: "), version.stdoutText)
  }
}
