/// Values that only stand in for a secret. Every rule's matches pass through this
/// veto, so a rule file never has to repeat it: templates (`{API_KEY}`, `<TOKEN>`,
/// `${X}`, `$X`, `%(x)s`), filler (`xxxx`, `****`, `000000`), sequences
/// (`123456`, `abcdef`), stand-in words (`changeme`, `your-api-key-here`,
/// `MY_API_TOKEN_1`), dotted names (`process.env.KEY`) and values of one
/// character class only (`secretvalue`, `ABCDEFGH`, `20240101`).
///
/// Secrets longer than `maximumLength` (private key blocks, long tokens) are never
/// vetoed: by chance alone, a long random secret would sometimes contain a stopword.
public enum Placeholder {
  static let maximumLength = 256

  public static func isPlaceholder(_ secret: [UInt8]) -> Bool {
    guard !secret.isEmpty else { return true }
    guard secret.count <= maximumLength else { return false }
    return isTemplate(secret) || hasStopword(secret) || hasFiller(secret) || isOneClass(secret)
      || isDottedName(secret) || isWords(secret) || isFilePath(secret)
  }

  /// A base64 value of a placeholder: `Y2hhbmdlbWU=` (`changeme`), `dXNlcjpwYXNzd29yZA==` (`user:password`).
  public static func isEncodedPlaceholder(_ secret: [UInt8]) -> Bool {
    guard secret.count >= 8, secret.count <= maximumLength, secret.allSatisfy({ Base64.table[Int($0)] != 255 }),
      let decoded = Base64.decode(secret), decoded.count >= 4, EncodedSpans.isText(decoded)
    else { return false }
    return isPlaceholder(decoded)
  }

  // MARK: templates and references

  static func isTemplate(_ s: [UInt8]) -> Bool {
    let first = s[0], last = s[s.count - 1]
    let pairs: [(UInt8, UInt8)] = [
      (0x7B, 0x7D), (0x3C, 0x3E), (0x5B, 0x5D), (0x28, 0x29), (0x25, 0x25), (0x40, 0x40),
    ]  // {} <> [] () %% @@
    if s.count >= 2 && pairs.contains(where: { $0.0 == first && $0.1 == last }) { return true }
    // ${X}, $(cmd), #{x}, %(x)s, {{ x }} anywhere at the start
    if s.count >= 2 {
      let second = s[1]
      if (first == 0x24 || first == 0x23 || first == 0x25) && (second == 0x7B || second == 0x28) { return true }
    }
    // $NAME or %NAME (shell, batch), and __NAME__
    if first == 0x24 || first == 0x25 {
      let rest = s.dropFirst()
      if !rest.isEmpty && rest.allSatisfy(isIdentifierByte) { return true }
    }
    if s.count > 4 && s.starts(with: [0x5F, 0x5F]) && s.reversed().starts(with: [0x5F, 0x5F]) { return true }
    return false
  }

  // MARK: stopwords

  /// Matched in lowercase, UPPERCASE and Capitalized form (not in any mixed case,
  /// so a random token rarely contains one by chance).
  static let stopwords: [[UInt8]] = [
    "example", "your", "xxxx", "****", "changeme", "change_me", "change-me", "dummy", "fake",
    "placeholder", "redacted", "replace", "insert", "sample", "qwerty", "asdfgh",
    "notreal", "not_real", "not-real", "foobar", "lorem", "ipsum", "todo", "fixme",
  ].map { Array($0.utf8) }

  static func hasStopword(_ s: [UInt8]) -> Bool {
    let lower = s.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
    for word in stopwords {
      var start = 0
      while let at = find(word, in: lower, from: start) {
        let original = s[at..<(at + word.count)]
        let upper = word.map { ($0 >= 97 && $0 <= 122) ? $0 - 32 : $0 }
        let capital = [upper[0]] + word.dropFirst()
        if original.elementsEqual(word) || original.elementsEqual(upper) || original.elementsEqual(capital) {
          return true
        }
        start = at + 1
      }
    }
    return false
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    var i = from
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }

  // MARK: filler and sequences

  /// Six or more of one byte in a row, or six ascending or descending in a row
  /// (`123456`, `abcdef`, `987654`), or a value of at most three distinct bytes.
  static func hasFiller(_ s: [UInt8]) -> Bool {
    var same = 1, up = 1, down = 1
    for i in 1..<max(s.count, 1) {
      let a = s[i - 1], b = s[i]
      same = a == b ? same + 1 : 1
      up = (b == a &+ 1 && isAlphanumeric(b)) ? up + 1 : 1
      down = (a == b &+ 1 && isAlphanumeric(b)) ? down + 1 : 1
      if same >= 6 || up >= 6 || down >= 6 { return true }
    }
    return Set(s).count <= 3
  }

  /// Only lowercase letters, only capitals or only digits (separators `-_.` aside).
  static func isOneClass(_ s: [UInt8]) -> Bool {
    var lower = false, upper = false, digit = false, other = false
    for b in s {
      switch b {
      case 97...122: lower = true
      case 65...90: upper = true
      case 48...57: digit = true
      case 0x2D, 0x5F, 0x2E: break
      default: other = true
      }
    }
    if other { return false }
    return [lower, upper, digit].filter { $0 }.count == 1
  }

  /// `process.env.FAIR_API_KEY`, `settings.fair.key`, `self.apiKey` (not a JWT, which starts `eyJ`,
  /// nor a dotted token like `hvs.CAESI…` or `dp.pt.…`: every part must read as a name).
  static func isDottedName(_ s: [UInt8]) -> Bool {
    guard !s.starts(with: Array("eyJ".utf8)), s.contains(0x2E) else { return false }
    let parts = s.split(separator: 0x2E, omittingEmptySubsequences: false)
    return parts.count >= 2 && parts.allSatisfy(isNameLike)
  }

  /// snake_case, SCREAMING_CASE, camelCase or PascalCase, digits only at the end, up to 40 bytes.
  static func isNameLike(_ part: ArraySlice<UInt8>) -> Bool {
    guard let first = part.first, part.count <= 40, !(48...57).contains(first) else { return false }
    guard part.allSatisfy(isIdentifierByte) else { return false }
    // Digits may only trail: `key2`, `API_V1` (but not `a9Xk3`).
    var seenDigit = false
    for b in part {
      if (48...57).contains(b) { seenDigit = true } else if seenDigit && b != 0x5F { return false }
    }
    let letters = part.filter { (65...90).contains($0) || (97...122).contains($0) }
    let upper = letters.filter { (65...90).contains($0) }.count
    if upper == 0 || upper == letters.count { return true }  // snake_case, SCREAMING_CASE
    if part.contains(0x5F) { return false }  // mixed case with underscores: not a plain name
    // camelCase / PascalCase: no two capitals in a row, and words of two letters or more.
    var previousUpper = false
    var run = 0
    for b in part {
      let isUpper = (65...90).contains(b)
      if isUpper {
        if previousUpper { return false }
        if run == 1 { return false }
        run = 1
      } else {
        run += 1
      }
      previousUpper = isUpper
    }
    return true
  }

  /// `/run/secrets/fair_api_key`, `./secrets/db.txt`, `~/.config/app/token`: where a secret
  /// is kept, not the secret (lowercase segments, so a base64 value with slashes is not one).
  static func isFilePath(_ s: [UInt8]) -> Bool {
    let body: ArraySlice<UInt8>
    if s.starts(with: [0x2F]) {
      body = s.dropFirst()
    } else if s.starts(with: [0x2E, 0x2F]) || s.starts(with: [0x7E, 0x2F]) {
      body = s.dropFirst(2)
    } else {
      return false
    }
    let segments = body.split(separator: 0x2F)
    guard segments.count >= 2 else { return false }
    return segments.allSatisfy {
      $0.allSatisfy { b in (97...122).contains(b) || (48...57).contains(b) || b == 0x5F || b == 0x2D || b == 0x2E }
    }
  }

  // MARK: words

  /// Words that make up stand-in values: `your-api-key-here`, `MY_API_TOKEN_1`,
  /// `secretpassword`, `replace_with_real_token`. A value made only of these words
  /// (and short numbers) is not a secret.
  static let words: Set<String> = [
    "a", "access", "account", "admin", "administrator", "all", "an", "and", "any", "api", "apikey", "app",
    "application", "auth", "authorization", "bar", "baz", "bearer", "bot", "but", "by", "change", "client", "code",
    "config", "cred", "credential", "credentials", "db", "default", "demo", "dev", "development", "do", "enter",
    "env", "environment", "fair", "file", "fill", "for", "foo", "from", "generate", "generated", "get", "go",
    "goes", "guest", "hash", "here", "hello", "id", "in", "input", "is", "it", "key", "keys", "local",
    "login", "me", "mine", "my", "mysecret", "new", "no", "none", "not", "null", "of", "old", "on", "or",
    "our", "pass", "passwd", "password", "passphrase", "personal", "please", "private", "prod", "production",
    "public", "put", "pwd", "qux", "real", "refresh", "required", "root", "sandbox", "secret", "secrets",
    "service", "session", "set", "some", "staging", "stage", "string", "super", "supersecret", "system",
    "test", "testing", "text", "the", "this", "to", "token", "tokens", "true", "false", "undefined", "up",
    "use", "user", "username", "valid", "value", "var", "variable", "very", "web", "webhook", "with", "world",
    "you", "nil", "empty", "blank", "actual", "live", "master", "main", "temp", "tmp", "unknown", "invalid",
    "hunter", "letmein", "welcome", "qwerty", "abc", "xyz", "only", "dont", "use", "shh", "top",
  ]

  static func isWords(_ s: [UInt8]) -> Bool {
    guard s.count <= 64 else { return false }
    var letters = 0
    var runs: [[UInt8]] = []
    var current: [UInt8] = []
    var previousLower = false
    func flush() { if !current.isEmpty { runs.append(current); current = [] } }
    for b in s {
      switch b {
      case 97...122:
        current.append(b); previousLower = true; letters += 1
      case 65...90:
        if previousLower { flush() }  // camelCase boundary
        current.append(b + 32); previousLower = false; letters += 1
      case 48...57:
        flush(); previousLower = false
      case 0x2D, 0x5F, 0x2E, 0x20, 0x2F, 0x3A:
        flush(); previousLower = false
      default:
        return false
      }
    }
    flush()
    guard letters >= 3, !runs.isEmpty else { return false }
    // Digits: short numbers only (MY_API_TOKEN_1, password123).
    var digitRun = 0
    for b in s {
      if (48...57).contains(b) { digitRun += 1; if digitRun > 4 { return false } } else { digitRun = 0 }
    }
    return runs.allSatisfy(segments)
  }

  /// Whether `run` (lowercase letters) splits into dictionary words.
  static func segments(_ run: [UInt8]) -> Bool {
    let n = run.count
    var ok = [Bool](repeating: false, count: n + 1)
    ok[0] = true
    for end in 1...n {
      for start in stride(from: end - 1, through: max(0, end - 16), by: -1) where ok[start] {
        if words.contains(String(decoding: run[start..<end], as: UTF8.self)) { ok[end] = true; break }
      }
    }
    return ok[n]
  }

  @inline(__always) static func isIdentifierByte(_ b: UInt8) -> Bool {
    isAlphanumeric(b) || b == 0x5F
  }

  @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool {
    (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
  }
}
