import Foundation

/// What a liveness probe of a found key said.
public enum ProbeResult: Sendable, Equatable, CustomStringConvertible {
  /// 200: the key works.
  case live
  /// 401 / 403: the key is refused.
  case dead(status: Int)
  /// Any other answer: the probe cannot tell.
  case inconclusive(status: Int)

  public var description: String {
    switch self {
    case .live: "live"
    case .dead(let s): "dead (HTTP \(s))"
    case .inconclusive(let s): "inconclusive (HTTP \(s))"
    }
  }
}
