/// A named piece of pattern, defined once under `fragments:` in a rule file and used in
/// patterns as `{{name}}`, or `{{name(arg, …)}}` when it takes parameters (each argument
/// is the name of another fragment, which the body uses as `{{parameter}}`).
///
/// Expansion inserts the fragment's text verbatim: no group is added, so a rule written with
/// fragments compiles to the very pattern it would be written out in full. Hence the rules a
/// fragment's text must follow (`FragmentSyntax`): balanced parentheses, alternatives and
/// option settings inside a group, and no literal space or `#` outside a character class,
/// so that it reads the same in free-spacing `(?x)` patterns.
public struct RuleFragment: Sendable, Equatable {
  public var name: String
  public var parameters: [String]
  public var pattern: String
  /// The file that defines it (for messages); not part of its identity.
  public var sourceFile: String

  public init(name: String, parameters: [String] = [], pattern: String, sourceFile: String = "") {
    self.name = name; self.parameters = parameters; self.pattern = pattern; self.sourceFile = sourceFile
  }

  /// How the fragment is written as a key under `fragments:`: `name` or `name(a, b)`.
  public var signature: String {
    parameters.isEmpty ? name : "\(name)(\(parameters.joined(separator: ", ")))"
  }

  /// `[a-z][a-z0-9-]*`: the names of fragments and of their parameters.
  static func isWellFormedName(_ name: Substring) -> Bool {
    guard let first = name.utf8.first, first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return false }
    return name.utf8.allSatisfy {
      ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        || $0 == UInt8(ascii: "-")
    }
  }

  /// Reads a signature (`name` or `name(a, b)`); nil when it is not one.
  static func parseSignature(_ text: String) -> (name: String, parameters: [String])? {
    guard let reference = FragmentReference.parse(Substring(text)) else { return nil }
    return (reference.name, reference.arguments)
  }
}

/// One `{{name}}` or `{{name(a, b)}}` in a pattern: the fragment's name and its arguments.
struct FragmentReference: Equatable {
  var name: String
  var arguments: [String]
  /// Where `{{…}}` is in the text it was found in.
  var range: Range<String.Index>

  /// Reads the inside of `{{…}}` (without the braces).
  static func parse(_ inside: Substring) -> (name: String, arguments: [String])? {
    guard let open = inside.firstIndex(of: "(") else {
      return RuleFragment.isWellFormedName(inside) ? (String(inside), []) : nil
    }
    let name = inside[..<open]
    guard inside.last == ")", RuleFragment.isWellFormedName(name) else { return nil }
    let list = inside[inside.index(after: open)..<inside.index(before: inside.endIndex)]
    let arguments = list.split(separator: ",", omittingEmptySubsequences: false).map { part in
      let trimmed = part.drop(while: { $0 == " " })
      var end = trimmed.endIndex
      while end > trimmed.startIndex && trimmed[trimmed.index(before: end)] == " " { end = trimmed.index(before: end) }
      return String(trimmed[..<end])
    }
    guard !arguments.isEmpty, arguments.allSatisfy({ RuleFragment.isWellFormedName(Substring($0)) }) else { return nil }
    return (String(name), arguments)
  }

  /// Every reference in `text`, in order. `{{` that does not start a well-formed reference,
  /// or that follows an odd number of backslashes (`\{{`), is ordinary pattern text.
  ///
  /// Searches the UTF-8 bytes (braces and backslash are ASCII): Foundation's `range(of:)` made
  /// expanding the built-in rules, done at every start, cost about 3 ms.
  static func all(in text: String) -> [FragmentReference] {
    let bytes = text.utf8
    var found: [FragmentReference] = []
    var index = bytes.startIndex
    while let open = firstPair(of: UInt8(ascii: "{"), in: bytes, from: index) {
      var backslashes = 0
      var before = open
      while before > bytes.startIndex {
        before = bytes.index(before: before)
        if bytes[before] == UInt8(ascii: "\\") { backslashes += 1 } else { break }
      }
      let inside = bytes.index(open, offsetBy: 2)
      guard backslashes % 2 == 0, let close = firstPair(of: UInt8(ascii: "}"), in: bytes, from: inside),
        let (name, arguments) = parse(text[inside..<close])
      else {
        index = bytes.index(after: open)
        continue
      }
      let end = bytes.index(close, offsetBy: 2)
      found.append(FragmentReference(name: name, arguments: arguments, range: open..<end))
      index = end
    }
    return found
  }

  /// Whether `text` has a `{{` at all (a reference needs one).
  static func mayOccur(in text: String) -> Bool {
    firstPair(of: UInt8(ascii: "{"), in: text.utf8, from: text.utf8.startIndex) != nil
  }

  /// Where `byte` first occurs twice in a row in `bytes`, from `start` on.
  private static func firstPair(of byte: UInt8, in bytes: String.UTF8View, from start: String.Index) -> String.Index? {
    var i = start
    while i < bytes.endIndex {
      let next = bytes.index(after: i)
      if bytes[i] == byte && next < bytes.endIndex && bytes[next] == byte { return i }
      i = next
    }
    return nil
  }
}
