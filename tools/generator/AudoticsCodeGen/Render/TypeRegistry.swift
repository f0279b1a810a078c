/// Everything the renderer needs to know about a message or enum referenced by name.
struct TypeInfo {
    /// The fully qualified proto name.
    var fullName: String
    /// The Swift path inside its module, for example `Track` or `OuterMsg.Inner`.
    var swiftPath: String
    /// The Swift module that declares the type.
    var module: String
    /// Whether the type is an enum.
    var isEnum: Bool
    /// The message model, for messages (map entries need their key and value fields).
    var message: MessageModel?
    /// The enum model, for enums.
    var enumModel: EnumModel? = nil

    /// The protoc-c struct or enum type name.
    var cTypeName: String { ProtobufCNaming.typeName(fullName) }
    /// The protoc-c function prefix.
    var cLowerName: String { ProtobufCNaming.lowerName(fullName) }
}

/// An index of every message and enum in a request, by fully qualified name.
struct TypeRegistry {
    private(set) var types: [String: TypeInfo] = [:]
    /// The Swift module of each file that has one, by file name.
    private var fileModules: [String: String] = [:]
    let currentModule: String

    init(request: CodeGeneratorRequest, options: GeneratorOptions) throws(CodeGenError) {
        currentModule = options.module
        let generated = Set(request.filesToGenerate)
        for file in request.files {
            let module: String
            if let mapped = options.packageModules[file.package] {
                module = mapped
            } else if generated.contains(file.name) {
                module = options.module
            } else {
                continue  // Not referenced by generated code unless a field uses it; checked on lookup.
            }
            fileModules[file.name] = module
            for message in file.messages { register(message, parentPath: nil, module: module) }
            for enumModel in file.enums { register(enumModel, parentPath: nil, module: module) }
        }
    }

    private mutating func register(_ message: MessageModel, parentPath: String?, module: String) {
        let name = SwiftNaming.typeName(message.name)
        let path = parentPath.map { "\($0).\(name)" } ?? name
        types[message.fullName] = TypeInfo(fullName: message.fullName, swiftPath: path, module: module, isEnum: false, message: message)
        for nested in message.messages { register(nested, parentPath: path, module: module) }
        for nested in message.enums { register(nested, parentPath: path, module: module) }
    }

    private mutating func register(_ enumModel: EnumModel, parentPath: String?, module: String) {
        let name = SwiftNaming.typeName(enumModel.name)
        let path = parentPath.map { "\($0).\(name)" } ?? name
        types[enumModel.fullName] = TypeInfo(
            fullName: enumModel.fullName, swiftPath: path, module: module, isEnum: true, message: nil, enumModel: enumModel)
    }

    /// The Swift module that holds the file's generated code (and its descriptor), if any.
    func module(ofFile file: ProtoFile) -> String? {
        fileModules[file.name]
    }

    /// Whether the current module declares a top-level message or enum with this Swift name.
    func declaresTopLevelType(named name: String) -> Bool {
        types.values.contains { $0.module == currentModule && $0.swiftPath == name }
    }

    /// The type with this fully qualified name.
    func info(_ fullName: String) throws(CodeGenError) -> TypeInfo {
        guard let info = types[fullName] else {
            throw CodeGenError("type \(fullName) is in a package without a Swift module: add package=<pkg>=<Module> to the plugin parameter")
        }
        return info
    }

    /// How Swift code in the current module names the type.
    func swiftReference(_ fullName: String) throws(CodeGenError) -> String {
        let info = try info(fullName)
        return info.module == currentModule ? info.swiftPath : "\(info.module).\(info.swiftPath)"
    }
}
