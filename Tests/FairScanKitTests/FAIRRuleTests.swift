import XCTest
@testable import FairScanKit

/// "Is this a FAIR rule" is decided once (`Rule.isFAIR`): the `fair.` namespace.
final class FAIRRuleTests: XCTestCase {
  func testTheFAIRNamespace() {
    for id in [
      "fair.api-key", "fair.login-password", "fair.inventory-match", Practices.sharedBetweenUsers.id,
      Practices.reusedAcrossEnvironments.id,
    ] {
      XCTAssertTrue(Rule.isFAIR(id), id)
    }
    for id in ["aws.access-key-id", "jwt.token", "fairly.something", "generic.fair", ""] {
      XCTAssertFalse(Rule.isFAIR(id), id)
    }
    // The practice checks apply to FAIR rules other than their own.
    XCTAssertTrue(Practices.applies(to: "fair.api-key"))
    XCTAssertFalse(Practices.applies(to: Practices.sharedBetweenUsers.id))
    XCTAssertFalse(Practices.applies(to: "aws.access-key-id"))
  }
}
