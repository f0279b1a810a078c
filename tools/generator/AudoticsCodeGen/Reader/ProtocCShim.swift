internal import CProtobufC
internal import CProtobufDescriptors
internal import Foundation
internal import Glibc

/// Runs Debian's `protoc-gen-c` (protobuf-c 1.4) for our message structs, including proto3 `optional`.
///
/// protobuf-c 1.4 predates proto3 `optional` and protoc refuses to hand it such files. On the wire
/// a proto3 `optional` field is exactly a field alone in a oneof, which is how descriptors already
/// model it (a "synthetic" oneof). This shim clears the `proto3_optional` flags so that
/// `protoc-gen-c` sees ordinary one-field oneofs, then tells protoc the feature is supported. The C
/// code it produces reads and writes the same bytes; the Swift side still sees `optional`.
public enum ProtocCShim {
    /// Where Debian installs the protobuf-c plugin.
    public static let defaultPluginPath = "/usr/bin/protoc-gen-c"

    /// Rewrites the request, runs `protoc-gen-c`, and returns its response marked as supporting proto3 optional.
    public static func run(request bytes: [UInt8], pluginPath: String = defaultPluginPath) throws(CodeGenError) -> [UInt8] {
        let rewritten = try rewriteRequest(bytes)
        let output = try runPlugin(pluginPath, input: rewritten)
        return try markProto3OptionalSupported(output)
    }

    /// The request with every `proto3_optional` flag cleared.
    static func rewriteRequest(_ bytes: [UInt8]) throws(CodeGenError) -> [UInt8] {
        let decoded = bytes.withUnsafeBufferPointer {
            google__protobuf__compiler__code_generator_request__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let request = decoded else { throw CodeGenError("not a valid CodeGeneratorRequest") }
        defer { google__protobuf__compiler__code_generator_request__free_unpacked(request, nil) }
        // Our parameter (mode=c) is not protoc-gen-c's; free it with the request (same allocator).
        free(request.pointee.parameter)
        request.pointee.parameter = nil
        // Services are hidden from protoc-c: our RPC layer never uses protobuf-c's service stubs, and
        // protoc-c would turn method names into C struct members (a method named `Register` would
        // collide with the C keyword). The counts are restored before the request is freed.
        var serviceCounts: [Int] = []
        for fileIndex in 0..<request.pointee.n_proto_file {
            let file = request.pointee.proto_file[fileIndex]!
            for messageIndex in 0..<file.pointee.n_message_type {
                clearProto3Optional(file.pointee.message_type[messageIndex]!)
            }
            serviceCounts.append(file.pointee.n_service)
            file.pointee.n_service = 0
        }
        defer {
            for (fileIndex, count) in serviceCounts.enumerated() { request.pointee.proto_file[fileIndex]!.pointee.n_service = count }
        }
        let size = google__protobuf__compiler__code_generator_request__get_packed_size(request)
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            count = google__protobuf__compiler__code_generator_request__pack(request, out.baseAddress!)
        }
    }

    private static func clearProto3Optional(_ message: UnsafeMutablePointer<Google__Protobuf__DescriptorProto>) {
        for index in 0..<message.pointee.n_field {
            let field = message.pointee.field[index]!
            field.pointee.has_proto3_optional = 0
            field.pointee.proto3_optional = 0
        }
        for index in 0..<message.pointee.n_nested_type {
            clearProto3Optional(message.pointee.nested_type[index]!)
        }
    }

    private static func markProto3OptionalSupported(_ bytes: [UInt8]) throws(CodeGenError) -> [UInt8] {
        let decoded = bytes.withUnsafeBufferPointer {
            google__protobuf__compiler__code_generator_response__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let response = decoded else { throw CodeGenError("protoc-gen-c answered with an invalid CodeGeneratorResponse") }
        defer { google__protobuf__compiler__code_generator_response__free_unpacked(response, nil) }
        response.pointee.has_supported_features = 1
        response.pointee.supported_features |= CodeGeneratorResponseWriter.featureProto3Optional
        let size = google__protobuf__compiler__code_generator_response__get_packed_size(response)
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            count = google__protobuf__compiler__code_generator_response__pack(response, out.baseAddress!)
        }
    }

    private static func runPlugin(_ path: String, input: [UInt8]) throws(CodeGenError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        do {
            try process.run()
        } catch {
            throw CodeGenError("cannot run \(path): \(error) (install Debian's protobuf-c-compiler)")
        }
        // Write on another thread so a large response cannot deadlock against a full input pipe.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CodeGenError("\(path) exited with status \(process.terminationStatus)")
        }
        return [UInt8](output)
    }
}
