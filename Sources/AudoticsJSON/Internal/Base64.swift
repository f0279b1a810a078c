/// Base64 as the proto3 JSON mapping uses it for `bytes`: standard alphabet with padding on
/// output; standard or URL-safe, padded or not, on input.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each input byte, 0xFF when the byte is not a base64 digit.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Writes the padded standard base64 of `data` (`(data.count + 2) / 3 * 4` bytes) and returns its length.
    static func encode(_ data: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        alphabet.withUnsafeBufferPointer { alphabet in
            var written = 0
            var index = 0
            while index + 3 <= data.count {
                let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
                output[written] = alphabet[Int(chunk >> 18)]
                output[written + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                output[written + 2] = alphabet[Int(chunk >> 6 & 0x3F)]
                output[written + 3] = alphabet[Int(chunk & 0x3F)]
                written += 4
                index += 3
            }
            let rest = data.count - index
            if rest > 0 {
                let chunk = UInt32(data[index]) << 16 | (rest == 2 ? UInt32(data[index + 1]) << 8 : 0)
                output[written] = alphabet[Int(chunk >> 18)]
                output[written + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                output[written + 2] = rest == 2 ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "=")
                output[written + 3] = UInt8(ascii: "=")
                written += 4
            }
            return written
        }
    }

    /// An upper bound of the decoded size of `count` base64 characters.
    static func decodedBound(_ count: Int) -> Int { (count / 4 + 1) * 3 }

    /// Decodes `text` into `target` (at least `decodedBound(text.count)` bytes); the byte count, or
    /// `nil` when `text` is not base64 (bad character, bad length, bad padding).
    static func decode(_ text: UnsafeRawBufferPointer, into target: UnsafeMutablePointer<UInt8>) -> Int? {
        var end = text.count
        var padding = 0
        while end > 0, text[end - 1] == UInt8(ascii: "="), padding < 2 {
            end -= 1
            padding += 1
        }
        if padding > 0, text.count % 4 != 0 { return nil }
        if end % 4 == 1 { return nil }
        var written = 0
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            let value = values[Int(text[index])]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                target[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Stray low bits in the last digit are ignored, as Python's and Go's decoders do.
        return written
    }
}
