import FairScanDigest
import FairScanRegex

/// Why a rule set could not be built. One line, naming file, rule and cause.
public struct RuleCompileError: Error, Equatable, CustomStringConvertible {
  public var file: String
  public var ruleID: String
  public var message: String
  public var description: String { "\(file): rule '\(ruleID)': \(message)" }
}
