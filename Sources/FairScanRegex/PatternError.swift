/// Why a pattern or a multi-pattern database could not be built or used.
///
/// Messages are short, lowercase, and never contain subject bytes.
public enum PatternError: Error, Equatable, CustomStringConvertible {
  /// PCRE2 rejected the pattern; `offset` is the byte offset PCRE2 reported.
  case compile(message: String, offset: Int)
  /// JIT compilation failed for a reason other than JIT being unavailable.
  case jit(String)
  /// Vectorscan failed to compile, allocate scratch, or scan.
  case vectorscan(String)

  public var description: String {
    switch self {
    case .compile(let message, let offset):
      return "pattern does not compile at byte \(offset): \(message)"
    case .jit(let message):
      return "pattern does not jit-compile: \(message)"
    case .vectorscan(let message):
      return "vectorscan: \(message)"
    }
  }
}
