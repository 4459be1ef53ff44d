import FuzzSupport
import PosternCore

/// The built-in schemas, compiled once, that every instance is also validated against.
let builtIn = BuiltInSchemas.byName.values.map { try! JSONSchema.compile(json: $0) }

/// JSON Schema compile and validate: the input is a schema and an instance, split at the first NUL byte. A schema
/// that compiles validates the instance; nothing may trap, whatever either holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let instance = split < bytes.endIndex ? (try? JSONParser.parse(Array(bytes[(split + 1)...]))) : nil
    if let schema = try? JSONSchema.compile(json: String(decoding: bytes[..<split], as: UTF8.self)), let instance {
        _ = try? schema.validate(instance)
    }
    if let instance {
        for schema in builtIn { _ = try? schema.validate(instance) }
    }
    return 0
}
