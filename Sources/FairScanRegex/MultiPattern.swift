/// One entry of a Vectorscan prefilter database.
public struct MultiPattern: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// Bytes matched as they are (`caseless`: ASCII case-insensitively). `everyMatch`: each
    /// occurrence is reported; otherwise the first only (Vectorscan's single-match mode).
    case literal(caseless: Bool, everyMatch: Bool)
    /// A PCRE-style regex compiled in prefilter mode (may over-report, never under-reports).
    case regex
  }

  /// Reported back by ``MultiPatternDatabase/scan(_:scratch:_:)``; need not be unique.
  public var id: UInt32
  public var expression: String
  public var kind: Kind

  public init(id: UInt32, expression: String, kind: Kind) {
    self.id = id
    self.expression = expression
    self.kind = kind
  }

  /// Whether the pattern is a literal (a database of literals only is compiled with `hs_compile_lit_multi`).
  var isLiteral: Bool {
    if case .literal = kind { return true }
    return false
  }

  /// The expression handed to Vectorscan's regex compiler: literals have every non-alphanumeric byte as `\xHH`.
  var vectorscanExpression: String {
    switch kind {
    case .regex:
      return expression
    case .literal:
      let hex = Array("0123456789abcdef")
      var out = ""
      for byte in expression.utf8 {
        let isAlnum = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
        if isAlnum {
          out.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
          out += "\\x"
          out.append(hex[Int(byte >> 4)])
          out.append(hex[Int(byte & 0xf)])
        }
      }
      return out
    }
  }

  var kindTag: UInt8 {
    switch kind {
    case .literal(let caseless, let everyMatch): return 1 | (caseless ? 4 : 0) | (everyMatch ? 8 : 0)
    case .regex: return 2
    }
  }
}
