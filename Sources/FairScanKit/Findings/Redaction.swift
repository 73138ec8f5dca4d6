/// How secrets appear in output.
public enum Redaction {
  /// The first characters of the secret and its length, e.g. `AKIA…(20)`.
  /// Short secrets show fewer characters (a quarter of them at most, never more than four).
  public static func redact(_ secret: [UInt8]) -> String {
    let chars = Array(String(decoding: secret, as: UTF8.self))
    let shown = min(4, chars.count / 4)
    let prefix = TerminalSafe.string(String(chars.prefix(shown)))
    return "\(prefix)…(\(secret.count))"
  }
}
