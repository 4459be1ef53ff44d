/// The commit a release build was made from: `scripts/release` writes it into its copy of the sources; nil in a
/// development build.
enum BuildCommit {
    static let hash: String? = nil
}
