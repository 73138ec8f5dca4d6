/// What a key's name says about who and what it serves, read word by word (never by
/// substring: `production` names an environment, `prodigy` does not).
///
/// The platform's practices: one key per environment, and no key shared between users.
/// A name such as `prod-and-staging`, `dev/prod`, `all-envs`, `shared-ci` or `alice+bob`
/// says the key breaks one of them.
public enum KeyNames {
  /// What a name suggests about sharing; empty when it suggests nothing.
  public struct Sharing: Sendable, Equatable {
    /// The environments the name names, when it names two or more (`development`, `production`).
    public var environments: [String] = []
    /// Words of the name that say the key serves several environments (`prod`, `staging`, `all envs`).
    public var environmentWords: [String] = []
    /// Words of the name that say the key serves several users (`shared`, `team`, `alice+bob`).
    public var userWords: [String] = []

    public var isEmpty: Bool { environmentWords.isEmpty && userWords.isEmpty }
  }

  /// Environment words in key names and the environment each names. Narrower than the
  /// path vocabulary of `Practices`: `local-dev` and `integration-test` each name one
  /// environment, so `local`, `demo` and `integration` are left out, and `qa` is `test`.
  static let environmentOf: [String: String] = [
    "prod": "production", "production": "production", "prd": "production", "live": "production",
    "dev": "development", "development": "development", "develop": "development",
    "stage": "staging", "staging": "staging", "stg": "staging",
    "test": "test", "testing": "test", "qa": "test", "uat": "uat",
    "preprod": "preproduction", "preproduction": "preproduction", "sandbox": "sandbox",
  ]

  /// Nouns for environments and for users, after a quantifier (`all-envs`, `any_env`, `multi-user`).
  static let environmentNouns: Set<String> = ["env", "envs", "environment", "environments", "stage", "stages"]
  static let userNouns: Set<String> = [
    "user", "users", "people", "person", "persons", "devs", "developer", "developers", "member", "members",
    "team", "teams",
  ]
  static let quantifiers: Set<String> = ["all", "any", "every", "multi", "multiple", "many", "cross", "shared"]
  /// Words that alone say several environments are served.
  static let severalEnvironments: Set<String> = [
    "envs", "environments", "allenv", "allenvs", "anyenv", "multienv", "crossenv", "nonprod", "nonproduction",
  ]
  /// Words that alone say a key is shared between people.
  static let sharedWords: Set<String> = [
    "shared", "share", "sharing", "team", "teams", "common", "everyone", "everybody", "anyone", "anybody",
    "multiuser", "allusers", "developers", "devs",
  ]

  /// What `name` suggests about sharing.
  public static func sharing(_ name: String) -> Sharing {
    let (words, joins) = tokenize(name)
    var result = Sharing()
    var environments: [String] = []
    var envWords: [String] = []
    for word in words {
      if let env = environmentOf[word] {
        if !environments.contains(env) { environments.append(env) }
        envWords.append(word)
      }
    }
    if environments.count >= 2 {
      result.environments = environments.sorted()
      result.environmentWords = envWords
    }
    var i = 0
    while i < words.count {
      let word = words[i]
      let next = i + 1 < words.count ? words[i + 1] : nil
      var pair = true  // the next word belongs to this one (`all envs`): not read again alone
      if word == "non", let next, environmentOf[next] != nil {
        result.environmentWords.append("non " + next)
      } else if quantifiers.contains(word), let next, environmentNouns.contains(next) {
        result.environmentWords.append(word + " " + next)
      } else if quantifiers.contains(word), let next, userNouns.contains(next) {
        result.userWords.append(word + " " + next)
      } else {
        pair = false
        if severalEnvironments.contains(word) { result.environmentWords.append(word) }
        if sharedWords.contains(word) { result.userWords.append(word) }
      }
      i += pair ? 2 : 1
    }
    // `alice+bob`, `ana&luis`: two holders. `prod+staging` is two environments, said above;
    // `v2+3` or `key+1` name no one.
    for join in joins {
      let (a, b) = (words[join], words[join + 1])
      guard a.first?.isLetter == true, b.first?.isLetter == true else { continue }
      guard environmentOf[a] == nil || environmentOf[b] == nil else { continue }
      result.userWords.append(a + "+" + b)
    }
    result.environmentWords = unique(result.environmentWords)
    result.userWords = unique(result.userWords)
    return result
  }

  private static func unique(_ words: [String]) -> [String] {
    var seen: Set<String> = []
    return words.filter { seen.insert($0).inserted }
  }

  /// The lowercase words of `name`, split at anything not a letter or digit, at camelCase
  /// humps (`prodAndStaging`, `APIKey`) and between letters and digits (`prod2`); and the
  /// indices `i` where words `i` and `i + 1` are joined by `+` or `&`.
  static func tokenize(_ name: String) -> (words: [String], joins: [Int]) {
    var words: [String] = []
    var joins: [Int] = []
    var current: [Character] = []
    var pendingJoin = false
    func flush() {
      guard !current.isEmpty else { return }
      if pendingJoin && !words.isEmpty { joins.append(words.count - 1) }
      pendingJoin = false
      words.append(String(current).lowercased())
      current = []
    }
    let characters = Array(name)
    for (i, c) in characters.enumerated() {
      guard c.isLetter || c.isNumber else {
        flush()
        if c == "+" || c == "&" { pendingJoin = true } else if !c.isWhitespace { pendingJoin = false }
        continue
      }
      if let previous = current.last {
        let next = i + 1 < characters.count ? characters[i + 1] : nil
        let hump = previous.isLowercase && c.isUppercase
        let acronymEnd = previous.isUppercase && c.isUppercase && next?.isLowercase == true
        let digitEdge = previous.isNumber != c.isNumber
        if hump || acronymEnd || digitEdge { flush() }
      }
      current.append(c)
    }
    flush()
    return (words, joins)
  }
}
