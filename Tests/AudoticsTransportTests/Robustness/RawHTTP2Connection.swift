import AudoticsHTTP2
import Glibc

/// A blocking TCP connection to a test server that writes hand-made HTTP/2 frames (valid or not) and reads
/// back what the server answers, frame by frame, for the robustness tests.
///
/// `@unchecked Sendable`: a test creates it and then uses it from one thread at a time (its own task, or one
/// blocking thread it waits for); the object is never used concurrently.
final class RawHTTP2Connection: @unchecked Sendable {
    /// An HTTP/2 frame as read from the server.
    struct Frame {
        var type: UInt8
        var flags: UInt8
        var streamID: Int32
        var payload: [UInt8]
    }

    /// What the server answered on one stream.
    struct StreamOutcome {
        /// Header blocks in order: response headers, then trailers (or one Trailers-Only block).
        var headerBlocks: [[HPACKHeader]] = []
        /// DATA bytes received on the stream.
        var data: [UInt8] = []
        /// The RST_STREAM error code, if the server reset the stream.
        var resetCode: UInt32?
        /// Whether the stream ended with END_STREAM.
        var ended = false

        /// The value of `name` in the last header block (the trailers).
        func last(_ name: String) -> String? { headerBlocks.last?.first { $0.name == name }?.value }
        /// `grpc-status` from the trailers.
        var grpcStatus: Int? { last("grpc-status").flatMap { Int($0) } }
    }

    /// The client connection preface.
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let fd: Int32
    private var inbound: [UInt8] = []
    private let encoder: HPACKEncoder
    private let decoder: HPACKDecoder
    private(set) var isClosed = false

    /// Connects to 127.0.0.1:`port`; `receiveBuffer` shrinks SO_RCVBUF (a client that reads slowly).
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket() failed") }
        self.fd = fd
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            Glibc.close(fd)
            throw RawConnectionError("connect() failed: errno \(errno)")
        }
        encoder = try HPACKEncoder()
        decoder = try HPACKDecoder(maximumHeaderListSize: 1 << 20)
    }

    deinit { close() }

    /// Closes the socket; with `reset`, the kernel sends RST instead of FIN (SO_LINGER 0).
    func close(reset: Bool = false) {
        guard !isClosed else { return }
        isClosed = true
        if reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        Glibc.close(fd)
    }

    // MARK: Writing

    /// Sends raw bytes; errors (the server closed first) are ignored, as a careless client would.
    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// The preface and a SETTINGS frame with `settings` (identifier, value).
    func sendPreface(settings: [(UInt16, UInt32)] = []) {
        send(Self.preface + Self.frame(type: 4, flags: 0, streamID: 0, payload: Self.settingsPayload(settings)))
    }

    /// A request HEADERS frame (a gRPC unary call to `path` unless `fields` are given) plus `extra` fields.
    func sendRequestHeaders(
        streamID: Int32, path: String, extra: [HPACKHeader] = [], endStream: Bool = false
    ) throws {
        let block = try encoder.encode(Self.requestFields(path: path) + extra)
        // HEADERS, then CONTINUATION frames: no frame above the default SETTINGS_MAX_FRAME_SIZE.
        let pieces = stride(from: 0, to: max(block.count, 1), by: 16_384).map { Array(block[$0..<min(block.count, $0 + 16_384)]) }
        for (index, piece) in pieces.enumerated() {
            let last: UInt8 = index == pieces.count - 1 ? 0x4 : 0
            if index == 0 {
                send(Self.frame(type: 1, flags: last | (endStream ? 0x1 : 0), streamID: streamID, payload: piece))
            } else {
                send(Self.frame(type: 9, flags: last, streamID: streamID, payload: piece))
            }
        }
    }

    /// Half-closes the TCP connection: the server reads end of stream, and may still answer.
    func finishWriting() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// A DATA frame.
    func sendData(streamID: Int32, _ bytes: [UInt8], endStream: Bool = false) {
        send(Self.frame(type: 0, flags: endStream ? 0x1 : 0, streamID: streamID, payload: bytes))
    }

    static func requestFields(path: String) -> [HPACKHeader] {
        [
            HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":scheme", value: "http"),
            HPACKHeader(name: ":path", value: path), HPACKHeader(name: ":authority", value: "127.0.0.1"),
            HPACKHeader(name: "content-type", value: "application/grpc"), HPACKHeader(name: "te", value: "trailers"),
        ]
    }

    /// An HTTP/2 frame; `length` overrides the length field (a lying frame).
    static func frame(type: UInt8, flags: UInt8, streamID: Int32, payload: [UInt8], length: Int? = nil) -> [UInt8] {
        let declared = length ?? payload.count
        return [UInt8(truncatingIfNeeded: declared >> 16), UInt8(truncatingIfNeeded: declared >> 8), UInt8(truncatingIfNeeded: declared),
                type, flags] + bigEndian(UInt32(streamID)) + payload
    }

    static func settingsPayload(_ settings: [(UInt16, UInt32)]) -> [UInt8] {
        settings.flatMap { [UInt8($0.0 >> 8), UInt8($0.0 & 0xFF)] + bigEndian($0.1) }
    }

    /// A gRPC Length-Prefixed-Message; `declaredLength` overrides the length (a truncated message).
    static func grpcMessage(_ bytes: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        [0] + bigEndian(UInt32(declaredLength ?? bytes.count)) + bytes
    }

    /// The big-endian 32-bit number at the start of `bytes` (at least 4 of them).
    static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    // MARK: Reading

    /// The next frame, or `nil` at end of stream or when nothing arrives for `timeout` seconds.
    func readFrame(timeout: Double = 5) -> Frame? {
        guard fill(9, timeout: timeout) else { return nil }
        let length = Int(inbound[0]) << 16 | Int(inbound[1]) << 8 | Int(inbound[2])
        guard fill(9 + length, timeout: timeout) else { return nil }
        let streamID = Int32(bitPattern: UInt32(inbound[5]) << 24 | UInt32(inbound[6]) << 16 | UInt32(inbound[7]) << 8 | UInt32(inbound[8]))
        let frame = Frame(type: inbound[3], flags: inbound[4], streamID: streamID & 0x7FFF_FFFF, payload: Array(inbound[9..<(9 + length)]))
        inbound.removeFirst(9 + length)
        return frame
    }

    /// Reads until the server ends or resets `streamID` (answering PINGs on the way), or `timeout` passes.
    func readOutcome(streamID: Int32, timeout: Double = 10) throws -> StreamOutcome {
        var outcome = StreamOutcome()
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            guard let frame = readFrame(timeout: 1) else {
                if isEOF { break }
                continue
            }
            switch frame.type {
            case 1, 9:  // HEADERS (the tests' servers send no CONTINUATION: blocks fit in one frame)
                let headers = try decoder.decode(frame.payload)
                if frame.streamID == streamID { outcome.headerBlocks.append(headers) }
            case 0:
                if frame.streamID == streamID { outcome.data += frame.payload }
            case 3:
                if frame.streamID == streamID {
                    outcome.resetCode = frame.payload.count == 4 ? Self.uint32(frame.payload[0...]) : 0
                    return outcome
                }
            case 6 where frame.flags & 1 == 0:
                send(Self.frame(type: 6, flags: 1, streamID: 0, payload: frame.payload))
            default:
                break
            }
            if frame.streamID == streamID, frame.flags & 1 != 0, frame.type == 0 || frame.type == 1 {
                outcome.ended = true
                return outcome
            }
        }
        return outcome
    }

    /// Reads frames until end of stream (the server closed the connection) and returns the GOAWAY error
    /// code seen on the way (`nil` if none); fails if the connection is still open after `timeout` seconds.
    func readUntilClosed(timeout: Double = 10) throws -> UInt32? {
        var goAwayCode: UInt32?
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if let frame = readFrame(timeout: 0.5) {
                if frame.type == 7, frame.payload.count >= 8 { goAwayCode = Self.uint32(frame.payload[4...]) }
            } else if isEOF {
                return goAwayCode
            }
        }
        throw RawConnectionError("the server did not close the connection within \(timeout) s")
    }

    private(set) var isEOF = false

    /// Reads until `count` bytes are buffered; false at end of stream, on error, or after `timeout` seconds idle.
    private func fill(_ count: Int, timeout: Double) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while inbound.count < count {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            guard ready > 0 else { return false }
            let received = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard received > 0 else {
                isEOF = true
                return false
            }
            inbound += chunk[0..<received]
        }
        return true
    }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
