import FairScanGit
import FairScanKit
import Foundation

/// POSIX shell quoting for paths in suggested commands.
enum ShellQuote {
  static func quote(_ text: String) -> String {
    // A path that is not UTF-8, or that holds characters a terminal acts on (a newline, an escape,
    // a bidi override): bash's $'...' with octal escapes gives its exact bytes and shows none raw.
    if !PathBytes.isExact(text) || TerminalSafe.string(text) != text {
      return "$'"
        + PathBytes.bytes(text).map { byte in
          byte >= 0x20 && byte < 0x7F && byte != 0x27 && byte != 0x5C
            ? String(UnicodeScalar(byte)) : PathBytes.octal(byte)
        }.joined() + "'"
    }
    let safe = text.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_./+=:@%".unicodeScalars.contains($0)
    }
    if safe && !text.isEmpty && !text.hasPrefix("-") { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
