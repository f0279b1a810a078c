import AudoticsHTTP2
import Testing

/// Hand-made bytes against a real server on 127.0.0.1: a broken connection closes (with GOAWAY when it got
/// that far), a broken call fails with the right status, and the server goes on serving other calls.
@Suite("Robustness: malformed input", .serialized)
struct MalformedInputTests {
    typealias Raw = RawHTTP2Connection

    @Test("garbage instead of the connection preface closes the connection")
    func garbagePreface() async throws {
        try await Robustness.withServer { port, _ in
            for garbage in [Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), [UInt8](repeating: 0xFF, count: 4096), [0, 0, 0, 4, 0]] {
                try await Robustness.blocking {
                    let connection = try Raw(port: port)
                    connection.send(garbage)
                    _ = try connection.readUntilClosed()
                }
            }
        }
    }

    /// A valid preface, then one bad frame, and the GOAWAY error code the server must answer with.
    static let malformedFrames: [(name: String, bytes: [UInt8], goAway: UInt32)] = [
        ("SETTINGS of 5 bytes", Raw.frame(type: 4, flags: 0, streamID: 0, payload: [0, 4, 0, 0, 0]), 6),
        ("DATA above SETTINGS_MAX_FRAME_SIZE",
         Raw.frame(type: 0, flags: 0, streamID: 1, payload: [UInt8](repeating: 0, count: 20_000)), 6),
        ("DATA on stream 0", Raw.frame(type: 0, flags: 0, streamID: 0, payload: [1, 2, 3]), 1),
        ("HEADERS with broken HPACK", Raw.frame(type: 1, flags: 5, streamID: 1, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80]), 9),
        ("HEADERS on an even stream", Raw.frame(type: 1, flags: 5, streamID: 2, payload: [0x83]), 1),
        ("WINDOW_UPDATE of 0 on the connection", Raw.frame(type: 8, flags: 0, streamID: 0, payload: [0, 0, 0, 0]), 1),
        ("PING of 7 bytes", Raw.frame(type: 6, flags: 0, streamID: 0, payload: [1, 2, 3, 4, 5, 6, 7]), 6),
        ("CONTINUATION without HEADERS", Raw.frame(type: 9, flags: 4, streamID: 1, payload: [0x83]), 1),
    ]

    @Test("a malformed frame after a valid preface: GOAWAY with the right code, then close", arguments: 0..<8)
    func malformedFrame(_ index: Int) async throws {
        let (name, bytes, expected) = Self.malformedFrames[index]
        try await Robustness.withServer { port, _ in
            let code = try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                connection.send(bytes)
                return try connection.readUntilClosed()
            }
            #expect(code == expected, "\(name)")
        }
    }

    @Test("a frame whose length promises more than arrives, then the client half-closes: the server closes")
    func truncatedFrame() async throws {
        try await Robustness.withServer { port, _ in
            try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                connection.send(Raw.frame(type: 0, flags: 0, streamID: 1, payload: [1, 2, 3], length: 1000))
                connection.finishWriting()
                _ = try connection.readUntilClosed()
            }
        }
    }

    @Test("a message whose prefix promises more than it sends, then END_STREAM: INTERNAL, not a hang")
    func truncatedMessage() async throws {
        try await Robustness.withServer { port, _ in
            let statuses = try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                // Body cut short, then prefix cut short.
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.echo.path)
                connection.sendData(streamID: 1, Raw.grpcMessage(Array(repeating: 7, count: 10), declaredLength: 100), endStream: true)
                try connection.sendRequestHeaders(streamID: 3, path: RobustnessProbe.echo.path)
                connection.sendData(streamID: 3, [0, 0, 0], endStream: true)
                return [try connection.readOutcome(streamID: 1).grpcStatus, try connection.readOutcome(streamID: 3).grpcStatus]
            }
            #expect(statuses == [13, 13])
        }
    }

    @Test("a message above the 4 MiB limit: RESOURCE_EXHAUSTED, and the connection serves the next call")
    func oversizeMessage() async throws {
        try await Robustness.withServer { port, _ in
            let (status, next) = try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.echo.path)
                connection.sendData(streamID: 1, Raw.grpcMessage(Array(repeating: 1, count: 16_000), declaredLength: 5 << 20))
                let refused = try connection.readOutcome(streamID: 1)
                try connection.sendRequestHeaders(streamID: 3, path: RobustnessProbe.echo.path)
                connection.sendData(streamID: 3, Raw.grpcMessage([1, 2, 3]), endStream: true)
                let echoed = try connection.readOutcome(streamID: 3)
                return (refused.grpcStatus, echoed.grpcStatus == 0 && echoed.data == Raw.grpcMessage([1, 2, 3]))
            }
            #expect(status == 8)
            #expect(next)
        }
    }

    @Test("a header list above the limit resets its stream; the connection serves the next call")
    func oversizeHeaders() async throws {
        try await Robustness.withServer { port, _ in
            let (refused, next) = try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                let big = (0..<6).map { HPACKHeader(name: "x-big-\($0)", value: String(repeating: "abcdefghij", count: 400)) }
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.echo.path, extra: big, endStream: true)
                let refused = try connection.readOutcome(streamID: 1)
                try connection.sendRequestHeaders(streamID: 3, path: RobustnessProbe.echo.path)
                connection.sendData(streamID: 3, Raw.grpcMessage([4, 5]), endStream: true)
                let echoed = try connection.readOutcome(streamID: 3)
                return (refused, echoed.grpcStatus == 0 && echoed.data == Raw.grpcMessage([4, 5]))
            }
            let status = refused.headerBlocks.first?.first { $0.name == ":status" }?.value
            #expect(refused.resetCode != nil || status == "431" || (refused.grpcStatus ?? 0) != 0, "\(refused)")
            #expect(next)
        }
    }
}
