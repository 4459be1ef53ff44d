import Instrumentation
import ServiceContextModule

/// Trace context (`traceparent`, `tracestate`) read from and written to header lists as the store keeps them and
/// deliveries send them, through whichever propagator the tracing system was bootstrapped with.
public enum TraceHeaders {
    /// The names trace context travels under; a stored event's are replaced by its ingest span's.
    public static let names: Set<String> = ["traceparent", "tracestate"]

    /// The context the headers carry (a caller's trace, or the one an event was stored under), else `topLevel`.
    public static func context(from headers: [(name: String, value: String)]) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(headers, into: &context, using: ListExtractor())
        return context
    }

    /// The headers that carry `context` onward; empty when tracing is off.
    public static func headers(for context: ServiceContext) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        InstrumentationSystem.instrument.inject(context, into: &headers, using: ListInjector())
        return headers
    }

    struct ListExtractor: Extractor {
        func extract(key: String, from carrier: [(name: String, value: String)]) -> String? {
            carrier.first { $0.name.lowercased() == key }?.value
        }
    }

    struct ListInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [(name: String, value: String)]) {
            carrier.append((key, value))
        }
    }
}
