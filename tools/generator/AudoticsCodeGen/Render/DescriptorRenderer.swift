/// Renders a file's `ProtoFileDescriptor`: `public enum <File>ProtoFile { public static let descriptor }`.
///
/// Server reflection serves these; each names the descriptors of the files it imports, so that a
/// file's transitive dependencies are reachable from it alone.
struct DescriptorRenderer {
    let registry: TypeRegistry

    /// `grpc/health/v1/health.proto` → `HealthProtoFile`; `field_mask.proto` → `FieldMaskProtoFile`.
    static func namespaceName(_ fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let stem = base.hasSuffix(".proto") ? String(base.dropLast(6)) : base
        return SwiftNaming.upperCamel(stem) + "ProtoFile"
    }

    func render(_ file: ProtoFile, allFiles: [String: ProtoFile], into out: inout CodeWriter) throws(CodeGenError) {
        let name = Self.namespaceName(file.name)
        if registry.declaresTopLevelType(named: name) {
            throw CodeGenError("\(file.name): a type named \(name) clashes with the file's descriptor namespace")
        }
        var dependencies: [String] = []
        for dependency in file.dependencies {
            guard let imported = allFiles[dependency], let module = registry.module(ofFile: imported) else {
                throw CodeGenError(
                    "\(file.name) imports \(dependency), whose package has no Swift module: add package=<pkg>=<Module>")
            }
            let reference = Self.namespaceName(dependency) + ".descriptor"
            dependencies.append(module == registry.currentModule ? reference : "\(module).\(reference)")
        }
        out.line("/// The descriptor of `\(file.name)`, for server reflection.")
        try out.block("public enum \(name)") { (out: inout CodeWriter) throws(CodeGenError) in
            out.line("/// The file's name, package, imports and symbols, and its `FileDescriptorProto` without source info.")
            out.line("public static let descriptor = ProtoFileDescriptor(")
            out.line("    name: \"\(file.name.swiftLiteralEscaped)\",")
            out.line("    package: \"\(file.package)\",")
            out.lines(list("dependencies", dependencies))
            out.lines(list("services", file.services.map { "\"\($0.fullName)\"" }))
            out.lines(list("symbols", Self.symbols(file).map { "\"\($0)\"" }))
            out.line("    serializedBytes: [")
            var index = 0
            let bytes = file.serializedDescriptor
            while index < bytes.count {
                let row = bytes[index..<min(index + 16, bytes.count)].map { Self.hex($0) + "," }
                out.line("        " + row.joined(separator: " "))
                index += 16
            }
            out.line("    ]")
            out.line(")")
        }
    }

    /// Methods, messages and enums the file declares, nested ones included, fully qualified.
    static func symbols(_ file: ProtoFile) -> [String] {
        var result: [String] = []
        for service in file.services {
            result += service.methods.map { "\(service.fullName).\($0.name)" }
        }
        func visit(_ message: MessageModel) {
            result.append(message.fullName)
            result += message.enums.map(\.fullName)
            message.messages.forEach(visit)
        }
        file.messages.forEach(visit)
        result += file.enums.map(\.fullName)
        return result
    }

    private func list(_ label: String, _ items: [String]) -> [String] {
        if items.isEmpty { return ["    \(label): [],"] }
        return ["    \(label): ["] + items.map { "        \($0)," } + ["    ],"]
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xf)])
    }
}
