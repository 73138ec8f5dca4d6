import ArgumentParser
import FairAPI
import FairScanKit
import Foundation

/// `fairscan keys list|create|revoke`: the account's FAIR API keys.
struct KeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys", abstract: "List, create or revoke your FAIR API keys.",
    discussion: """
      Credentials come from FAIR_API_KEY, else FAIR_USERNAME and FAIR_PASSWORD, else the credentials \
      file ~/.config/fairscan/credentials (mode 0600); FAIR_BASE_URL selects the host. Never as flags.
      """,
    subcommands: [List.self, Create.self, Revoke.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the account's keys (key hashes are not shown).")
    enum Format: String, ExpressibleByArgument { case text, json }
    @Option(help: "text or json.") var format: Format = .text
    @OptionGroup var api: APIFlags

    func run() throws {
      let session = try FairSession.open(caFile: api.caFile)
      let keys = try session.run { client in try await client.listKeys() }
      switch format {
      case .json:
        let items = keys.map {
          ["id": $0.id, "name": $0.name, "created": $0.created ?? "", "expires_at": $0.expiresAt ?? ""]
        }
        let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
        Terminal.write(Array(data) + [0x0A], to: 1)
      case .text:
        var text = ""
        for key in keys {
          let expiry = key.expiresAt.map { "expires \($0)" } ?? "never expires"
          text +=
            "\(TerminalSafe.string(key.id))  \(TerminalSafe.string(key.name))  created \(TerminalSafe.string(key.created ?? "?"))  \(TerminalSafe.string(expiry))\n"
        }
        text += "\(keys.count) key\(keys.count == 1 ? "" : "s")\n"
        Terminal.write(Array(text.utf8), to: 1)
      }
      // A listing that contradicts itself is shown as it came, and said to be so (exit bit 2).
      let inventory = KeyInventory(keys: keys.map { InventoryKey(id: $0.id, name: $0.name, keyHash: $0.keyHash ?? "") })
      let contradictions = inventory.contradictions.sorted { $0.key < $1.key }
      for (_, why) in contradictions { Terminal.standardError(TerminalSafe.string("fairscan: \(why)")) }
      if !contradictions.isEmpty { throw ExitCode(ExitStatus.incomplete) }
    }
  }

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create", abstract: "Create a key; it is printed once, to standard output only.")
    @Argument(help: "The key's name (say which environment it serves).") var name: String
    @OptionGroup var api: APIFlags
    @Option(name: .customLong("expires-days"), help: "Days until it expires (0: never; not recommended).")
    var expiresDays: Int

    func validate() throws {
      if expiresDays < 0 { throw ValidationError("--expires-days must be 0 or more") }
    }

    func run() throws {
      let session = try FairSession.open(caFile: api.caFile)
      let name = self.name, days = expiresDays
      let created = try session.run { client in try await client.createKey(name: name, expirationDays: days) }
      Terminal.standardError(
        "fairscan: created key \(TerminalSafe.string(created.id)) (\(TerminalSafe.string(created.name))): it is shown once, below; store it in a secret store, never in code"
      )
      Terminal.write(Array((created.key.revealed + "\n").utf8), to: 1)
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revoke", abstract: "Revoke a key by id (a key already gone counts as revoked).")
    @Argument(help: "The key's id (see fairscan keys list).") var id: String
    @OptionGroup var api: APIFlags

    func run() throws {
      let session = try FairSession.open(caFile: api.caFile)
      let id = self.id
      let result = try session.run { client in try await client.revokeKey(id: id) }
      let what = result == .revoked ? "revoked" : "already gone"
      Terminal.write(Array("key \(TerminalSafe.string(id)): \(what)\n".utf8), to: 1)
    }
  }
}
