import FairScanDigest
import FairScanGit
/// A finding's stable identity: SHA-256 over rule id, path and the secret's hash,
/// so it survives line moves, rebases and squash merges. The path counts by its exact bytes
/// (`PathBytes`), so two names that differ only in bytes that are not UTF-8 stay apart.
public enum Fingerprint {
  public static func make(ruleID: String, path: String, secretSHA256: String) -> String {
    var bytes = Array(ruleID.utf8)
    bytes.append(0)
    bytes += PathBytes.bytes(path)
    bytes.append(0)
    bytes += Array(secretSHA256.utf8)
    return String(SHA256.hex(bytes).prefix(32))
  }
}
