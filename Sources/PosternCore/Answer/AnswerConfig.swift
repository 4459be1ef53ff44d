/// How a store-and-forward source answers an event it stored, or a duplicate of one (`answer:`), instead of
/// `{"id","status"}`: for callers that read the answer (CXone Studio, Bring Your Own Channel, jambonz hooks).
public struct AnswerConfig: Sendable, Equatable {
    /// 200, 201, 202 or 204.
    public let status: Int
    public let contentType: String
    public let body: AnswerTemplate
    /// How placeholder values are escaped in `body`, from `contentType`.
    public let escaping: AnswerTemplate.Escaping

    public init(status: Int, contentType: String, body: AnswerTemplate) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.escaping = AnswerTemplate.Escaping(contentType: contentType)
    }
}
