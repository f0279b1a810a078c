import AudoticsRPC
import AudoticsTransport
import Foundation
import Testing

private typealias Raw = RawHTTP2Connection

/// The server's connection limits on a real socket: a connection without calls for `maxIdle` goes away with a
/// two-step GOAWAY; calls keep it alive; `maxAge` ends even a busy one.
@Suite("Robustness: connection idle and age limits", .serialized)
struct ConnectionLimitTests {
    /// What a client saw until the server closed the connection.
    struct Ending {
        /// GOAWAY frames: their last-stream IDs and error codes, in order.
        var goAways: [(lastStreamID: UInt32, code: UInt32)] = []
        /// Seconds from the start of the wait to the first GOAWAY.
        var firstGoAwayAfter: Double?
    }

    /// Reads frames, acknowledging PINGs, until the server closes the connection (or `timeout` seconds pass).
    static func readUntilClosed(_ connection: RawHTTP2Connection, timeout: Double) throws -> Ending {
        var ending = Ending()
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .milliseconds(Int(timeout * 1000)) {
            guard let frame = connection.readFrame(timeout: 0.2) else {
                if connection.isEOF { return ending }
                continue
            }
            switch frame.type {
            case 7 where frame.payload.count >= 8:
                if ending.goAways.isEmpty {
                    let elapsed = ContinuousClock.now - started
                    ending.firstGoAwayAfter = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
                ending.goAways.append((Raw.uint32(frame.payload[0...]) & 0x7FFF_FFFF, Raw.uint32(frame.payload[4...])))
            case 6 where frame.flags & 1 == 0:
                connection.send(Raw.frame(type: 6, flags: 1, streamID: 0, payload: frame.payload))
            default:
                break
            }
        }
        throw RawConnectionError("the server did not close the connection within \(timeout) s")
    }

    /// One echo call on `streamID`, answered with status OK.
    static func call(_ connection: RawHTTP2Connection, streamID: Int32) throws {
        try connection.sendRequestHeaders(streamID: streamID, path: RobustnessProbe.echo.path)
        connection.sendData(streamID: streamID, Raw.grpcMessage([1, 2, 3]), endStream: true)
        let outcome = try connection.readOutcome(streamID: streamID, timeout: 5)
        #expect(outcome.grpcStatus == 0, "stream \(streamID)")
    }

    @Test("calls keep a connection open past maxIdle; without calls it goes away after maxIdle", .timeLimit(.minutes(1)))
    func maxIdle() async throws {
        try await Robustness.withServer(connection: .init(maxIdle: .milliseconds(600), gracePeriod: .seconds(2))) { port, _ in
            let ending = try await Robustness.blocking {
                let connection = try RawHTTP2Connection(port: port)
                defer { connection.close() }
                connection.sendPreface()
                // A call every 150 ms for 1.5 s: 2.5 times maxIdle, never idle for long enough.
                for index in 0..<10 {
                    try Self.call(connection, streamID: Int32(2 * index + 1))
                    Thread.sleep(forTimeInterval: 0.15)
                }
                return try Self.readUntilClosed(connection, timeout: 10)
            }
            // The first GOAWAY comes maxIdle after the last call (less the 150 ms slept), never before it.
            let after = try #require(ending.firstGoAwayAfter)
            #expect(after >= 0.4 && after < 3, "first GOAWAY \(after) s after the wait began")
            // Two steps: a notice with the largest stream ID, then the final GOAWAY naming the last call; NO_ERROR.
            #expect(ending.goAways.count == 2)
            #expect(ending.goAways.first?.lastStreamID == 0x7FFF_FFFF)
            #expect(ending.goAways.last?.lastStreamID == 19)
            #expect(ending.goAways.allSatisfy { $0.code == 0 })
        }
    }

    @Test("maxAge ends a connection that is never idle: GOAWAY at maxAge, close after the grace period", .timeLimit(.minutes(1)))
    func maxAge() async throws {
        try await Robustness.withServer(connection: .init(maxAge: .milliseconds(500), gracePeriod: .seconds(1))) { port, probe in
            let ending = try await Robustness.blocking {
                let connection = try RawHTTP2Connection(port: port)
                defer { connection.close() }
                connection.sendPreface()
                // A call that never ends keeps the connection busy.
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.hold.path)
                return try Self.readUntilClosed(connection, timeout: 10)
            }
            let after = try #require(ending.firstGoAwayAfter)
            #expect(after >= 0.3 && after < 3, "first GOAWAY \(after) s after the connection opened")
            #expect(ending.goAways.count == 2)
            #expect(ending.goAways.last?.lastStreamID == 1)
            // The held call was cancelled when the grace period ran out.
            let waited = ContinuousClock.now
            while probe.cancelled.load(ordering: .sequentiallyConsistent) == 0, ContinuousClock.now - waited < .seconds(5) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(probe.cancelled.load(ordering: .sequentiallyConsistent) == 1)
        }
    }
}
