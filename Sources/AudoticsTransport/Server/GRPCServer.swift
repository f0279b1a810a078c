public import AudoticsRPC
import NIOCore
import NIOPosix
import Synchronization

/// A gRPC server over HTTP/2 (nghttp2) on SwiftNIO event loops, serving a router's methods.
public struct GRPCServer: Sendable {
    /// What the server listens on and accepts.
    public let configuration: GRPCServerConfiguration
    /// The methods it serves.
    public let router: RPCRouter

    /// Creates a server.
    public init(configuration: GRPCServerConfiguration, router: RPCRouter) {
        self.configuration = configuration
        self.router = router
    }

    /// Binds and starts accepting connections.
    public func start() async throws -> RunningGRPCServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let configuration = self.configuration
        let router = self.router
        let connections = ConnectionRegistry()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    connections.add(channel)
                    return channel.eventLoop.makeCompletedFuture {
                        if let tls = configuration.tls {
                            try channel.pipeline.syncOperations.addHandler(TLSChannelHandler(engine: tls.makeEngine()))
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            ServerConnectionHandler(router: router, configuration: configuration))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            return RunningGRPCServer(channel: channel, group: group, connections: connections, gracePeriod: configuration.connection.gracePeriod)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}

/// A started server: its port, and how to stop it.
public struct RunningGRPCServer: Sendable {
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup
    let connections: ConnectionRegistry
    let gracePeriod: Duration

    /// The port the server listens on.
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Stops gracefully: no new connections, GOAWAY on every connection so clients open no new
    /// calls, in-flight calls finish within the grace period (then they are cancelled), and the
    /// event loops are released.
    public func stop() async throws {
        try? await channel.close().get()
        let open = connections.all
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(GracefulShutdownEvent())
        }
        for connection in open {
            // Each connection closes itself when drained, or when its grace period ends.
            try? await connection.closeFuture.get()
        }
        try await group.shutdownGracefully()
    }

    /// Waits until the listening socket closes.
    public func waitUntilClosed() async throws {
        try await channel.closeFuture.get()
    }
}

/// The server's open connections, so that a shutdown can reach each of them.
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Tracks `channel` until it closes.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    /// The connections open now.
    var all: [any Channel] { channels.withLock { Array($0.values) } }
}
