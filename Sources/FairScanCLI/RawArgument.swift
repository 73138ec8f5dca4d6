#if canImport(Glibc)
  import Glibc
#endif
import FairScanGit

/// Swift decodes the command line as UTF-8 and puts U+FFFD for bytes that are not UTF-8. An
/// option or argument naming a path (`stdin --name`, the `dir` path) is taken back from the process's own argv bytes,
/// without loss (`PathBytes`), when its decoded value holds a U+FFFD.
enum RawArgument {
  static func exact(_ value: String) -> String {
    guard value.unicodeScalars.contains("\u{FFFD}") else { return value }
    for i in 0..<Int(CommandLine.argc) {
      guard let argument = CommandLine.unsafeArgv[i] else { continue }
      let bytes = UnsafeRawBufferPointer(start: argument, count: strlen(argument)).map { $0 }
      // `--name VALUE`, or `--name=VALUE`.
      var candidates = [bytes[...]]
      if bytes.starts(with: Array("--".utf8)), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
        candidates.append(bytes[(equals + 1)...])
      }
      for candidate in candidates where String(decoding: candidate, as: UTF8.self) == value {
        return PathBytes.string(candidate)
      }
    }
    return value
  }
}
