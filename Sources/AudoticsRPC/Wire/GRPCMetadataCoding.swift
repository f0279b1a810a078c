/// Converts between `Metadata` and HTTP/2 header fields (Custom-Metadata in PROTOCOL-HTTP2).
///
/// Sending validates what the application supplied: keys must match `Header-Name → 1*( %x30-39 / %x61-7A / "_" /
/// "-" / "." )`, text values `ASCII-Value → 1*( %x20-%x7E )`; a violation is an INTERNAL error naming the key (never
/// the value, which may be a token). Binary (`-bin`) values are sent as unpadded base64 ("should emit un-padded
/// values"). Reserved names are skipped, not sent: pseudo-headers, `grpc-*` ("reserved for future GRPC use"; the
/// runtime writes the ones it owns), `content-type`, `te` and HTTP/2's forbidden connection-specific fields.
///
/// Receiving is lenient where the spec asks for it: `-bin` values may be padded or not and several may share one
/// field joined by `,` ("Implementations must split Binary-Headers on "," before decoding"); text values are
/// trimmed of surrounding whitespace, and a value outside `%x20-7E` or a key outside the Header-Name grammar is
/// dropped rather than failing the call ("Implementations must not error due to receiving an invalid ASCII-Value
/// that's a valid field-value in HTTP ... they may throw the value away"); undecodable base64 is dropped the same
/// way, so malformed metadata never fails a call or hides its status.
public enum GRPCMetadataCoding {
    /// Appends `metadata` to `headers` as wire fields, skipping reserved names.
    public static func encode(
        _ metadata: Metadata, into headers: inout [(name: String, value: String)]
    ) throws(RPCError) {
        try encode(metadata) { headers.append(($0, $1)) }
    }

    /// Hands `metadata` to `append` as wire fields, in order, skipping reserved names.
    public static func encode(_ metadata: Metadata, _ append: (String, String) -> Void) throws(RPCError) {
        for (key, value) in metadata {
            guard isValidKey(key) else {
                throw RPCError(
                    code: .internal,
                    message: "metadata key \"\(key.asciiPrintable)\" is not lower-case a-z, 0-9, '-', '_' or '.'"
                )
            }
            if isReserved(key) { continue }
            let isBinaryKey = key.hasSuffix("-bin")
            switch value {
            case .binary(let bytes):
                guard isBinaryKey else {
                    throw RPCError(
                        code: .internal, message: "metadata key \"\(key)\" has a binary value but does not end in -bin"
                    )
                }
                append(key, Base64.encode(bytes))
            case .string(let text):
                if isBinaryKey {
                    append(key, Base64.encode(Array(text.utf8)))
                } else if !isPrintableASCII(text), let offset = text.utf8.firstIndex(where: { $0 < 0x20 || $0 > 0x7E }) {
                    let position = text.utf8.distance(from: text.utf8.startIndex, to: offset)
                    throw RPCError(
                        code: .internal,
                        message: "metadata value of \"\(key)\" has a byte outside printable ASCII at offset \(position)"
                    )
                } else {
                    append(key, text)
                }
            }
        }
    }

    /// `metadata` as wire fields, skipping reserved names.
    public static func encode(_ metadata: Metadata) throws(RPCError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(metadata.count)
        try encode(metadata, into: &headers)
        return headers
    }

    /// The custom metadata among received header fields: reserved names are skipped, invalid keys and text
    /// values dropped, `-bin` values base64-decoded (padded or not, `,`-separated). Never fails.
    public static func decode(_ headers: [(name: String, value: String)]) -> Metadata {
        var metadata = Metadata()
        for (name, value) in headers { decode(name: name, value: value, into: &metadata) }
        return metadata
    }

    /// Adds one received field to `metadata` if it is custom metadata (see `decode(_:)`).
    static func decode(name: String, value: String, into metadata: inout Metadata) {
        // Valid keys are lower-case already: they go in as they are.
        guard !isReserved(name), isValidKey(name) else { return }
        if name.hasSuffix("-bin") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let bytes = Base64.decode(part.trimmingASCIIWhitespace()) else { continue }
                metadata.appendValidated(key: name, value: .binary(bytes))
            }
        } else if value.hasSurroundingASCIIWhitespace {
            let trimmed = String(value.trimmingASCIIWhitespace())
            guard isPrintableASCII(trimmed) else { return }
            metadata.appendValidated(key: name, value: .string(trimmed))
        } else {
            guard isPrintableASCII(value) else { return }
            metadata.appendValidated(key: name, value: .string(value))
        }
    }

    /// Whether `key` matches Header-Name: one or more of lower-case a-z, 0-9, `-`, `_`, `.`.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && allBytes(of: key) { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }

    /// Whether every byte of `text` is printable ASCII (`%x20-7E`).
    static func isPrintableASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // Without an early exit the loop vectorizes: a 400-byte bearer token takes 20 ns instead of 400.
            var outside: UInt8 = 0
            for byte in bytes { outside |= byte &- 0x20 >= 0x5F ? 1 : 0 }
            return outside == 0
        }
    }

    /// Whether `predicate` holds for every UTF-8 byte of `text`, over its contiguous UTF-8 (a small string's
    /// too, copied to the stack: `String.UTF8View` byte by byte costs several times more).
    @inline(__always)
    private static func allBytes(of text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where !predicate(byte) { return false }
            return true
        }
    }

    /// Whether a header name belongs to HTTP/2 or the gRPC runtime rather than to custom metadata.
    public static func isReserved(_ name: String) -> Bool {
        let utf8 = name.utf8
        if utf8.first == UInt8(ascii: ":") { return true }
        if utf8.first == UInt8(ascii: "g"), utf8.starts(with: "grpc-".utf8) { return true }
        // By length first: a String comparison that fails is slow, and for custom metadata every one would.
        switch (utf8.count, name) {
        case (12, "content-type"), (2, "te"), (10, "connection"), (10, "keep-alive"), (16, "proxy-connection"),
            (17, "transfer-encoding"), (7, "upgrade"):
            return true
        default:
            return false
        }
    }
}

extension String {
    /// The text with non-printable bytes shown as `?`, safe to put in an error message.
    fileprivate var asciiPrintable: String {
        String(decoding: utf8.map { $0 >= 0x20 && $0 <= 0x7E ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
