/// A position in a configuration document: the value found there and its key path,
/// with typed readers that record a `ConfigProblem` instead of throwing.
public struct ConfigNode: Sendable {
    public let value: ConfigValue?
    public let path: String

    public init(_ value: ConfigValue?, path: String = "") {
        self.value = value
        self.path = path
    }

    public var isPresent: Bool {
        if case .none = value { return false }
        if case .some(.null) = value { return false }
        return true
    }

    public subscript(key: String) -> ConfigNode {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        guard case .map(let map)? = value else { return ConfigNode(nil, path: childPath) }
        return ConfigNode(map[key], path: childPath)
    }

    /// The elements of a list, each with its indexed path; records a problem if this is not a list.
    public func elements(_ problems: inout [ConfigProblem]) -> [ConfigNode] {
        switch value {
        case .list(let items)?: return items.enumerated().map { ConfigNode($1, path: "\(path)[\($0)]") }
        case nil, .null?: return []
        case let other?:
            problems.append(ConfigProblem(path, "must be a list, found \(other.kindName)"))
            return []
        }
    }

    /// Records a problem for every key of this mapping that is not in `known` (a typo must not pass silently).
    public func rejectUnknownKeys(_ known: Set<String>, _ problems: inout [ConfigProblem]) {
        switch value {
        case .map(let map)?:
            for key in map.keys.sorted() where !known.contains(key) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                problems.append(ConfigProblem(childPath, "unknown key (expected one of: \(known.sorted().joined(separator: ", ")))"))
            }
        case nil, .null?: break
        case let other?: problems.append(ConfigProblem(path, "must be a mapping, found \(other.kindName)"))
        }
    }

    public func string(_ problems: inout [ConfigProblem]) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return String(d)
        case let other?:
            problems.append(ConfigProblem(path, "must be a string, found \(other.kindName)"))
            return nil
        }
    }

    public func requiredString(_ problems: inout [ConfigProblem]) -> String? {
        guard isPresent else {
            problems.append(ConfigProblem(path, "is required"))
            return nil
        }
        return string(&problems)
    }

    public func int(_ problems: inout [ConfigProblem]) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .int(let i)?: return i
        case .string(let s)?:
            if let i = Int(s) { return i }
            problems.append(ConfigProblem(path, "must be an integer, found \"\(s)\""))
            return nil
        case let other?:
            problems.append(ConfigProblem(path, "must be an integer, found \(other.kindName)"))
            return nil
        }
    }

    /// An integer in `range`.
    public func integer(_ problems: inout [ConfigProblem], in range: ClosedRange<Int>) -> Int? {
        guard let i = int(&problems) else { return nil }
        guard range.contains(i) else {
            problems.append(ConfigProblem(path, "must be an integer from \(range.lowerBound) to \(range.upperBound), found \(i)"))
            return nil
        }
        return i
    }

    public func strings(_ problems: inout [ConfigProblem]) -> [String] {
        if case .string? = value { return string(&problems).map { [$0] } ?? [] }
        return elements(&problems).compactMap { $0.requiredString(&problems) }
    }

    /// A duration in seconds (an integer or a fraction) in `range`.
    public func seconds(_ problems: inout [ConfigProblem], in range: ClosedRange<Double> = ConfigRange.duration) -> Double? {
        number(&problems, in: range, described: "a number of seconds")
    }

    /// A duration written in seconds (an integer or a fraction), in `range`.
    public func duration(_ problems: inout [ConfigProblem], in range: ClosedRange<Double> = ConfigRange.duration) -> Duration? {
        seconds(&problems, in: range).map { Duration.seconds($0) }
    }

    /// An integer or a fraction in `range`; `described` names it in the problem.
    public func number(_ problems: inout [ConfigProblem], in range: ClosedRange<Double>, described: String = "a number") -> Double? {
        let number: Double?
        switch value {
        case nil, .null?: return nil
        case .int(let int)?: number = Double(int)
        case .double(let double)?: number = double
        default: number = nil
        }
        guard let number, range.contains(number) else {
            problems.append(ConfigProblem(path, "must be \(described) from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))"))
            return nil
        }
        return number
    }

    /// A boolean; `fallback` when absent.
    public func bool(default fallback: Bool, _ problems: inout [ConfigProblem]) -> Bool {
        switch value {
        case nil, .null?: return fallback
        case .bool(let value)?: return value
        case let other?:
            problems.append(ConfigProblem(path, "must be true or false, found \(other.kindName)"))
            return fallback
        }
    }

    /// One of an enumeration's raw values; `fallback` when absent.
    public func choice<T: RawRepresentable & CaseIterable>(default fallback: T, _ problems: inout [ConfigProblem]) -> T
        where T.RawValue == String {
        guard let text = string(&problems) else { return fallback }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(ConfigProblem(path, "must be one of \(allowed), found \"\(text)\""))
            return fallback
        }
        return value
    }

    private static func text(_ number: Double) -> String {
        guard number.rounded() == number, let whole = Int(exactly: number) else { return String(number) }
        return String(whole)
    }
}
