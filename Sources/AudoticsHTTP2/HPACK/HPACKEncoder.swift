internal import CNghttp2

/// An HPACK encoder (RFC 7541) for one direction of one HTTP/2 connection, over nghttp2's deflater.
///
/// The encoder keeps a dynamic table that mirrors the peer decoder's, so header blocks must be sent
/// in the order they are encoded. Not `Sendable`: confine it to its connection's event loop.
public final class HPACKEncoder {
    /// nghttp2's deflater; owned by this object and freed in `deinit`.
    private let deflater: OpaquePointer

    /// Creates an encoder whose dynamic table starts at HTTP/2's default 4,096 bytes and never grows beyond
    /// `maximumDynamicTableSize`, even when the peer's SETTINGS_HEADER_TABLE_SIZE allows more.
    public init(maximumDynamicTableSize: Int = 4096) throws(HTTP2Error) {
        guard maximumDynamicTableSize >= 0 else {
            throw HTTP2Error(code: .invalidArgument, message: "the dynamic table size must not be negative")
        }
        var deflater: OpaquePointer?
        let status = nghttp2_hd_deflate_new(&deflater, maximumDynamicTableSize)
        guard status == 0, let deflater else { throw NGHTTP2Status.error(Int(status), operation: "nghttp2_hd_deflate_new") }
        self.deflater = deflater
    }

    deinit {
        nghttp2_hd_deflate_del(deflater)
    }

    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE (capped at the maximum given to `init`);
    /// the next block starts with a dynamic table size update.
    public func setDynamicTableSize(_ size: Int) throws(HTTP2Error) {
        guard size >= 0 else { throw HTTP2Error(code: .invalidArgument, message: "the dynamic table size must not be negative") }
        let status = nghttp2_hd_deflate_change_table_size(deflater, size)
        guard status == 0 else { throw NGHTTP2Status.error(Int(status), operation: "nghttp2_hd_deflate_change_table_size") }
    }

    /// The current size in bytes of the encoder's dynamic table.
    public var dynamicTableSize: Int { nghttp2_hd_deflate_get_dynamic_table_size(deflater) }

    /// Encodes `headers`, in order, into one header block (to be split into HEADERS and CONTINUATION frames).
    public func encode(_ headers: [HPACKHeader]) throws(HTTP2Error) -> [UInt8] {
        // nghttp2 takes pointers to every name and value at once, so gather them into one buffer first.
        var storage: [UInt8] = []
        storage.reserveCapacity(headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        for header in headers {
            storage.append(contentsOf: header.name.utf8)
            storage.append(contentsOf: header.value.utf8)
        }
        return try storage.withUnsafeMutableBufferPointer { (buffer) throws(HTTP2Error) -> [UInt8] in
            var cursor = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!
            var fields: [nghttp2_nv] = []
            fields.reserveCapacity(headers.count)
            for header in headers {
                let nameLength = header.name.utf8.count
                let valueLength = header.value.utf8.count
                let flags = header.isNeverIndexed ? NGHTTP2_NV_FLAG_NO_INDEX.rawValue : NGHTTP2_NV_FLAG_NONE.rawValue
                fields.append(
                    nghttp2_nv(name: cursor, value: cursor + nameLength, namelen: nameLength, valuelen: valueLength, flags: UInt8(flags))
                )
                cursor += nameLength + valueLength
            }
            let bound = nghttp2_hd_deflate_bound(deflater, fields, fields.count)
            var output = [UInt8](repeating: 0, count: bound)
            let written = output.withUnsafeMutableBufferPointer { outputBuffer in
                nghttp2_hd_deflate_hd(deflater, outputBuffer.baseAddress, outputBuffer.count, fields, fields.count)
            }
            guard written >= 0 else { throw NGHTTP2Status.error(written, operation: "nghttp2_hd_deflate_hd") }
            output.removeLast(output.count - written)
            return output
        }
    }
}

/// The encoder's dynamic table is unsynchronised mutable state tied to one connection's byte stream.
@available(*, unavailable)
extension HPACKEncoder: Sendable {}
