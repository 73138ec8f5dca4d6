import Glibc

/// The processors of this machine.
public enum Processors {
  /// Processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
  public static var online: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
