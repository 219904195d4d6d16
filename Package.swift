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
        .executableTarget(name: "kg", dependencies: ["KnowledgeGraphCLI"]),
        .executableTarget(name: "kg-bench", path: "Sources/kg-bench"),
        .testTarget(
            name: "KnowledgeGraphTests",
            dependencies: ["KnowledgeGraph", "KnowledgeGraphCLI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
