import FairScanDigest
/// A finding's stable identity: SHA-256 over rule id, path and the secret's hash,
/// so it survives line moves, rebases and squash merges.
public enum Fingerprint {
  public static func make(ruleID: String, path: String, secretSHA256: String) -> String {
    var bytes = Array(ruleID.utf8)
    bytes.append(0)
    bytes += Array(path.utf8)
    bytes.append(0)
    bytes += Array(secretSHA256.utf8)
    return String(SHA256.hex(bytes).prefix(32))
  }
}
