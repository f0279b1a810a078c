import AudoticsProtobuf
import Glibc

extension MessageWriter {
    /// A repeated field as an array.
    mutating func writeList(_ elements: UnsafeRawPointer?, count: Int, _ field: FieldSchema, depth: Int) throws(MappingFailure) {
        out.append(UInt8(ascii: "["))
        if let elements {
            let stride = Self.stride(field.kind)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                do throws(MappingFailure) {
                    try writeValue(elements + index * stride, field, depth: depth)
                } catch {
                    throw error.atIndex(index)
                }
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A map as an object with string keys; when protobuf-c kept several entries with one key, the
    /// last wins, as it does when the map is decoded.
    mutating func writeMap(_ elements: UnsafeRawPointer?, count: Int, _ field: FieldSchema, depth: Int) throws(MappingFailure) {
        out.append(UInt8(ascii: "{"))
        defer { out.append(UInt8(ascii: "}")) }
        guard let elements, count > 0 else { return }
        let entrySchema = field.message!
        let keyField = entrySchema.fields[0]
        let valueField = entrySchema.fields[1]
        var lastIndex: [[UInt8]: Int] = [:]
        if count > 1 {
            for index in 0..<count {
                guard let entry = elements.load(fromByteOffset: index * 8, as: UnsafeRawPointer?.self) else { continue }
                lastIndex[Self.keyIdentity(entry + keyField.offset, keyField.kind)] = index
            }
        }
        var first = true
        for index in 0..<count {
            guard let entry = elements.load(fromByteOffset: index * 8, as: UnsafeRawPointer?.self) else { continue }
            let key = entry + keyField.offset
            if count > 1, lastIndex[Self.keyIdentity(key, keyField.kind)] != index { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch keyField.kind {
            case .string:
                do throws(MappingFailure) { try writeString(key.load(as: UnsafePointer<UInt8>?.self)) } catch { throw error.atIndex(index) }
            case .bool:
                out.append(key.load(as: Int32.self) != 0 ? "\"true\"" : "\"false\"")
            default:
                out.append(UInt8(ascii: "\""))
                switch keyField.kind {
                case .int32, .sint32, .sfixed32: out.append(decimal: Int64(key.load(as: Int32.self)))
                case .uint32, .fixed32: out.append(decimal: UInt64(key.load(as: UInt32.self)))
                case .int64, .sint64, .sfixed64: out.append(decimal: key.load(as: Int64.self))
                default: out.append(decimal: key.load(as: UInt64.self))
                }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: ":"))
            do throws(MappingFailure) {
                try writeValue(entry + valueField.offset, valueField, depth: depth)
            } catch {
                throw error.atIndex(index)
            }
        }
    }

    /// A map key's bytes, for finding repeated keys.
    private static func keyIdentity(_ key: UnsafeRawPointer, _ kind: FieldKind) -> [UInt8] {
        if kind == .string {
            guard let pointer = key.load(as: UnsafePointer<UInt8>?.self) else { return [] }
            return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
        }
        return Array(UnsafeRawBufferPointer(start: key, count: stride(kind)))
    }
}
