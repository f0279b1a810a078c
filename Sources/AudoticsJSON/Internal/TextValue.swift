import AudoticsProtobuf
import Glibc

/// Stores a field's value given as text: the contents of a JSON string (numbers may be quoted,
/// 64-bit integers usually are), a map key, or a path or query parameter of the gateway.
struct TextValue {
    let arena: ProtobufCArena

    /// Stores `text` as a value of `field` (a scalar or a string-form well-known type is handled by the caller).
    func store(_ text: UnsafeRawBufferPointer, _ field: FieldSchema, into storage: UnsafeMutableRawPointer, isMapKey: Bool) throws(MappingFailure) {
        switch field.kind {
        case .string: try storeString(text, into: storage)
        case .bytes: try storeBytes(text, into: storage)
        case .enumeration: try storeEnum(text, field, into: storage)
        case .bool:
            if text.elementsEqual("true".utf8) || (!isMapKey && text.elementsEqual("1".utf8)) {
                storage.storeBytes(of: 1, as: Int32.self)
            } else if text.elementsEqual("false".utf8) || (!isMapKey && text.elementsEqual("0".utf8)) {
                storage.storeBytes(of: 0, as: Int32.self)
            } else {
                throw MappingFailure(.invalidValue, "expected true or false, got \(MappingFailure.quote(text))")
            }
        case .message: preconditionFailure("message fields have no scalar text form")
        default: try storeNumber(text, field.kind, into: storage)
        }
    }

    /// A NUL-terminated copy in the arena (the text is valid UTF-8: validated JSON or a Swift string).
    func storeString(_ text: UnsafeRawBufferPointer, into storage: UnsafeMutableRawPointer) throws(MappingFailure) {
        let copy = arena.allocate(UInt8.self, count: text.count + 1)
        if text.count > 0 {
            if memchr(text.baseAddress!, 0, text.count) != nil {
                throw MappingFailure(.invalidValue, "the string contains U+0000, which protobuf-c strings cannot carry")
            }
            UnsafeMutableRawPointer(copy).copyMemory(from: text.baseAddress!, byteCount: text.count)
        }
        copy[text.count] = 0
        storage.storeBytes(of: copy, as: UnsafeMutablePointer<UInt8>.self)
    }

    /// Base64 (standard or URL-safe, padded or not) decoded into the arena.
    func storeBytes(_ text: UnsafeRawBufferPointer, into storage: UnsafeMutableRawPointer) throws(MappingFailure) {
        let target = arena.allocate(UInt8.self, count: Base64.decodedBound(text.count))
        guard let count = Base64.decode(text, into: target) else {
            throw MappingFailure(.invalidValue, "expected base64 (standard or URL-safe), got invalid base64")
        }
        storage.storeBytes(of: count, as: Int.self)
        storage.storeBytes(of: count > 0 ? target : nil, toByteOffset: 8, as: UnsafeMutablePointer<UInt8>?.self)
    }

    /// An enum value by name, or by number (numbers this build does not know are kept, as proto3 enums are open).
    func storeEnum(_ text: UnsafeRawBufferPointer, _ field: FieldSchema, into storage: UnsafeMutableRawPointer) throws(MappingFailure) {
        let enumeration = field.enumeration!
        if let number = enumeration.number(named: text) {
            storage.storeBytes(of: number, as: Int32.self)
        } else if NumberText.isJSONNumber(text) {
            try storeNumber(text, .enumeration, into: storage)
        } else {
            throw MappingFailure(.invalidValue, "\(MappingFailure.quote(text, limit: 64)) is not a value of \(enumeration.fullName)")
        }
    }

    /// A number of `kind` from a JSON number's text (or `NaN`, `Infinity`, `-Infinity` for floats), exact and range-checked.
    func storeNumber(_ text: UnsafeRawBufferPointer, _ kind: FieldKind, into storage: UnsafeMutableRawPointer) throws(MappingFailure) {
        switch kind {
        case .float, .double:
            guard let value = NumberText.double(text, allowSpecial: true) else {
                if NumberText.isJSONNumber(text) {
                    throw MappingFailure(.invalidValue, "\(MappingFailure.quote(text)) is out of range for \(kind)")
                }
                throw MappingFailure(.invalidValue, "expected a number, got \(MappingFailure.quote(text))")
            }
            if kind == .double {
                storage.storeBytes(of: value, as: Double.self)
            } else {
                // Values that round to a finite float are accepted (Python's parser refuses the
                // largest float it writes itself, 3.4028235e+38).
                guard !value.isFinite || Float(value).isFinite else {
                    throw MappingFailure(.invalidValue, "\(MappingFailure.quote(text)) is out of range for float")
                }
                storage.storeBytes(of: Float(value), as: Float.self)
            }
            return
        default:
            break
        }
        let negative: Bool
        let magnitude: UInt64
        switch NumberText.integer(text) {
        case .value(let isNegative, let value):
            negative = isNegative
            magnitude = value
        case .notANumber, .notIntegral:
            throw MappingFailure(.invalidValue, "expected an integer, got \(MappingFailure.quote(text))")
        case .outOfRange:
            throw Self.outOfRange(text, kind)
        }
        switch kind {
        case .int32, .sint32, .sfixed32, .enumeration:
            guard let value = Self.signed(negative, magnitude, limit: UInt64(Int32.max)) else { throw Self.outOfRange(text, kind) }
            storage.storeBytes(of: Int32(value), as: Int32.self)
        case .int64, .sint64, .sfixed64:
            guard let value = Self.signed(negative, magnitude, limit: UInt64(Int64.max)) else { throw Self.outOfRange(text, kind) }
            storage.storeBytes(of: value, as: Int64.self)
        case .uint32, .fixed32:
            guard !negative || magnitude == 0, magnitude <= UInt64(UInt32.max) else { throw Self.outOfRange(text, kind) }
            storage.storeBytes(of: UInt32(magnitude), as: UInt32.self)
        default:
            guard !negative || magnitude == 0 else { throw Self.outOfRange(text, kind) }
            storage.storeBytes(of: magnitude, as: UInt64.self)
        }
    }

    /// `±magnitude` if it fits a signed type whose maximum is `limit` (the minimum is `-limit - 1`).
    private static func signed(_ negative: Bool, _ magnitude: UInt64, limit: UInt64) -> Int64? {
        if negative {
            guard magnitude <= limit + 1 else { return nil }
            return magnitude == limit + 1 ? (limit == UInt64(Int64.max) ? Int64.min : -Int64(magnitude)) : -Int64(magnitude)
        }
        guard magnitude <= limit else { return nil }
        return Int64(magnitude)
    }

    private static func outOfRange(_ text: UnsafeRawBufferPointer, _ kind: FieldKind) -> MappingFailure {
        MappingFailure(.invalidValue, "\(MappingFailure.quote(text)) is out of range for \(kind == .enumeration ? "an enum" : "\(kind)")")
    }

    // MARK: Well-known types with a string form

    /// Sets a Timestamp, Duration or FieldMask from its JSON string form.
    func setWellKnown(_ schema: MessageSchema, text: UnsafeRawBufferPointer, into message: UnsafeMutableRawPointer) throws(MappingFailure) {
        switch schema.wellKnown {
        case .timestamp?:
            guard let (seconds, nanos) = TimeText.parseTimestamp(text) else {
                throw MappingFailure(
                    .invalidValue,
                    "expected an RFC 3339 timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z, got \(MappingFailure.quote(text, limit: 40))"
                )
            }
            setSecondsAndNanos(seconds, nanos, schema, message)
        case .duration?:
            guard let (seconds, nanos) = TimeText.parseDuration(text) else {
                throw MappingFailure(
                    .invalidValue, "expected a duration such as \"1.5s\" within ±315576000000s, got \(MappingFailure.quote(text, limit: 40))")
            }
            setSecondsAndNanos(seconds, nanos, schema, message)
        case .fieldMask?:
            try setFieldMask(text, schema, message)
        default:
            preconditionFailure("not a string-form well-known type")
        }
    }

    private func setSecondsAndNanos(_ seconds: Int64, _ nanos: Int32, _ schema: MessageSchema, _ message: UnsafeMutableRawPointer) {
        message.storeBytes(of: seconds, toByteOffset: schema.fields[0].offset, as: Int64.self)
        message.storeBytes(of: nanos, toByteOffset: schema.fields[1].offset, as: Int32.self)
    }

    /// `"a.fooBar,b"` → paths `a.foo_bar` and `b` (replacing the mask's paths).
    private func setFieldMask(_ text: UnsafeRawBufferPointer, _ schema: MessageSchema, _ message: UnsafeMutableRawPointer) throws(MappingFailure) {
        var paths = GrowableArray(stride: 8, arena: arena)
        if text.count > 0 {
            var start = 0
            while start <= text.count {
                var end = start
                while end < text.count, text[end] != UInt8(ascii: ",") { end += 1 }
                let camel = UnsafeRawBufferPointer(rebasing: text[start..<end])
                guard !camel.isEmpty else { throw MappingFailure(.invalidValue, "a FieldMask path is empty") }
                let snake = arena.allocate(UInt8.self, count: camel.count * 2 + 1)
                var written = 0
                for byte in camel {
                    if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                        snake[written] = UInt8(ascii: "_")
                        snake[written + 1] = byte + 32
                        written += 2
                    } else if byte == UInt8(ascii: "_") || byte == 0 {
                        throw MappingFailure(.invalidValue, "a FieldMask path in JSON is lowerCamelCase, without \"_\"")
                    } else {
                        snake[written] = byte
                        written += 1
                    }
                }
                snake[written] = 0
                paths.appendSlot().storeBytes(of: snake, as: UnsafeMutablePointer<UInt8>.self)
                start = end + 1
            }
        }
        let field = schema.fields[0]
        FieldStorage.clear(field, in: message, arena: arena)
        if paths.count > 0 { FieldStorage.append(paths, to: field, in: message, arena: arena) }
    }
}
