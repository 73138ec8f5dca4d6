import ArgumentParser

/// Options of every command that talks to the FAIR API (the scans' `--verify` included): the
/// one declaration of `--ca-file`. Credentials are never among them.
struct APIFlags: ParsableArguments {
  @Option(
    name: .customLong("ca-file"),
    help: ArgumentHelp(
      "Trust the CA certificates (PEM) in FILE for the FAIR host.",
      discussion: "For a FAIR deployment behind a private CA. TLS is always verified; FAIR_CA_FILE sets the same."))
  var caFile: String?
}
