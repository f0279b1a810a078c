// Backslash escapes in strings: decoded into the arena, surrogate pairs joined.
extension JSONScanner {
    /// Decodes the escapes of a string's raw contents into the arena.
    func unescape(_ raw: UnsafeRawBufferPointer, at offset: Int) throws(MappingFailure) -> UnsafeRawBufferPointer {
        let target = arena.allocate(UInt8.self, count: raw.count)
        var written = 0
        var index = 0
        func bad(_ what: String) -> MappingFailure {
            MappingFailure(.malformedJSON, "malformed JSON at byte \(offset + index): \(what)")
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                target[written] = byte
                written += 1
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw bad("bad escape") }
            let escaped = raw[index + 1]
            index += 2
            let simple: UInt8
            switch escaped {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index) else { throw bad("bad \\u escape") }
                index += 4
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    guard index + 1 < raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                        let low = hex4(index + 2), low >= 0xDC00, low <= 0xDFFF
                    else { throw bad("unpaired surrogate in a \\u escape") }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                    throw bad("unpaired surrogate in a \\u escape")
                }
                written += Self.encodeUTF8(scalar, into: target + written)
                continue
            default: throw bad("bad escape")
            }
            target[written] = simple
            written += 1
        }
        return UnsafeRawBufferPointer(start: target, count: written)
    }

    /// Writes `scalar` as UTF-8 (at most 4 bytes; an escape takes at least 6) and returns the length.
    static func encodeUTF8(_ scalar: UInt32, into target: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            target[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            target[0] = UInt8(0xC0 | scalar >> 6)
            target[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            target[0] = UInt8(0xE0 | scalar >> 12)
            target[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            target[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            target[0] = UInt8(0xF0 | scalar >> 18)
            target[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            target[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            target[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
