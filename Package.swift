// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kg", targets: ["kg"]),
        .executable(name: "kg-bench", targets: ["kg-bench"]),
        .library(name: "KnowledgeGraph", targets: ["KnowledgeGraph"]),
    ],
    targets: [
        .target(name: "KnowledgeGraph"),
        .target(name: "KnowledgeGraphCLI", dependencies: ["KnowledgeGraph"]),
        .executableTarget(
            name: "kg", dependencies: ["KnowledgeGraphCLI"],
            // A statically linked Swift runtime starts in about 3 ms instead of 8.5 ms, which
            // is most of a query's time when a watcher keeps the index fresh.
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xclang-linker", "-no-pie"], .when(platforms: [.linux], configuration: .release))]
        ),
        .executableTarget(name: "kg-bench", path: "Sources/kg-bench"),
        .testTarget(
            name: "KnowledgeGraphTests",
            dependencies: ["KnowledgeGraph", "KnowledgeGraphCLI"],
            // Read from the source folder by path, so that a reviewer diffs them there.
            exclude: ["Golden", "Clients"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
