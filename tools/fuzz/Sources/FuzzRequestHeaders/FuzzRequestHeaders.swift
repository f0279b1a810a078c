import AudoticsHTTP2
import AudoticsRPC

/// libFuzzer's entry point: the server's handling of request headers, in three modes picked by byte 0.
///
/// - 0: the rest is a list of fields, each `name length (1 byte), name, value length (2 bytes, big-endian),
///   value`, parsed by `GRPCRequestHead(parsing:)`.
/// - 1: the rest is split into HPACK blocks (`length (2 bytes), block`) decoded by one `HPACKDecoder`, each
///   list parsed as in mode 0.
/// - otherwise: the rest is what a client sends after a valid preface and SETTINGS, fed to a server
///   `HTTP2Session` in pieces (sizes from byte 0); each request's headers are parsed, and the stream is
///   answered as the transport would (headers, a message, trailers), so the sending side runs too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestHeaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let mode = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch mode {
    case 0: parse(fields(from: rest))
    case 1: decodeBlocks(rest)
    default: serve(rest, pieceSize: Int(mode))
    }
    return 0
}

/// Header fields from the length-prefixed layout of mode 0; a truncated field ends the list.
func fields(from bytes: [UInt8]) -> [(name: String, value: String)] {
    var result: [(name: String, value: String)] = []
    var index = 0
    while index < bytes.count {
        let nameLength = Int(bytes[index])
        index += 1
        guard index + nameLength + 2 <= bytes.count else { break }
        let name = String(decoding: bytes[index..<(index + nameLength)], as: UTF8.self)
        index += nameLength
        let valueLength = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        index += 2
        let end = min(bytes.count, index + valueLength)
        result.append((name, String(decoding: bytes[index..<end], as: UTF8.self)))
        index = end
    }
    return result
}

/// Parses a request head as the server does, and uses what it produced.
func parse(_ fields: [(name: String, value: String)]) {
    do {
        let head = try GRPCRequestHead(parsing: fields)
        // Bytes, not Characters: a combining mark after the slash makes "/" + mark one Character.
        precondition(head.path.utf8.first == UInt8(ascii: "/"), "a parsed head has a path without its slash")
        _ = try? head.headers()
    } catch {
        let headers = error.responseHeaders()
        precondition(headers.contains { $0.name == "grpc-status" }, "an error response without grpc-status")
    }
}

/// Mode 1: HPACK blocks through one decoder (its dynamic table carries over from block to block).
func decodeBlocks(_ bytes: [UInt8]) {
    guard let decoder = try? HPACKDecoder(maximumDynamicTableSize: 4096, maximumHeaderListSize: 16 * 1024) else { return }
    var index = 0
    while index + 2 <= bytes.count {
        let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        index += 2
        let end = min(bytes.count, index + length)
        do {
            let headers = try decoder.decode(Array(bytes[index..<end]))
            // The decoder counts raw bytes; bytes that are not UTF-8 come out as U+FFFD (up to three
            // bytes for one), so the Swift strings may measure up to three times the raw size.
            precondition(headers.reduce(0) { $0 + $1.size } <= 3 * 16 * 1024, "a header list above the limit came out")
            parse(headers.map { (name: $0.name, value: $0.value) })
        } catch {
            if error.code != .headerListTooLarge { return }  // the decoder is unusable now
        }
        index = end
    }
}

/// The client connection preface and an empty SETTINGS frame.
let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]

/// Mode 2: a server session fed the client's bytes, answering requests the way the transport does.
func serve(_ bytes: [UInt8], pieceSize: Int) {
    let settings = HTTP2Settings(maxConcurrentStreams: 16, maxHeaderListSize: 4096)
    guard let session = try? HTTP2Session(role: .server, settings: settings) else { return }
    var output: [UInt8] = []
    guard (try? session.receive(preface)) != nil else { preconditionFailure("a valid preface was refused") }
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + pieceSize)
        let events: [HTTP2Event]
        do {
            events = try session.receive(Array(bytes[index..<end]))
        } catch {
            _ = try? session.drainOutput(into: &output)  // the GOAWAY, as the transport sends it
            return
        }
        for event in events { handle(event, session) }
        guard (try? session.drainOutput(into: &output)) != nil else { return }
        for event in session.takePendingEvents() { handle(event, session) }
        output.removeAll(keepingCapacity: true)
        index = end
    }
}

/// What `ServerConnectionHandler` does with an event, minus the handler task.
func handle(_ event: HTTP2Event, _ session: HTTP2Session) {
    switch event {
    case let .headers(streamID, headers, _):
        let fields = headers.map { (name: $0.name, value: $0.value) }
        parse(fields)
        let status = [HPACKHeader(name: ":status", value: "200"), HPACKHeader(name: "content-type", value: "application/grpc")]
        if (try? GRPCRequestHead(parsing: fields)) == nil {
            try? session.sendResponseHeaders(streamID: streamID, headers: status, endStream: true)
        } else if (try? session.sendResponseHeaders(streamID: streamID, headers: status, endStream: false)) != nil {
            try? session.sendData(streamID: streamID, bytes: [0, 0, 0, 0, 3, 1, 2, 3])
            try? session.finish(streamID: streamID, trailers: [HPACKHeader(name: "grpc-status", value: "0")])
        }
    case let .data(streamID, bytes):
        session.consume(streamID: streamID, bytes: bytes.count)
    case .endStream, .streamClosed, .headerListTooLarge, .goAway, .pingAcknowledged, .pingReceived:
        break
    }
}
