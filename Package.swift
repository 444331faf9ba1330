// swift-tools-version:6.0
import PackageDescription

// PVAKit is the engine (no file or terminal I/O); `pva` is the command line
// and does all I/O. No package dependencies by design.
let package = Package(
    name: "pva",
    products: [
        .library(name: "PVAKit", targets: ["PVAKit"]),
        .executable(name: "pva", targets: ["pva"]),
    ],
    targets: [
        .target(name: "PVAKit"),
        .executableTarget(name: "pva", dependencies: ["PVAKit"]),
        .testTarget(name: "PVAKitTests", dependencies: ["PVAKit", "pva"], exclude: ["Fixtures"]),
    ]
)
