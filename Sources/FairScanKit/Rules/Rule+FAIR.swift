/// Which rules are FAIR's, decided here and nowhere else: the rules of `rules/fair.yml` and
/// the ones fairscan adds (the practice checks, `fair.inventory-match`) all have ids in the
/// `fair.` namespace. Their findings are the ones compared with the key inventory, revoked,
/// probed and given the FAIR hints.
extension Rule {
  /// Whether `ruleID` names a FAIR rule.
  public static func isFAIR(_ ruleID: String) -> Bool { ruleID.hasPrefix("fair.") }

  /// Whether this is a FAIR rule.
  public var isFAIR: Bool { Rule.isFAIR(id) }
}

extension Finding {
  /// Whether a FAIR rule made this finding (`Rule.isFAIR`).
  public var isFAIR: Bool { Rule.isFAIR(ruleID) }
}
