import HTTPTypes
import PosternCore

extension RequestHeaders {
    /// The headers of a request head as sent. HTTP types keep `Host` apart, as the request's authority; it is put
    /// back first, since signatures (SigV4) cover it.
    init(_ head: HTTPRequest) {
        var fields = head.authority.map { [(name: "host", value: $0)] } ?? []
        fields += head.headerFields.map { (name: $0.name.canonicalName, value: $0.value) }
        self.init(fields)
    }
}
