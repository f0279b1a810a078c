internal import CProtobufC
internal import CProtobufDescriptors

/// Reads protoc's binary `CodeGeneratorRequest` through protobuf-c into the generator's model.
public enum DescriptorReader {
    /// The extension number of `google.api.http` on `google.protobuf.MethodOptions`.
    static let httpExtensionNumber: UInt32 = 72_295_728

    /// Decodes a serialized `CodeGeneratorRequest`.
    public static func readRequest(_ bytes: [UInt8]) throws(CodeGenError) -> CodeGeneratorRequest {
        let decoded = bytes.withUnsafeBufferPointer {
            google__protobuf__compiler__code_generator_request__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let request = decoded else { throw CodeGenError("protoc sent a request that is not a valid CodeGeneratorRequest") }
        defer { google__protobuf__compiler__code_generator_request__free_unpacked(request, nil) }
        let r = request.pointee
        return CodeGeneratorRequest(
            filesToGenerate: strings(r.file_to_generate, r.n_file_to_generate),
            parameter: string(r.parameter),
            files: (0..<r.n_proto_file).map { readFile(r.proto_file[$0]!.pointee) }
        )
    }

    private static func readFile(_ f: Google__Protobuf__FileDescriptorProto) -> ProtoFile {
        let package = string(f.package)
        let comments = CommentIndex(f.source_code_info)
        let prefix = package.isEmpty ? "" : package + "."
        return ProtoFile(
            name: string(f.name),
            package: package,
            syntax: f.syntax == nil ? "proto2" : string(f.syntax),
            dependencies: strings(f.dependency, f.n_dependency),
            messages: (0..<f.n_message_type).map {
                readMessage(f.message_type[$0]!.pointee, prefix: prefix, path: [4, Int32($0)], comments)
            },
            enums: (0..<f.n_enum_type).map { readEnum(f.enum_type[$0]!.pointee, prefix: prefix, path: [5, Int32($0)], comments) },
            services: (0..<f.n_service).map { readService(f.service[$0]!.pointee, prefix: prefix, path: [6, Int32($0)], comments) },
            serializedDescriptor: serializeWithoutSourceInfo(f)
        )
    }

    /// The file's `FileDescriptorProto` packed again by protobuf-c, without comments and source
    /// positions (reflection clients do not need them). Extension options protobuf-c does not know,
    /// such as `google.api.http`, are kept: it re-encodes unknown fields unchanged.
    static func serializeWithoutSourceInfo(_ file: Google__Protobuf__FileDescriptorProto) -> [UInt8] {
        var stripped = file  // A shallow copy: packing only reads it, and nothing is freed through it.
        stripped.source_code_info = nil
        return withUnsafeMutablePointer(to: &stripped) { pointer in
            let size = google__protobuf__file_descriptor_proto__get_packed_size(pointer)
            return [UInt8](unsafeUninitializedCapacity: size) { out, count in
                count = size == 0 ? 0 : google__protobuf__file_descriptor_proto__pack(pointer, out.baseAddress!)
            }
        }
    }

    private static func readMessage(
        _ m: Google__Protobuf__DescriptorProto, prefix: String, path: [Int32], _ comments: CommentIndex
    ) -> MessageModel {
        let name = string(m.name)
        let fullName = prefix + name
        let fields = (0..<m.n_field).map { index -> FieldModel in
            let f = m.field[index]!.pointee
            return FieldModel(
                name: string(f.name),
                number: f.number,
                label: f.label.rawValue == 3 ? .repeated : (f.label.rawValue == 2 ? .required : .optional),
                type: FieldModel.FieldType(rawValue: Int(f.type.rawValue)) ?? .int32,
                typeName: trimDot(string(f.type_name)),
                oneofIndex: f.has_oneof_index != 0 ? Int(f.oneof_index) : nil,
                isProto3Optional: f.has_proto3_optional != 0 && f.proto3_optional != 0,
                jsonName: string(f.json_name),
                comment: comments[path + [2, Int32(index)]]
            )
        }
        var oneofs = (0..<m.n_oneof_decl).map { index in
            OneofModel(name: string(m.oneof_decl[index]!.pointee.name), comment: comments[path + [8, Int32(index)]])
        }
        for field in fields where field.isProto3Optional {
            if let index = field.oneofIndex { oneofs[index].isSynthetic = true }
        }
        let isMapEntry = m.options.map { $0.pointee.has_map_entry != 0 && $0.pointee.map_entry != 0 } ?? false
        return MessageModel(
            name: name,
            fullName: fullName,
            fields: fields,
            oneofs: oneofs,
            messages: (0..<m.n_nested_type).map {
                readMessage(m.nested_type[$0]!.pointee, prefix: fullName + ".", path: path + [3, Int32($0)], comments)
            },
            enums: (0..<m.n_enum_type).map {
                readEnum(m.enum_type[$0]!.pointee, prefix: fullName + ".", path: path + [4, Int32($0)], comments)
            },
            isMapEntry: isMapEntry,
            comment: comments[path]
        )
    }

    private static func readEnum(
        _ e: Google__Protobuf__EnumDescriptorProto, prefix: String, path: [Int32], _ comments: CommentIndex
    ) -> EnumModel {
        let name = string(e.name)
        return EnumModel(
            name: name,
            fullName: prefix + name,
            values: (0..<e.n_value).map { index in
                let v = e.value[index]!.pointee
                return EnumModel.Value(name: string(v.name), number: v.number, comment: comments[path + [2, Int32(index)]])
            },
            comment: comments[path]
        )
    }

    private static func readService(
        _ s: Google__Protobuf__ServiceDescriptorProto, prefix: String, path: [Int32], _ comments: CommentIndex
    ) -> ServiceModel {
        let name = string(s.name)
        return ServiceModel(
            name: name,
            fullName: prefix + name,
            methods: (0..<s.n_method).map { index in
                let m = s.method[index]!.pointee
                let idempotency = m.options.map { $0.pointee.has_idempotency_level != 0 ? $0.pointee.idempotency_level.rawValue : 0 } ?? 0
                return MethodModel(
                    name: string(m.name),
                    inputType: trimDot(string(m.input_type)),
                    outputType: trimDot(string(m.output_type)),
                    clientStreaming: m.has_client_streaming != 0 && m.client_streaming != 0,
                    serverStreaming: m.has_server_streaming != 0 && m.server_streaming != 0,
                    isIdempotent: idempotency == 1 || idempotency == 2,
                    http: m.options.flatMap { readHTTPRule($0.pointee.base) },
                    comment: comments[path + [2, Int32(index)]]
                )
            },
            comment: comments[path]
        )
    }

    /// protobuf-c keeps extensions as unknown fields; `google.api.http` is one, decoded here as an `HttpRule`.
    private static func readHTTPRule(_ base: ProtobufCMessage) -> HTTPRuleModel? {
        for index in 0..<Int(base.n_unknown_fields) {
            let field = base.unknown_fields[index]
            guard field.tag == httpExtensionNumber, field.wire_type.rawValue == 2, let data = field.data else { continue }
            // protobuf-c keeps a length-delimited unknown field with its length prefix: skip the varint.
            var offset = 0
            while offset < field.len && data[offset] & 0x80 != 0 { offset += 1 }
            offset += 1
            guard offset <= field.len,
                let rule = google__api__http_rule__unpack(nil, field.len - offset, data + offset)
            else { return nil }
            defer { google__api__http_rule__free_unpacked(rule, nil) }
            return httpRule(rule.pointee)
        }
        return nil
    }

    private static func httpRule(_ r: Google__Api__HttpRule) -> HTTPRuleModel {
        let (method, path): (String, String)
        switch r.pattern_case.rawValue {
        case 2: (method, path) = ("GET", string(r.get))
        case 3: (method, path) = ("PUT", string(r.put))
        case 4: (method, path) = ("POST", string(r.post))
        case 5: (method, path) = ("DELETE", string(r.delete_))
        case 6: (method, path) = ("PATCH", string(r.patch))
        case 8: (method, path) = (string(r.custom?.pointee.kind), string(r.custom?.pointee.path))
        default: (method, path) = ("", "")
        }
        return HTTPRuleModel(
            method: method,
            path: path,
            body: string(r.body),
            responseBody: string(r.response_body),
            additionalBindings: (0..<r.n_additional_bindings).map { httpRule(r.additional_bindings[$0]!.pointee) }
        )
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
        (0..<count).map { string(pointer![$0]) }
    }

    private static func trimDot(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}

/// Leading comments of a file, keyed by `SourceCodeInfo.Location.path`.
struct CommentIndex {
    private var comments: [[Int32]: String] = [:]

    init(_ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?) {
        guard let info = info?.pointee else { return }
        for index in 0..<info.n_location {
            let location = info.location[index]!.pointee
            guard let leading = location.leading_comments else { continue }
            let path = Array(UnsafeBufferPointer(start: location.path, count: location.n_path))
            comments[path] = String(cString: leading)
        }
    }

    subscript(path: [Int32]) -> String { comments[path] ?? "" }
}
