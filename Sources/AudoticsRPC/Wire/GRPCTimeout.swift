/// The value of a `grpc-timeout` header: one to eight ASCII digits followed by a unit letter.
///
/// PROTOCOL-HTTP2: `Timeout → "grpc-timeout" TimeoutValue TimeoutUnit`, where TimeoutValue is an integer of at
/// most 8 digits and TimeoutUnit is one of `H M S m u n`. Parsing accepts exactly that grammar (leading zeros and
/// a zero value included: a zero timeout is a deadline that has already passed); formatting picks the finest unit
/// whose amount fits in 8 digits and rounds up, so a positive duration is never sent as zero.
public struct GRPCTimeout: Hashable, Sendable, CustomStringConvertible {
    /// A `grpc-timeout` unit.
    public enum Unit: UInt8, Hashable, Sendable, CaseIterable {
        /// `H`: hours.
        case hours = 0x48
        /// `M`: minutes.
        case minutes = 0x4D
        /// `S`: seconds.
        case seconds = 0x53
        /// `m`: milliseconds.
        case milliseconds = 0x6D
        /// `u`: microseconds.
        case microseconds = 0x75
        /// `n`: nanoseconds.
        case nanoseconds = 0x6E

        /// The length of one unit in nanoseconds.
        public var nanoseconds: Int64 {
            switch self {
            case .hours: 3_600_000_000_000
            case .minutes: 60_000_000_000
            case .seconds: 1_000_000_000
            case .milliseconds: 1_000_000
            case .microseconds: 1_000
            case .nanoseconds: 1
            }
        }

        /// The unit's letter on the wire.
        public var letter: Character { Character(Unicode.Scalar(rawValue)) }
    }

    /// The largest amount the header can carry: eight nines.
    public static let maxAmount = 99_999_999

    /// The number of units, 0 through `maxAmount`.
    public let amount: Int
    /// The unit of `amount`.
    public let unit: Unit

    /// Creates a timeout from an amount and a unit; `nil` when the amount is negative or longer than 8 digits.
    public init?(amount: Int, unit: Unit) {
        guard (0...Self.maxAmount).contains(amount) else { return nil }
        self.amount = amount
        self.unit = unit
    }

    /// Parses a `grpc-timeout` header value; `nil` for anything but 1–8 ASCII digits and one unit letter.
    public init?(parsing value: some StringProtocol) {
        var utf8 = value.utf8.makeIterator()
        var amount = 0
        var digits = 0
        var unit: Unit?
        while let byte = utf8.next() {
            if unit != nil { return nil }  // nothing may follow the unit
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                if digits > 8 { return nil }
                amount = amount * 10 + Int(byte - 0x30)
            } else if let parsed = Unit(rawValue: byte), digits > 0 {
                unit = parsed
            } else {
                return nil
            }
        }
        guard let unit else { return nil }
        self.amount = amount
        self.unit = unit
    }

    /// Encodes `duration` in the finest unit whose amount fits in 8 digits, rounding up to that unit.
    ///
    /// A positive duration never becomes zero (the smallest result is `1n`); a zero or negative duration, whose
    /// deadline has already passed, is sent as `1n` too. Callers normally fail such a call locally with
    /// DEADLINE_EXCEEDED instead of sending it. Durations beyond 99,999,999 hours are capped there.
    public init(rounding duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else {
            self.amount = 1
            self.unit = .nanoseconds
            return
        }
        // Whole nanoseconds, rounded up, as long as they fit in an Int64 (about 292 years).
        let (secondsAsNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if !overflow {
            let extra = attoseconds / 1_000_000_000 + (attoseconds % 1_000_000_000 > 0 ? 1 : 0)
            let (nanos, overflow2) = secondsAsNanos.addingReportingOverflow(extra)
            if !overflow2 {
                for unit in [Unit.nanoseconds, .microseconds, .milliseconds, .seconds, .minutes, .hours] {
                    let amount = Self.divideRoundingUp(nanos, unit.nanoseconds)
                    if amount <= Int64(Self.maxAmount) {
                        self.amount = Int(amount)
                        self.unit = unit
                        return
                    }
                }
            }
        }
        // Seconds alone are enough precision at this size.
        let wholeSeconds = seconds + (attoseconds > 0 ? 1 : 0)
        for unit in [Unit.minutes, .hours] {
            let amount = Self.divideRoundingUp(wholeSeconds, unit.nanoseconds / 1_000_000_000)
            if amount <= Int64(Self.maxAmount) {
                self.amount = Int(amount)
                self.unit = unit
                return
            }
        }
        self.amount = Self.maxAmount
        self.unit = .hours
    }

    /// The timeout as a `Duration`.
    public var duration: Duration {
        switch unit {
        case .hours: .seconds(Int64(amount) * 3600)
        case .minutes: .seconds(Int64(amount) * 60)
        case .seconds: .seconds(amount)
        case .milliseconds: .milliseconds(amount)
        case .microseconds: .microseconds(amount)
        case .nanoseconds: .nanoseconds(amount)
        }
    }

    /// The header value, for example `250m`.
    public var headerValue: String {
        var value = String(amount)
        value.unicodeScalars.append(Unicode.Scalar(unit.rawValue))
        return value
    }

    /// The header value, for example `250m`.
    public var description: String { headerValue }

    private static func divideRoundingUp(_ value: Int64, _ divisor: Int64) -> Int64 {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder > 0 ? quotient + 1 : quotient
    }
}
