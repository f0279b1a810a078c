import Testing

/// Clients that vanish mid-call, and clients that never read: handlers are cancelled, and the server's
/// queued response bytes stay bounded (writers wait, `ServerConnectionHandler.sendBufferLimit`).
@Suite("Robustness: disconnects and flow control", .serialized)
struct DisconnectAndFlowControlTests {
    typealias Raw = RawHTTP2Connection

    enum Disconnect: String, CaseIterable, Sendable {
        /// Request headers sent, the handler waits for requests.
        case afterHeaders
        /// Half a message sent.
        case midMessage
        /// A whole request sent and half-closed, the handler runs; the socket closes with RST.
        case resetWhileRunning
    }

    @Test("an abrupt disconnect mid-call cancels the handler", arguments: Disconnect.allCases)
    func abruptDisconnect(_ how: Disconnect) async throws {
        try await Robustness.withServer { port, probe in
            let connection = try await Robustness.blocking {
                let connection = try Raw(port: port)
                connection.sendPreface()
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.hold.path)
                switch how {
                case .afterHeaders: break
                case .midMessage: connection.sendData(streamID: 1, Raw.grpcMessage([1, 2, 3], declaredLength: 50))
                case .resetWhileRunning: connection.sendData(streamID: 1, Raw.grpcMessage([1, 2, 3]), endStream: true)
                }
                return connection
            }
            #expect(await Robustness.eventually { probe.started.load(ordering: .sequentiallyConsistent) == 1 })
            connection.close(reset: how == .resetWhileRunning)
            #expect(await Robustness.eventually { probe.cancelled.load(ordering: .sequentiallyConsistent) == 1 })
        }
    }

    /// How a client that never reads sets up its connection.
    enum Reader: String, CaseIterable, Sendable {
        /// Default 64 KiB windows: the server's flow-control window closes.
        case smallWindow
        /// Windows of 2 GiB and a small socket buffer: flow control never stops the server, TCP does.
        case hugeWindow
    }

    @Test("a client that never reads a large server stream: the handler's writes stop, memory stays bounded",
          arguments: Reader.allCases)
    func neverReads(_ reader: Reader) async throws {
        try await Robustness.withServer { port, probe in
            let connection = try await Robustness.blocking {
                let connection = try Raw(port: port, receiveBuffer: reader == .hugeWindow ? 64 * 1024 : nil)
                switch reader {
                case .smallWindow:
                    connection.sendPreface()
                case .hugeWindow:
                    connection.sendPreface(settings: [(4, 0x7FFF_FFFF)])
                    connection.send(Raw.frame(type: 8, flags: 0, streamID: 0, payload: Raw.bigEndian(0x7FFF_FFFF - 65_535)))
                }
                try connection.sendRequestHeaders(streamID: 1, path: RobustnessProbe.flood.path)
                connection.sendData(streamID: 1, Raw.grpcMessage([]), endStream: true)
                return connection
            }
            #expect(await Robustness.eventually { probe.started.load(ordering: .sequentiallyConsistent) == 1 })
            try await Task.sleep(for: .milliseconds(1500))
            let first = probe.bytesWritten.load(ordering: .sequentiallyConsistent)
            try await Task.sleep(for: .milliseconds(500))
            let second = probe.bytesWritten.load(ordering: .sequentiallyConsistent)
            let total = RobustnessProbe.floodMessages * RobustnessProbe.floodMessageBytes
            // Without back-pressure the handler queues all 64 MiB in a few milliseconds. With it: the window
            // or the socket buffers, plus the 256 KiB send-buffer limit, and then it waits.
            let bound = reader == .smallWindow ? 1 << 20 : 16 << 20
            #expect(first > 0 && first <= bound, "\(first) of \(total) bytes written")
            #expect(second == first, "the handler kept writing: \(first) then \(second) bytes")
            // Other calls go on meanwhile.
            try await Robustness.expectServes(port: port)
            connection.close()
            #expect(await Robustness.eventually { probe.cancelled.load(ordering: .sequentiallyConsistent) == 1 })
        }
    }
}
