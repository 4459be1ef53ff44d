import Logging
import OTel
import PosternCore
import ServiceLifecycle

/// Turns tracing on as `tracing:` says: swift-otel's tracer, W3C Trace Context propagation, spans batched and sent
/// over OTLP/HTTP with protobuf to the endpoint. Logs and metrics stay Postern's own (standard error, `/metrics`).
/// `OTEL_*` environment variables are not read: the configuration file is the one place tracing is set.
enum TracingBootstrap {
    /// The exporter's service, to run in the gateway's service group (it sends the last spans when it stops).
    static func start(_ tracing: TracingConfig, logger: Logger) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = tracing.serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.propagators = [.traceContext]
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = tracing.endpoint
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: tracing.sampleRatio) ?? .parentBasedAlwaysOn
        // Spans leave within a second: an operator following a conversation sees it without waiting.
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        return try OTel.bootstrap(configuration: configuration, environment: [:])
    }
}
