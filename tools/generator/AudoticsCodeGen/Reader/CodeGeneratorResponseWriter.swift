internal import CProtobufC
internal import CProtobufDescriptors
internal import Glibc

/// Encodes protoc's `CodeGeneratorResponse` through protobuf-c.
public enum CodeGeneratorResponseWriter {
    /// `CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL`.
    public static let featureProto3Optional: UInt64 = 1

    /// The serialized response carrying `files`, or `error` when generation failed.
    public static func encode(files: [GeneratedFile], error: String? = nil) -> [UInt8] {
        var response = Google__Protobuf__Compiler__CodeGeneratorResponse()
        google__protobuf__compiler__code_generator_response__init(&response)
        response.has_supported_features = 1
        response.supported_features = featureProto3Optional

        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { strings.forEach { free($0) } }
        func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
            let copy = strdup(s)!
            strings.append(copy)
            return copy
        }
        if let error { response.error = cString(error) }

        var entries = files.map { file -> Google__Protobuf__Compiler__CodeGeneratorResponse__File in
            var entry = Google__Protobuf__Compiler__CodeGeneratorResponse__File()
            google__protobuf__compiler__code_generator_response__file__init(&entry)
            entry.name = cString(file.name)
            entry.content = cString(file.content)
            return entry
        }
        return entries.withUnsafeMutableBufferPointer { entryBuffer in
            var pointers: [UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorResponse__File>?] =
                (0..<entryBuffer.count).map { entryBuffer.baseAddress! + $0 }
            return pointers.withUnsafeMutableBufferPointer { pointerBuffer in
                response.n_file = pointerBuffer.count
                response.file = pointerBuffer.baseAddress
                let size = google__protobuf__compiler__code_generator_response__get_packed_size(&response)
                return [UInt8](unsafeUninitializedCapacity: size) { out, count in
                    count = google__protobuf__compiler__code_generator_response__pack(&response, out.baseAddress!)
                }
            }
        }
    }
}
