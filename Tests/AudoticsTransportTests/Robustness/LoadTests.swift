import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTransport
import NIOPosix
import Testing

/// Many streams and many idle connections against one server on one event-loop thread.
@Suite("Robustness: concurrency and idle connections", .serialized)
struct LoadTests {
    @Test("10,000 concurrent streams over 100 connections all succeed; memory stays bounded", .timeLimit(.minutes(1)))
    func tenThousandStreams() async throws {
        try await Robustness.withServer { port, _ in
            // The clients' own loops: 10,000 calls queued on NIO's shared group would delay the timers of
            // the other suites running in this process.
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let channels = (0..<100).map { _ in GRPCChannel(host: "127.0.0.1", port: port, eventLoopGroup: group) }
            // One call per channel first, so that the 100 connections are up before the burst.
            for channel in channels { _ = try await TestServiceClient(transport: channel).emptyCall(Empty()) }
            let residentBefore = Robustness.residentBytes()
            let started = ContinuousClock.now
            let succeeded = try await withThrowingTaskGroup(of: Int.self) { group in
                for channel in channels {
                    let client = TestServiceClient(transport: channel)
                    for index in 0..<100 {
                        group.addTask {
                            let response = try await client.unaryCall(
                                .with { $0.responseSize = Int32(index) }, options: CallOptions(timeout: .seconds(30)))
                            return response.payload?.body.count == index ? 1 : 0
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = ContinuousClock.now - started
            #expect(succeeded == 10_000)
            #expect(elapsed < .seconds(30), "10,000 calls took \(elapsed)")
            if let before = residentBefore, let after = Robustness.residentBytes() {
                // Loose: other suites run in the same process meanwhile.
                #expect(after - before < 512 << 20, "resident memory grew by \((after - before) >> 20) MiB")
            }
            for channel in channels { await channel.close() }
            try await group.shutdownGracefully()
        }
    }

    @Test("200 idle connections (with and without a preface) do not slow a normal call")
    func idleConnections() async throws {
        try await Robustness.withServer { port, _ in
            let idle = try await Robustness.blocking {
                try (0..<200).map { index in
                    let connection = try RawHTTP2Connection(port: port)
                    if index.isMultiple(of: 2) { connection.sendPreface() }
                    return connection
                }
            }
            for _ in 0..<3 { try await Robustness.expectServes(port: port, within: .seconds(2)) }
            // The server did not drop them: each preface-less one can still start HTTP/2.
            let answered = try await Robustness.blocking {
                idle[1].sendPreface()
                return idle[1].readFrame(timeout: 5)?.type
            }
            #expect(answered == 4)  // SETTINGS
            for connection in idle { connection.close() }
        }
    }
}
