import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes
import Testing

@Suite("proto3 JSON: binary to JSON")
struct ProtoJSONEncodeTests {
    @Test("scalars: lowerCamelCase names, 64-bit integers as strings, bytes as base64, defaults emitted")
    func scalars() throws {
        let message = Scalars.with {
            $0.int32Value = -5
            $0.int64Value = .min
            $0.uint64Value = .max
            $0.fixed64Value = 7
            $0.floatValue = 1.5
            $0.doubleValue = 0.1
            $0.boolValue = true
            $0.stringValue = "a\"b\\c\n\u{1}é"
            $0.bytesValue = [0, 0xFF, 0xFE]
        }
        #expect(
            try JSONTest.json(message)
                == #"{"int32Value":-5,"int64Value":"-9223372036854775808","uint32Value":0,"uint64Value":"18446744073709551615","sint32Value":0,"sint64Value":"0","fixed32Value":0,"fixed64Value":"7","sfixed32Value":0,"sfixed64Value":"0","floatValue":1.5,"doubleValue":0.1,"boolValue":true,"stringValue":"a\"b\\c\n\u0001é","bytesValue":"AP/+"}"#
        )
        #expect(
            try JSONTest.json(message, options: JSONEncodingOptions(emitDefaultValues: false, useProtoFieldNames: true))
                == #"{"int32_value":-5,"int64_value":"-9223372036854775808","uint64_value":"18446744073709551615","fixed64_value":"7","float_value":1.5,"double_value":0.1,"bool_value":true,"string_value":"a\"b\\c\n\u0001é","bytes_value":"AP/+"}"#
        )
        #expect(try JSONTest.json(Scalars(), options: JSONEncodingOptions(emitDefaultValues: false)) == "{}")
    }

    @Test("special floats are quoted names; -0 keeps its sign")
    func specialFloats() throws {
        let message = PackedRepeated.with {
            $0.doubleValues = [.nan, .infinity, -.infinity, -0.0, 1e300, .leastNonzeroMagnitude]
            $0.floatValues = [.nan, .infinity, -.infinity, 3.4028235e38]
        }
        let json = try JSONTest.json(message, options: JSONEncodingOptions(emitDefaultValues: false))
        #expect(json == #"{"floatValues":["NaN","Infinity","-Infinity",3.4028235e+38],"doubleValues":["NaN","Infinity","-Infinity",-0.0,1e+300,5e-324]}"#)
    }

    @Test("enums are names; numbers the schema does not declare stay numbers")
    func enums() throws {
        let message = PackedRepeated.with { $0.colorValues = [.red, .infrared, .ultraviolet, Color(rawValue: 99)] }
        #expect(
            try JSONTest.json(message, options: JSONEncodingOptions(emitDefaultValues: false))
                == #"{"colorValues":["COLOR_RED","COLOR_INFRARED","COLOR_ULTRAVIOLET",99]}"#)
        #expect(try JSONTest.json(Everything.with { $0.color = .unspecified }).contains(#""color":"COLOR_UNSPECIFIED""#))
    }

    @Test("maps are objects with string keys")
    func maps() throws {
        let message = Maps.with {
            $0.int64ToBytes = [-1: [1]]
            $0.boolToString = [true: "yes"]
            $0.int32ToItem = [7: .with { $0.name = "seven" }]
        }
        let json = try JSONTest.json(message, options: JSONEncodingOptions(emitDefaultValues: false))
        #expect(json == #"{"int32ToItem":{"7":{"name":"seven"}},"int64ToBytes":{"-1":"AQ=="},"boolToString":{"true":"yes"}}"#)
    }

    @Test("oneof members and proto3 optional fields are written when set, even at their defaults")
    func presence() throws {
        #expect(try JSONTest.json(Choice.with { $0.value = .color(.unspecified) }) == #"{"color":"COLOR_UNSPECIFIED","tag":""}"#)
        #expect(try JSONTest.json(Choice()) == #"{"tag":""}"#)
        #expect(
            try JSONTest.json(Presence.with { $0.maybeInt32 = 0; $0.maybeString = "" })
                == #"{"maybeInt32":0,"maybeString":"","plain":0}"#)
        #expect(try JSONTest.json(Presence()) == #"{"plain":0}"#)
    }

    @Test("unset message fields are left out; set ones are objects")
    func messages() throws {
        #expect(try JSONTest.json(Nesting(), options: .default) == #"{"middles":[],"mood":"MOOD_UNSPECIFIED","items":[]}"#)
        #expect(
            try JSONTest.json(Nesting.with { $0.item = Item() }, options: JSONEncodingOptions(emitDefaultValues: false))
                == #"{"item":{}}"#)
    }

    @Test("Timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits")
    func timestamps() throws {
        func json(_ seconds: Int64, _ nanos: Int32) throws -> String {
            try JSONTest.json(Times.with { $0.at = .with { $0.seconds = seconds; $0.nanos = nanos } }, options: JSONEncodingOptions(emitDefaultValues: false))
        }
        #expect(try json(0, 0) == #"{"at":"1970-01-01T00:00:00Z"}"#)
        #expect(try json(1_767_225_600, 500_000_000) == #"{"at":"2026-01-01T00:00:00.500Z"}"#)
        #expect(try json(951_782_400, 1000) == #"{"at":"2000-02-29T00:00:00.000001Z"}"#)
        #expect(try json(-1, 1) == #"{"at":"1969-12-31T23:59:59.000000001Z"}"#)
        #expect(try json(-62_135_596_800, 0) == #"{"at":"0001-01-01T00:00:00Z"}"#)
        #expect(try json(253_402_300_799, 999_999_999) == #"{"at":"9999-12-31T23:59:59.999999999Z"}"#)
        #expect(throws: JSONMappingError.self) { try json(253_402_300_800, 0) }
        #expect(throws: JSONMappingError.self) { try json(0, -1) }
        #expect(throws: JSONMappingError.self) { try json(-62_135_596_801, 0) }
    }

    @Test("Duration: seconds with an s, fractions of 3, 6 or 9 digits, sign for negatives")
    func durations() throws {
        func json(_ seconds: Int64, _ nanos: Int32) throws -> String {
            try JSONTest.json(Times.with { $0.took = .with { $0.seconds = seconds; $0.nanos = nanos } }, options: JSONEncodingOptions(emitDefaultValues: false))
        }
        #expect(try json(1, 500_000_000) == #"{"took":"1.500s"}"#)
        #expect(try json(0, -500_000_000) == #"{"took":"-0.500s"}"#)
        #expect(try json(-3, -1) == #"{"took":"-3.000000001s"}"#)
        #expect(try json(0, 0) == #"{"took":"0s"}"#)
        #expect(throws: JSONMappingError.self) { try json(1, -1) }
        #expect(throws: JSONMappingError.self) { try json(315_576_000_001, 0) }
    }

    @Test("wrappers are their bare value, and FieldMask a string of lowerCamelCase paths")
    func wrappersAndMasks() throws {
        let wrappers = Wrappers.with {
            $0.int64Value = .with { $0.value = 5 }
            $0.boolValue = BoolValue()
            $0.bytesValue = .with { $0.value = [1, 2] }
        }
        #expect(try JSONTest.json(wrappers) == #"{"int64Value":"5","boolValue":false,"bytesValue":"AQI="}"#)
        let mask = FieldMask.with { $0.paths = ["display_name", "a.b_c"] }
        #expect(String(decoding: try ProtoJSON.encode(mask.serializedBytes(), descriptor: FieldMask._protobufCDescriptor), as: UTF8.self) == #""displayName,a.bC""#)
        let bad = FieldMask.with { $0.paths = ["Upper"] }
        #expect(throws: JSONMappingError.self) { try ProtoJSON.encode(bad.serializedBytes(), descriptor: FieldMask._protobufCDescriptor) }
    }

    @Test("google.rpc.Status with Any details, including a well-known type in its value form")
    func anyDetails() throws {
        let badRequest = BadRequest.with {
            $0.fieldViolations = [.with { $0.field = "name"; $0.description = "too long" }]
        }
        let retry = RetryInfo.with { $0.retryDelay = .with { $0.seconds = 2 } }
        let status = Status.with {
            $0.code = 3
            $0.message = "bad"
            $0.details = [
                .with { $0.typeURL = "type.googleapis.com/google.rpc.BadRequest"; $0.value = badRequest.serializedBytes() },
                .with { $0.typeURL = "type.googleapis.com/google.rpc.RetryInfo"; $0.value = retry.serializedBytes() },
                .with { $0.typeURL = "type.googleapis.com/google.protobuf.Duration"; $0.value = Duration.with { $0.seconds = 1 }.serializedBytes() },
            ]
        }
        let json = try JSONTest.json(status, options: JSONEncodingOptions(emitDefaultValues: false))
        #expect(
            json
                == #"{"code":3,"message":"bad","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"name","description":"too long"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"},{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}]}"#
        )
        #expect(try JSONTest.decode(json, as: Status.self) == status)

        let unknown = Status.with { $0.details = [.with { $0.typeURL = "type.googleapis.com/x.Unknown" }] }
        #expect(throws: JSONMappingError.self) { try JSONTest.json(unknown) }
    }

    @Test("invalid UTF-8 in a string field and malformed bytes are errors, not crashes")
    func badBinary() throws {
        // Field 14 (string_value) holding 0xFF.
        let invalid: [UInt8] = [0x72, 0x01, 0xFF]
        do {
            _ = try ProtoJSON.encode(invalid, descriptor: Scalars._protobufCDescriptor)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedProtobuf)
            #expect(error.fieldPath == "stringValue")
        }
        #expect(throws: JSONMappingError.self) { try ProtoJSON.encode([0x0A, 0x05, 0x01], descriptor: Everything._protobufCDescriptor) }
    }

    @Test("a map with repeated keys on the wire is written once per key, the last value winning")
    func repeatedMapKeys() throws {
        // Two entries of string_to_string with key "k": values "1" then "2".
        let entry1: [UInt8] = [0x0A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x31]
        let entry2: [UInt8] = [0x0A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x32]
        let json = try ProtoJSON.encode(entry1 + entry2, descriptor: Maps._protobufCDescriptor, options: JSONEncodingOptions(emitDefaultValues: false))
        #expect(String(decoding: json, as: UTF8.self) == #"{"stringToString":{"k":"2"}}"#)
    }

    @Test("the depth limit applies to output")
    func depthLimit() throws {
        let json = try JSONTest.json(Everything.with { $0.nesting = ConformanceShapes.nesting }, options: JSONEncodingOptions(maxDepth: 3))
        #expect(json.contains("deep"))
        #expect(throws: JSONMappingError.self) {
            try JSONTest.json(Everything.with { $0.nesting = ConformanceShapes.nesting }, options: JSONEncodingOptions(maxDepth: 2))
        }
    }
}

/// A few shapes shared by the suites.
enum ConformanceShapes {
    static let nesting = Nesting.with { n in
        n.middle = .with { m in
            m.label = "middle"
            m.inner = .with { $0.note = "deep" }
        }
    }
}
