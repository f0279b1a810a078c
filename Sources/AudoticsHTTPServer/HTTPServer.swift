import AudoticsTransport
import NIOCore
import NIOPosix
import Synchronization

/// The gateway's HTTP front end: HTTP/1.1 (NIOHTTP1) and HTTP/2 (nghttp2) over TLS, where ALPN chooses, or
/// plaintext (HTTP/1.1, and h2c with prior knowledge), on SwiftNIO event loops. It collects complete requests,
/// hands them to its `HTTPServerHandler`, and writes the responses; limits and timeouts are in
/// `HTTPServerConfiguration.Limits` (docs/gateway.md).
///
/// ```swift
/// let server = HTTPServer(configuration: HTTPServerConfiguration(port: 8080), handler: MyHandler())
/// let port = try await server.start()
/// …
/// await server.stop(gracePeriod: .seconds(10))
/// ```
public final class HTTPServer: Sendable {
    /// What the server listens on and tolerates.
    public let configuration: HTTPServerConfiguration
    /// What answers the requests.
    public let handler: any HTTPServerHandler

    private struct Running {
        var group: any EventLoopGroup
        /// Whether the server made the group (and so shuts it down).
        var ownsGroup: Bool
        var channel: any Channel
    }

    private let running = Mutex<Running?>(nil)
    private let connections: ConnectionRegistry

    /// Creates a server; nothing listens before `start()`.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPServerHandler) {
        self.configuration = configuration
        self.handler = handler
        self.connections = ConnectionRegistry(limit: max(1, configuration.limits.maxConnections))
    }

    /// The port the server listens on, once started.
    public var port: Int? {
        running.withLock { $0?.channel.localAddress?.port }
    }

    /// How many connections are open.
    public var connectionCount: Int { connections.count }

    /// Binds and starts accepting connections; returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let ownsGroup = configuration.eventLoopGroup == nil
        let group = configuration.eventLoopGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let configuration = self.configuration
        let handler = self.handler
        let connections = self.connections
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    guard connections.add(channel) else {
                        // Above the connection limit: closed as soon as accepted.
                        return channel.close()
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls = configuration.tls {
                            try pipeline.addHandler(TLSChannelHandler(engine: tls.makeEngine()) { negotiated in
                                negotiated == nil || negotiated == "h2" || negotiated == "http/1.1"
                            })
                        }
                        try pipeline.addHandler(
                            ProtocolSelectionHandler(handler: handler, configuration: configuration, isSecure: configuration.tls != nil))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            let started = running.withLock { state -> Bool in
                guard state == nil else { return false }
                state = Running(group: group, ownsGroup: ownsGroup, channel: channel)
                return true
            }
            guard started else {
                try? await channel.close()
                if ownsGroup { try? await group.shutdownGracefully() }
                throw HTTPServerError(message: "the server is already running")
            }
            return channel.localAddress?.port ?? 0
        } catch {
            if ownsGroup { try? await group.shutdownGracefully() }
            throw error
        }
    }

    /// Stops gracefully: no new connections; idle HTTP/1 connections close at once, busy ones after their
    /// in-flight response (sent with `Connection: close`); HTTP/2 connections get GOAWAY and close when their
    /// streams are done. Whatever still runs after `gracePeriod` is closed (its handlers cancelled), and the
    /// event loops are released.
    public func stop(gracePeriod: Duration = .seconds(30)) async {
        guard let state = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        try? await state.channel.close()
        let open = connections.all
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(HTTPServerShutdownEvent())
        }
        let connections = self.connections
        let deadline = state.group.next().scheduleTask(in: TimeAmount(gracePeriod)) {
            for connection in connections.all { connection.close(promise: nil) }
        }
        for connection in open {
            try? await connection.closeFuture.get()
        }
        deadline.cancel()
        if state.ownsGroup { try? await state.group.shutdownGracefully() }
    }
}

/// Why the server could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { "HTTPServerError: \(message)" }
}
