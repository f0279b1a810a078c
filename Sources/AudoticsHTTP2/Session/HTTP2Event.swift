/// Something the peer did, reported by `HTTP2Session.receive(_:)` in the order it happened.
public enum HTTP2Event: Sendable, Hashable {
    /// A complete header block: request headers (server), response headers or trailers (client).
    /// `endStream` is set when the block also ends the peer's side of the stream.
    case headers(streamID: Int32, headers: [HPACKHeader], endStream: Bool)
    /// Body bytes of a stream. Consume them with `HTTP2Session.consume(streamID:bytes:)` once
    /// processed, or the peer's flow-control window stays closed.
    case data(streamID: Int32, bytes: [UInt8])
    /// The peer ended its side of the stream with a DATA frame.
    case endStream(streamID: Int32)
    /// A stream closed: normally (`errorCode` 0) or reset by either side (RST_STREAM's code).
    case streamClosed(streamID: Int32, errorCode: UInt32)
    /// The peer refused a header block larger than the limit; the stream was reset with REFUSED/PROTOCOL.
    case headerListTooLarge(streamID: Int32)
    /// The peer sent GOAWAY: streams above `lastStreamID` were not processed.
    case goAway(lastStreamID: Int32, errorCode: UInt32)
    /// The peer acknowledged a PING we sent (keepalive).
    case pingAcknowledged
    /// The peer sent a PING, which nghttp2 answered (the count feeds ping-abuse protection).
    case pingReceived
}
