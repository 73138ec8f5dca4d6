/// A credential value (API key, password, access or refresh token) that never
/// prints itself: `description`, `debugDescription`, string interpolation and
/// `dump` all show `<redacted>`. Read `revealed` only to put it on the wire or
/// hash it.
public struct FairSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  private let value: String

  public init(_ value: String) { self.value = value }

  /// The plaintext. Do not log it.
  public var revealed: String { value }

  public var isEmpty: Bool { value.isEmpty }

  public var description: String { "<redacted>" }
  public var debugDescription: String { "<redacted>" }
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
