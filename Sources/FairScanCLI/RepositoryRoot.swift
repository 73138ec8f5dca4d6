import FairScanSystem

/// Finds the top of the work tree holding `path` (for `.fairscan.yml` and `.fairscanignore`):
/// the nearest folder, from `path` up, that holds a `.git` (a folder or a file). Paths are
/// taken by their components (`PathName`): a symlink in `path` is not resolved.
enum RepositoryRoot {
  static func find(_ path: String) -> String? {
    var folder = PathName.absolute(path)
    while true {
      if (try? FileStatus(path: folder == "/" ? "/.git" : folder + "/.git", followingSymlinks: true)) != nil {
        return folder
      }
      guard let parent = PathName.parent(of: folder) else { return nil }
      folder = parent
    }
  }
}
