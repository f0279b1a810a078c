public import AudoticsRPC
public import NIOCore
import NIOPosix
import Synchronization

/// A client transport with one `GRPCChannel` per event loop of a group, each connecting on its own loop: a call
/// made from a task that runs on one of those loops (an HTTP or gRPC handler, whose executor is its connection's
/// loop) goes through that loop's channel, so the request, its call and the response never change threads.
/// Calls from anywhere else take the channels in turn.
///
/// The gateway uses it in front of each service; the cost is one connection per loop instead of one in all.
public final class EventLoopAffineChannel: EventLoopUnaryTransport {
    /// The channels, one per loop, in the group's order.
    public let channels: [GRPCChannel]
    private let byLoop: [ObjectIdentifier: GRPCChannel]
    /// Spreads calls made off the loops (relaxed: only the spread matters).
    private let next = Atomic<Int>(0)

    /// One channel per loop of `group`, all to `endpoints` with `configuration`.
    public init(endpoints: [GRPCEndpoint], configuration: GRPCChannelConfiguration, group: any EventLoopGroup) {
        var channels: [GRPCChannel] = []
        var byLoop: [ObjectIdentifier: GRPCChannel] = [:]
        for loop in group.makeIterator() {
            let channel = GRPCChannel(endpoints: endpoints, configuration: configuration, eventLoopGroup: loop)
            channels.append(channel)
            byLoop[ObjectIdentifier(loop)] = channel
        }
        self.channels = channels
        self.byLoop = byLoop
    }

    /// The current thread's loop's channel, else the next in turn.
    var channel: GRPCChannel {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let channel = byLoop[ObjectIdentifier(loop)] { return channel }
        return channels[(next.add(1, ordering: .relaxed).newValue & Int.max) % channels.count]
    }

    public func call<Result>(
        method: MethodDescriptor, options: CallOptions, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        try await channel.call(method: method, options: options, requests: requests, onResponse: onResponse)
    }

    public func unary<Response>(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], decode: ([UInt8]) throws -> Response
    ) async throws -> Response {
        try await channel.unary(method: method, options: options, request: request, decode: decode)
    }

    /// Starts a unary call on `eventLoop`'s own channel, without a task when its connection is ready; from a
    /// loop outside the group, through the next channel in turn, as a task.
    public func startUnary(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], on eventLoop: any EventLoop,
        completion: @escaping (Result<[UInt8], RPCError>) -> Void
    ) -> UnaryCallHandle {
        let channel = byLoop[ObjectIdentifier(eventLoop)] ?? channels[(next.add(1, ordering: .relaxed).newValue & Int.max) % channels.count]
        return channel.startUnary(method: method, options: options, request: request, on: eventLoop, completion: completion)
    }

    /// Closes every channel (see `GRPCChannel.close(gracePeriod:)`).
    public func close(gracePeriod: Duration? = nil) async {
        // All at once: each drains within the grace period, and none keeps taking calls while another drains.
        await withTaskGroup(of: Void.self) { group in
            for channel in channels { group.addTask { await channel.close(gracePeriod: gracePeriod) } }
        }
    }
}
