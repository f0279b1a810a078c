import AudoticsRPC
import Testing

@Suite("GRPCTimeout")
struct GRPCTimeoutTests {
    static let units: [(GRPCTimeout.Unit, Character, Duration)] = [
        (.hours, "H", .seconds(3600)), (.minutes, "M", .seconds(60)), (.seconds, "S", .seconds(1)),
        (.milliseconds, "m", .milliseconds(1)), (.microseconds, "u", .microseconds(1)), (.nanoseconds, "n", .nanoseconds(1)),
    ]

    @Test("every unit parses and converts, from 1 to 8 digits")
    func everyUnit() throws {
        for (unit, letter, one) in Self.units {
            #expect(unit.letter == letter)
            for amount in [0, 1, 9, 10, 12_345, 99_999_999] {
                let timeout = try #require(GRPCTimeout(parsing: "\(amount)\(letter)"))
                #expect(timeout.unit == unit && timeout.amount == amount)
                #expect(timeout.duration == one * amount)
                #expect(timeout.headerValue == "\(amount)\(letter)")
            }
        }
        #expect(GRPCTimeout.Unit.allCases.count == 6)
    }

    @Test("leading zeros are digits like any other")
    func leadingZeros() {
        #expect(GRPCTimeout(parsing: "00000001n")?.duration == .nanoseconds(1))
        #expect(GRPCTimeout(parsing: "000000001n") == nil)  // nine digits
    }

    @Test("anything but 1–8 digits and one unit letter is rejected", arguments: [
        "", "S", "1", "123456789S", "1s", "1h", "1U", "1N", "1 S", " 1S", "1S ", "-1S", "+1S", "1.5S", "1SS", "1x",
        "\u{FF11}S", "1H1", "0x10S", "1e3m", "１S", "1\u{0}S", "∞S", "99999999999999999999S",
    ])
    func rejects(value: String) {
        #expect(GRPCTimeout(parsing: value) == nil)
    }

    @Test("parsing substrings works too")
    func substring() {
        let header = "x250my"
        #expect(GRPCTimeout(parsing: header.dropFirst().dropLast())?.duration == .milliseconds(250))
    }

    @Test("amounts are range-checked")
    func amountRange() {
        #expect(GRPCTimeout(amount: -1, unit: .seconds) == nil)
        #expect(GRPCTimeout(amount: 100_000_000, unit: .seconds) == nil)
        #expect(GRPCTimeout(amount: 99_999_999, unit: .hours)?.headerValue == "99999999H")
    }

    @Test("formatting picks the finest unit that fits 8 digits", arguments: [
        (Duration.nanoseconds(1), "1n"),
        (.nanoseconds(99_999_999), "99999999n"),
        (.nanoseconds(100_000_000), "100000u"),
        (.seconds(1), "1000000u"),
        (.milliseconds(250), "250000u"),
        (.seconds(30), "30000000u"),
        (.seconds(100), "100000m"),
        (.seconds(99_999), "99999000m"),
        (.seconds(100_000), "100000S"),
        (.seconds(99_999_999), "99999999S"),
        (.seconds(100_000_000), "1666667M"),
        (.seconds(Int64(99_999_999) * 60), "99999999M"),
        (.seconds(Int64(99_999_999) * 60 + 1), "1666667H"),
        (.seconds(Int64(99_999_999) * 3600), "99999999H"),
    ])
    func format(duration: Duration, expected: String) {
        #expect(GRPCTimeout(rounding: duration).headerValue == expected)
    }

    @Test("formatting rounds up, so a positive timeout never becomes zero")
    func roundsUp() {
        #expect(GRPCTimeout(rounding: Duration(secondsComponent: 0, attosecondsComponent: 1)).headerValue == "1n")
        #expect(GRPCTimeout(rounding: .nanoseconds(1) + Duration(secondsComponent: 0, attosecondsComponent: 1)).headerValue == "2n")
        // 99,999,999,999 ns is 99,999,999.999 us: rounding up to 100,000,000 us overflows, so milliseconds.
        #expect(GRPCTimeout(rounding: .nanoseconds(99_999_999_999)).headerValue == "100000m")
        #expect(GRPCTimeout(rounding: .nanoseconds(100_000_001)).headerValue == "100001u")
    }

    @Test("zero and negative durations become 1n; huge ones are capped")
    func edges() {
        #expect(GRPCTimeout(rounding: .zero).headerValue == "1n")
        #expect(GRPCTimeout(rounding: .seconds(-5)).headerValue == "1n")
        #expect(GRPCTimeout(rounding: .seconds(Int64.max)).headerValue == "99999999H")
        #expect(GRPCTimeout(rounding: .seconds(Int64(99_999_999) * 3600 + 1)).headerValue == "99999999H")
    }

    @Test("every unit round-trips: format(duration) parses back to the same duration")
    func roundTrip() throws {
        for (unit, _, _) in Self.units {
            for amount in [1, 7, 59, 60, 61, 999, 1000, 86_400, 9_999_999, 99_999_999] {
                let original = try #require(GRPCTimeout(amount: amount, unit: unit))
                let formatted = GRPCTimeout(rounding: original.duration)
                let parsed = try #require(GRPCTimeout(parsing: formatted.headerValue))
                #expect(parsed.duration == original.duration, "\(original) → \(formatted)")
            }
        }
    }

    @Test("random durations: the sent timeout is never shorter and loses less than one unit")
    func randomDurations() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let magnitude = Int64.random(in: 0...62, using: &generator)
            let nanos = Int64.random(in: 1...(Int64(1) << magnitude), using: &generator)
            let duration = Duration.nanoseconds(nanos)
            let timeout = GRPCTimeout(rounding: duration)
            let parsed = try #require(GRPCTimeout(parsing: timeout.headerValue))
            #expect(parsed.duration >= duration)
            #expect(parsed.duration - duration < .nanoseconds(timeout.unit.nanoseconds))
            #expect(timeout.amount <= GRPCTimeout.maxAmount)
        }
    }
}
