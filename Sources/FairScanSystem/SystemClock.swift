import Glibc

/// `clock_gettime`: whole seconds and nanoseconds.
public enum SystemClock {
  /// Monotonic time (unaffected by changes of the wall clock): for durations.
  @inlinable public static func monotonic() -> (seconds: Int, nanoseconds: Int) { read(CLOCK_MONOTONIC) }

  /// Unix time (the wall clock).
  @inlinable public static func wall() -> (seconds: Int, nanoseconds: Int) { read(CLOCK_REALTIME) }

  @inlinable static func read(_ clock: clockid_t) -> (seconds: Int, nanoseconds: Int) {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return (Int(ts.tv_sec), Int(ts.tv_nsec))
  }
}
