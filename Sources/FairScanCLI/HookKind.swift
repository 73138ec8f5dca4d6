import ArgumentParser
import FairScanKit
import Foundation

/// The hooks fairscan writes.
enum HookKind: String, CaseIterable {
  case preCommit = "pre-commit"
  case prePush = "pre-push"

  /// What the hook runs after the chained hook.
  var command: String {
    switch self {
    case .preCommit: return "staged --hook"
    case .prePush: return "pre-push --hook \"$@\""
    }
  }
}
