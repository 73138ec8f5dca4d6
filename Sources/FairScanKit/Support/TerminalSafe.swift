import FairScanDigest
import FairScanGit
/// Makes text taken from scanned content (paths, commit messages, snippets) safe
/// to print: control bytes, escape sequences and bidirectional overrides become
/// visible escapes, and invalid UTF-8 becomes `\xHH`.
public enum TerminalSafe {
  public static func string<S: Collection>(_ bytes: S) -> String where S.Element == UInt8 {
    // PathBytes keeps every byte that is not UTF-8 as a scalar of its own, which `escape` shows as `\xHH`.
    string(PathBytes.string(bytes))
  }

  public static func string(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars { out += escape(scalar) }
    return out
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    let v = scalar.value
    switch v {
    case 0x09: return "\\t"
    case 0x0A: return "\\n"
    case 0x0D: return "\\r"
    case 0x00..<0x20, 0x7F, 0x80..<0xA0: return "\\u{\(String(v, radix: 16))}"
    // Bidirectional controls (Trojan Source) and zero-width joiners that hide text.
    case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
      return "\\u{\(String(v, radix: 16))}"
    // A byte of a path that is not UTF-8 (PathBytes), shown as the bytes version shows it.
    case 0x10FF00...0x10FFFF:
      return "\\x" + Hex.encode([UInt8(v - 0x10FF00)]).uppercased()
    default: return String(scalar)
    }
  }
}
