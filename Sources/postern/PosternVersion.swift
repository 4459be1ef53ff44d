/// The release this binary is, and the commit it was built from when the build recorded one.
enum PosternVersion {
    static let number = "0.13.0"
    static var commit: String? { BuildCommit.hash }

    static var description: String {
        "postern \(number) (\(commit.map { "commit \($0)" } ?? "development build, commit not recorded"))"
    }
}
