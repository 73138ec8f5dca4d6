import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// Finds the top of the work tree holding `path` (for `.fairscan.yml` and `.fairscanignore`).
enum RepositoryRoot {
  static func find(_ path: String) -> String? {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    while true {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return nil }
      url = parent
    }
  }
}
