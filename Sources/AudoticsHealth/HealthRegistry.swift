import AudoticsHealthAPI

/// The health service's state: statuses by service name and the watchers of each name.
///
/// A value guarded by the service's mutex; it never blocks: `AsyncStream.Continuation.yield`
/// only stores the value in the watcher's one-element buffer.
struct HealthRegistry {
    typealias ServingStatus = HealthCheckResponse.ServingStatus
    typealias Watcher = AsyncStream<ServingStatus>.Continuation

    private(set) var statuses: [String: ServingStatus]
    private var watchers: [String: [UInt64: Watcher]] = [:]
    private var nextWatcherID: UInt64 = 0
    private var isShutDown = false

    init(statuses: [String: ServingStatus]) {
        self.statuses = statuses
    }

    var watcherCount: Int { watchers.values.reduce(0) { $0 + $1.count } }

    mutating func set(_ status: ServingStatus, for service: String) {
        guard !isShutDown else { return }
        statuses[service] = status
        notify(service, status)
    }

    mutating func clear(_ service: String) {
        guard !isShutDown, statuses.removeValue(forKey: service) != nil else { return }
        notify(service, .serviceUnknown)
    }

    mutating func shutDown() {
        isShutDown = true
        for service in statuses.keys {
            statuses[service] = .notServing
            notify(service, .notServing)
        }
    }

    /// Registers a watcher and gives it the current status, under the same lock so no change is missed.
    mutating func addWatcher(_ watcher: Watcher, for service: String) -> UInt64 {
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[service, default: [:]][id] = watcher
        watcher.yield(statuses[service] ?? .serviceUnknown)
        return id
    }

    mutating func removeWatcher(_ id: UInt64, for service: String) {
        watchers[service]?[id] = nil
        if watchers[service]?.isEmpty == true { watchers[service] = nil }
    }

    private func notify(_ service: String, _ status: ServingStatus) {
        for watcher in watchers[service, default: [:]].values { watcher.yield(status) }
    }
}
