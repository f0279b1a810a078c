import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTransport
import Foundation
import Glibc
import Synchronization
import Testing

/// Methods on raw bytes that record what the server did with abusive calls: whether a handler started,
/// was cancelled, and how far a streaming response got.
final class RobustnessProbe: Sendable {
    static let service = "audotics.robustness.Probe"
    /// Echoes every request message; no protobuf, so hand-made frames can call it.
    static let echo = MethodDescriptor(service: service, method: "Echo", kind: .bidirectionalStreaming)
    /// Reads the requests, then waits a minute; records start and cancellation.
    static let hold = MethodDescriptor(service: service, method: "Hold", kind: .bidirectionalStreaming)
    /// Streams `floodMessages` messages of `floodMessageBytes`, counting what each write accepted.
    static let flood = MethodDescriptor(service: service, method: "Flood", kind: .serverStreaming)
    static let floodMessageBytes = 64 * 1024
    static let floodMessages = 1024

    let started = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
    /// Bytes the Flood handler's writes have accepted so far.
    let bytesWritten = Atomic<Int>(0)

    /// A router with these methods and the interop `TestService` (for the normal calls).
    func router() -> RPCRouter {
        var router = RPCRouter(services: [InteropTestService()])
        router.register(Self.echo) { requests, responses, _ in
            for try await message in requests { try await responses.write(message) }
        }
        router.register(Self.hold) { [self] requests, _, _ in
            started.add(1, ordering: .sequentiallyConsistent)
            do {
                for try await _ in requests {}
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelled.add(1, ordering: .sequentiallyConsistent)
                throw error
            }
        }
        router.register(Self.flood) { [self] _, responses, _ in
            started.add(1, ordering: .sequentiallyConsistent)
            let message = [UInt8](repeating: 0x5A, count: Self.floodMessageBytes)
            do {
                for _ in 0..<Self.floodMessages {
                    try await responses.write(message)
                    bytesWritten.add(message.count, ordering: .sequentiallyConsistent)
                }
            } catch {
                cancelled.add(1, ordering: .sequentiallyConsistent)
                throw error
            }
        }
        return router
    }
}

/// Helpers of the robustness tests.
enum Robustness {
    /// Runs `body` against a fresh one-thread server, then checks that the server still serves a normal call
    /// on a fresh connection, and stops it.
    static func withServer(
        maxReceiveMessageBytes: Int = 4 * 1024 * 1024,
        connection: GRPCServerConfiguration.ConnectionPolicy = .init(gracePeriod: .seconds(2)),
        _ body: (_ port: Int, _ probe: RobustnessProbe) async throws -> Void
    ) async throws {
        let probe = RobustnessProbe()
        let configuration = GRPCServerConfiguration(
            port: 0, maxReceiveMessageBytes: maxReceiveMessageBytes, threads: 1, connection: connection)
        let server = try await GRPCServer(configuration: configuration, router: probe.router()).start()
        do {
            try await body(server.port, probe)
            try await expectServes(port: server.port)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }

    /// A normal unary call on a fresh connection succeeds within `within`.
    static func expectServes(port: Int, within: Duration = .seconds(5)) async throws {
        let channel = GRPCChannel(host: "127.0.0.1", port: port)
        let client = TestServiceClient(transport: channel)
        let started = ContinuousClock.now
        let response = try await client.unaryCall(.with { $0.responseSize = 10 }, options: CallOptions(timeout: within))
        #expect(response.payload?.body.count == 10)
        #expect(ContinuousClock.now - started < within)
        await channel.close()
    }

    /// Runs blocking socket work on a thread of its own, off the cooperative pool.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Waits until `condition` holds, checking every 20 ms; false if it still does not after `timeout`.
    static func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// This process's resident memory in bytes (/proc/self/statm), or nil where there is none.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
