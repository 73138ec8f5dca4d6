import FairScanDigest
import Foundation

/// What a `--probe` liveness check of a found key said.
public enum ProbeVerdict: String, Sendable, Codable, Equatable {
  case live, dead, inconclusive
}
