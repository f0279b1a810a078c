import AudoticsConformanceAPI
import AudoticsProtobuf
import Testing

@Suite("protobuf-c codec on bad input")
struct MalformedInputTests {
    @Test("every truncation of a large message decodes or fails with CodecError, never crashes")
    func truncations() {
        let bytes = ConformanceCases.everything.serializedBytes()
        var failures = 0
        for length in 0..<bytes.count {
            do {
                _ = try Everything(serializedBytes: Array(bytes.prefix(length)))
            } catch {
                #expect(error.code == .malformed || error.code == .invalidUTF8)
                failures += 1
            }
        }
        #expect(failures > bytes.count / 2, "most truncations cut a field in half and must fail")
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<5_000 {
            let length = Int(generator.next() % 64)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? Everything(serializedBytes: bytes)
            _ = try? Maps(serializedBytes: bytes)
        }
    }

    @Test("single-byte mutations of a valid message never crash the decoder")
    func mutations() {
        let bytes = ConformanceCases.everything.serializedBytes()
        var generator = SplitMix64(seed: 42)
        for _ in 0..<3_000 {
            var mutated = bytes
            let index = Int(generator.next() % UInt64(mutated.count))
            mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            _ = try? Everything(serializedBytes: mutated)
        }
    }

    @Test("a message larger than the limit is refused before decoding")
    func sizeLimit() throws {
        let bytes = ConformanceCases.everything.serializedBytes()
        #expect(throws: CodecError.self) {
            try Everything(serializedBytes: bytes, options: DecodingOptions(maxMessageBytes: bytes.count - 1))
        }
        do {
            _ = try Everything(serializedBytes: bytes, options: DecodingOptions(maxMessageBytes: 10))
        } catch {
            #expect(error.code == .sizeLimitExceeded)
            #expect(error.message.contains("audotics.conformance.v1.Everything"))
        }
        #expect(try Everything(serializedBytes: bytes, options: DecodingOptions(maxMessageBytes: bytes.count)) == ConformanceCases.everything)
    }

    @Test("invalid UTF-8 in a string field is rejected and the error names the field, not the value")
    func invalidUTF8() throws {
        // Field 14 (string_value), length 3: "a", then a lone continuation byte, then "z".
        let bytes: [UInt8] = [0x72, 0x03, 0x61, 0x80, 0x7A]
        do {
            _ = try Scalars(serializedBytes: bytes)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.code == .invalidUTF8)
            #expect(error.message.contains("string_value"))
            #expect(!error.description.contains("az"))
        }
        // The same bytes in a `bytes` field are fine.
        #expect(try Scalars(serializedBytes: [0x7A, 0x03, 0x61, 0x80, 0x7A]).bytesValue == [0x61, 0x80, 0x7A])
    }

    @Test("a wrong wire type, a bad length and field number zero are malformed")
    func malformedShapes() {
        let samples: [[UInt8]] = [
            [0x0A, 0x05, 0x61],  // item: length 5 with 1 byte left
            [0x00, 0x01],  // field number 0
            [0x0F],  // wire type 7 does not exist
            [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // an 11-byte varint
        ]
        for sample in samples {
            #expect(throws: CodecError.self, "\(sample)") { try Nesting(serializedBytes: sample) }
        }
    }
}

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
