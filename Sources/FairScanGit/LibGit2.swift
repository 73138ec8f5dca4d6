import CLibGit2
import CLibGit2Setup
import Glibc
import Synchronization

/// Process-wide libgit2 setup.
public enum LibGit2 {
  /// Opens libgit2 (the binary is not linked with it: `CLibGit2`), initialises it once per
  /// process, turns strict hash verification off and bounds its memory. Does nothing more if
  /// libgit2 cannot be opened: `openFailure` says why, and opening a repository throws it.
  ///
  /// Idempotent and thread-safe (a lazily initialised global runs exactly once).
  /// Every `FairScanGit` entry point calls it, so callers rarely need to.
  /// Wraps `git_libgit2_init` and `git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0)`.
  public static func initialize() {
    _ = libgit2Initialized
  }

  /// Why libgit2 could not be opened (not installed, say); nil when it is open. Opens it if no
  /// one has yet.
  public static var openFailure: String? {
    fairscan_libgit2_open().map { String(cString: $0) }
  }

  /// `initialize()`, then a `GitError` if libgit2 could not be opened: what every entry point
  /// that opens a repository calls first, so that no libgit2 function is called without it.
  static func initializeOrThrow() throws(GitError) {
    initialize()
    if let reason = openFailure { throw GitError(function: "dlopen", code: -1, message: reason) }
  }

  /// Starts `initialize()` on a thread of its own and returns at once, so that libgit2's
  /// set-up overlaps other start-up work (argument parsing, loading the rules) of a command that
  /// will open a repository. The set-up is mostly opening libgit2 and its libraries (`CLibGit2`,
  /// about 4.5 ms); without the CA bundle (`skipsCABundle`) libgit2's own start takes a fraction
  /// of a millisecond (mbedTLS seeds its random generator, libgit2 registers its back ends). A later
  /// `initialize()` waits for it to finish (a lazily initialised global runs once, other callers
  /// wait). Does nothing if the thread was started already (`runInBackground`).
  ///
  /// The process must not exit while that thread runs: exit handlers (OpenSSL's, GSSAPI's)
  /// would tear libraries down under it, a crash or a hang. The command line calls
  /// `waitForBackgroundInitialization()` before the process exits.
  public static func initializeInBackground() {
    runInBackground { LibGit2.initialize() }
  }

  /// Starts `body` on the thread `initializeInBackground()` starts, for work that decides for
  /// itself whether libgit2 is needed (`WorktreeStatusPrefetch`: an unchanged repository needs
  /// none). Does nothing if the thread was started already; says whether it started it.
  @discardableResult
  public static func runInBackground(_ body: @escaping @Sendable () -> Void) -> Bool {
    backgroundThread.withLock { running in
      guard running == nil else { return false }
      let context = Unmanaged.passRetained(BackgroundWork(body)).toOpaque()
      var thread = pthread_t()
      let started = pthread_create(
        &thread, nil,
        { context in
          Unmanaged<BackgroundWork>.fromOpaque(context!).takeRetainedValue().body()
          return nil
        }, context)
      guard started == 0 else {
        Unmanaged<BackgroundWork>.fromOpaque(context).release()
        return false
      }
      running = thread
      return true
    }
  }

  /// Waits until the thread `initializeInBackground()` started has ended, the work given to it
  /// included (at once when none was started, or it was waited for already).
  public static func waitForBackgroundInitialization() {
    guard
      let thread = backgroundThread.withLock({ running in
        defer { running = nil }; return running
      })
    else { return }
    pthread_join(thread, nil)
  }

  /// Whether libgit2's start leaves the system's CA bundle unparsed in this process: the dynamic
  /// linker binds mbedTLS's `mbedtls_x509_crt_parse_file` to `CLibGit2Setup`'s definition,
  /// which loads nothing (about 5 ms of CPU saved at every start; fairscan never uses HTTPS
  /// through libgit2). That takes the executable exporting it, since libgit2 is opened after
  /// the start (`LibGit2OnDemandTests` reads the binding itself). False if the symbol found
  /// first is mbedTLS's own, or none is exported.
  public static var skipsCABundle: Bool {
    guard let bound = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mbedtls_x509_crt_parse_file") else {
      return false
    }
    return bound == fairscan_ca_bundle_parser()
  }
}

/// The thread `initializeInBackground()` started and no one has joined yet.
private let backgroundThread = Mutex<pthread_t?>(nil)

/// What the background thread runs.
private final class BackgroundWork {
  let body: @Sendable () -> Void
  init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private let libgit2Initialized: Bool = {
  guard fairscan_libgit2_open() == nil else { return false }
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
