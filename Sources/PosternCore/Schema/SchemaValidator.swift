import Foundation

/// Evaluates an instance against compiled schema nodes, as draft 2020-12 specifies: every keyword of a schema applies,
/// subschemas applied in place (`allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas`, `$ref`,
/// `$dynamicRef`) report which properties and items they evaluated so that `unevaluatedProperties` and
/// `unevaluatedItems` see them, and `$dynamicRef` resolves through the dynamic scope. Evaluation nests at most
/// `maxDepth` schemas deep, so a reference cycle over one instance location is refused instead of running away.
struct SchemaValidator {
    static let maxDepth = 128

    /// What a successful evaluation evaluated of its instance (the annotations `unevaluated*` read).
    struct Evaluated {
        /// Members evaluated, by their offset in the object's storage order.
        var properties = OffsetSet()
        /// Items evaluated from the start (`prefixItems`), or all of them (`items`, `unevaluatedItems`).
        var itemPrefix = 0
        var allItems = false
        /// Items `contains` matched.
        var containedItems = OffsetSet()

        mutating func merge(_ other: Evaluated) {
            properties.formUnion(other.properties)
            itemPrefix = max(itemPrefix, other.itemPrefix)
            allItems = allItems || other.allItems
            containedItems.formUnion(other.containedItems)
        }

        func includesItem(_ index: Int) -> Bool { allItems || index < itemPrefix || containedItems.contains(index) }
    }

    /// One step from an instance into a member or an item: the instance pointer is these steps, rendered only when a
    /// violation is explained.
    enum Step {
        case member(JSONKey)
        case item(Int)

        var token: String {
            switch self {
            case .member(let name): "/" + SchemaURI.escaped(name.name)
            case .item(let position): "/\(position)"
            }
        }
    }

    typealias Outcome = Result<Evaluated, JSONSchema.Violation>

    let index: SchemaCompiler.Index
    let assertsFormats: Bool
    /// Whether a failure carries its message and instance pointer. Checking first runs without them: no strings are
    /// built and members are taken in storage order. Only an instance that fails is evaluated again with them, members in
    /// name order, so the same instance always gets the same message. (Building each member's pointer up front
    /// measured a third of a 40-keyword check.)
    let explains: Bool
    /// The steps from the instance's root to the value being evaluated (kept only when explaining).
    private var path: [Step] = []
    /// The resources entered, outermost first: where `$dynamicRef` looks for its anchor.
    private var scope: [String] = []
    private var depth = 0

    /// The failure of an evaluation that does not explain: never shown, since an explaining pass follows it.
    private static let unexplained = Outcome.failure(JSONSchema.Violation(pointer: "", message: ""))

    init(index: SchemaCompiler.Index, assertsFormats: Bool, explains: Bool) {
        self.index = index
        self.assertsFormats = assertsFormats
        self.explains = explains
    }

    /// A failure at the value being evaluated (or at `step` from it); the message is built only when explaining.
    private func failure(_ message: @autoclosure () -> String, at step: Step? = nil) -> Outcome {
        Self.failure(explains: explains, path: path, message(), at: step)
    }

    private static func failure(explains: Bool, path: [Step], _ message: @autoclosure () -> String, at step: Step? = nil) -> Outcome {
        guard explains else { return unexplained }
        return .failure(JSONSchema.Violation(pointer: path.map(\.token).joined() + (step?.token ?? ""), message: message()))
    }

    /// Evaluates a member's or an item's value.
    private mutating func evaluate(_ node: SchemaNode, _ instance: JSONValue, at step: Step) -> Outcome {
        guard explains else { return evaluate(node, instance) }
        path.append(step)
        defer { path.removeLast() }
        return evaluate(node, instance)
    }

    mutating func evaluate(_ node: SchemaNode, _ instance: JSONValue) -> Outcome {
        guard depth < Self.maxDepth else {
            return failure("the schema nests deeper than \(Self.maxDepth) subschemas here (a reference cycle?) (at \(node.location))")
        }
        depth += 1
        let entersResource = node.isResource && scope.last != node.base
        if entersResource { scope.append(node.base) }
        defer {
            depth -= 1
            if entersResource { scope.removeLast() }
        }
        switch node.always {
        case true?: return .success(Evaluated())
        case false?: return failure("is not allowed here (at \(node.location))")
        case nil: return evaluate(node.keywords, node, instance)
        }
    }

    private mutating func evaluate(_ k: SchemaNode.Keywords, _ node: SchemaNode, _ instance: JSONValue) -> Outcome {
        let explains = explains, path = path  // copies, so that `fail` can be handed to the mutating checks below
        func fail(_ keyword: String, _ message: @autoclosure () -> String) -> Outcome {
            Self.failure(explains: explains, path: path, "\(message()) (at \(node.location)/\(keyword))")
        }
        var evaluated = Evaluated()

        if let ref = k.ref, let target = index.nodes[ref] {
            switch evaluate(target, instance) {
            case .success(let inner): evaluated.merge(inner)
            case .failure(let violation): return .failure(violation)
            }
        }
        if let dynamic = k.dynamicRef, let target = dynamicTarget(dynamic) {
            switch evaluate(target, instance) {
            case .success(let inner): evaluated.merge(inner)
            case .failure(let violation): return .failure(violation)
            }
        }
        if let types = k.types, !types.contains(where: { Self.has(instance, type: $0) }) {
            return fail("type", "must be \(types.joined(separator: " or ")), found \(instance.typeName)")
        }
        if let allowed = k.enumValues, !allowed.contains(instance) { return fail("enum", "must be one of the allowed values") }
        if let constant = k.const, constant != instance { return fail("const", "must be \(constant.jsonText)") }

        switch instance {
        case .number(let number):
            if let failure = numeric(k, number, fail) { return failure }
        case .string(let text):
            let length = Self.codePointCount(text, decides: k)
            if let max = k.maxLength, length > max { return fail("maxLength", "must be at most \(max) characters") }
            if let min = k.minLength, length < min {
                return fail("minLength", min == 1 ? "must not be empty" : "must be at least \(min) characters")
            }
            if let pattern = k.pattern, !pattern.matches(text) { return fail("pattern", "must match the pattern \(pattern.source)") }
            if let format = k.format, assertsFormats, !SchemaFormat.accepts(text, format: format) {
                return fail("format", "must be a valid \(format)")
            }
        case .array(let elements):
            switch array(k, elements, fail) {
            case .success(let inner): evaluated.merge(inner)
            case .failure(let violation): return .failure(violation)
            }
        case .object(let members):
            switch object(k, members, location: node.location, fail) {
            case .success(let inner): evaluated.merge(inner)
            case .failure(let violation): return .failure(violation)
            }
        default:
            break
        }

        for sub in k.allOf {
            switch evaluate(sub, instance) {
            case .success(let inner): evaluated.merge(inner)
            case .failure(let violation): return .failure(violation)
            }
        }
        if !k.anyOf.isEmpty {
            var matched = false
            var firstFailure: JSONSchema.Violation?
            for sub in k.anyOf {
                switch evaluate(sub, instance) {
                case .success(let inner):
                    matched = true
                    evaluated.merge(inner)
                case .failure(let violation):
                    firstFailure = firstFailure ?? violation
                }
            }
            if !matched { return fail("anyOf", "must match at least one of the anyOf schemas; the first says: \(firstFailure.map { "\($0.pointer.isEmpty ? "/" : $0.pointer) \($0.message)" } ?? "")") }
        }
        if !k.oneOf.isEmpty {
            var matches: [Int] = []
            var matchedAnnotations = Evaluated()
            for (position, sub) in k.oneOf.enumerated() {
                if case .success(let inner) = evaluate(sub, instance) {
                    matches.append(position)
                    matchedAnnotations = inner
                }
            }
            if matches.isEmpty { return fail("oneOf", "must match exactly one of the oneOf schemas, matches none") }
            if matches.count > 1 { return fail("oneOf", "must match exactly one of the oneOf schemas, matches \(matches.map(String.init).joined(separator: " and "))") }
            evaluated.merge(matchedAnnotations)
        }
        if let not = k.not, case .success = evaluate(not, instance) {
            return fail("not", "must not match the not schema")
        }
        if let condition = k.ifSchema {
            switch evaluate(condition, instance) {
            case .success(let inner):
                evaluated.merge(inner)
                if let then = k.thenSchema {
                    switch evaluate(then, instance) {
                    case .success(let inner): evaluated.merge(inner)
                    case .failure(let violation): return .failure(violation)
                    }
                }
            case .failure:
                if let otherwise = k.elseSchema {
                    switch evaluate(otherwise, instance) {
                    case .success(let inner): evaluated.merge(inner)
                    case .failure(let violation): return .failure(violation)
                    }
                }
            }
        }
        if case .object(let members) = instance, !k.dependentSchemas.isEmpty {
            for (name, sub) in k.dependentSchemas where members[name] != nil {
                switch evaluate(sub, instance) {
                case .success(let inner): evaluated.merge(inner)
                case .failure(let violation): return .failure(violation)
                }
            }
        }
        // Last: what every other keyword (and the subschemas applied in place) left unevaluated.
        if let unevaluated = k.unevaluatedProperties, case .object(let members) = instance {
            let failure = forEachMember(members) { validator, offset, name, value in
                guard !evaluated.properties.contains(offset) else { return nil }
                if case .failure(let violation) = validator.evaluate(unevaluated, value, at: .member(name)) { return .failure(violation) }
                evaluated.properties.insert(offset)
                return nil
            }
            if let failure { return failure }
        }
        if let unevaluated = k.unevaluatedItems, case .array(let elements) = instance {
            for (position, element) in elements.enumerated() where !evaluated.includesItem(position) {
                if case .failure(let violation) = evaluate(unevaluated, element, at: .item(position)) { return .failure(violation) }
            }
            evaluated.allItems = true
        }
        return .success(evaluated)
    }

    /// Runs `body` on each member with its storage offset until it returns a failure: in storage order when checking, in
    /// name order when explaining, so that the first violation is always the same one.
    private mutating func forEachMember(_ members: [JSONKey: JSONValue],
                                        _ body: (inout SchemaValidator, Int, JSONKey, JSONValue) -> Outcome?) -> Outcome? {
        if explains {
            for (offset, member) in members.enumerated().sorted(by: { $0.element.key < $1.element.key }) {
                if let failure = body(&self, offset, member.key, member.value) { return failure }
            }
        } else {
            for (offset, member) in members.enumerated() {
                if let failure = body(&self, offset, member.key, member.value) { return failure }
            }
        }
        return nil
    }

    /// The string's length in code points, counted only where its UTF-8 length does not decide `maxLength` and
    /// `minLength` already (a code point is 1 to 4 bytes); otherwise the UTF-8 length, which then decides them alike.
    static func codePointCount(_ text: String, decides k: SchemaNode.Keywords) -> Int {
        let bytes = text.utf8.count
        let maxDecided = k.maxLength.map { bytes <= $0 } ?? true
        let minDecided = k.minLength.map { bytes / 4 >= $0 || bytes < $0 } ?? true
        return maxDecided && minDecided ? bytes : text.unicodeScalars.count
    }

    /// The target of a `$dynamicRef`: where it resolves statically, unless that is a `$dynamicAnchor` of the same name,
    /// in which case the outermost resource in the dynamic scope with that dynamic anchor.
    private func dynamicTarget(_ dynamic: (uri: String, anchor: String?)) -> SchemaNode? {
        guard let initial = index.nodes[dynamic.uri] else { return nil }
        guard let anchor = dynamic.anchor, index.dynamicAnchors[initial.base]?[anchor] === initial else { return initial }
        for base in scope {
            if let outer = index.dynamicAnchors[base]?[anchor] { return outer }
        }
        return initial
    }

    private func numeric(_ k: SchemaNode.Keywords, _ number: JSONNumber, _ fail: (String, @autoclosure () -> String) -> Outcome) -> Outcome? {
        let value = number.value
        if let divisor = k.multipleOf, !Self.isMultiple(number, of: divisor) { return fail("multipleOf", "must be a multiple of \(divisor.text)") }
        if let max = k.maximum, !(value <= max) { return fail("maximum", "must be at most \(JSONNumber(max).text)") }
        if let max = k.exclusiveMaximum, !(value < max) { return fail("exclusiveMaximum", "must be less than \(JSONNumber(max).text)") }
        if let min = k.minimum, !(value >= min) { return fail("minimum", "must be at least \(JSONNumber(min).text)") }
        if let min = k.exclusiveMinimum, !(value > min) { return fail("exclusiveMinimum", "must be greater than \(JSONNumber(min).text)") }
        return nil
    }

    /// Exact for integers and for decimals of up to 38 digits (as Foundation's `Decimal` holds them); beyond that, by a
    /// Double quotient that is whole, or else a zero binary remainder (exact in IEEE 754: 1e308 is a multiple of 0.5
    /// though the quotient overflows).
    static func isMultiple(_ number: JSONNumber, of divisor: JSONNumber) -> Bool {
        if number.isInteger, divisor.isInteger, abs(number.value) < 0x1p53, abs(divisor.value) < 0x1p53 {
            return Int64(number.value) % Int64(divisor.value) == 0
        }
        if let x = Decimal(string: number.text), let m = Decimal(string: divisor.text), !x.isNaN, !m.isNaN, m != 0,
           abs(number.value) < 1e30, abs(divisor.value) > 1e-30 {
            var quotient = x / m, whole = Decimal()
            NSDecimalRound(&whole, &quotient, 0, .down)
            return quotient == whole
        }
        let quotient = number.value / divisor.value
        return (quotient.isFinite && quotient.rounded() == quotient) || number.value.truncatingRemainder(dividingBy: divisor.value) == 0
    }

    private mutating func array(_ k: SchemaNode.Keywords, _ elements: [JSONValue],
                                _ fail: (String, @autoclosure () -> String) -> Outcome) -> Outcome {
        var evaluated = Evaluated()
        if let max = k.maxItems, elements.count > max { return fail("maxItems", "must have at most \(max) items") }
        if let min = k.minItems, elements.count < min {
            return fail("minItems", min == 1 ? "must not be empty" : "must have at least \(min) items")
        }
        if k.uniqueItems {
            var seen: [JSONHashKey: Int] = [:]
            for (position, element) in elements.enumerated() {
                if let first = seen.updateValue(position, forKey: JSONHashKey(element)) {
                    return fail("uniqueItems", "must have unique items; \(first) and \(position) are equal")
                }
            }
        }
        for (position, sub) in k.prefixItems.enumerated() where position < elements.count {
            if case .failure(let violation) = evaluate(sub, elements[position], at: .item(position)) { return .failure(violation) }
        }
        evaluated.itemPrefix = min(k.prefixItems.count, elements.count)
        if let items = k.items {
            for position in k.prefixItems.count..<max(k.prefixItems.count, elements.count) {
                if case .failure(let violation) = evaluate(items, elements[position], at: .item(position)) { return .failure(violation) }
            }
            evaluated.allItems = true
        }
        if let contains = k.contains {
            for (position, element) in elements.enumerated() {
                if case .success = evaluate(contains, element, at: .item(position)) { evaluated.containedItems.insert(position) }
            }
            let found = evaluated.containedItems.count
            let least = k.minContains ?? 1
            if found < least { return fail(k.minContains == nil ? "contains" : "minContains", "must contain at least \(least) matching item\(least == 1 ? "" : "s"), found \(found)") }
            if let most = k.maxContains, found > most { return fail("maxContains", "must contain at most \(most) matching items, found \(found)") }
        }
        return .success(evaluated)
    }

    private mutating func object(_ k: SchemaNode.Keywords, _ members: [JSONKey: JSONValue], location: String,
                                 _ fail: (String, @autoclosure () -> String) -> Outcome) -> Outcome {
        var evaluated = Evaluated()
        if let max = k.maxProperties, members.count > max { return fail("maxProperties", "must have at most \(max) properties") }
        if let min = k.minProperties, members.count < min { return fail("minProperties", "must have at least \(min) properties") }
        for name in k.required where members[name] == nil {
            return failure("is required (at \(location)/required)", at: .member(name))
        }
        for (name, needed) in k.dependentRequired where members[name] != nil {
            for other in needed where members[other] == nil {
                return failure("is required when \(name) is present (at \(location)/dependentRequired)", at: .member(other))
            }
        }
        let records = index.readsAnnotations
        let failure = forEachMember(members) { validator, offset, name, value in
            var matched = false
            if let sub = k.properties[name] {
                matched = true
                if case .failure(let violation) = validator.evaluate(sub, value, at: .member(name)) { return .failure(violation) }
            }
            for (pattern, sub) in k.patternProperties where pattern.matches(name.name) {
                matched = true
                if case .failure(let violation) = validator.evaluate(sub, value, at: .member(name)) { return .failure(violation) }
            }
            if !matched, let additional = k.additionalProperties {
                if additional.always == false {
                    return validator.failure("is not an allowed field (at \(additional.location))", at: .member(name))
                }
                if case .failure(let violation) = validator.evaluate(additional, value, at: .member(name)) { return .failure(violation) }
                matched = true
            }
            if matched, records { evaluated.properties.insert(offset) }
            if let names = k.propertyNames, case .failure(let violation) = validator.evaluate(names, .string(name.name), at: .member(name)) {
                return validator.failure("has a name that \(violation.message)", at: .member(name))
            }
            return nil
        }
        return failure ?? .success(evaluated)
    }

    /// JSON Schema's types: `integer` is any number without a fraction (`1.0` is one), and `number` includes integers.
    static func has(_ instance: JSONValue, type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string),
             ("number", .number): true
        case ("integer", .number(let number)): number.isInteger
        default: false
        }
    }
}

/// A JSON value hashed as JSON compares it (numbers by value, strings by code points, objects unordered), so
/// `uniqueItems` is one pass however long the array.
struct JSONHashKey: Hashable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    static func == (lhs: JSONHashKey, rhs: JSONHashKey) -> Bool { lhs.value == rhs.value }

    func hash(into hasher: inout Hasher) { Self.hash(value, into: &hasher) }

    private static func hash(_ value: JSONValue, into hasher: inout Hasher) {
        switch value {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(flag)
        case .number(let number): hasher.combine(number.value == 0 ? 0 : number.value)
        case .string(let text): hasher.combine(JSONKey(text))
        case .array(let elements):
            hasher.combine(elements.count)
            for element in elements { hash(element, into: &hasher) }
        case .object(let members):
            // Order-independent: the members' hashes summed.
            var sum = 0
            for (name, member) in members {
                var inner = Hasher()
                inner.combine(name)
                hash(member, into: &inner)
                sum = sum &+ inner.finalize()
            }
            hasher.combine(members.count)
            hasher.combine(sum)
        }
    }
}
