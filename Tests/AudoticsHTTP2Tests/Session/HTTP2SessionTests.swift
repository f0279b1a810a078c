import AudoticsHTTP2
import Testing

/// A client and a server session wired back to back in memory.
struct SessionPair {
    let client: HTTP2Session
    let server: HTTP2Session
    var clientEvents: [HTTP2Event] = []
    var serverEvents: [HTTP2Event] = []

    init(client: HTTP2Settings = HTTP2Settings(), server: HTTP2Settings = HTTP2Settings()) throws {
        self.client = try HTTP2Session(role: .client, settings: client)
        self.server = try HTTP2Session(role: .server, settings: server)
    }

    /// Moves bytes both ways until neither side has anything to send.
    mutating func pump(consume: Bool = true) throws {
        for _ in 0..<10_000 {
            var toServer: [UInt8] = []
            try client.drainOutput(into: &toServer)
            var toClient: [UInt8] = []
            try server.drainOutput(into: &toClient)
            if toServer.isEmpty && toClient.isEmpty { return }
            let newServerEvents = try server.receive(toServer)
            let newClientEvents = try client.receive(toClient)
            if consume {
                for case let .data(streamID, bytes) in newServerEvents { server.consume(streamID: streamID, bytes: bytes.count) }
                for case let .data(streamID, bytes) in newClientEvents { client.consume(streamID: streamID, bytes: bytes.count) }
            }
            serverEvents += newServerEvents
            clientEvents += newClientEvents
        }
        Issue.record("the sessions kept talking")
    }
}

extension [HTTP2Event] {
    func body(of streamID: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        for case let .data(id, chunk) in self where id == streamID { bytes += chunk }
        return bytes
    }

    func headerBlocks(of streamID: Int32) -> [[HPACKHeader]] {
        compactMap { event in
            guard case let .headers(id, headers, _) = event, id == streamID else { return nil }
            return headers
        }
    }
}

let requestHeaders = [
    HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":scheme", value: "http"),
    HPACKHeader(name: ":path", value: "/grpc.testing.TestService/UnaryCall"), HPACKHeader(name: ":authority", value: "localhost"),
    HPACKHeader(name: "content-type", value: "application/grpc"), HPACKHeader(name: "te", value: "trailers"),
]

@Suite("HTTP2Session: nghttp2 without I/O")
struct HTTP2SessionTests {
    @Test("a request with a body, a response with a body and trailers")
    func requestResponseTrailers() throws {
        var pair = try SessionPair()
        let stream = try pair.client.sendRequest(headers: requestHeaders)
        try pair.client.sendData(streamID: stream, bytes: [0, 0, 0, 0, 3, 1, 2, 3])
        try pair.client.finish(streamID: stream)
        try pair.pump()
        #expect(pair.serverEvents.headerBlocks(of: stream).first?.first { $0.name == ":path" }?.value == "/grpc.testing.TestService/UnaryCall")
        #expect(pair.serverEvents.body(of: stream) == [0, 0, 0, 0, 3, 1, 2, 3])
        #expect(pair.serverEvents.contains(.endStream(streamID: stream)))

        try pair.server.sendResponseHeaders(
            streamID: stream, headers: [HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "content-type", value: "application/grpc")],
            endStream: false)
        try pair.server.sendData(streamID: stream, bytes: [0, 0, 0, 0, 1, 9])
        try pair.server.finish(streamID: stream, trailers: [HPACKHeader(name: "grpc-status", value: "0")])
        try pair.pump()
        let blocks = pair.clientEvents.headerBlocks(of: stream)
        #expect(blocks.count == 2)
        #expect(blocks.last == [HPACKHeader(name: "grpc-status", value: "0")])
        #expect(pair.clientEvents.body(of: stream) == [0, 0, 0, 0, 1, 9])
        #expect(pair.clientEvents.contains(.streamClosed(streamID: stream, errorCode: 0)))
        #expect(!pair.server.isStreamOpen(stream))
    }

    @Test("a Trailers-Only response ends the stream with one header block")
    func trailersOnly() throws {
        var pair = try SessionPair()
        let stream = try pair.client.sendRequest(headers: requestHeaders)
        try pair.client.finish(streamID: stream)
        try pair.pump()
        try pair.server.sendResponseHeaders(
            streamID: stream, headers: [HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "grpc-status", value: "12")],
            endStream: true)
        try pair.pump()
        let headersEvent = pair.clientEvents.first { if case .headers = $0 { true } else { false } }
        #expect(headersEvent == .headers(streamID: stream, headers: [HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "grpc-status", value: "12")], endStream: true))
    }

    @Test("a large body crosses in frames of the peer's size, respecting flow control")
    func largeBodyAndFlowControl() throws {
        var pair = try SessionPair(server: HTTP2Settings(initialStreamWindowSize: 65_535, connectionWindowSize: 65_535))
        let stream = try pair.client.sendRequest(headers: requestHeaders)
        let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try pair.client.sendData(streamID: stream, bytes: body)
        try pair.client.finish(streamID: stream)
        // Without consuming, the server's window stops the client after 64 KiB.
        try pair.pump(consume: false)
        #expect(pair.serverEvents.body(of: stream).count == 65_535)
        #expect(pair.client.bufferedBytes(streamID: stream) > 0)
        // Consuming reopens the window and the rest arrives intact.
        pair.server.consume(streamID: stream, bytes: 65_535)
        try pair.pump()
        #expect(pair.serverEvents.body(of: stream) == body)
        #expect(pair.serverEvents.contains(.endStream(streamID: stream)))
    }

    @Test("chunks of every size, some queued while earlier ones are half sent, arrive whole and in order")
    func chunkedBodyInOrder() throws {
        var pair = try SessionPair(server: HTTP2Settings(initialStreamWindowSize: 65_535, connectionWindowSize: 65_535))
        let stream = try pair.client.sendRequest(headers: requestHeaders)
        var sent: [UInt8] = []
        var next: UInt8 = 0
        func chunk(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                next &+= 7
                return next
            }
        }
        // A chunk larger than the window (it stays half sent), then more behind it, then more after some went out.
        for count in [100_000, 1, 16_384, 0, 3] {
            let bytes = chunk(count)
            sent += bytes
            try pair.client.sendData(streamID: stream, bytes: bytes)
        }
        try pair.pump(consume: false)
        #expect(pair.serverEvents.body(of: stream).count == 65_535)
        for count in [50_000, 2, 70_000] {
            let bytes = chunk(count)
            sent += bytes
            try pair.client.sendData(streamID: stream, bytes: bytes)
        }
        try pair.client.finish(streamID: stream)
        #expect(pair.client.bufferedBytes(streamID: stream) == sent.count - 65_535)
        pair.server.consume(streamID: stream, bytes: 65_535)
        try pair.pump()
        #expect(pair.serverEvents.body(of: stream) == sent)
        #expect(pair.serverEvents.contains(.endStream(streamID: stream)))
    }

    @Test("many concurrent streams beyond the limit are refused by the server")
    func concurrencyLimit() throws {
        // The streams are opened before the client has seen the server's SETTINGS, as a client that
        // ignores the limit would (nghttp2's own client queues streams beyond it).
        var pair = try SessionPair(server: HTTP2Settings(maxConcurrentStreams: 2))
        let streams = try (0..<4).map { _ in try pair.client.sendRequest(headers: requestHeaders) }
        try pair.pump()
        let opened = Set(pair.serverEvents.compactMap { event -> Int32? in
            if case let .headers(id, _, _) = event { id } else { nil }
        })
        #expect(opened.count == 2)
        let refused = pair.clientEvents.filter { if case .streamClosed(_, 7) = $0 { true } else { false } }
        #expect(refused.count == 2, "REFUSED_STREAM (7) for the streams over the limit: \(streams)")
    }

    @Test("a header block over the limit resets the stream, and the connection lives on")
    func headerListLimit() throws {
        var pair = try SessionPair(server: HTTP2Settings(maxHeaderListSize: 1_024))
        let big = try pair.client.sendRequest(headers: requestHeaders + [HPACKHeader(name: "x-big", value: String(repeating: "a", count: 2_000))])
        try pair.client.finish(streamID: big)
        try pair.pump()
        #expect(pair.serverEvents.contains(.headerListTooLarge(streamID: big)))
        #expect(pair.clientEvents.contains { if case .streamClosed(big, let code) = $0 { code != 0 } else { false } })
        let small = try pair.client.sendRequest(headers: requestHeaders)
        try pair.client.finish(streamID: small)
        try pair.pump()
        #expect(!pair.serverEvents.headerBlocks(of: small).isEmpty)
    }

    @Test("reset, ping and graceful GOAWAY reach the peer")
    func controlFrames() throws {
        var pair = try SessionPair()
        let stream = try pair.client.sendRequest(headers: requestHeaders)
        try pair.pump()
        try pair.client.resetStream(streamID: stream, errorCode: 8)
        try pair.client.sendPing()
        try pair.pump()
        #expect(pair.serverEvents.contains(.streamClosed(streamID: stream, errorCode: 8)))
        #expect(pair.serverEvents.contains(.pingReceived))
        #expect(pair.clientEvents.contains(.pingAcknowledged))
        try pair.server.sendShutdownNotice()
        try pair.pump()
        try pair.server.sendGoAway()
        try pair.pump()
        #expect(pair.clientEvents.contains { if case .goAway(_, 0) = $0 { true } else { false } })
    }

    @Test("garbage instead of the client preface is a protocol error with GOAWAY queued")
    func badPreface() throws {
        let server = try HTTP2Session(role: .server)
        #expect(throws: HTTP2Error.self) { try server.receive(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) }
        var output: [UInt8] = []
        try server.drainOutput(into: &output)
        #expect(!output.isEmpty)
    }

    @Test("sending on an unknown stream is an invalid-state error")
    func invalidState() throws {
        let server = try HTTP2Session(role: .server)
        #expect(throws: HTTP2Error.self) { try server.sendData(streamID: 99, bytes: [1]) }
        #expect(throws: HTTP2Error.self) { try server.finish(streamID: 99) }
    }
}

@Suite("HTTP2Session: events raised while sending")
struct HTTP2SessionPendingEventTests {
    @Test("a stream that closes when our END_STREAM goes out is reported, not lost")
    func closeDuringSend() throws {
        let client = try HTTP2Session(role: .client)
        let server = try HTTP2Session(role: .server)
        var bytes: [UInt8] = []
        let stream = try client.sendRequest(headers: requestHeaders)
        try client.finish(streamID: stream)
        try client.drainOutput(into: &bytes)
        _ = try server.receive(bytes)
        try server.sendResponseHeaders(streamID: stream, headers: [HPACKHeader(name: ":status", value: "200")], endStream: false)
        try server.finish(streamID: stream, trailers: [HPACKHeader(name: "grpc-status", value: "0")])
        var output: [UInt8] = []
        try server.drainOutput(into: &output)
        // The server closed the stream while sending its trailers: the event waits for the caller.
        #expect(server.takePendingEvents() == [.streamClosed(streamID: stream, errorCode: 0)])
        #expect(server.takePendingEvents().isEmpty)
    }
}
