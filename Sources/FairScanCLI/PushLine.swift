import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// One line git gives a pre-push hook on stdin.
struct PushLine: Equatable {
  var localRef: String
  var localSHA: String
  var remoteRef: String
  var remoteSHA: String

  /// The ref is deleted on the remote: nothing is sent.
  var isDeletion: Bool { PushLine.isZero(localSHA) }
  /// The remote has no such ref yet.
  var isNewRef: Bool { PushLine.isZero(remoteSHA) }

  static func isZero(_ sha: String) -> Bool { sha.allSatisfy { $0 == "0" } }

  static func parse(_ data: Data) throws -> [PushLine] {
    var result: [PushLine] = []
    for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
      let fields = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      if fields.isEmpty { continue }
      guard fields.count == 4, fields[1].count >= 40, fields[3].count >= 40,
        (fields[1] + fields[3]).allSatisfy(\.isHexDigit)
      else {
        throw CommandFailure.usage(
          "pre-push: stdin line is not '<local ref> <local sha> <remote ref> <remote sha>': '\(TerminalSafe.string(String(raw.prefix(200))))'"
        )
      }
      result.append(PushLine(localRef: fields[0], localSHA: fields[1], remoteRef: fields[2], remoteSHA: fields[3]))
    }
    return result
  }
}
