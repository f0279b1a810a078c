internal import CNghttp2

// nghttp2's callbacks. Each recovers the session from `user_data`, only records what happened
// (nothing is sent from inside `mem_recv`), and never lets a Swift error cross into C.
extension HTTP2Session {
    static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameReceived)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
    }

    /// The session behind nghttp2's `user_data`.
    static func from(_ userData: UnsafeMutableRawPointer?) -> HTTP2Session {
        Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }
}

private func onBeginHeaders(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
    let owner = HTTP2Session.from(userData)
    owner.incomingHeaderStream = frame.pointee.hd.stream_id
    owner.incomingHeaders = []
    owner.incomingHeaders.reserveCapacity(12)
    owner.incomingHeaderSize = 0
    return 0
}

private func onHeader(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ name: UnsafePointer<UInt8>?, _ nameLength: Int,
    _ value: UnsafePointer<UInt8>?, _ valueLength: Int, _ flags: UInt8, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame, let name, let value else { return 0 }
    let owner = HTTP2Session.from(userData)
    let streamID = frame.pointee.hd.stream_id
    guard streamID == owner.incomingHeaderStream else { return 0 }
    owner.incomingHeaderSize += nameLength + valueLength + 32
    if owner.incomingHeaderSize > Int(owner.settings.maxHeaderListSize) {
        owner.incomingHeaderStream = 0
        owner.incomingHeaders = []
        owner.events.append(.headerListTooLarge(streamID: streamID))
        // Resets the stream (nghttp2 answers RST_STREAM INTERNAL_ERROR) and skips the rest of the block.
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
    }
    let (nameString, valueString) = owner.headerStrings.strings(
        name: UnsafeBufferPointer(start: name, count: nameLength), value: UnsafeBufferPointer(start: value, count: valueLength))
    owner.incomingHeaders.append(
        HPACKHeader(name: nameString, value: valueString, isSensitive: flags & UInt8(NGHTTP2_NV_FLAG_NO_INDEX.rawValue) != 0))
    return 0
}

private func onFrameReceived(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame else { return 0 }
    let owner = HTTP2Session.from(userData)
    let header = frame.pointee.hd
    let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
    switch UInt32(header.type) {
    case NGHTTP2_HEADERS.rawValue:
        guard owner.incomingHeaderStream == header.stream_id else { return 0 }
        owner.incomingHeaderStream = 0
        let headers = owner.incomingHeaders
        owner.incomingHeaders = []
        owner.events.append(.headers(streamID: header.stream_id, headers: headers, endStream: endStream))
    case NGHTTP2_DATA.rawValue:
        if endStream { owner.events.append(.endStream(streamID: header.stream_id)) }
    case NGHTTP2_GOAWAY.rawValue:
        owner.events.append(.goAway(lastStreamID: frame.pointee.goaway.last_stream_id, errorCode: frame.pointee.goaway.error_code))
    case NGHTTP2_PING.rawValue:
        owner.events.append(header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 ? .pingAcknowledged : .pingReceived)
    default:
        break
    }
    return 0
}

private func onDataChunk(
    _ session: OpaquePointer?, _ flags: UInt8, _ streamID: Int32, _ data: UnsafePointer<UInt8>?, _ length: Int,
    _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let data, length > 0 else { return 0 }
    HTTP2Session.from(userData).events.append(.data(streamID: streamID, bytes: Array(UnsafeBufferPointer(start: data, count: length))))
    return 0
}

private func onStreamClose(
    _ session: OpaquePointer?, _ streamID: Int32, _ errorCode: UInt32, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    let owner = HTTP2Session.from(userData)
    owner.outbound[streamID] = nil
    if owner.incomingHeaderStream == streamID {
        owner.incomingHeaderStream = 0
        owner.incomingHeaders = []
    }
    owner.events.append(.streamClosed(streamID: streamID, errorCode: errorCode))
    return 0
}

/// The data provider of every stream we send on: copies queued bytes, defers when the queue is
/// empty, ends the stream when finished, and submits trailers with `NO_END_STREAM` when there are any.
func readOutboundData(
    _ session: OpaquePointer?, _ streamID: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: Int,
    _ flags: UnsafeMutablePointer<UInt32>?, _ source: UnsafeMutablePointer<nghttp2_data_source>?,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    let owner = HTTP2Session.from(userData)
    guard let buffer, let flags, let stream = owner.outbound[streamID] else {
        return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    }
    let written = stream.copy(into: buffer, capacity: length)
    if stream.bufferedBytes == 0 {
        if stream.isFinished {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if let trailers = stream.trailers {
                flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                let status = trailers.withNameValuePairs { nghttp2_submit_trailer(session, streamID, $0, $1) }
                if status != 0 { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
            }
        } else if written == 0 {
            stream.isDeferred = true
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
        }
    }
    return written
}
