/// A command that cannot do what was asked: its sentence goes to standard error and the exit status is 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
