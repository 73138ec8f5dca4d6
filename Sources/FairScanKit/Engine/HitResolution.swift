/// The one place that decides which of a piece of content's raw hits stand, for one path.
///
/// `ScanWorker` reports every accepted match of every rule it ran (vetoes, decoding and
/// entropy already applied: those depend on the bytes alone). What depends on where the
/// bytes sit is decided here, and only here, whatever the source: a file, standard input,
/// the work tree, the index, a blob in history read before its paths are known, a commit
/// message, or hits read back from the scan cache.
///
/// 1. A rule whose `paths` leave out `path` does not apply. Content without a path (a
///    commit or tag message, unnamed standard input, a blob no commit holds) gets the rules
///    that name no `include` paths.
/// 2. Of the rules left, fallback rules give way to a more specific rule that found a secret
///    overlapping theirs, and a second rule of the same family reporting the very same bytes
///    is dropped (one secret, one finding). Specific rules outrank fallback rules, which
///    outrank the `generic` family's.
///
/// The order of the answer does not depend on the order of the input: hits are ranked by
/// position, then rule.
enum HitResolution {
  static func resolve(_ hits: [ContentHit], path: String?, rules: [CompiledRule]) -> [ContentHit] {
    var applicable = hits.filter { rules[$0.ruleIndex].applies(toPath: path) }
    guard applicable.count > 1 else { return applicable }
    applicable.sort {
      if $0.position.byteOffset != $1.position.byteOffset { return $0.position.byteOffset < $1.position.byteOffset }
      if $0.ruleIndex != $1.ruleIndex { return $0.ruleIndex < $1.ruleIndex }
      return $0.position.byteLength < $1.position.byteLength
    }
    func tier(_ hit: ContentHit) -> Int {
      let rule = rules[hit.ruleIndex].rule
      return !rule.fallback ? 2 : rule.family == "generic" ? 0 : 1
    }
    var kept: [ContentHit] = []
    for hit in applicable {
      let t = tier(hit)
      let range = hit.byteRange
      if t < 2 && applicable.contains(where: { tier($0) > t && $0.byteRange.overlaps(range) }) { continue }
      if kept.contains(where: {
        $0.byteRange == range && $0.ruleIndex != hit.ruleIndex
          && rules[$0.ruleIndex].rule.family == rules[hit.ruleIndex].rule.family
      }) {
        continue
      }
      kept.append(hit)
    }
    return kept
  }
}

extension ContentHit {
  /// Where the secret (or, decoded, its encoded form) lies in the content scanned.
  var byteRange: Range<Int> { position.byteOffset..<(position.byteOffset + position.byteLength) }
}
