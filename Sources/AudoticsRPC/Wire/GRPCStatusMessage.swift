/// Percent-encoding of the `grpc-message` trailer.
///
/// PROTOCOL-HTTP2: the status message is "a Unicode string description of the error, physically encoded as
/// UTF-8 followed by percent-encoding", where the bytes left unencoded are `%x20-24 / %x26-7E` (printable ASCII
/// except `%`). Decoding never fails: "When decoding invalid values, implementations MUST NOT error or throw away
/// the message", so a broken `%` sequence is kept literally and invalid UTF-8 becomes U+FFFD.
public enum GRPCStatusMessage {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Encodes a message for the `grpc-message` header.
    public static func encode(_ message: String) -> String {
        let utf8 = message.utf8
        if !utf8.contains(where: needsEncoding) { return message }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if needsEncoding(byte) {
                output.append(0x25)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a `grpc-message` header value, keeping malformed `%` sequences as they are.
    public static func decode(_ value: String) -> String {
        let utf8 = Array(value.utf8)
        guard utf8.contains(0x25) else { return value }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == 0x25, index + 2 < utf8.count, let high = hexValue(utf8[index + 1]),
                let low = hexValue(utf8[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether a byte must be percent-encoded: anything outside space...tilde, and `%` itself.
    private static func needsEncoding(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte > 0x7E || byte == 0x25
    }

    /// The value of a hex digit (either case), or `nil`.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
