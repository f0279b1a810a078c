import AudoticsProtobuf

/// The bytes of a JSON document being written, with the primitives the message writer needs.
///
/// The buffer lives in the call's arena and doubles as it fills; `bytes` copies it out once at
/// the end. Writing into raw memory spares every append the uniqueness check and reference
/// counting of an `Array`.
struct JSONOutput {
    private let arena: ProtobufCArena
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int, arena: ProtobufCArena) {
        self.arena = arena
        self.capacity = Swift.max(capacity, 64)
        base = arena.allocate(UInt8.self, count: self.capacity)
    }

    /// The document written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        let grown = arena.allocate(UInt8.self, count: newCapacity)
        grown.update(from: base, count: count)
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ other: UnsafeBufferPointer<UInt8>) {
        guard let source = other.baseAddress, other.count > 0 else { return }
        reserve(other.count)
        (base + count).update(from: source, count: other.count)
        count += other.count
    }

    mutating func append(_ other: [UInt8]) {
        other.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A signed integer in decimal.
    mutating func append(decimal value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
        }
        append(decimal: value.magnitude)
    }

    /// An unsigned integer in decimal.
    mutating func append(decimal value: UInt64) {
        reserve(20)
        if value < 10 {
            base[count] = UInt8(ascii: "0") + UInt8(value)
            count += 1
            return
        }
        var digits = 0
        var remaining = value
        while remaining > 0 {
            digits += 1
            remaining /= 10
        }
        remaining = value
        var index = count + digits
        while remaining > 0 {
            index -= 1
            base[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
        count += digits
    }

    /// `value` zero-padded to `width` digits.
    mutating func append(decimal value: Int, width: Int) {
        reserve(width)
        var remaining = value
        var index = count + width
        while index > count {
            index -= 1
            base[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
        count += width
    }

    /// A double as the proto3 JSON mapping writes it: shortest round-trip digits, or the quoted
    /// names of the special values.
    mutating func append(double value: Double) {
        if value.isNaN { append("\"NaN\"") } else if value.isInfinite { append(value < 0 ? "\"-Infinity\"" : "\"Infinity\"") } else {
            appendNumberText(value.description)
        }
    }

    /// A float with the shortest digits that read back as the same float.
    mutating func append(float value: Float) {
        if value.isNaN { append("\"NaN\"") } else if value.isInfinite { append(value < 0 ? "\"-Infinity\"" : "\"Infinity\"") } else {
            appendNumberText(value.description)
        }
    }

    /// Swift's `description` of a finite float: digits, `.`, `e`, `+`, `-`, all valid in JSON
    /// (`1e+20`, `5e-324`, `-0.0`).
    private mutating func appendNumberText(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// A quoted JSON string from UTF-8 that the caller has validated, escaping `"`, `\` and control characters.
    mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Room for the common case (nothing to escape); escapes reserve their own.
        reserve(utf8.count + 2)
        base[count] = UInt8(ascii: "\"")
        count += 1
        var start = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if index > start { append(UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                appendEscape(byte)
                start = index + 1
            }
            index += 1
        }
        if utf8.count > start { append(UnsafeBufferPointer(rebasing: utf8[start..<utf8.count])) }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append("u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// A quoted string of standard base64 with padding.
    mutating func appendBase64(_ data: UnsafeBufferPointer<UInt8>) {
        reserve((data.count + 2) / 3 * 4 + 2)
        base[count] = UInt8(ascii: "\"")
        count += 1
        count += Base64.encode(data, into: base + count)
        base[count] = UInt8(ascii: "\"")
        count += 1
    }
}
