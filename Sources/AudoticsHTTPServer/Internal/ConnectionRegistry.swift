import NIOCore
import Synchronization

/// The server's open connections: counted against the limit, and reachable for a shutdown.
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Tracks `channel` until it closes; false (and nothing tracked) when the limit is reached.
    func add(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let added = channels.withLock { open in
            guard open.count < limit else { return false }
            open[id] = channel
            return true
        }
        guard added else { return false }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
        return true
    }

    /// The connections open now.
    var all: [any Channel] { channels.withLock { Array($0.values) } }

    /// How many connections are open.
    var count: Int { channels.withLock { $0.count } }
}
