/// The text forms of `google.protobuf.Timestamp` (RFC 3339) and `google.protobuf.Duration` (`1.5s`).
enum TimeText {
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range the proto3 JSON mapping allows.
    static let minimumSeconds: Int64 = -62_135_596_800
    static let maximumSeconds: Int64 = 253_402_300_799
    /// ±10,000 years, the range of a `Duration`.
    static let maximumDurationSeconds: Int64 = 315_576_000_000

    // MARK: Timestamp

    /// Writes `seconds`/`nanos` as `"YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z"`.
    static func writeTimestamp(seconds: Int64, nanos: Int32, to out: inout JSONOutput) throws(MappingFailure) {
        guard seconds >= minimumSeconds, seconds <= maximumSeconds, nanos >= 0, nanos <= 999_999_999 else {
            throw MappingFailure(.invalidValue, "the Timestamp is outside 0001-01-01T00:00:00Z...9999-12-31T23:59:59.999999999Z")
        }
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = civil(fromDays: days)
        out.append(UInt8(ascii: "\""))
        out.append(decimal: year, width: 4)
        out.append(UInt8(ascii: "-"))
        out.append(decimal: month, width: 2)
        out.append(UInt8(ascii: "-"))
        out.append(decimal: day, width: 2)
        out.append(UInt8(ascii: "T"))
        out.append(decimal: secondOfDay / 3600, width: 2)
        out.append(UInt8(ascii: ":"))
        out.append(decimal: secondOfDay / 60 % 60, width: 2)
        out.append(UInt8(ascii: ":"))
        out.append(decimal: secondOfDay % 60, width: 2)
        writeFraction(Int(nanos), to: &out)
        out.append("Z\"")
    }

    /// `.fff`, `.ffffff` or `.fffffffff`, the shortest of those that is exact; nothing for 0.
    private static func writeFraction(_ nanos: Int, to out: inout JSONOutput) {
        guard nanos != 0 else { return }
        out.append(UInt8(ascii: "."))
        if nanos % 1_000_000 == 0 {
            out.append(decimal: nanos / 1_000_000, width: 3)
        } else if nanos % 1000 == 0 {
            out.append(decimal: nanos / 1000, width: 6)
        } else {
            out.append(decimal: nanos, width: 9)
        }
    }

    /// Parses RFC 3339 (`2026-01-01T00:00:00Z`, `…T00:00:00.5+01:00`) into seconds and nanos, range-checked.
    static func parseTimestamp(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        var cursor = Cursor(text: text)
        guard let year = cursor.digits(4), cursor.literal(UInt8(ascii: "-")), let month = cursor.digits(2),
            cursor.literal(UInt8(ascii: "-")), let day = cursor.digits(2)
        else { return nil }
        guard cursor.literal(UInt8(ascii: "T")) || cursor.literal(UInt8(ascii: "t")) else { return nil }
        guard let hour = cursor.digits(2), cursor.literal(UInt8(ascii: ":")), let minute = cursor.digits(2),
            cursor.literal(UInt8(ascii: ":")), let second = cursor.digits(2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23,
            minute <= 59, second <= 59
        else { return nil }
        var nanos = 0
        if cursor.literal(UInt8(ascii: ".")) {
            var count = 0
            while let digit = cursor.digits(1) {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + digit
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset = 0
        if cursor.literal(UInt8(ascii: "Z")) || cursor.literal(UInt8(ascii: "z")) {
            offset = 0
        } else if cursor.literal(UInt8(ascii: "+")) || cursor.literal(UInt8(ascii: "-")) {
            let sign = text[cursor.index - 1] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = cursor.digits(2), cursor.literal(UInt8(ascii: ":")), let minutes = cursor.digits(2), hours <= 23,
                minutes <= 59
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard cursor.index == text.count else { return nil }
        let seconds = Int64(days(fromCivil: year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        guard seconds >= minimumSeconds, seconds <= maximumSeconds else { return nil }
        return (seconds, Int32(nanos))
    }

    /// A position in a timestamp's text.
    private struct Cursor {
        let text: UnsafeRawBufferPointer
        var index = 0

        /// The value of the next `count` decimal digits, consumed; `nil` (nothing consumed) if there are not that many.
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= text.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = text[index + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// Consumes `byte` if it is next.
        mutating func literal(_ byte: UInt8) -> Bool {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
            return true
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: Duration

    /// Writes `"<seconds>[.fff|.ffffff|.fffffffff]s"`, with a `-` for negative durations.
    static func writeDuration(seconds: Int64, nanos: Int32, to out: inout JSONOutput) throws(MappingFailure) {
        guard seconds >= -maximumDurationSeconds, seconds <= maximumDurationSeconds, nanos > -1_000_000_000,
            nanos < 1_000_000_000, !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0)
        else {
            throw MappingFailure(.invalidValue, "the Duration is out of range or its seconds and nanos differ in sign")
        }
        out.append(UInt8(ascii: "\""))
        if seconds < 0 || nanos < 0 { out.append(UInt8(ascii: "-")) }
        out.append(decimal: seconds.magnitude)
        writeFraction(Int(nanos.magnitude), to: &out)
        out.append("s\"")
    }

    /// Parses `-?[0-9]+(\.[0-9]{1,9})?s` into seconds and nanos (both negative for negative durations).
    static func parseDuration(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        guard text.count >= 2, text[text.count - 1] == UInt8(ascii: "s") else { return nil }
        var index = 0
        let negative = text[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var seconds: Int64 = 0
        var digits = 0
        while index < text.count - 1, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
            seconds = seconds * 10 + Int64(text[index] - UInt8(ascii: "0"))
            guard seconds <= maximumDurationSeconds else { return nil }
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var nanos: Int32 = 0
        if text[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < text.count - 1, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int32(text[index] - UInt8(ascii: "0"))
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        guard index == text.count - 1 else { return nil }
        return negative ? (-seconds, -nanos) : (seconds, nanos)
    }
}
