internal import CNghttp2

/// One HTTP/2 connection as an nghttp2 session without I/O: bytes in through `receive(_:)`, events
/// out, frames to send through `drainOutput(into:)`.
///
/// The caller owns the socket (an event-loop channel handler in the transport). nghttp2's rules are
/// kept here: nothing is sent from inside nghttp2's callbacks (they only collect events), every
/// `mem_send` chunk is copied before the next call, response bodies flow through a data provider
/// that defers when its queue is empty and is resumed by `sendData`, and trailers are submitted
/// from the provider with `NO_END_STREAM`. Inbound flow control is manual: the peer's window
/// reopens only as the application calls `consume(streamID:bytes:)`, which is what gives
/// back-pressure to a fast sender.
///
/// Not thread-safe: confine a session to its connection's event loop.
public final class HTTP2Session {
    /// Which end of the connection this session is.
    public enum Role: Sendable, Hashable {
        /// Accepts streams (expects the client preface).
        case server
        /// Opens streams (sends the client preface).
        case client
    }

    /// This side's role.
    public let role: Role
    /// This side's settings, sent to the peer at start.
    public let settings: HTTP2Settings

    /// nghttp2's session; owned here and deleted in `deinit`.
    var session: OpaquePointer?
    /// Events collected by the callbacks during one `receive`.
    var events: [HTTP2Event] = []
    /// The stream whose header block is being received (0: none). HTTP/2 sends a header block (HEADERS and its
    /// CONTINUATIONs) without interleaving anything else, so one block at a time is all there is.
    var incomingHeaderStream: Int32 = 0
    /// The fields of that block so far, and their RFC 7540 size.
    var incomingHeaders: [HPACKHeader] = []
    var incomingHeaderSize = 0
    /// Makes Strings of received names and values, reusing the common ones.
    var headerStrings = HeaderStrings()
    /// Body queues of streams we send on, by stream.
    var outbound = StreamMap<OutboundStream>()

    /// Creates a session and queues this side's SETTINGS (and, for a client, the connection preface).
    public init(role: Role, settings: HTTP2Settings = HTTP2Settings()) throws(HTTP2Error) {
        self.role = role
        self.settings = settings
        var callbacks: OpaquePointer?
        try Self.check(Int(nghttp2_session_callbacks_new(&callbacks)), "nghttp2_session_callbacks_new")
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)

        var option: OpaquePointer?
        try Self.check(Int(nghttp2_option_new(&option)), "nghttp2_option_new")
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, 1)
        // Closed streams are forgotten at once (nghttp2 would keep them for the priority tree).
        nghttp2_option_set_no_closed_streams(option, 1)
        nghttp2_option_set_max_send_header_block_length(option, Int(settings.maxHeaderListSize) * 4)

        let userData = Unmanaged.passUnretained(self).toOpaque()
        var created: OpaquePointer?
        switch role {
        case .server: try Self.check(Int(nghttp2_session_server_new2(&created, callbacks, userData, option)), "nghttp2_session_server_new2")
        case .client: try Self.check(Int(nghttp2_session_client_new2(&created, callbacks, userData, option)), "nghttp2_session_client_new2")
        }
        session = created

        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialStreamWindowSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            // RFC 9113 deprecates RFC 7540's priority tree; nghttp2 then schedules streams without it (RFC 9218).
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES.rawValue), value: 1),
        ]
        try Self.check(
            Int(nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)), "nghttp2_submit_settings")
        let defaultWindow: UInt32 = 65_535
        if settings.connectionWindowSize > defaultWindow {
            try Self.check(
                Int(nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(settings.connectionWindowSize))),
                "nghttp2_session_set_local_window_size")
        }
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Receiving

    /// Processes bytes from the peer and returns what happened, in order.
    ///
    /// - Throws: `HTTP2Error` with `.protocolError` when the peer broke the protocol; the session
    ///   then has a GOAWAY queued: drain the output, send it, and close the connection.
    ///
    /// The result also holds events that happened while sending (streams that closed when our
    /// END_STREAM went out), unless `takePendingEvents()` collected them first.
    public func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) -> [HTTP2Event] {
        if let base = bytes.baseAddress, bytes.count > 0 {
            let consumed = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
            if consumed < 0 { throw NGHTTP2Status.error(consumed, operation: "receiving HTTP/2 frames") }
        }
        return takePendingEvents()
    }

    /// Events recorded outside `receive`, chiefly streams that closed while `drainOutput` sent their
    /// last frame; call it after draining.
    public func takePendingEvents() -> [HTTP2Event] {
        guard !events.isEmpty else { return [] }
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    /// Processes bytes from the peer; see `receive(_: UnsafeRawBufferPointer)`.
    public func receive(_ bytes: [UInt8]) throws(HTTP2Error) -> [HTTP2Event] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(HTTP2Error) in try receive(buffer) }
        }
        return try result.get()
    }

    /// Reopens the peer's flow-control window by `bytes` after the application processed them.
    public func consume(streamID: Int32, bytes: Int) {
        guard bytes > 0 else { return }
        // A stream that closed meanwhile still counts for the connection window.
        if nghttp2_session_consume(session, streamID, bytes) != 0 {
            _ = nghttp2_session_consume_connection(session, bytes)
        }
    }

    // MARK: Sending

    /// Appends every frame nghttp2 has ready to `output` (copying each chunk before asking for the next).
    public func drainOutput(into output: inout [UInt8]) throws(HTTP2Error) {
        try drainOutput { output.append(contentsOf: $0) }
    }

    /// Hands every frame nghttp2 has ready to `body`, chunk by chunk; a chunk is valid during its call only.
    public func drainOutput(_ body: (UnsafeRawBufferPointer) -> Void) throws(HTTP2Error) {
        while true {
            var chunk: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &chunk)
            if length < 0 { throw NGHTTP2Status.error(length, operation: "producing HTTP/2 frames") }
            guard length > 0, let chunk else { return }
            body(UnsafeRawBufferPointer(start: chunk, count: length))
        }
    }

    /// Whether the session still expects to read frames (false after both sides said GOAWAY and streams closed).
    public var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    /// Whether the session has frames to send.
    public var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    /// Sends response headers on a stream the peer opened (server). With `endStream`, the block
    /// also ends the stream (a gRPC Trailers-Only response); otherwise the body follows through
    /// `sendData` and `finish`.
    public func sendResponseHeaders(streamID: Int32, headers: [HPACKHeader], endStream: Bool) throws(HTTP2Error) {
        if endStream {
            let status = withNameValuePairs(headers) { nghttp2_submit_response(session, streamID, $0, $1, nil) }
            try Self.check(Int(status), "sending response headers")
            return
        }
        outbound[streamID] = OutboundStream()
        var provider = dataProvider()
        let status = withNameValuePairs(headers) { nghttp2_submit_response(session, streamID, $0, $1, &provider) }
        if status != 0 {
            outbound[streamID] = nil
            throw NGHTTP2Status.error(Int(status), operation: "sending response headers")
        }
    }

    /// Sends response headers prepared once (see `sendResponseHeaders(streamID:headers:endStream:)`).
    public func sendResponseHeaders(streamID: Int32, prepared: PreparedHeaders, endStream: Bool) throws(HTTP2Error) {
        if endStream {
            let status = prepared.withNameValuePairs { nghttp2_submit_response(session, streamID, $0, $1, nil) }
            try Self.check(Int(status), "sending response headers")
            return
        }
        outbound[streamID] = OutboundStream()
        var provider = dataProvider()
        let status = prepared.withNameValuePairs { nghttp2_submit_response(session, streamID, $0, $1, &provider) }
        if status != 0 {
            outbound[streamID] = nil
            throw NGHTTP2Status.error(Int(status), operation: "sending response headers")
        }
    }

    /// Opens a stream with request headers (client) and returns its ID; the body follows through
    /// `sendData` and `finish`.
    public func sendRequest(headers: [HPACKHeader]) throws(HTTP2Error) -> Int32 {
        var provider = dataProvider()
        let streamID = withNameValuePairs(headers) { nghttp2_submit_request(session, nil, $0, $1, &provider, nil) }
        try Self.check(Int(streamID), "opening a stream")
        outbound[streamID] = OutboundStream()
        return streamID
    }

    /// Queues body bytes on a stream; nghttp2 sends them as flow control allows.
    public func sendData(streamID: Int32, bytes: [UInt8]) throws(HTTP2Error) {
        guard let stream = outbound[streamID], !stream.isFinished else {
            throw HTTP2Error(code: .invalidState, message: "stream \(streamID) is not open for sending data")
        }
        stream.append(bytes)
        resume(streamID, stream)
    }

    /// Ends our side of a stream after the queued body, with trailers (gRPC status) or without.
    public func finish(streamID: Int32, trailers: [HPACKHeader]? = nil) throws(HTTP2Error) {
        try finish(streamID: streamID, preparedTrailers: trailers.map(PreparedHeaders.init))
    }

    /// Ends our side of a stream after the queued body, with trailers prepared once (or none).
    public func finish(streamID: Int32, preparedTrailers: PreparedHeaders?) throws(HTTP2Error) {
        guard let stream = outbound[streamID], !stream.isFinished else {
            throw HTTP2Error(code: .invalidState, message: "stream \(streamID) is not open for sending")
        }
        stream.finish(trailers: preparedTrailers)
        resume(streamID, stream)
    }

    /// Bytes queued on a stream and not yet handed to nghttp2 (for back-pressure on writers).
    public func bufferedBytes(streamID: Int32) -> Int {
        outbound[streamID]?.bufferedBytes ?? 0
    }

    /// Resets a stream (RST_STREAM) with an HTTP/2 error code, for example 8 (CANCEL).
    public func resetStream(streamID: Int32, errorCode: UInt32) throws(HTTP2Error) {
        try Self.check(
            Int(nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)), "resetting a stream")
    }

    /// The first step of a graceful shutdown (server): a GOAWAY announcing the last possible stream,
    /// after which clients open no new streams; `sendGoAway` follows once in-flight streams drain.
    public func sendShutdownNotice() throws(HTTP2Error) {
        try Self.check(Int(nghttp2_submit_shutdown_notice(session)), "sending the shutdown notice")
    }

    /// Sends GOAWAY with the last stream this side processed and an HTTP/2 error code (0 for none).
    public func sendGoAway(errorCode: UInt32 = 0) throws(HTTP2Error) {
        let lastStreamID = nghttp2_session_get_last_proc_stream_id(session)
        try Self.check(
            Int(nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID, errorCode, nil, 0)), "sending GOAWAY")
    }

    /// Sends a PING (keepalive); its acknowledgement arrives as `.pingAcknowledged`.
    public func sendPing() throws(HTTP2Error) {
        try Self.check(Int(nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)), "sending PING")
    }

    /// Whether nghttp2 still tracks the stream (a late completion must check before sending).
    public func isStreamOpen(_ streamID: Int32) -> Bool {
        nghttp2_session_find_stream(session, streamID) != nil
    }

    // MARK: Internal

    private func resume(_ streamID: Int32, _ stream: OutboundStream) {
        if stream.isDeferred {
            stream.isDeferred = false
            _ = nghttp2_session_resume_data(session, streamID)
        }
    }

    private func dataProvider() -> nghttp2_data_provider {
        nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: readOutboundData)
    }

    static func check(_ status: Int, _ operation: String) throws(HTTP2Error) {
        if status < 0 { throw NGHTTP2Status.error(status, operation: operation) }
    }
}

/// nghttp2 is confined to the connection's event loop; a session is never shared between threads.
@available(*, unavailable)
extension HTTP2Session: Sendable {}

/// Calls `body` with an `nghttp2_nv` array for `headers`, valid for the call only (nghttp2 copies them).
/// The names and values are copied once into one temporary buffer (on the stack when small), each `String`
/// through its contiguous UTF-8: a byte-by-byte copy through `String.UTF8View` would cost several times more.
func withNameValuePairs<Result>(
    _ headers: [HPACKHeader], _ body: (UnsafeMutablePointer<nghttp2_nv>?, Int) -> Result
) -> Result {
    var total = 1  // never empty, so the base address exists
    for header in headers { total += header.name.utf8.count + header.value.utf8.count }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { bytes in
        withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(headers.count, 1)) { pairs in
            fillNameValuePairs(headers, bytes: bytes.baseAddress!, pairs: pairs.baseAddress!)
            return body(pairs.baseAddress, headers.count)
        }
    }
}

/// Copies the names and values of `headers` into `bytes` (which has room for them all) and initializes
/// `pairs[0..<headers.count]` to point into it, never-indexed fields flagged so.
func fillNameValuePairs(_ headers: [HPACKHeader], bytes: UnsafeMutablePointer<UInt8>, pairs: UnsafeMutablePointer<nghttp2_nv>) {
    var offset = 0
    for (index, header) in headers.enumerated() {
        let name = bytes + offset
        offset += copyUTF8(header.name, to: name)
        let value = bytes + offset
        offset += copyUTF8(header.value, to: value)
        (pairs + index).initialize(to: nghttp2_nv(
            name: name, value: value, namelen: value - name, valuelen: bytes + offset - value,
            flags: UInt8(header.isNeverIndexed ? NGHTTP2_NV_FLAG_NO_INDEX.rawValue : NGHTTP2_NV_FLAG_NONE.rawValue)))
    }
}

/// Copies the UTF-8 of `text` to `destination` (which has room for it); returns the byte count.
@inline(__always)
func copyUTF8(_ text: String, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    var text = text
    return text.withUTF8 { source in
        guard let base = source.baseAddress else { return 0 }
        destination.initialize(from: base, count: source.count)
        return source.count
    }
}
