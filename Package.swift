// swift-tools-version:6.0
import Foundation
import PackageDescription

/// This manifest's folder: the executable's link searches a folder of its own first.
let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

let package = Package(
  name: "fairscan",
  // Linux only: built and tested on Linux (Debian 12, glibc) and nowhere else. FairScanSystem
  // imports Glibc; no other platform is declared.
  products: [
    .executable(name: "fairscan", targets: ["fairscan"]),
    .executable(name: "fair-emulator", targets: ["fair-emulator"]),
    .library(name: "FairScanKit", targets: ["FairScanKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // The FAIR emulator (issue 4): a real HTTP server on loopback for drills and tests.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    // The FAIR API client (issue 4).
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // C: only the decisions that must be made in C.
    // libgit2 (Debian's libgit2-dev) is opened by the first thread that needs it (dlopen), not
    // linked: see its README.
    .target(name: "CLibGit2", dependencies: ["CLazyLibrary"], exclude: ["README.md"]),
    // libgit2's set-up without its CA bundle (HTTPS through libgit2 is never used): see its README.
    // The executable exports its replacement for mbedTLS's function, so that libgit2, opened
    // later, binds to it.
    .target(
      name: "CLibGit2Setup", exclude: ["README.md"],
      linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=mbedtls_x509_crt_parse_file"])]),
    .target(name: "CPCRE2", exclude: ["README.md"], linkerSettings: [.linkedLibrary("pcre2-8")]),
    .target(name: "CByteScan", exclude: ["README.md"]),
    .systemLibrary(name: "CVectorscan", providers: [.apt(["libvectorscan-dev"])]),
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    // libarchive is opened when the first archive is met (dlopen), not linked: see its README.
    .target(name: "CLibArchive", dependencies: ["CLazyLibrary"], exclude: ["README.md"]),
    // What those two share: a library opened with dlopen, its functions looked up.
    .target(name: "CLazyLibrary", exclude: ["README.md"]),
    .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

    // The only Swift importers of the C modules.
    .target(
      name: "FairScanGit", dependencies: ["CLibGit2", "CLibGit2Setup", "CDeflate", "FairScanSystem"],
      exclude: ["README.md"]),
    .target(
      name: "FairScanRegex", dependencies: ["CPCRE2", "CVectorscan", "CByteScan", "FairScanDigest", "FairScanSystem"],
      exclude: ["README.md"]),
    .target(name: "FairScanDigest", exclude: ["README.md"]),
    .target(name: "FairScanSQLite", dependencies: ["CSQLite"], exclude: ["README.md"]),
    .target(name: "FairScanArchive", dependencies: ["CLibArchive"], exclude: ["README.md"]),
    // The only importer of Glibc for the engine: files, folders, environment, clocks.
    .target(name: "FairScanSystem", exclude: ["README.md"]),

    // The engine: pure Swift.
    .target(
      name: "FairScanKit",
      dependencies: [
        "FairScanGit", "FairScanRegex", "FairScanDigest", "FairScanSQLite", "FairScanArchive", "FairScanSystem",
        .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["README.md"]),

    // The FAIR API client: keys, tokens and HTTP; nothing of findings.
    .target(
      name: "FairAPI",
      dependencies: [
        "FairScanDigest", "FairScanSystem",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      exclude: ["README.md"]),

    // Commands as a library; the executable is a shim.
    .target(
      name: "FairScanCLI",
      dependencies: [
        "FairScanKit", "FairScanGit", "FairScanRegex", "FairScanSQLite", "FairAPI", "FairScanDigest", "FairScanSystem",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"]),
    // No symbol exported but the ones a library needs (Swift's static runtime asks the linker to
    // export every symbol, 28,800 of them): the dynamic loader and the runtime's start-up look-ups
    // (`dladdr`) searched them all at every start.
    .executableTarget(
      name: "fairscan", dependencies: ["FairScanCLI"], exclude: ["StaticLinking"],
      linkerSettings: [
        .unsafeFlags(["-Xlinker", "--no-export-dynamic", "-L", packageFolder + "/Sources/fairscan/StaticLinking"])
      ]),
    .executableTarget(name: "generate-builtin-rules", dependencies: ["FairScanKit"]),

    // The FAIR emulator: the API contract (docs in its README), faults on demand.
    .target(
      name: "FairEmulator",
      dependencies: [
        "FairScanDigest",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      exclude: ["README.md"]),
    .executableTarget(
      name: "fair-emulator",
      dependencies: ["FairEmulator", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .testTarget(name: "FairScanRegexTests", dependencies: ["FairScanRegex"]),
    .testTarget(name: "FairScanDigestTests", dependencies: ["FairScanDigest"]),
    .testTarget(name: "FairScanSQLiteTests", dependencies: ["FairScanSQLite"]),
    .testTarget(name: "FairScanSystemTests", dependencies: ["FairScanSystem"]),
    .testTarget(name: "FairScanArchiveTests", dependencies: ["FairScanArchive", "FairScanTestSupport"]),
    .testTarget(name: "FairScanGitTests", dependencies: ["FairScanGit", "FairScanTestSupport"]),
    .target(name: "FairScanTestSupport", path: "Tests/FairScanTestSupport"),
    .testTarget(
      name: "FairScanKitTests", dependencies: ["FairScanKit", "FairScanGit", "FairScanArchive", "FairScanTestSupport"]),
    .testTarget(name: "RuleTests", dependencies: ["FairScanKit"]),
    .testTarget(
      name: "ReportTests", dependencies: ["FairScanKit", "FairScanDigest", "FairScanTestSupport"],
      exclude: ["Fixtures", "README.md"]),
    .testTarget(
      name: "FairScanCLITests",
      dependencies: [
        "FairScanKit", "FairScanCLI", "FairScanGit", "FairScanTestSupport", "FairEmulator", "fairscan",
        .product(name: "Yams", package: "Yams"),
      ]),
    .testTarget(name: "FairEmulatorTests", dependencies: ["FairEmulator"]),
    .testTarget(name: "FairAPITests", dependencies: ["FairAPI"]),
  ],
  swiftLanguageModes: [.v6]
)
