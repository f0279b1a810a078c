import AudoticsConformanceAPI
import AudoticsProtobuf
import Testing

@Suite("protobuf-c codec round trips")
struct CodecRoundTripTests {
    @Test("every conformance case survives encode then decode", arguments: ConformanceCases.all.map(\.name))
    func roundTrip(name: String) throws {
        let message = try #require(ConformanceCases.all.first { $0.name == name }).message
        try expectRoundTrip(message)
    }

    private func expectRoundTrip<M: ProtobufMessage>(_ message: M) throws {
        let bytes = message.serializedBytes()
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == message)
        #expect(decoded.serializedBytes().count == bytes.count)
    }

    @Test("a default message encodes to no bytes")
    func emptyEncoding() throws {
        #expect(Scalars().serializedBytes().isEmpty)
        #expect(try Scalars(serializedBytes: []) == Scalars())
    }

    @Test("unknown enum numbers are kept as unrecognized and re-encoded unchanged")
    func unknownEnumValues() throws {
        let message = Everything.with { $0.color = Color(rawValue: 12345) }
        let decoded = try Everything(serializedBytes: message.serializedBytes())
        #expect(decoded.color == .unrecognized(12345))
        #expect(decoded.color.rawValue == 12345)
        #expect(Color(rawValue: 2) == .green)
        #expect(Color.green.protoName == "COLOR_GREEN")
        #expect(Color(protoName: "COLOR_INFRARED") == .infrared)
        #expect(Color(rawValue: 12345).protoName == nil)
    }

    @Test("proto3 optional keeps presence of default values")
    func optionalPresence() throws {
        let decoded = try Presence(serializedBytes: ConformanceCases.presenceDefaults.serializedBytes())
        #expect(decoded.maybeInt32 == 0)
        #expect(decoded.maybeString == "")
        #expect(decoded.maybeBool == false)
        #expect(decoded.maybeBytes == [])
        let unset = try Presence(serializedBytes: Presence().serializedBytes())
        #expect(unset.maybeInt32 == nil && unset.maybeString == nil && unset.maybeColor == nil)
    }

    @Test("a oneof set to its default value stays set")
    func oneofDefaults() throws {
        let message = Choice.with { $0.value = .number(0) }
        #expect(message.serializedBytes() == [0x10, 0x00])
        #expect(try Choice(serializedBytes: message.serializedBytes()).value == .number(0))
    }

    @Test("withEncoding writes the encoding into caller memory within the announced bound")
    func withEncoding() {
        for (name, message) in ConformanceCases.all {
            expectEncodesInPlace(message, name: name)
        }
    }

    private func expectEncodesInPlace<M: ProtobufMessage>(_ message: M, name: String) {
        let expected = message.serializedBytes()
        let copied = message.withEncoding { maximumSize, write in
            #expect(maximumSize >= expected.count, "case \(name)")
            return [UInt8](unsafeUninitializedCapacity: maximumSize + 10) { buffer, count in
                buffer.initialize(repeating: 0xAA)
                let written = write(buffer.baseAddress! + 5)
                count = written + 10
            }
        }
        #expect(Array(copied.dropFirst(5).dropLast(5)) == expected, "case \(name)")
        #expect(copied.prefix(5).allSatisfy { $0 == 0xAA } && copied.suffix(5).allSatisfy { $0 == 0xAA }, "case \(name)")
    }
}

@Suite("unknown fields")
struct UnknownFieldTests {
    static let evolved = EvolvedItem.with {
        $0.id = 7
        $0.name = "seven"
        $0.tags = ["a", "b\u{e9}"]
        $0.stamp = .max
        $0.nested = .with { $0.id = -1; $0.name = "inner" }
        $0.delta = -300
        $0.small = 0xDEAD_BEEF
    }

    @Test("fields a schema does not know survive decode and re-encode")
    func preserved() throws {
        let older = try Item(serializedBytes: Self.evolved.serializedBytes())
        #expect(older.id == 7 && older.name == "seven")
        #expect(older.unknownFields.fields.map(\.number) == [3, 3, 4, 5, 6, 7])
        #expect(Set(older.unknownFields.fields.map(\.wireType)) == [0, 1, 2, 5])
        let again = try EvolvedItem(serializedBytes: older.serializedBytes())
        #expect(again == Self.evolved)
    }

    @Test("changing a known field keeps the unknown ones")
    func editedOlderMessage() throws {
        var older = try Item(serializedBytes: Self.evolved.serializedBytes())
        older.name = "renamed"
        let again = try EvolvedItem(serializedBytes: older.serializedBytes())
        #expect(again.name == "renamed")
        #expect(again.nested == Self.evolved.nested && again.tags == Self.evolved.tags && again.small == Self.evolved.small)
    }
}
