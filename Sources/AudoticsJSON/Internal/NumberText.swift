/// Numbers as text: JSON's number grammar and exact conversions per field type.
enum NumberText {
    /// The end of the JSON number starting at `start` (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`),
    /// or `nil` when there is none.
    static func scanJSONNumber(_ text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        let count = text.count
        func digit(_ at: Int) -> Bool { at < count && text[at] >= UInt8(ascii: "0") && text[at] <= UInt8(ascii: "9") }
        if index < count, text[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while digit(index) { index += 1 }
        }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { return nil }
            while digit(index) { index += 1 }
        }
        if index < count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(index) else { return nil }
            while digit(index) { index += 1 }
        }
        return index
    }

    /// Whether all of `text` is one JSON number.
    static func isJSONNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        scanJSONNumber(text, from: 0) == text.count
    }

    /// The outcome of reading a number as an integer.
    enum IntegerResult {
        case value(negative: Bool, magnitude: UInt64)
        case notANumber
        case notIntegral
        case outOfRange
    }

    /// The exact integer a JSON number denotes (`12`, `-3`, `1e2`, `1.0`, `1.5e1`), without going through a double.
    static func integer(_ text: UnsafeRawBufferPointer) -> IntegerResult {
        guard isJSONNumber(text) else { return .notANumber }
        var index = 0
        let negative = text[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        // The digits of the mantissa with the decimal point removed, and where they are.
        let digitsStart = index
        var pointDigits = 0  // digits after the point
        var sawPoint = false
        var mantissaEnd = index
        while mantissaEnd < text.count {
            let byte = text[mantissaEnd]
            if byte == UInt8(ascii: ".") {
                sawPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if sawPoint { pointDigits += 1 }
            } else {
                break
            }
            mantissaEnd += 1
        }
        var exponent = 0
        if mantissaEnd < text.count {
            var position = mantissaEnd + 1
            var exponentNegative = false
            if text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") {
                exponentNegative = text[position] == UInt8(ascii: "-")
                position += 1
            }
            while position < text.count {
                exponent = Swift.min(exponent * 10 + Int(text[position] - UInt8(ascii: "0")), 100_000)
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        exponent -= pointDigits
        // Significant digits: strip leading zeros, fold trailing zeros into the exponent.
        var first = digitsStart
        var last = mantissaEnd - 1
        func isZeroOrPoint(_ at: Int) -> Bool { text[at] == UInt8(ascii: "0") || text[at] == UInt8(ascii: ".") }
        while first <= last, isZeroOrPoint(first) { first += 1 }
        if first > last { return .value(negative: false, magnitude: 0) }
        while isZeroOrPoint(last) {
            if text[last] == UInt8(ascii: "0") { exponent += 1 }
            last -= 1
        }
        guard exponent >= 0 else { return .notIntegral }
        guard exponent <= 20 else { return .outOfRange }
        var magnitude: UInt64 = 0
        for position in first...last where text[position] != UInt8(ascii: ".") {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(text[position] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return .outOfRange }
            magnitude = sum
        }
        for _ in 0..<exponent {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return .outOfRange }
            magnitude = times10
        }
        return .value(negative: negative, magnitude: magnitude)
    }

    /// A double from a JSON number or from `NaN`, `Infinity`, `-Infinity`; `nil` when the text is
    /// neither or the number is too large for a double.
    static func double(_ text: UnsafeRawBufferPointer, allowSpecial: Bool) -> Double? {
        if allowSpecial {
            if text.elementsEqual("NaN".utf8) { return .nan }
            if text.elementsEqual("Infinity".utf8) { return .infinity }
            if text.elementsEqual("-Infinity".utf8) { return -.infinity }
        }
        guard isJSONNumber(text), let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
