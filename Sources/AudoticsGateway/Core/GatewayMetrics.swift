import Metrics

/// The gateway's metrics through swift-metrics (Prometheus in the executable): requests by method, route template
/// and status, and their latency by route.
struct GatewayMetrics: Sendable {
    /// The HTTP methods a label names; any other is "other" (a client cannot mint series).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Counts a request and, when `elapsed` is known, times it (the server's own refusals are only counted).
    func record(method requestMethod: String, route: String, status: Int, elapsed: Duration?) {
        let method = Self.knownMethods.contains(requestMethod) ? requestMethod : "other"
        Counter(label: "audotics_gateway_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))])
            .increment()
        guard let elapsed else { return }
        let (seconds, attoseconds) = elapsed.components
        Timer(label: "audotics_gateway_request_duration_seconds", dimensions: [("route", route)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
