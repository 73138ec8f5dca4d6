import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Repository {
  /// Refs whose names match `glob` (fnmatch style, e.g. `refs/remotes/origin/*`; nil: every
  /// ref), each with the object it points at (symbolic refs resolved, tags not peeled);
  /// dangling symbolic refs and corrupt refs are left out (`referenceDamage()` names them).
  ///
  /// Wraps `git_reference_iterator_new` or `git_reference_iterator_glob_new`, `git_reference_next`
  /// and, for symbolic refs, `git_reference_resolve`. When libgit2 cannot iterate (a corrupt
  /// `packed-refs`: it fails, or with a glob lists nothing), reads the ref files itself: each
  /// loose ref by `git_reference_lookup`, the packed lines that parse.
  public func references(matching glob: String? = nil) throws(GitError) -> [String: ObjectID] {
    let files = ReferenceFiles(commonDirectory: commonDirectory)
    if files.corruptPackedLines.isEmpty, let listed = try? iteratedReferences(matching: glob) { return listed }
    return references(in: files, matching: glob)
  }

  private func iteratedReferences(matching glob: String?) throws(GitError) -> [String: ObjectID] {
    var iterator: OpaquePointer?
    if let glob {
      try check("git_reference_iterator_glob_new", git_reference_iterator_glob_new(&iterator, handle, glob))
    } else {
      try check("git_reference_iterator_new", git_reference_iterator_new(&iterator, handle))
    }
    defer { git_reference_iterator_free(iterator) }
    var result: [String: ObjectID] = [:]
    while true {
      var ref: OpaquePointer?
      let rc = git_reference_next(&ref, iterator)
      if rc == GIT_ITEROVER.rawValue { break }
      try check("git_reference_next", rc)
      defer { git_reference_free(ref) }
      if let id = target(of: ref) { result[String(cString: git_reference_name(ref))] = id }
    }
    return result
  }

  /// A direct ref's own target; a symbolic one's, followed (`git_reference_resolve` looks a
  /// direct ref up again by name: a loose-file probe and a `packed-refs` check per ref, 380
  /// system calls on swift-nio's 190 refs).
  private func target(of ref: OpaquePointer?) -> ObjectID? {
    if git_reference_type(ref) == GIT_REFERENCE_DIRECT { return git_reference_target(ref).map { ObjectID($0) } }
    var resolved: OpaquePointer?
    guard git_reference_resolve(&resolved, ref) == 0 else { return nil }
    defer { git_reference_free(resolved) }
    return git_reference_target(resolved).map { ObjectID($0) }
  }

  private func references(in files: ReferenceFiles, matching glob: String?) -> [String: ObjectID] {
    var result: [String: ObjectID] = [:]
    for entry in files.packed { result[entry.name] = entry.id }
    for name in files.loose {
      if let id = resolvedTarget(name) { result[name] = id }
    }
    guard let glob else { return result }
    return result.filter { fnmatch(glob, $0.key, 0) == 0 }
  }

  /// The object a ref points at, symbolic refs followed; nil when it cannot be read.
  private func resolvedTarget(_ name: String) -> ObjectID? {
    var ref: OpaquePointer?
    guard git_reference_lookup(&ref, handle, name) == 0 else { return nil }
    defer { git_reference_free(ref) }
    return target(of: ref)
  }

  /// What is damaged among the refs, one sentence each (empty when they are intact): a loose
  /// ref file that does not parse, a `packed-refs` line that does not, a ref or detached HEAD
  /// whose object is not in the object database. A symbolic ref to a missing branch (an unborn
  /// HEAD) is not damage. Reads ref files and checks that targets exist; reads no object.
  ///
  /// Wraps `git_reference_lookup`, `git_reference_type`, `git_reference_target` and `git_odb_exists`.
  public func referenceDamage() -> [String] {
    let files = ReferenceFiles(commonDirectory: commonDirectory)
    var damage: [String] = []
    for line in files.corruptPackedLines { damage.append("packed-refs line \(line) is corrupt") }
    func missing(_ name: String, _ id: ObjectID) -> String {
      "\(name) points at \(id.hex.prefix(12)), which the object database does not hold (missing or unreadable)"
    }
    let loose = Set(files.loose)
    for name in files.loose + ["HEAD"] {
      var ref: OpaquePointer?
      let rc = git_reference_lookup(&ref, handle, name)
      if rc < 0 {
        if rc != GIT_ENOTFOUND.rawValue { damage.append("\(name) is corrupt (\(lastError("", rc).message))") }
        continue
      }
      defer { git_reference_free(ref) }
      if git_reference_type(ref) == GIT_REFERENCE_DIRECT, let target = git_reference_target(ref),
        !contains(ObjectID(target))
      {
        damage.append(missing(name, ObjectID(target)))
      }
    }
    for entry in files.packed where !loose.contains(entry.name) && !contains(entry.id) {
      damage.append(missing(entry.name, entry.id))
    }
    return damage
  }

  /// The branch HEAD is on (`main` for `refs/heads/main`), born or not; nil when HEAD is detached
  /// or unreadable. Wraps `git_reference_lookup` and `git_reference_symbolic_target`.
  public var headBranch: String? {
    var head: OpaquePointer?
    guard git_reference_lookup(&head, handle, "HEAD") == 0 else { return nil }
    defer { git_reference_free(head) }
    guard let target = git_reference_symbolic_target(head).map({ String(cString: $0) }),
      target.hasPrefix("refs/heads/")
    else { return nil }
    return String(target.dropFirst("refs/heads/".count))
  }

  /// Whether the object database holds `id`. Wraps `git_odb_exists`.
  public func contains(_ id: ObjectID) -> Bool {
    var oid = id.gitOID
    return git_odb_exists(odb.odb, &oid) == 1
  }
}
