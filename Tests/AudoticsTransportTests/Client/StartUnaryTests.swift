import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
@testable import AudoticsTransport
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// `EventLoopUnaryTransport.startUnary`: unary calls started from an event loop without a task, against our
/// own server. The outcome comes back once, on the caller's loop, on the task-free path (a ready connection on
/// that loop) and on the task it falls back to (none yet, or a loop outside the channel's group).
@Suite("Task-free unary calls from an event loop")
struct StartUnaryTests {
    /// What a `startUnary` gave: the outcome, whether the completion ran on the caller's loop, and whether the
    /// call ran on a stream (task-free) or as a task.
    struct Outcome: Sendable {
        var result: Result<[UInt8], RPCError>
        var onCallersLoop: Bool
        var taskFree: Bool
    }

    /// Starts a unary call on `loop` and waits for its completion; `cancelAfter` cancels it that long after.
    static func start(
        _ transport: some EventLoopUnaryTransport, on loop: any EventLoop, method: MethodDescriptor = TestService.Method.unaryCall,
        request: [UInt8], options: CallOptions = CallOptions(), cancelAfter: TimeAmount? = nil
    ) async throws -> Outcome {
        let promise = loop.makePromise(of: Outcome.self)
        let calls = Mutex(0)
        try await loop.submit {
            let taskFree = Mutex(false)
            let handle = transport.startUnary(method: method, options: options, request: request, on: loop) { result in
                calls.withLock { $0 += 1 }
                promise.succeed(Outcome(result: result, onCallersLoop: loop.inEventLoop, taskFree: taskFree.withLock { $0 }))
            }
            if case .stream = handle.call { taskFree.withLock { $0 = true } }
            if let cancelAfter {
                loop.scheduleTask(in: cancelAfter) { handle.cancel() }
            }
        }.get()
        let outcome = try await promise.futureResult.get()
        // Exactly once: nothing more arrives later.
        try await Task.sleep(for: .milliseconds(50))
        #expect(calls.withLock { $0 } == 1)
        return outcome
    }

    static func unaryRequest(size: Int32 = 10, status: Int32? = nil) -> [UInt8] {
        SimpleRequest.with {
            $0.responseSize = size
            if let status { $0.responseStatus = .with { $0.code = status; $0.message = "asked for \(status)" } }
        }.serializedBytes()
    }

    @Test("from the connection's own loop the call runs without a task and answers on that loop")
    func taskFreeOnOwnLoop() async throws {
        let server = try await GRPCChannelTests.startServer()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        // The first call finds no connection: it runs as a task, connects, and still answers on the loop.
        let first = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        #expect(!first.taskFree)
        #expect(first.onCallersLoop)
        #expect(try SimpleResponse(serializedBytes: first.result.get()).payload?.body.count == 10)
        // Now the connection is ready on this loop: no task.
        for size in [0, 1, 1000, 100_000] as [Int32] {
            let outcome = try await Self.start(channel, on: loop, request: Self.unaryRequest(size: size))
            #expect(outcome.taskFree)
            #expect(outcome.onCallersLoop)
            #expect(try SimpleResponse(serializedBytes: outcome.result.get()).payload?.body.count == Int(size))
        }
        await channel.close()
        try await server.stop()
    }

    @Test("a call from a loop the connection does not run on falls back to a task and answers on the caller's loop")
    func otherLoopFallsBack() async throws {
        let server = try await GRPCChannelTests.startServer()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loops[0])
        _ = try await Self.start(channel, on: loops[0], request: Self.unaryRequest())
        let outcome = try await Self.start(channel, on: loops[1], request: Self.unaryRequest(size: 7))
        #expect(!outcome.taskFree)
        #expect(outcome.onCallersLoop)
        #expect(try SimpleResponse(serializedBytes: outcome.result.get()).payload?.body.count == 7)
        await channel.close()
        try await server.stop()
        try await group.shutdownGracefully()
    }

    @Test("an event-loop affine channel keeps each loop's calls on that loop's connection")
    func affineChannel() async throws {
        let server = try await GRPCChannelTests.startServer()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let channel = EventLoopAffineChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], configuration: GRPCChannelConfiguration(), group: group)
        for loop in group.makeIterator() {
            _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
            let outcome = try await Self.start(channel, on: loop, request: Self.unaryRequest(size: 3))
            #expect(outcome.taskFree)
            #expect(outcome.onCallersLoop)
            #expect(try SimpleResponse(serializedBytes: outcome.result.get()).payload?.body.count == 3)
        }
        await channel.close()
        try await server.stop()
        try await group.shutdownGracefully()
    }

    @Test("a failed call gives its status and message")
    func failure() async throws {
        let server = try await GRPCChannelTests.startServer()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        let outcome = try await Self.start(channel, on: loop, request: Self.unaryRequest(status: 9))
        #expect(outcome.taskFree)
        guard case .failure(let error) = outcome.result else { Issue.record("expected a failure"); return }
        #expect(error.code == .failedPrecondition)
        #expect(error.message == "asked for 9")
        await channel.close()
        try await server.stop()
    }

    @Test("no response message, or more than one, is INTERNAL")
    func messageCount() async throws {
        let server = try await GRPCChannelTests.startServer()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        for count in [0, 2, 5] {
            let request = StreamingOutputCallRequest.with { $0.responseParameters = Array(repeating: .with { $0.size = 4 }, count: count) }
            let outcome = try await Self.start(
                channel, on: loop, method: TestService.Method.streamingOutputCall, request: request.serializedBytes())
            #expect(outcome.taskFree)
            guard case .failure(let error) = outcome.result else { Issue.record("expected a failure for \(count)"); continue }
            #expect(error.code == .internal)
            #expect(error.message.contains(count == 0 ? "got none" : "got more"), "\(error)")
        }
        // The connection is still good.
        #expect(try await Self.start(channel, on: loop, request: Self.unaryRequest()).result.get().count > 0)
        await channel.close()
        try await server.stop()
    }

    /// A request the server answers only after `seconds`.
    static func slowRequest(seconds: Int) -> [UInt8] {
        StreamingOutputCallRequest.with { $0.responseParameters = [.with { $0.size = 1; $0.intervalUs = Int32(seconds * 1_000_000) }] }
            .serializedBytes()
    }

    @Test("the deadline ends a task-free call at its time")
    func deadline() async throws {
        let server = try await GRPCChannelTests.startServer()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        let started = ContinuousClock.now
        let outcome = try await Self.start(
            channel, on: loop, method: TestService.Method.streamingOutputCall, request: Self.slowRequest(seconds: 5),
            options: CallOptions(timeout: .milliseconds(300)))
        #expect(outcome.taskFree)
        guard case .failure(let error) = outcome.result else { Issue.record("expected a failure"); return }
        #expect(error.code == .deadlineExceeded)
        #expect(ContinuousClock.now - started < .seconds(3))
        await channel.close()
        try await server.stop()
    }

    @Test("cancelling a call gives CANCELLED at once and leaves the connection usable", arguments: [true, false])
    func cancel(taskFree: Bool) async throws {
        let server = try await GRPCChannelTests.startServer()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loops[0])
        _ = try await Self.start(channel, on: loops[0], request: Self.unaryRequest())
        let loop = taskFree ? loops[0] : loops[1]
        let started = ContinuousClock.now
        let outcome = try await Self.start(
            channel, on: loop, method: TestService.Method.streamingOutputCall, request: Self.slowRequest(seconds: 5),
            cancelAfter: .milliseconds(200))
        #expect(outcome.taskFree == taskFree)
        #expect(outcome.onCallersLoop)
        guard case .failure(let error) = outcome.result else { Issue.record("expected a failure"); return }
        #expect(error.code == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(try await Self.start(channel, on: loops[0], request: Self.unaryRequest(size: 2)).result.get().count > 0)
        await channel.close()
        try await server.stop()
        try await group.shutdownGracefully()
    }

    @Test("a call that cannot start fails at once: an expired deadline, invalid metadata")
    func failsAtOnce() async throws {
        let server = try await GRPCChannelTests.startServer()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        let expired = try await Self.start(channel, on: loop, request: Self.unaryRequest(), options: CallOptions(timeout: .zero))
        guard case .failure(let error) = expired.result else { Issue.record("expected a failure"); return }
        #expect(error.code == .deadlineExceeded)
        var metadata = Metadata()
        metadata.addString("line\nbreak", forKey: "x-bad")
        let invalid = try await Self.start(channel, on: loop, request: Self.unaryRequest(), options: CallOptions(metadata: metadata))
        guard case .failure(let metadataError) = invalid.result else { Issue.record("expected a failure"); return }
        #expect(metadataError.code == .internal)
        await channel.close()
        try await server.stop()
    }

    @Test("calls in flight when the server goes away fail with UNAVAILABLE")
    func serverGone() async throws {
        let server = try await GRPCChannelTests.startServer(gracePeriod: .milliseconds(100))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = GRPCChannel(endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], eventLoopGroup: loop)
        _ = try await Self.start(channel, on: loop, request: Self.unaryRequest())
        async let outcome = Self.start(
            channel, on: loop, method: TestService.Method.streamingOutputCall, request: Self.slowRequest(seconds: 5))
        try await Task.sleep(for: .milliseconds(200))
        try await server.stop()
        let result = try await outcome
        #expect(result.taskFree)
        guard case .failure(let error) = result.result else { Issue.record("expected a failure"); return }
        #expect([.unavailable, .cancelled].contains(error.code), "\(error)")
        await channel.close()
    }
}
