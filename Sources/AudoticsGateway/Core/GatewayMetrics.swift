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

    /// The instruments made so far: one lock per request finds both.
    private struct Instruments {
        var counters: [CounterKey: Counter] = [:]
        var timers: [String: Timer] = [:]
    }

    private let instruments = Mutex(Instruments())

    /// Counts a request and, when `elapsed` is known, times it (the server's own refusals are only counted).
    func record(method requestMethod: String, route: String, status: Int, elapsed: Duration?) {
        let key = CounterKey(method: Self.knownMethods.contains(requestMethod) ? requestMethod : "other", route: route, status: status)
        let (counter, timer) = instruments.withLock { instruments -> (Counter, Timer?) in
            let counter: Counter
            if let existing = instruments.counters[key] {
                counter = existing
            } else {
                counter = Counter(
                    label: "audotics_gateway_requests_total",
                    dimensions: [("method", key.method), ("route", route), ("status", String(status))])
                instruments.counters[key] = counter
            }
            guard elapsed != nil else { return (counter, nil) }
            if let timer = instruments.timers[route] { return (counter, timer) }
            let timer = Timer(label: "audotics_gateway_request_duration_seconds", dimensions: [("route", route)])
            instruments.timers[route] = timer
            return (counter, timer)
        }
        counter.increment()
        guard let elapsed, let timer else { return }
        let (seconds, attoseconds) = elapsed.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
