import Metrics
import Synchronization

/// The gateway's metrics through swift-metrics (Prometheus in the executable): requests by method, route template
/// and status, and their latency by route.
///
/// The counters and timers are made once per label set and kept: making one asks the metrics factory, which
/// looks it up by label and dimensions under a lock, and that cost more than the request's own routing. The label
/// sets are bounded: known methods (else "other"), route templates, built-in paths and HTTP statuses.
final class GatewayMetrics: Sendable {
    /// The HTTP methods a label names; any other is "other" (a client cannot mint series).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private struct CounterKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let counters = Mutex<[CounterKey: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])

    /// Counts a request and, when `elapsed` is known, times it (the server's own refusals are only counted).
    func record(method requestMethod: String, route: String, status: Int, elapsed: Duration?) {
        let key = CounterKey(method: Self.knownMethods.contains(requestMethod) ? requestMethod : "other", route: route, status: status)
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: "audotics_gateway_requests_total",
                dimensions: [("method", key.method), ("route", route), ("status", String(status))])
            counters[key] = counter
            return counter
        }
        counter.increment()
        guard let elapsed else { return }
        let timer = timers.withLock { timers in
            if let timer = timers[route] { return timer }
            let timer = Timer(label: "audotics_gateway_request_duration_seconds", dimensions: [("route", route)])
            timers[route] = timer
            return timer
        }
        let (seconds, attoseconds) = elapsed.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
