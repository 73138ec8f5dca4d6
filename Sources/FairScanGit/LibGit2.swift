import CLibGit2
import CLibGit2Setup
import Glibc

/// Process-wide libgit2 setup.
public enum LibGit2 {
  /// Initialises libgit2 once per process, turns strict hash verification off and bounds its memory.
  ///
  /// Idempotent and thread-safe (a lazily initialised global runs exactly once).
  /// Every `FairScanGit` entry point calls it, so callers rarely need to.
  /// Wraps `git_libgit2_init` and `git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0)`.
  public static func initialize() {
    _ = libgit2Initialized
  }

  /// Starts `initialize()` on a thread of its own and returns at once, so that libgit2's
  /// set-up overlaps other start-up work (loading the rules) of a command that will open a
  /// repository. Without the CA bundle (`skipsCABundle`) the set-up takes a fraction of a
  /// millisecond (mbedTLS seeds its random generator, libgit2 registers its back ends). A later
  /// `initialize()` waits for it to finish (a lazily initialised global runs once, other callers
  /// wait).
  ///
  /// The process must not exit while that thread runs: exit handlers (OpenSSL's, GSSAPI's)
  /// would tear libraries down under it, a crash or a hang. The thread that started it calls
  /// `waitForBackgroundInitialization()` before the process exits.
  public static func initializeInBackground() {
    guard backgroundThread == nil else { return }
    var thread = pthread_t()
    let started = pthread_create(
      &thread, nil,
      { _ in
        LibGit2.initialize(); return nil
      }, nil)
    if started == 0 { backgroundThread = thread }
  }

  /// Waits until the thread `initializeInBackground()` started has ended (at once when none
  /// was started). Call it from the thread that started it.
  public static func waitForBackgroundInitialization() {
    guard let thread = backgroundThread else { return }
    backgroundThread = nil
    pthread_join(thread, nil)
  }

  /// Whether libgit2's start leaves the system's CA bundle unparsed in this process: the dynamic
  /// linker binds mbedTLS's `mbedtls_x509_crt_parse_file` to `CLibGit2Setup`'s definition,
  /// which loads nothing (about 5 ms of CPU saved at every start; fairscan never uses HTTPS
  /// through libgit2). False if the symbol is mbedTLS's own.
  public static var skipsCABundle: Bool {
    guard let bound = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mbedtls_x509_crt_parse_file") else {
      return false
    }
    return bound == fairscan_ca_bundle_parser()
  }

  /// The linked libgit2 version as "major.minor.revision". Wraps `git_libgit2_version`.
  public static var version: String {
    var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
    git_libgit2_version(&major, &minor, &rev)
    return "\(major).\(minor).\(rev)"
  }
}

/// The thread `initializeInBackground()` started and no one has joined yet. Touched only by the
/// thread that starts and joins it (the main thread of the command line).
nonisolated(unsafe) private var backgroundThread: pthread_t?

private let libgit2Initialized: Bool = {
  git_libgit2_init()
  _ = fairscan_git_disable_strict_hash_verification()
  // Bounded memory on large histories: pack windows of 32 MiB, at most 64 MiB mapped,
  // and an 8 MiB object cache (commits and trees during the history walk: a diff needs the
  // last few only).
  _ = fairscan_git_set_mwindow_size(32 << 20)
  _ = fairscan_git_set_mwindow_mapped_limit(64 << 20)
  _ = fairscan_git_set_cache_max_size(8 << 20)
  return true
}()

/// Turns a negative libgit2 return code into a `GitError` carrying `git_error_last()`'s message.
///
/// Must be called right after the C call, on the same thread, so the message is the right one.
@inline(__always)
func check(_ function: String, _ rc: Int32) throws(GitError) {
  if rc < 0 { throw lastError(function, rc) }
}

/// Builds a `GitError` from the thread-local libgit2 error. Wraps `git_error_last`.
func lastError(_ function: String, _ rc: Int32) -> GitError {
  var message = "unknown error"
  if let err = git_error_last(), let text = err.pointee.message {
    message = String(cString: text)
  }
  return GitError(function: function, code: rc, message: message)
}
