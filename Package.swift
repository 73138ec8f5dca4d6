// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "fairscan",
  platforms: [.macOS(.v15)],  // Synchronization (Atomic, Mutex); Linux is the supported platform
  products: [
    .executable(name: "fairscan", targets: ["fairscan"]),
    .library(name: "FairScanKit", targets: ["FairScanKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // C: only the decisions that must be made in C.
    .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    .target(name: "CPCRE2", exclude: ["README.md"], linkerSettings: [.linkedLibrary("pcre2-8")]),
    .systemLibrary(name: "CVectorscan", pkgConfig: "libhs", providers: [.apt(["libvectorscan-dev"])]),

    // The only Swift importers of the C modules.
    .target(name: "FairScanGit", dependencies: ["CLibGit2"], exclude: ["README.md"]),
    .target(name: "FairScanRegex", dependencies: ["CPCRE2", "CVectorscan", "FairScanDigest"], exclude: ["README.md"]),
    .target(name: "FairScanDigest", exclude: ["README.md"]),

    // The engine: pure Swift.
    .target(
      name: "FairScanKit",
      dependencies: ["FairScanGit", "FairScanRegex", "FairScanDigest", .product(name: "Yams", package: "Yams")],
      exclude: ["README.md"]),

    // Commands as a library; the executable is a shim.
    .target(
      name: "FairScanCLI",
      dependencies: ["FairScanKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      exclude: ["README.md"]),
    .executableTarget(name: "fairscan", dependencies: ["FairScanCLI"]),
    .executableTarget(name: "generate-builtin-rules", dependencies: ["FairScanKit"]),

    .testTarget(name: "FairScanRegexTests", dependencies: ["FairScanRegex"]),
    .testTarget(name: "FairScanDigestTests", dependencies: ["FairScanDigest"]),
    .testTarget(name: "FairScanGitTests", dependencies: ["FairScanGit", "FairScanTestSupport"]),
    .target(name: "FairScanTestSupport", path: "Tests/FairScanTestSupport"),
    .testTarget(name: "FairScanKitTests", dependencies: ["FairScanKit", "FairScanGit", "FairScanTestSupport"]),
    .testTarget(name: "RuleTests", dependencies: ["FairScanKit"]),
    .testTarget(name: "ReportTests", dependencies: ["FairScanKit", "FairScanDigest", "FairScanTestSupport"], exclude: ["Fixtures", "README.md"]),
    .testTarget(name: "FairScanCLITests", dependencies: ["FairScanKit", "FairScanTestSupport", "fairscan"]),
  ],
  swiftLanguageModes: [.v6]
)
