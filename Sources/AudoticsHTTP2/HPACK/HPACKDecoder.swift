internal import CNghttp2

/// An HPACK decoder (RFC 7541) for one direction of one HTTP/2 connection, over nghttp2's inflater,
/// with a limit on the decoded header list size (SETTINGS_MAX_HEADER_LIST_SIZE).
///
/// A block whose header list exceeds the limit is still decoded to the end, so the dynamic table stays
/// in step with the peer, and then rejected with `headerListTooLarge`: the stream fails, the connection
/// survives. Any other decoding failure is `compressionError`, after which the decoder is unusable
/// (RFC 7540 §4.3: the connection must close). Not `Sendable`: confine it to its connection's event loop.
public final class HPACKDecoder {
    /// The largest header list, by RFC 7540 §6.5.2 size, that `decode(_:)` returns.
    public let maximumHeaderListSize: Int
    /// nghttp2's inflater; owned by this object and freed in `deinit`.
    private let inflater: OpaquePointer
    /// Set after a compression error: the table no longer matches the peer's, so every later block fails.
    private var hasFailed = false

    /// Creates a decoder that accepts dynamic table updates up to `maximumDynamicTableSize` bytes and
    /// header lists up to `maximumHeaderListSize` bytes (16 KiB by default).
    public init(maximumDynamicTableSize: Int = 4096, maximumHeaderListSize: Int = 16 * 1024) throws(HTTP2Error) {
        guard maximumDynamicTableSize >= 0, maximumHeaderListSize >= 0 else {
            throw HTTP2Error(code: .invalidArgument, message: "table and header list sizes must not be negative")
        }
        var inflater: OpaquePointer?
        let status = nghttp2_hd_inflate_new(&inflater)
        guard status == 0, let inflater else { throw NGHTTP2Status.error(Int(status), operation: "nghttp2_hd_inflate_new") }
        let change = nghttp2_hd_inflate_change_table_size(inflater, maximumDynamicTableSize)
        guard change == 0 else {
            nghttp2_hd_inflate_del(inflater)
            throw NGHTTP2Status.error(Int(change), operation: "nghttp2_hd_inflate_change_table_size")
        }
        self.inflater = inflater
        self.maximumHeaderListSize = maximumHeaderListSize
    }

    deinit {
        nghttp2_hd_inflate_del(inflater)
    }

    /// Changes the largest dynamic table the peer's encoder may use (our SETTINGS_HEADER_TABLE_SIZE, once acknowledged).
    public func setMaximumDynamicTableSize(_ size: Int) throws(HTTP2Error) {
        guard size >= 0 else { throw HTTP2Error(code: .invalidArgument, message: "the dynamic table size must not be negative") }
        let status = nghttp2_hd_inflate_change_table_size(inflater, size)
        guard status == 0 else { throw NGHTTP2Status.error(Int(status), operation: "nghttp2_hd_inflate_change_table_size") }
    }

    /// The current size in bytes of the decoder's dynamic table.
    public var dynamicTableSize: Int { nghttp2_hd_inflate_get_dynamic_table_size(inflater) }

    /// Decodes one complete header block (the HEADERS payload plus any CONTINUATION payloads) into its fields.
    public func decode(_ block: [UInt8]) throws(HTTP2Error) -> [HPACKHeader] {
        guard !hasFailed else {
            throw HTTP2Error(code: .compressionError, message: "the decoder failed on an earlier block; its state is lost")
        }
        var headers: [HPACKHeader] = []
        var listSize = 0
        var consumedTotal = 0
        while true {
            var field = nghttp2_nv()
            var flags: Int32 = 0
            let consumed = block.withUnsafeBufferPointer { buffer in
                nghttp2_hd_inflate_hd2(
                    inflater, &field, &flags,
                    buffer.baseAddress.map { $0 + consumedTotal }, buffer.count - consumedTotal, 1
                )
            }
            guard consumed >= 0 else {
                hasFailed = true
                throw NGHTTP2Status.error(consumed, operation: "nghttp2_hd_inflate_hd2")
            }
            consumedTotal += consumed
            if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) != 0 {
                listSize += field.namelen + field.valuelen + 32
                // Past the limit, keep inflating (the table must stay in sync) but stop keeping fields.
                if listSize <= maximumHeaderListSize {
                    headers.append(HPACKHeader(
                        name: String(decoding: UnsafeBufferPointer(start: field.name, count: field.namelen), as: UTF8.self),
                        value: String(decoding: UnsafeBufferPointer(start: field.value, count: field.valuelen), as: UTF8.self),
                        isSensitive: field.flags & UInt8(NGHTTP2_NV_FLAG_NO_INDEX.rawValue) != 0
                    ))
                }
            }
            if flags & Int32(NGHTTP2_HD_INFLATE_FINAL.rawValue) != 0 {
                nghttp2_hd_inflate_end_headers(inflater)
                break
            }
            if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) == 0 && consumedTotal == block.count {
                // nghttp2 sets FINAL when in_final is 1 and the input is used up; this guards against a loop regardless.
                nghttp2_hd_inflate_end_headers(inflater)
                break
            }
        }
        guard listSize <= maximumHeaderListSize else {
            throw HTTP2Error(
                code: .headerListTooLarge,
                message: "header list of \(listSize) bytes exceeds the limit of \(maximumHeaderListSize) bytes"
            )
        }
        return headers
    }
}

/// The decoder's dynamic table is unsynchronised mutable state tied to one connection's byte stream.
@available(*, unavailable)
extension HPACKDecoder: Sendable {}
