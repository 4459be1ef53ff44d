/// The fields of a stored event's body, read by the content type it was stored with: a JSON body's document, a form's
/// fields as an object of strings; nil for XML, raw and unreadable bodies.
public enum StoredBody {
    public static func fields(_ body: [UInt8], headers: [(name: String, value: String)]) -> JSONValue? {
        let type = headers.first { $0.name.lowercased() == "content-type" }?.value ?? "application/json"
        return switch AnswerTemplate.Escaping(contentType: type) {
        case .form: try? FormBody.parse(body)
        case .xml: nil
        case .json, .none: try? JSONParser.parse(body)
        }
    }
}
