/// Turns protoc's request into Swift files: the generator's entry point, independent of I/O.
public enum Generator {
    /// Generates one Swift file per requested `.proto` file (plus the service list when asked for), or,
    /// in `openapi` mode, the OpenAPI document of the files' HTTP routes.
    public static func generate(_ request: CodeGeneratorRequest) throws(CodeGenError) -> [GeneratedFile] {
        let options = try GeneratorOptions(parameter: request.parameter)
        let registry = try TypeRegistry(request: request, options: options)
        let byName = Dictionary(request.files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var files: [ProtoFile] = []
        for name in request.filesToGenerate {
            guard let file = byName[name] else { throw CodeGenError("protoc did not send \(name)") }
            guard file.syntax == "proto3" || options.mode == "descriptor" else {
                throw CodeGenError("\(name): only proto3 files are supported, this one is \(file.syntax)")
            }
            if options.mode != "descriptor" { try checkNoRecursion(file, registry: registry) }
            files.append(file)
        }
        if options.mode == "openapi" {
            return try OpenAPIRenderer(registry: registry, options: options).render(files)
        }
        var output: [GeneratedFile] = []
        for file in files {
            output.append(try FileRenderer(registry: registry, options: options).render(file, allFiles: byName))
        }
        if options.mode == "swift", let list = try ServiceListRenderer(options: options).render(files) { output.append(list) }
        return output
    }

    /// Swift structs cannot contain themselves; recursive messages are rejected with a clear error.
    private static func checkNoRecursion(_ file: ProtoFile, registry: TypeRegistry) throws(CodeGenError) {
        func visit(_ name: String, _ path: [String]) throws(CodeGenError) {
            if path.contains(name) {
                throw CodeGenError("\(file.name): recursive message \((path + [name]).joined(separator: " -> ")) is not supported")
            }
            guard let message = registry.types[name]?.message else { return }
            for field in message.fields where field.type == .message && field.label != .repeated {
                try visit(field.typeName, path + [name])
            }
        }
        func walk(_ message: MessageModel) throws(CodeGenError) {
            try visit(message.fullName, [])
            for nested in message.messages { try walk(nested) }
        }
        for message in file.messages { try walk(message) }
    }
}
