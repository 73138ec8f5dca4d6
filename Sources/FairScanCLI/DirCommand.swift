import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan dir PATH`: plain files, no git.
struct DirCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dir",
    abstract: "Scan the plain files under a folder (no git; symlinks not followed; .git folders left out).")

  @Argument(help: "The folder (or a single file).")
  var path: String

  @OptionGroup var flags: ScanFlags

  func run() throws {
    // A folder or file name that is not UTF-8 is taken back from the command line's own bytes.
    let path = RawArgument.exact(self.path)
    var info = stat()
    let isFolder = PathBytes.withCString(path, { stat($0, &info) }) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    let root = isFolder ? path : nil
    let runner = ScanRunner(flags: flags, configRoot: root, verifiesByDefault: true)
    let (ruleSet, options) = try runner.prepare()
    let report: ScanReport
    do { report = try DirectoryScanner(ruleSet: ruleSet, options: options).scan(path: path) } catch let error
      as ScanError
    {
      throw CommandFailure.usage(error.description)
    }
    try runner.finish(runner.verified(report))
  }
}
