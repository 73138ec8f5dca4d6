import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// The remote-tracking refs of a remote: what it is known to have already.
enum RemoteRefs {
  static func list(repository: String, remote: String) throws -> [String] {
    // A URL or path given instead of a remote name has no tracking refs.
    if remote.contains("/") || remote.contains(":") || remote.contains("*") { return [] }
    do {
      return try RemoteTracking.refs(repository: repository, remote: remote)
    } catch let error as ScanError {
      throw CommandFailure(error)
    }
  }
}
