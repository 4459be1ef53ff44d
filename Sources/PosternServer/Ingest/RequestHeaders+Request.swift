import Hummingbird
import PosternCore

extension RequestHeaders {
    /// The headers of a Hummingbird request as sent. HTTP types keep `Host` apart, as the request's authority;
    /// it is put back first, since signatures (SigV4) cover it.
    init(_ request: Request) {
        var fields = request.head.authority.map { [(name: "host", value: $0)] } ?? []
        fields += request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        self.init(fields)
    }
}
