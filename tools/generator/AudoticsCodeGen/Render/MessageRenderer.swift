/// Renders a proto message as a Swift struct plus its protobuf-c bridge.
struct MessageRenderer {
    let registry: TypeRegistry
    var codec: FieldCodec { FieldCodec(registry: registry) }

    /// The struct declaration with nested types (`extension` bridges are rendered separately).
    func renderType(_ model: MessageModel, into out: inout CodeWriter) throws(CodeGenError) {
        let typeName = SwiftNaming.typeName(model.name)
        out.documentation(model.comment, fallback: "The proto message `\(model.fullName)`.")
        try out.block("public struct \(typeName): ProtobufMessage") { (out: inout CodeWriter) throws(CodeGenError) in
            for field in model.fields where realOneof(field, model) == nil {
                out.documentation(field.comment, fallback: "Field `\(field.name)` (\(field.number)).")
                let name = SwiftNaming.propertyName(field.name)
                out.line("public var \(name): \(try codec.propertyType(field)) = \(try codec.propertyDefault(field))")
            }
            for (index, oneof) in model.oneofs.enumerated() where !oneof.isSynthetic {
                out.documentation(oneof.comment, fallback: "The oneof `\(oneof.name)`: at most one of its fields is set.")
                out.line("public var \(SwiftNaming.propertyName(oneof.name)): \(oneofTypeName(oneof, in: model))? = nil")
                out.line()
                try renderOneofEnum(model, index: index, into: &out)
            }
            out.line("/// Fields this schema does not declare, kept from decoding and written back when encoding.")
            out.line("public var unknownFields = UnknownFields()")
            out.line()
            out.line("/// Creates a message with every field at its default.")
            out.line("public init() {}")
            for nested in model.enums {
                out.line()
                try EnumRenderer().render(nested, into: &out)
            }
            for nested in model.messages where !nested.isMapEntry {
                out.line()
                try renderType(nested, into: &out)
            }
        }
    }

    /// The `ProtobufMessage` bridge of the message and, recursively, of its nested messages.
    func renderBridge(_ model: MessageModel, into out: inout CodeWriter) throws(CodeGenError) {
        let info = try registry.info(model.fullName)
        let cType = info.cTypeName
        try out.block("extension \(info.swiftPath)") { (out: inout CodeWriter) throws(CodeGenError) in
            out.line("/// The fully qualified proto name.")
            out.line("public static let protoMessageName = \"\(model.fullName)\"")
            out.line()
            out.line("/// The protobuf-c descriptor of `\(cType)`.")
            try out.block("public static let _protobufCDescriptor: ProtobufCDescriptor =", close: "}()") { (out: inout CodeWriter) throws(CodeGenError) in
                out.line("var message = \(cType)()")
                out.line("\(info.cLowerName)__init(&message)")
                out.line("return ProtobufCDescriptor(initializedMessage: &message)")
            }
            out.line()
            out.line("/// Reads the message from a protobuf-c `\(cType)`.")
            try out.block("public init(_protobufC message: UnsafeRawPointer) throws(CodecError)") { (out: inout CodeWriter) throws(CodeGenError) in
                out.line("self.init()")
                out.line("self.unknownFields = _ProtobufC.unknownFields(message)")
                if model.fields.isEmpty { return }
                // Read through the pointer: copying the whole C struct first showed up as memmove in profiles.
                out.line("let c = message.assumingMemoryBound(to: \(cType).self)")
                for field in model.fields {
                    if realOneof(field, model) != nil { continue }
                    if field.isProto3Optional, let index = field.oneofIndex {
                        let caseMember = "c.pointee." + ProtobufCNaming.oneofCaseName(model.oneofs[index].name)
                        let value = try codec.readValue(field, from: "c.pointee." + ProtobufCNaming.fieldName(field.name), messageName: model.fullName)
                        out.line("if \(caseMember).rawValue == \(field.number) { self.\(SwiftNaming.propertyName(field.name)) = \(value) }")
                        continue
                    }
                    out.lines(try codec.readStatements(field, messageName: model.fullName))
                }
                for (index, oneof) in model.oneofs.enumerated() where !oneof.isSynthetic {
                    try out.block("switch c.pointee.\(ProtobufCNaming.oneofCaseName(oneof.name)).rawValue") { (out: inout CodeWriter) throws(CodeGenError) in
                        for field in model.fields where field.oneofIndex == index {
                            let value = try codec.readValue(field, from: "c.pointee." + ProtobufCNaming.fieldName(field.name), messageName: model.fullName)
                            out.line("case \(field.number): self.\(SwiftNaming.propertyName(oneof.name)) = .\(SwiftNaming.propertyName(field.name))(\(value))")
                        }
                        out.line("default: break")
                    }
                }
            }
            out.line()
            out.line("/// Writes the message into an initialised protobuf-c `\(cType)`.")
            try out.block("public func _protobufCFill(_ message: UnsafeMutableRawPointer, _ arena: ProtobufCArena)") { (out: inout CodeWriter) throws(CodeGenError) in
                if model.fields.isEmpty {
                    out.line("_ = (message, arena)")
                    return
                }
                out.line("let c = message.assumingMemoryBound(to: \(cType).self)")
                for field in model.fields {
                    if realOneof(field, model) != nil { continue }
                    if field.isProto3Optional, let index = field.oneofIndex {
                        let caseMember = "c.pointee." + ProtobufCNaming.oneofCaseName(model.oneofs[index].name)
                        try out.block("if let value = self.\(SwiftNaming.propertyName(field.name))") { (out: inout CodeWriter) throws(CodeGenError) in
                            out.line("\(caseMember) = .init(rawValue: \(field.number))")
                            out.lines(try codec.writeValue(field, value: "value", to: "c.pointee." + ProtobufCNaming.fieldName(field.name), skipDefault: false))
                        }
                        continue
                    }
                    out.lines(try codec.writeStatements(field))
                }
                for (index, oneof) in model.oneofs.enumerated() where !oneof.isSynthetic {
                    let caseMember = "c.pointee." + ProtobufCNaming.oneofCaseName(oneof.name)
                    try out.block("switch self.\(SwiftNaming.propertyName(oneof.name))") { (out: inout CodeWriter) throws(CodeGenError) in
                        for field in model.fields where field.oneofIndex == index {
                            out.line("case .\(SwiftNaming.propertyName(field.name))(let value)?:")
                            out.line("    \(caseMember) = .init(rawValue: \(field.number))")
                            out.lines(try codec.writeValue(field, value: "value", to: "c.pointee." + ProtobufCNaming.fieldName(field.name), skipDefault: false).map { "    " + $0 })
                        }
                        out.line("case nil: break")
                    }
                }
            }
        }
        for nested in model.messages where !nested.isMapEntry {
            out.line()
            try renderBridge(nested, into: &out)
        }
    }

    private func renderOneofEnum(_ model: MessageModel, index: Int, into out: inout CodeWriter) throws(CodeGenError) {
        let oneof = model.oneofs[index]
        out.documentation(oneof.comment, fallback: "The fields of the oneof `\(oneof.name)`.")
        try out.block("public enum \(oneofTypeName(oneof, in: model)): Hashable, Sendable") { (out: inout CodeWriter) throws(CodeGenError) in
            for field in model.fields where field.oneofIndex == index {
                out.documentation(field.comment, fallback: "Field `\(field.name)` (\(field.number)).")
                out.line("case \(SwiftNaming.propertyName(field.name))(\(try codec.valueType(field)))")
            }
        }
    }

    /// The Swift enum name of a oneof, avoiding clashes with nested types.
    private func oneofTypeName(_ oneof: OneofModel, in model: MessageModel) -> String {
        let name = SwiftNaming.upperCamel(oneof.name)
        let nestedNames = Set(model.messages.map(\.name) + model.enums.map(\.name))
        return nestedNames.contains(name) ? name + "Oneof" : name
    }

    /// The index of the real (non-synthetic) oneof that holds `field`, if any.
    private func realOneof(_ field: FieldModel, _ model: MessageModel) -> Int? {
        guard let index = field.oneofIndex, !model.oneofs[index].isSynthetic else { return nil }
        return index
    }
}
