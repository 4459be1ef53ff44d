// swift-tools-version:6.2
import PackageDescription

// Fuzz targets, in a package of their own: they build only with `--sanitize=fuzzer` (libFuzzer supplies `main`),
// so the main package's plain `swift build` never sees them. `scripts/fuzz` builds and runs them.
let package = Package(
    name: "PosternFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Postern", path: "..")],
    targets: [
        .executableTarget(name: "FuzzSigV4", dependencies: [.product(name: "PosternVerify", package: "Postern")]),
    ]
)
