import Foundation

/// Archives built at test time with the real tools (Python's zipfile, `tar`, `gzip`, `bzip2`,
/// `xz`, `zip`), so no binary fixture is committed. Members are (name, bytes), in order.
public enum ArchiveFixture {
  public typealias Member = (name: String, bytes: [UInt8])

  /// A zip made by Python's zipfile: deflated (or stored), names written exactly as given.
  public static func zip(_ members: [Member], stored: Bool = false) throws -> [UInt8] {
    let dir = try TemporaryFolder.make()
    var args = ["-c", zipScript, dir.appendingPathComponent("out.zip").path, stored ? "stored" : "deflated"]
    for (i, member) in members.enumerated() {
      let file = dir.appendingPathComponent("m\(i)")
      try Data(member.bytes).write(to: file)
      args += [member.name, file.path]
    }
    try check(try Run.process("/usr/bin/env", ["python3"] + args), "python3 zipfile")
    return Array(try Data(contentsOf: dir.appendingPathComponent("out.zip")))
  }

  private static let zipScript = """
    import sys, zipfile
    out, mode, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    method = zipfile.ZIP_STORED if mode == "stored" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as z:
        for name, path in zip(rest[0::2], rest[1::2]):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, open(path, "rb").read())
    """

  /// A zip bomb: `zeros` zero bytes deflated into one member after `before` (written in 1 MiB
  /// pieces, never held whole).
  public static func zipOfZeros(_ zeros: Int, name: String = "zeros.bin", before: [Member] = []) throws -> [UInt8] {
    let dir = try TemporaryFolder.make()
    let script = """
      import sys, zipfile
      out, name, count, rest = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
      with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
          for n, path in zip(rest[0::2], rest[1::2]):
              z.writestr(n, open(path, "rb").read())
          with z.open(name, "w", force_zip64=True) as f:
              piece = bytes(1 << 20)
              while count > 0:
                  f.write(piece[:min(count, len(piece))])
                  count -= len(piece)
      """
    var args = ["-c", script, dir.appendingPathComponent("out.zip").path, name, String(zeros)]
    for (i, member) in before.enumerated() {
      let file = dir.appendingPathComponent("m\(i)")
      try Data(member.bytes).write(to: file)
      args += [member.name, file.path]
    }
    try check(try Run.process("/usr/bin/env", ["python3"] + args), "python3 zipfile")
    return Array(try Data(contentsOf: dir.appendingPathComponent("out.zip")))
  }

  /// A zip of `count` empty members (`f0`, `f1`…).
  public static func zipOfEmptyMembers(_ count: Int) throws -> [UInt8] {
    let dir = try TemporaryFolder.make()
    let script = """
      import sys, zipfile
      with zipfile.ZipFile(sys.argv[1], "w") as z:
          for i in range(int(sys.argv[2])):
              z.writestr("f%d" % i, b"")
      """
    try check(
      try Run.process(
        "/usr/bin/env", ["python3", "-c", script, dir.appendingPathComponent("out.zip").path, String(count)]),
      "python3 zipfile")
    return Array(try Data(contentsOf: dir.appendingPathComponent("out.zip")))
  }

  /// A zip whose members are encrypted with a password (Info-ZIP's `zip -P`).
  public static func encryptedZip(_ members: [Member], password: String = "secret") throws -> [UInt8] {
    let dir = try TemporaryFolder.make()
    for member in members { try write(member, under: dir) }
    try check(
      try Run.process(
        "/usr/bin/env", ["zip", "-q", "-X", "-P", password, "out.zip"] + members.map(\.name), currentDirectory: dir.path
      ),
      "zip -P")
    return Array(try Data(contentsOf: dir.appendingPathComponent("out.zip")))
  }

  /// A tar made by GNU `tar`, compressed with `z`, `j` or `J` (nil: plain).
  public static func tar(_ members: [Member], compression: String? = nil) throws -> [UInt8] {
    let dir = try TemporaryFolder.make()
    for member in members { try write(member, under: dir) }
    let flags = "-c" + (compression ?? "") + "f"
    try check(
      try Run.process(
        "/usr/bin/env",
        ["tar", "--owner=0", "--group=0", "--mtime=@1700000000", flags, "out.tar"] + members.map(\.name),
        currentDirectory: dir.path),
      "tar")
    return Array(try Data(contentsOf: dir.appendingPathComponent("out.tar")))
  }

  /// `bytes` compressed by `gzip -n`, `bzip2` or `xz` (as a bare stream, no tar).
  public static func compress(_ bytes: [UInt8], with tool: String) throws -> [UInt8] {
    let args = tool == "gzip" ? ["gzip", "-n", "-c"] : [tool, "-c"]
    let result = try Run.process("/usr/bin/env", args, input: bytes)
    try check(result, tool)
    return result.stdout
  }

  private static func write(_ member: Member, under dir: URL) throws {
    let file = dir.appendingPathComponent(member.name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(member.bytes).write(to: file)
  }

  private static func check(_ result: Run.Result, _ what: String) throws {
    guard result.status == 0 else { throw FixtureError("\(what) failed (\(result.status)): \(result.stderrText)") }
  }
}
