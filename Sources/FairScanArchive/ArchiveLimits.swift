/// What one walk through an archive (and the archives nested in it) may cost. Past a limit the
/// walk stops or leaves the member out, and says so in an `ArchiveSkip`; it never fails.
public struct ArchiveLimits: Sendable, Equatable, CustomStringConvertible {
  /// Archives opened one inside another: 3 opens `a.tar.gz!b.jar!c.zip!d` but not an archive in `c.zip`.
  public var maxDepth = 3
  /// Entries read (files, folders, links), at every level together.
  public var maxMembers = 10_000
  /// Bytes decompressed, at every level together.
  public var maxTotalBytes = 256 << 20
  /// Bytes decompressed per byte of the scanned content, checked once `ratioFloor` bytes are out.
  public var maxRatio = 100
  public var ratioFloor = 8 << 20
  /// A member larger than this is listed as too large and not scanned (fairscan sets it to `--max-file-size`).
  public var maxMemberSize = 100 << 20

  public init() {}

  public var description: String {
    "depth \(maxDepth), members \(maxMembers), total \(maxTotalBytes), ratio \(maxRatio) past \(ratioFloor), member \(maxMemberSize)"
  }
}
