import FairScanGit

/// What a remote is already known to have: the targets of its remote-tracking refs.
public enum RemoteTracking {
  /// Hex ids of `refs/remotes/REMOTE/*` in the repository at `repository`.
  public static func refs(repository: String, remote: String) throws -> [String] {
    LibGit2.initialize()
    let repo: Repository
    do { repo = try Repository(path: repository) } catch {
      throw ScanError.cannotOpen(repository, error)
    }
    do {
      return try repo.references(matching: "refs/remotes/\(remote)/*").values.map(\.hex).sorted()
    } catch {
      throw ScanError.failed("cannot list the refs of remote '\(remote)': \(error.message)")
    }
  }
}
