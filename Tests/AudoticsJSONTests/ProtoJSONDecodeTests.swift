import AudoticsAPI
import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes
import Testing

@Suite("proto3 JSON: JSON to binary")
struct ProtoJSONDecodeTests {
    @Test("round trips through JSON with every option, for every shape")
    func roundTrips() throws {
        let shapes: [any ProtobufMessage] = [
            Scalars.with { $0.int64Value = .min; $0.uint64Value = .max; $0.stringValue = "é\u{1F3B5}\n\""; $0.bytesValue = [0, 255] },
            PackedRepeated.with {
                $0.int64Values = [.min, .max]
                $0.floatValues = [.infinity, -.infinity, 1.1]
                $0.doubleValues = [.pi, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
                $0.colorValues = [.red, Color(rawValue: 99), .infrared]
                $0.bytesValues = [[], [1], [1, 2], [1, 2, 3]]
                $0.boolValues = [true, false]
            },
            Maps.with {
                $0.stringToString = ["": "", "k": "v"]
                $0.int32ToItem = [-1: Item(), 2: .with { $0.name = "two" }]
                $0.boolToString = [false: "no", true: "yes"]
                $0.int64ToBytes = [.min: [1]]
                $0.uint32ToDouble = [.max: -1]
                $0.sint64ToFloat = [.max: 2]
                $0.fixed32ToSfixed64 = [0: .min]
                $0.stringToColor = ["x": Color(rawValue: 5)]
            },
            Choice.with { $0.value = .blob([]) }, Choice.with { $0.value = .item(Item()) },
            Choice.with { $0.value = .number(0) },
            Presence.with { $0.maybeBool = false; $0.maybeBytes = []; $0.maybeColor = .unspecified },
            Wrappers.with { $0.uint64Value = UInt64Value(); $0.stringValue = .with { $0.value = "s" } },
            Times.with {
                $0.at = .with { $0.seconds = -62_135_596_800 }
                $0.took = .with { $0.seconds = -315_576_000_000 }
                $0.history = [Timestamp(), .with { $0.nanos = 1 }]
            },
            Nesting.with { $0.middles = [Nesting.Middle(), .with { $0.inner = .with { $0.mood = .upbeat } }] },
        ]
        for shape in shapes {
            #expect(try JSONTest.roundTrips(shape), "\(shape)")
        }
    }

    @Test("both name styles are accepted, and giving a field in both is an error")
    func nameStyles() throws {
        #expect(try JSONTest.decode(#"{"int32Value": 1, "uint64_value": "2"}"#) == Scalars.with { $0.int32Value = 1; $0.uint64Value = 2 })
        let error = try #require(JSONTest.error(#"{"int32Value": 1, "int32_value": 2}"#, as: Scalars.self))
        #expect(error.code == .malformedJSON)
        #expect(error.fieldPath == "int32Value")
    }

    @Test("unknown fields are rejected, naming the field and the message")
    func unknownFields() throws {
        let error = try #require(JSONTest.error(#"{"name": "x", "fooBar": 1}"#, as: CreatePlaylistRequest.self))
        #expect(error.code == .unknownField)
        #expect(error.message == #"unknown field "fooBar" in audotics.v1.CreatePlaylistRequest"#)
        let nested = try #require(JSONTest.error(#"{"middle": {"inner": {"nope": 1}}}"#, as: Nesting.self))
        #expect(nested.message == #"unknown field "nope" in audotics.conformance.v1.Nesting.Middle.Inner (at "middle.inner")"#)
    }

    @Test("integers: numbers or strings, exponents when integral, ranges checked per type")
    func integers() throws {
        #expect(try JSONTest.decode(#"{"int32Value": 1e2, "int64Value": "-12", "uint32Value": 1.0, "uint64Value": "18446744073709551615", "sint64Value": 1.5e1, "fixed32Value": "4294967295", "sfixed32Value": -2147483648}"#)
            == Scalars.with {
                $0.int32Value = 100
                $0.int64Value = -12
                $0.uint32Value = 1
                $0.uint64Value = .max
                $0.sint64Value = 15
                $0.fixed32Value = .max
                $0.sfixed32Value = .min
            })
        #expect(try JSONTest.decode(#"{"int64Value": -9223372036854775808}"#) == Scalars.with { $0.int64Value = .min })
        let cases: [(String, String)] = [
            (#"{"int32Value": 2147483648}"#, #"field "int32Value": "2147483648" is out of range for int32"#),
            (#"{"int32Value": 1.5}"#, #"field "int32Value": expected an integer, got "1.5""#),
            (#"{"int32Value": "abc"}"#, #"field "int32Value": expected an integer, got "abc""#),
            (#"{"int32Value": " 1"}"#, #"field "int32Value": expected an integer, got " 1""#),
            (#"{"uint32Value": -1}"#, #"field "uint32Value": "-1" is out of range for uint32"#),
            (#"{"uint64Value": "18446744073709551616"}"#, #"field "uint64Value": "18446744073709551616" is out of range for uint64"#),
            (#"{"int64Value": 1e19}"#, #"field "int64Value": "1e19" is out of range for int64"#),
            (#"{"int32Value": true}"#, #"field "int32Value": expected an integer, got a boolean"#),
            (#"{"int32Value": {}}"#, #"field "int32Value": expected an integer, got an object"#),
        ]
        for (json, message) in cases {
            let error = try #require(JSONTest.error(json, as: Scalars.self), "\(json)")
            #expect(error.message == message)
            #expect(error.code == .invalidValue)
        }
    }

    @Test("floats: numbers, quoted numbers, NaN and the infinities; out-of-range values rejected")
    func floats() throws {
        let decoded: PackedRepeated = try JSONTest.decode(#"{"doubleValues": ["NaN", "Infinity", "-Infinity", "1.5", -0.0, 1E-2], "floatValues": [3.4028235e38, "-1"]}"#)
        #expect(decoded.doubleValues.count == 6)
        #expect(decoded.doubleValues[0].isNaN)
        #expect(Array(decoded.doubleValues.dropFirst()) == [.infinity, -.infinity, 1.5, -0.0, 0.01])
        #expect(decoded.doubleValues[4].sign == .minus)
        #expect(decoded.floatValues == [.greatestFiniteMagnitude, -1])
        #expect(JSONTest.error(#"{"floatValue": 3.5e38}"#, as: Scalars.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"doubleValue": 1e309}"#, as: Scalars.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"doubleValue": "nan"}"#, as: Scalars.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"doubleValue": NaN}"#, as: Scalars.self)?.code == .malformedJSON)
    }

    @Test("bools, strings and bytes need their own JSON types; bytes accept URL-safe and unpadded base64")
    func boolsStringsBytes() throws {
        #expect(try JSONTest.decode(#"{"boolValue": true, "stringValue": "\u00e9\ud83c\udfb5\/", "bytesValue": "_-8"}"#)
            == Scalars.with { $0.boolValue = true; $0.stringValue = "é\u{1F3B5}/"; $0.bytesValue = [0xFF, 0xEF] })
        #expect(try JSONTest.decode(#"{"bytesValue": "AQI"}"#) == Scalars.with { $0.bytesValue = [1, 2] })
        #expect(try JSONTest.decode(#"{"bytesValue": "AQI="}"#) == Scalars.with { $0.bytesValue = [1, 2] })
        #expect(try JSONTest.decode(#"{"bytesValue": ""}"#) == Scalars())
        for json in [#"{"bytesValue": "A"}"#, #"{"bytesValue": "AQ=I"}"#, #"{"bytesValue": "A*=="}"#, #"{"bytesValue": "AQI=="}"#] {
            let error = try #require(JSONTest.error(json, as: Scalars.self), "\(json)")
            #expect(error.code == .invalidValue)
            #expect(error.fieldPath == "bytesValue")
        }
        #expect(JSONTest.error(#"{"boolValue": "true"}"#, as: Scalars.self)?.message == #"field "boolValue": expected true or false, got a string"#)
        #expect(JSONTest.error(#"{"stringValue": 1}"#, as: Scalars.self)?.message == #"field "stringValue": expected a string, got a number"#)
        #expect(JSONTest.error(#"{"stringValue": "a\u0000b"}"#, as: Scalars.self)?.code == .invalidValue)
    }

    @Test("enums by name or number; unknown names rejected; unknown numbers kept")
    func enums() throws {
        #expect(try JSONTest.decode(#"{"colorValues": ["COLOR_RED", 2, -1, 99, "COLOR_ULTRAVIOLET"]}"#)
            == PackedRepeated.with { $0.colorValues = [.red, .green, .infrared, Color(rawValue: 99), .ultraviolet] })
        #expect(try JSONTest.decode(#"{"maybeColor": "3"}"#) == Presence.with { $0.maybeColor = .blue })
        let error = try #require(JSONTest.error(#"{"color": "COLOR_PINK"}"#, as: Everything.self))
        #expect(error.message == #"field "color": "COLOR_PINK" is not a value of audotics.conformance.v1.Color"#)
        #expect(JSONTest.error(#"{"color": 2147483648}"#, as: Everything.self)?.code == .invalidValue)
    }

    @Test("null means the default: it clears fields, oneofs and optional presence")
    func nulls() throws {
        #expect(try JSONTest.decode(#"{"int32Value": null, "stringValue": null, "bytesValue": null}"#) == Scalars())
        #expect(try JSONTest.decode(#"{"maybeInt32": null, "plain": null}"#) == Presence())
        #expect(try JSONTest.decode(#"{"text": null, "number": "5"}"#) == Choice.with { $0.value = .number(5) })
        #expect(try JSONTest.decode(#"{"int32Value": null, "stringValue": null}"#, as: Wrappers.self) == Wrappers())
        #expect(try JSONTest.decode(#"{"packed": {"int32Values": null}, "maps": {"stringToString": null}}"#) == Everything.with {
            $0.packed = PackedRepeated()
            $0.maps = Maps()
        })
        #expect(JSONTest.error(#"{"int32Values": [1, null]}"#, as: PackedRepeated.self)?.fieldPath == "int32Values[1]")
        #expect(JSONTest.error(#"{"stringToString": {"a": null}}"#, as: Maps.self)?.code == .invalidValue)
    }

    @Test("two members of one oneof are an error; one member at its default is kept")
    func oneofs() throws {
        let error = try #require(JSONTest.error(#"{"text": "a", "number": 1}"#, as: Choice.self))
        #expect(error.code == .invalidValue)
        #expect(error.message.contains(#""text" and "number""#))
        #expect(try JSONTest.decode(#"{"item": {}}"#) == Choice.with { $0.value = .item(Item()) })
        #expect(try JSONTest.decode(#"{"color": "COLOR_UNSPECIFIED"}"#) == Choice.with { $0.value = .color(.unspecified) })
    }

    @Test("maps: keys as strings of the key type; duplicate keys rejected; bad keys name the key")
    func maps() throws {
        #expect(try JSONTest.decode(#"{"int32ToItem": {"-3": {"id": 1}}, "boolToString": {"true": "t"}, "int64ToBytes": {"9223372036854775807": "AQ=="}}"#)
            == Maps.with {
                $0.int32ToItem = [-3: .with { $0.id = 1 }]
                $0.boolToString = [true: "t"]
                $0.int64ToBytes = [.max: [1]]
            })
        #expect(JSONTest.error(#"{"stringToString": {"a": "1", "a": "2"}}"#, as: Maps.self)?.code == .malformedJSON)
        let badKey = try #require(JSONTest.error(#"{"int32ToItem": {"x": {}}}"#, as: Maps.self))
        #expect(badKey.fieldPath == #"int32ToItem["x"]"#)
        #expect(JSONTest.error(#"{"boolToString": {"1": "t"}}"#, as: Maps.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"stringToString": ["a"]}"#, as: Maps.self)?.code == .invalidValue)
    }

    @Test("Timestamp: RFC 3339 with Z or an offset and up to 9 fractional digits, range checked")
    func timestamps() throws {
        func at(_ text: String) throws -> Timestamp? { try JSONTest.decode(#"{"at": "\#(text)"}"#, as: Times.self).at }
        #expect(try at("1970-01-01T00:00:00Z") == Timestamp())
        #expect(try at("2026-01-01T01:00:00.5+01:00") == .with { $0.seconds = 1_767_225_600; $0.nanos = 500_000_000 })
        #expect(try at("1969-12-31T19:00:00.000000001-05:00") == .with { $0.seconds = 0; $0.nanos = 1 })
        #expect(try at("0001-01-01T00:00:00Z") == .with { $0.seconds = -62_135_596_800 })
        #expect(try at("9999-12-31T23:59:59.999999999Z") == .with { $0.seconds = 253_402_300_799; $0.nanos = 999_999_999 })
        #expect(try at("2000-02-29T12:00:00z") == .with { $0.seconds = 951_825_600 })
        for bad in [
            "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567891Z", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00", "2026-01-01 00:00:00Z", " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00+0100",
        ] {
            let error = try #require(JSONTest.error(#"{"at": "\#(bad)"}"#, as: Times.self), "\(bad)")
            #expect(error.code == .invalidValue)
            #expect(error.fieldPath == "at")
        }
        #expect(JSONTest.error(#"{"at": 0}"#, as: Times.self)?.code == .invalidValue)
    }

    @Test("Duration: seconds with up to 9 fractional digits and an s, signed, range checked")
    func durations() throws {
        func took(_ text: String) throws -> Duration? { try JSONTest.decode(#"{"took": "\#(text)"}"#, as: Times.self).took }
        #expect(try took("1.5s") == .with { $0.seconds = 1; $0.nanos = 500_000_000 })
        #expect(try took("-0.000000001s") == .with { $0.nanos = -1 })
        #expect(try took("315576000000s") == .with { $0.seconds = 315_576_000_000 })
        for bad in ["1", "s", "1.s", "-s", "1.0000000001s", "315576000001s", "1m", "+1s", " 1s", "1e3s"] {
            #expect(JSONTest.error(#"{"took": "\#(bad)"}"#, as: Times.self)?.code == .invalidValue, "\(bad)")
        }
    }

    @Test("FieldMask: lowerCamelCase paths become snake_case; underscores are refused")
    func fieldMasks() throws {
        let request: UpdatePlaylistRequest = try JSONTest.decode(#"{"updateMask": "name,displayOrder.fooBar"}"#)
        #expect(request.updateMask?.paths == ["name", "display_order.foo_bar"])
        let empty: UpdatePlaylistRequest = try JSONTest.decode(#"{"updateMask": ""}"#)
        #expect(empty.updateMask?.paths == [])
        #expect(JSONTest.error(#"{"updateMask": "display_name"}"#, as: UpdatePlaylistRequest.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"updateMask": "a,,b"}"#, as: UpdatePlaylistRequest.self)?.code == .invalidValue)
    }

    @Test("wrappers take their bare value; null leaves them unset")
    func wrappers() throws {
        let decoded: Wrappers = try JSONTest.decode(#"{"int32Value": 0, "int64Value": "5", "boolValue": false, "stringValue": "", "bytesValue": "AQ==", "doubleValue": "NaN"}"#)
        #expect(decoded.int32Value == Int32Value())
        #expect(decoded.int64Value == .with { $0.value = 5 })
        #expect(decoded.boolValue == BoolValue())
        #expect(decoded.stringValue == StringValue())
        #expect(decoded.bytesValue == .with { $0.value = [1] })
        #expect(decoded.doubleValue?.value.isNaN == true)
        #expect(decoded.uint32Value == nil)
        #expect(JSONTest.error(#"{"int32Value": {"value": 1}}"#, as: Wrappers.self)?.code == .invalidValue)
    }

    @Test("Any: @type anywhere in the object, well-known types under value, unknown types and missing @type rejected")
    func any() throws {
        let status: Status = try JSONTest.decode(
            #"{"code": 5, "details": [{"fieldViolations": [{"field": "a"}], "@type": "type.googleapis.com/google.rpc.BadRequest"}, {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "1970-01-01T00:00:01Z"}, {"@type": "type.googleapis.com/google.protobuf.Empty"}]}"#
        )
        #expect(status.code == 5)
        #expect(status.details.count == 3)
        #expect(try BadRequest(serializedBytes: status.details[0].value) == .with { $0.fieldViolations = [.with { $0.field = "a" }] })
        #expect(try Timestamp(serializedBytes: status.details[1].value) == .with { $0.seconds = 1 })
        #expect(status.details[2].typeURL == "type.googleapis.com/google.protobuf.Empty")
        #expect(JSONTest.error(#"{"details": [{"@type": "type.googleapis.com/x.Y"}]}"#, as: Status.self)?.code == .unknownType)
        #expect(JSONTest.error(#"{"details": [{"field": "a"}]}"#, as: Status.self)?.code == .invalidValue)
        #expect(JSONTest.error(#"{"details": [{"@type": "type.googleapis.com/google.rpc.BadRequest", "nope": 1}]}"#, as: Status.self)?.code == .unknownField)
        #expect(JSONTest.error(#"{"details": [{"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1s", "x": 1}]}"#, as: Status.self)?.code == .unknownField)
        #expect(JSONTest.error(#"{"details": [{"@type": "type.googleapis.com/google.protobuf.Duration"}]}"#, as: Status.self)?.code == .invalidValue)
    }
}
