public import Metrics

/// Counts calls per method and status and times them (swift-metrics: `rpc_server_calls_total`,
/// `rpc_server_duration_seconds`, `rpc_server_calls_in_flight`).
public struct MetricsServerInterceptor: ServerInterceptor {
    /// Where the metrics go.
    let factory: any MetricsFactory

    /// Creates the interceptor; metrics go to `factory`, by default the process's `MetricsSystem` backend.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func intercept(
        requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler
    ) async throws {
        try await measure(context) { try await next(requests, responses, context) }
    }

    public func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        try await measure(context) { try await next(request, context) }
    }

    private func measure<Result>(_ context: ServerContext, _ body: () async throws -> Result) async throws -> Result {
        let method = "\(context.method)"
        let inFlight = Meter(label: "rpc_server_calls_in_flight", dimensions: [("method", method)], factory: factory)
        inFlight.increment()
        defer { inFlight.decrement() }
        let started = ContinuousClock.now
        var code = StatusCode.ok
        defer {
            Counter(label: "rpc_server_calls_total", dimensions: [("method", method), ("code", "\(code)")], factory: factory).increment()
            Timer(label: "rpc_server_duration_seconds", dimensions: [("method", method)], factory: factory)
                .recordInterval(since: started)
        }
        do {
            return try await body()
        } catch {
            code = RPCError(statusOf: error).code
            throw error
        }
    }
}

extension Timer {
    /// Records the time since `start` on the continuous clock.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
