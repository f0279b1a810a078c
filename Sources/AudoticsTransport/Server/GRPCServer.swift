public import AudoticsRPC
import NIOCore
import NIOPosix

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
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ServerConnectionHandler(router: router, configuration: configuration))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            return RunningGRPCServer(channel: channel, group: group)
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

    /// The port the server listens on.
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Stops accepting, closes connections and releases the event loops.
    public func stop() async throws {
        try? await channel.close().get()
        try await group.shutdownGracefully()
    }

    /// Waits until the listening socket closes.
    public func waitUntilClosed() async throws {
        try await channel.closeFuture.get()
    }
}
