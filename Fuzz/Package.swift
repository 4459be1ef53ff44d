// swift-tools-version:6.2
import PackageDescription

// Fuzz targets, in a package of their own: they build only with `--sanitize=fuzzer` (libFuzzer supplies `main`),
// so the main package's plain `swift build` never sees them. `scripts/fuzz` builds and runs them; each parser of
// untrusted bytes has one.
let core = Target.Dependency.product(name: "PosternCore", package: "Postern")
let verify = Target.Dependency.product(name: "PosternVerify", package: "Postern")
let server = Target.Dependency.product(name: "PosternServer", package: "Postern")

let package = Package(
    name: "PosternFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Postern", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [core]),
        .executableTarget(name: "FuzzSigV4", dependencies: [core, verify, "FuzzSupport"]),
        .executableTarget(name: "FuzzJSON", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzForm", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzXML", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzHMAC", dependencies: [core, verify, "FuzzSupport"]),
        .executableTarget(name: "FuzzRFC3339", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzAddresses", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzSchema", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzServerSentEvents", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzJWT", dependencies: [core, verify, "FuzzSupport"]),
        .executableTarget(name: "FuzzAWSAnswer", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "FuzzConfig", dependencies: [core, server, "FuzzSupport"]),
        .executableTarget(name: "FuzzTraceContext", dependencies: [
            "FuzzSupport", .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
        ]),
        .executableTarget(name: "FuzzRequestHead", dependencies: [
            core, server, "FuzzSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    ]
)
