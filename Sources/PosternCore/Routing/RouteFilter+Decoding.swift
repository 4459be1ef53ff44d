/// Reading a destination entry's `when:` from the configuration.
extension RouteFilter {
    static let operators: Set<String> = ["eq", "ne", "in", "exists", "gt", "gte", "lt", "lte", "prefix", "matches"]

    /// `{"/pointer": condition, "header:Name": condition}`; a condition is a mapping of operators, a list (`in`) or a
    /// scalar (`eq`).
    static func decode(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> RouteFilter? {
        guard case .map(let map)? = node.value, !map.isEmpty else {
            problems.append(ConfigProblem(node.path, "must be a mapping of fields (\"/json/pointer\" or \"header:Name\") to conditions"))
            return nil
        }
        var conditions: [Condition] = []
        for key in map.keys.sorted() {
            let field: Field
            if key.hasPrefix("/") {
                field = .body(key)
            } else if key.lowercased().hasPrefix("header:"), key.count > "header:".count {
                field = .header(String(key.dropFirst("header:".count)).lowercased())
            } else {
                problems.append(ConfigProblem(node[key].path, "must name a body field by JSON pointer (\"/channel\") or a header (\"header:X-Channel\")"))
                continue
            }
            if let tests = decodeTests(node[key], &problems) { conditions.append(Condition(field: field, tests: tests)) }
        }
        return RouteFilter(conditions: conditions)
    }

    static func decodeTests(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [Test]? {
        switch node.value {
        case .list?: return [.oneOf(node.elements(&problems).compactMap { scalar($0, &problems) })]
        case .map(let map)?:
            node.rejectUnknownKeys(operators, &problems)
            guard !map.isEmpty else {
                problems.append(ConfigProblem(node.path, "names no operator (one of: \(operators.sorted().joined(separator: ", ")))"))
                return nil
            }
            return map.keys.sorted().compactMap { key in test(key, node[key], &problems) }
        default: return scalar(node, &problems).map { [.equal($0)] }
        }
    }

    static func test(_ name: String, _ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Test? {
        switch name {
        case "eq": return scalar(node, &problems).map(Test.equal)
        case "ne": return scalar(node, &problems).map(Test.notEqual)
        case "in":
            guard case .list? = node.value else {
                problems.append(ConfigProblem(node.path, "must be a list of values"))
                return nil
            }
            return .oneOf(node.elements(&problems).compactMap { scalar($0, &problems) })
        case "exists": return .exists(node.bool(default: true, &problems))
        case "prefix": return node.requiredString(&problems).map(Test.prefix)
        case "matches":
            guard let source = node.requiredString(&problems) else { return nil }
            guard let pattern = SchemaPattern(source) else {
                problems.append(ConfigProblem(node.path, "is not a regular expression this engine compiles: \(source)"))
                return nil
            }
            return .matches(pattern)
        default:
            guard let comparison = Comparison(rawValue: name) else { return nil }
            switch node.value {
            case .int(let int)?: return .compare(comparison, Double(int))
            case .double(let double)? where double.isFinite: return .compare(comparison, double)
            default:
                problems.append(ConfigProblem(node.path, "must be a number"))
                return nil
            }
        }
    }

    /// A string, number, boolean or null to compare with.
    static func scalar(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> JSONValue? {
        switch node.value {
        case .string(let string)?: return .string(string)
        case .int(let int)?: return .number(JSONNumber(int))
        case .double(let double)?: return .number(JSONNumber(double))
        case .bool(let bool)?: return .bool(bool)
        case .null?: return .null
        case let other?:
            problems.append(ConfigProblem(node.path, "must be a string, number, boolean or null, found \(other.kindName)"))
            return nil
        case nil:
            problems.append(ConfigProblem(node.path, "is required"))
            return nil
        }
    }
}
