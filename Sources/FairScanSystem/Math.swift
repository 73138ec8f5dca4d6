import Glibc

/// The C math library functions the engine uses.
public enum Math {
  /// Base-2 logarithm.
  @inlinable public static func log2(_ x: Double) -> Double { Glibc.log2(x) }
}
