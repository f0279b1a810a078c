import AudoticsConformanceAPI
import AudoticsProtobuf
import AudoticsWellKnownTypes

/// The canonical messages of the codec interoperability tests.
///
/// They must equal the cases of `Tests/Peers/protobuf_peer.py`, which builds the same values with
/// Python's `protobuf` package: each side decodes the other's encoding and compares.
enum ConformanceCases {
    static let text = "h\u{e9}llo w\u{f6}rld \u{2713} \u{1F3B5} \u{65e5}\u{672c}\u{8a9e}"
    static let blob: [UInt8] = [0, 1, 2, 127, 128, 255, 0]

    /// Every case by name, each boxed with its type so it can be decoded generically.
    static let all: [(name: String, message: any ProtobufMessage)] = [
        ("scalars_default", Scalars()),
        ("scalars_max", scalarsMax),
        ("scalars_negative", scalarsNegative),
        ("packed", packed),
        ("unpacked", unpacked),
        ("nesting", nesting),
        ("maps", maps),
        ("choice_text", choice(.text(text))),
        ("choice_number", choice(.number(Int64.min))),
        ("choice_item", choice(.item(Item.with { $0.name = "chosen" }))),
        ("choice_empty_item", choice(.item(Item()))),
        ("choice_color_default", choice(.color(.unspecified))),
        ("choice_blob_empty", choice(.blob([]))),
        ("choice_unknown_color", choice(.color(Color(rawValue: -7)))),
        ("choice_none", choice(nil)),
        ("presence_unset", Presence.with { $0.plain = 3 }),
        ("presence_defaults", presenceDefaults),
        ("presence_values", presenceValues),
        ("wrappers", wrappers(zero: false)),
        ("wrappers_zero", wrappers(zero: true)),
        ("times", times),
        ("everything", everything),
    ]

    static let scalarsMax = Scalars.with {
        $0.int32Value = .max
        $0.int64Value = .max
        $0.uint32Value = .max
        $0.uint64Value = .max
        $0.sint32Value = .min
        $0.sint64Value = .min
        $0.fixed32Value = .max
        $0.fixed64Value = .max
        $0.sfixed32Value = .min
        $0.sfixed64Value = .min
        $0.floatValue = 3.5
        $0.doubleValue = -1.0e300
        $0.boolValue = true
        $0.stringValue = text
        $0.bytesValue = blob
    }

    static let scalarsNegative = Scalars.with {
        $0.int32Value = -1
        $0.int64Value = .min
        $0.sint32Value = -1
        $0.sint64Value = 1
        $0.sfixed32Value = -2
        $0.sfixed64Value = -3
        $0.floatValue = -0.25
        $0.doubleValue = .leastNonzeroMagnitude  // 5e-324, the smallest subnormal
        $0.stringValue = "x"
    }

    static let colors: [Color] = [.red, .unspecified, .infrared, .ultraviolet, Color(rawValue: 99)]

    static let packed = PackedRepeated.with {
        $0.int32Values = [0, 1, -1, .max, .min]
        $0.int64Values = [0, .min, .max, 300]
        $0.uint32Values = [0, 1, .max]
        $0.uint64Values = [.max, 0, 12_345_678_901_234]
        $0.sint32Values = [-1, 1, .min, .max]
        $0.sint64Values = [.min, .max, -2]
        $0.fixed32Values = [7, .max]
        $0.fixed64Values = [.max, 8]
        $0.sfixed32Values = [.min, 9]
        $0.sfixed64Values = [.min, 10]
        $0.floatValues = [1.5, -2.25, 0]
        $0.doubleValues = [Double.pi, -1e-300, 0]
        $0.boolValues = [true, false, true]
        $0.colorValues = colors
        $0.stringValues = [text, "", "b"]
        $0.bytesValues = [blob, [], [0xFF]]
    }

    static let unpacked = UnpackedRepeated.with {
        $0.int32Values = packed.int32Values
        $0.int64Values = packed.int64Values
        $0.uint32Values = packed.uint32Values
        $0.uint64Values = packed.uint64Values
        $0.sint32Values = packed.sint32Values
        $0.sint64Values = packed.sint64Values
        $0.fixed32Values = packed.fixed32Values
        $0.fixed64Values = packed.fixed64Values
        $0.sfixed32Values = packed.sfixed32Values
        $0.sfixed64Values = packed.sfixed64Values
        $0.floatValues = packed.floatValues
        $0.doubleValues = packed.doubleValues
        $0.boolValues = packed.boolValues
        $0.colorValues = packed.colorValues
    }

    static let nesting = Nesting.with { n in
        n.middle = .with { m in
            m.label = "middle"
            m.mood = .upbeat
            m.inner = .with {
                $0.note = "deep"
                $0.stamp = .max
                $0.mood = .calm
            }
            m.inners = (0..<3).map { i in
                .with {
                    $0.note = "inner \(i)"
                    $0.stamp = UInt64(i)
                    $0.mood = Nesting.Middle.Mood(rawValue: i == 2 ? 42 : Int32(i))
                }
            }
        }
        n.middles = [
            .with { $0.label = "first" },
            .with {
                $0.label = "second"
                $0.inner = .with { $0.note = "second inner" }
            },
            Nesting.Middle(),
        ]
        n.mood = .calm
        n.inner = .with { $0.note = "top inner" }
        n.items = (0..<4).map { i in
            .with {
                $0.id = Int32(i)
                $0.name = "item \(i) \u{266b}"
            }
        }
        n.item = .with { $0.id = -5 }
    }

    static let maps = Maps.with {
        $0.stringToString = ["a": "alpha", "": "empty key", text: ""]
        $0.int32ToItem = [1: .with { $0.name = "one" }, -2: .with { $0.id = -2 }, 0: Item()]
        $0.stringToColor = ["red": .red, "unknown": Color(rawValue: 99), "none": .unspecified]
        $0.int64ToBytes = [.min: blob, 5: []]
        $0.boolToString = [true: "yes", false: "no"]
        $0.uint32ToDouble = [.max: 0.5]
        $0.sint64ToFloat = [-7: 1.25]
        $0.fixed32ToSfixed64 = [3: .min]
    }

    static func choice(_ value: Choice.Value?) -> Choice {
        .with {
            $0.tag = "t"
            $0.value = value
        }
    }

    static let presenceDefaults = Presence.with {
        $0.plain = 3
        $0.maybeInt32 = 0
        $0.maybeString = ""
        $0.maybeBool = false
        $0.maybeDouble = 0
        $0.maybeColor = .unspecified
        $0.maybeBytes = []
        $0.maybeUint64 = 0
    }

    static let presenceValues = Presence.with {
        $0.maybeInt32 = -9
        $0.maybeString = text
        $0.maybeBool = true
        $0.maybeDouble = 2.5
        $0.maybeColor = Color(rawValue: 99)
        $0.maybeBytes = blob
        $0.maybeUint64 = .max
    }

    static func wrappers(zero: Bool) -> Wrappers {
        .with {
            $0.int32Value = .with { $0.value = zero ? 0 : -1 }
            $0.int64Value = .with { $0.value = zero ? 0 : .max }
            $0.uint32Value = .with { $0.value = zero ? 0 : .max }
            $0.uint64Value = .with { $0.value = zero ? 0 : .max }
            $0.floatValue = .with { $0.value = zero ? 0 : 0.5 }
            $0.doubleValue = .with { $0.value = zero ? 0 : -0.125 }
            $0.boolValue = .with { $0.value = !zero }
            $0.stringValue = .with { $0.value = zero ? "" : text }
            $0.bytesValue = .with { $0.value = zero ? [] : blob }
        }
    }

    static let times = Times.with {
        $0.at = .with {
            $0.seconds = 1_767_225_600
            $0.nanos = 123_456_789
        }
        $0.took = .with {
            $0.seconds = -3
            $0.nanos = -500_000_000
        }
        $0.history = [0, 1, -62_135_596_800].map { s in .with { $0.seconds = s } }
    }

    static let everything = Everything.with {
        $0.scalars = scalarsMax
        $0.packed = packed
        $0.unpacked = unpacked
        $0.nesting = nesting
        $0.maps = maps
        $0.choice = choice(.item(Item.with { $0.name = "chosen" }))
        $0.presence = presenceValues
        $0.times = times
        $0.color = .ultraviolet
        $0.wrappers = wrappers(zero: false)
        $0.mediumNumber = "sixteen"
        $0.maxNumber = "max"
    }
}
