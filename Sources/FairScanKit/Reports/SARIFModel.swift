/// The part of the SARIF 2.1.0 object model fairscan writes. Optional properties
/// that are nil are left out of the output.
enum SARIF {
  struct Log: Encodable {
    var schema: String
    var version: String
    var runs: [Run]
    enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
  }

  struct Run: Encodable {
    var tool: Tool
    var invocations: [Invocation]
    var originalUriBaseIds: [String: ArtifactLocation]
    var results: [Result]
    var columnKind: String
  }

  struct Tool: Encodable { var driver: Driver }

  struct Driver: Encodable {
    var name: String
    var version: String
    var informationUri: String
    var rules: [ReportingDescriptor]
  }

  struct ReportingDescriptor: Encodable {
    var id: String
    var name: String
    var shortDescription: Message
    var fullDescription: Message
    var defaultConfiguration: Configuration
    var properties: RuleProperties
  }

  struct Configuration: Encodable { var level: String }

  struct RuleProperties: Encodable {
    var tags: [String]
    var securitySeverity: String?
    enum CodingKeys: String, CodingKey { case tags, securitySeverity = "security-severity" }
  }

  struct Message: Encodable { var text: String }

  struct Result: Encodable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: Message
    var locations: [Location]
    var partialFingerprints: [String: String]
    var properties: ResultProperties
  }

  struct ResultProperties: Encodable {
    var secretSHA256: String
    var commits: [CommitRef]
    var unreachable: Bool
    var presentAtHead: Bool?
    var inWorktree: Bool?
    var hint: String?
    var tags: [String]?
    var expiresAt: String? = nil
    var expired: Bool? = nil
    var tokenType: String? = nil
    var environments: [String]? = nil
    var authors: [String]? = nil
    enum CodingKeys: String, CodingKey {
      case secretSHA256 = "secret_sha256", commits, unreachable
      case presentAtHead = "present_at_head", inWorktree = "in_worktree", hint, tags
      case expiresAt = "expires_at", expired, tokenType = "token_type", environments, authors
    }
  }

  struct Location: Encodable {
    var physicalLocation: PhysicalLocation
    var properties: LocationProperties? = nil
  }

  struct LocationProperties: Encodable {
    var source: String
    var blob: String?
    var unreachable: Bool
    var encoding: String? = nil
    /// The archive member (`config/app.env`, nested joined with `!`); the artifact is the archive.
    var member: String? = nil
  }

  struct PhysicalLocation: Encodable {
    var artifactLocation: ArtifactLocation
    var region: Region? = nil
  }

  struct ArtifactLocation: Encodable {
    var uri: String? = nil
    var uriBaseId: String? = nil
    var description: Message? = nil
  }

  struct Region: Encodable {
    var startLine: Int
    var startColumn: Int
    var endLine: Int
    var endColumn: Int
    var byteOffset: Int
    var byteLength: Int
  }

  struct Invocation: Encodable {
    var executionSuccessful: Bool
    var toolExecutionNotifications: [Notification]
  }

  struct Notification: Encodable {
    var level: String
    var message: Message
    var locations: [Location]? = nil
    var associatedRule: RuleReference? = nil
  }

  struct RuleReference: Encodable {
    var id: String
    var index: Int?
  }
}
