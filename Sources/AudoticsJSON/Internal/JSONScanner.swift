import AudoticsProtobuf
import Glibc

/// A strict RFC 8259 tokenizer over UTF-8 bytes that the message reader pulls values from.
///
/// Strings are validated as UTF-8 and unescaped (surrogate pairs joined); those without escapes
/// are returned as slices of the input, the others are decoded into the arena. Numbers are
/// returned as validated slices for the reader to convert per field type. Nesting is counted.
struct JSONScanner {
    let input: UnsafeRawBufferPointer
    var index = 0
    var depth = 0
    let maxDepth: Int
    let arena: ProtobufCArena

    init(input: UnsafeRawBufferPointer, maxDepth: Int, arena: ProtobufCArena) {
        self.input = input
        self.maxDepth = maxDepth
        self.arena = arena
    }

    func malformed(_ what: String) -> MappingFailure {
        MappingFailure(.malformedJSON, "malformed JSON at byte \(index): \(what)")
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The first byte of the next token, after whitespace.
    @inline(__always)
    mutating func peek() throws(MappingFailure) -> UInt8 {
        skipWhitespace()
        guard index < input.count else { throw malformed("unexpected end of input") }
        return input[index]
    }

    /// Consumes `byte` (after whitespace) if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) throws(MappingFailure) -> Bool {
        if try peek() == byte {
            index += 1
            return true
        }
        return false
    }

    mutating func expect(_ byte: UInt8) throws(MappingFailure) {
        guard try consume(byte) else { throw malformed("expected '\(Character(Unicode.Scalar(byte)))'") }
    }

    /// Enters an object or array whose opening byte was consumed.
    mutating func enter() throws(MappingFailure) {
        depth += 1
        if depth > maxDepth {
            throw MappingFailure(.depthLimitExceeded, "JSON nests deeper than \(maxDepth) levels")
        }
    }

    /// Reads `:` after an object key.
    mutating func expectColon() throws(MappingFailure) { try expect(UInt8(ascii: ":")) }

    /// After a member or element: `true` if another follows (a `,` was read), `false` at `close`.
    mutating func next(close: UInt8) throws(MappingFailure) -> Bool {
        let byte = try peek()
        index += 1
        if byte == UInt8(ascii: ",") { return true }
        if byte == close {
            depth -= 1
            return false
        }
        index -= 1
        throw malformed(close == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
    }

    /// After `{`: reads the first key, or returns `nil` for `{}`.
    mutating func firstKey() throws(MappingFailure) -> UnsafeRawBufferPointer? {
        try enter()
        if try consume(UInt8(ascii: "}")) {
            depth -= 1
            return nil
        }
        return try key()
    }

    /// Reads an object key and its colon.
    mutating func key() throws(MappingFailure) -> UnsafeRawBufferPointer {
        guard try peek() == UInt8(ascii: "\"") else { throw malformed("expected a string key") }
        let key = try string()
        try expectColon()
        return key
    }

    /// Reads `true`, `false` or `null` (the caller saw its first byte).
    mutating func literal(_ word: StaticString) throws(MappingFailure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= input.count,
            memcmp(input.baseAddress! + index, word.utf8Start, count) == 0
        else { throw malformed("invalid literal") }
        index += count
    }

    /// Reads a string (the next token must start with `"`) and returns its unescaped UTF-8.
    mutating func string() throws(MappingFailure) -> UnsafeRawBufferPointer {
        index += 1  // the opening quote
        let start = index
        var escapes = false
        while true {
            // Eight plain bytes at a time: none is `"`, `\`, a control character or non-ASCII.
            while index + 8 <= input.count {
                let word = input.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) | word
                if special & highs != 0 { break }
                index += 8
            }
            guard index < input.count else { throw malformed("unterminated string") }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escapes = true
                index += 2
                continue
            }
            if byte < 0x20 { throw malformed("control character in a string") }
            if byte >= 0x80 {
                guard let length = UTF8Validation.sequenceLength(input, at: index) else { throw malformed("invalid UTF-8") }
                index += length
            } else {
                index += 1
            }
        }
        let end = index
        index += 1  // the closing quote
        let raw = UnsafeRawBufferPointer(rebasing: input[start..<end])
        return escapes ? try unescape(raw, at: start) : raw
    }

    /// Reads a number token (the next token starts with `-` or a digit), validated against RFC 8259's grammar.
    mutating func number() throws(MappingFailure) -> UnsafeRawBufferPointer {
        let start = index
        guard let end = NumberText.scanJSONNumber(input, from: index) else { throw malformed("invalid number") }
        index = end
        return UnsafeRawBufferPointer(rebasing: input[start..<end])
    }

    /// Skips one value of any kind, checking its syntax and nesting.
    mutating func skipValue() throws(MappingFailure) {
        switch try peek() {
        case UInt8(ascii: "{"):
            index += 1
            guard try firstKey() != nil else { return }
            while true {
                try skipValue()
                guard try next(close: UInt8(ascii: "}")) else { return }
                _ = try key()
            }
        case UInt8(ascii: "["):
            index += 1
            try enter()
            if try consume(UInt8(ascii: "]")) {
                depth -= 1
                return
            }
            repeat { try skipValue() } while try next(close: UInt8(ascii: "]"))
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// Fails unless only whitespace follows.
    mutating func finish() throws(MappingFailure) {
        skipWhitespace()
        guard index == input.count else { throw malformed("unexpected data after the JSON value") }
    }
}
