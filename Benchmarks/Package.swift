// swift-tools-version:6.2
import PackageDescription

// Micro-benchmarks (ordo-one/benchmark), in a package of their own so the tests never build them.
// Run: swift package --package-path Benchmarks --disable-sandbox benchmark
let package = Package(
    name: "PosternBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Postern", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "VerifierBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PosternCore", package: "Postern"),
                .product(name: "PosternVerify", package: "Postern"),
            ],
            path: "Benchmarks/VerifierBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
