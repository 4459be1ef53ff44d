/// What a source's bodies are (`body:`): how each is checked before it is stored, and whether its fields can be read
/// by JSON pointer (for `schema`, `idempotencyKey: body:/…` and answer templates). Every kind is stored and forwarded
/// byte for byte, and verification always runs on the raw bytes.
public enum BodyKind: String, Sendable, CaseIterable {
    /// Strict JSON (RFC 8259).
    case json
    /// `application/x-www-form-urlencoded`, read into an object of strings.
    case form
    /// Well-formed XML without a DTD.
    case xml
    /// Any bytes.
    case raw

    /// Why a body is refused: its reason code and what is wrong, with where.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: ReasonCode
        public var message: String
    }

    /// Whether fields can be read from bodies of this kind by JSON pointer.
    public var hasFields: Bool { self == .json || self == .form }

    /// Checks `bytes` as this kind and returns the fields read from a JSON or form body (nil for XML and raw).
    public func read(_ bytes: [UInt8]) throws(Failure) -> JSONValue? {
        switch self {
        case .json:
            do { return try JSONParser.parse(bytes) } catch {
                throw Failure(reason: .malformedJSON, message: "the body is not valid JSON: \(error.message)")
            }
        case .form:
            do { return try FormBody.parse(bytes) } catch {
                throw Failure(reason: .malformedForm, message: "the body is not a valid form (application/x-www-form-urlencoded): \(error.message)")
            }
        case .xml:
            do { try XMLBody.check(bytes) } catch {
                throw Failure(reason: .malformedXML, message: "the body is not acceptable XML: \(error.message)")
            }
            return nil
        case .raw:
            return nil
        }
    }
}
