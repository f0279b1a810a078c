/// Renders a proto enum as an open Swift enum with an `unrecognized` case.
struct EnumRenderer {
    func render(_ model: EnumModel, into out: inout CodeWriter) throws(CodeGenError) {
        let typeName = SwiftNaming.typeName(model.name)
        var seen = Set<Int32>()
        let cases = model.values.filter { seen.insert($0.number).inserted }.map {
            (value: $0, name: SwiftNaming.enumCaseName($0.name, enumName: model.name))
        }
        out.documentation(model.comment, fallback: "The proto enum `\(model.fullName)`.")
        try out.block("public enum \(typeName): ProtobufEnum, CaseIterable") { (out: inout CodeWriter) throws(CodeGenError) in
            for item in cases {
                out.documentation(item.value.comment, fallback: "`\(item.value.name)` (\(item.value.number)).")
                out.line("case \(item.name)")
            }
            out.line("/// A number this build does not know, kept so that it round-trips unchanged.")
            out.line("case unrecognized(Int32)")
            out.line()
            out.line("/// The known values, in declaration order.")
            out.line("public static let allCases: [\(typeName)] = [\(cases.map { "." + $0.name }.joined(separator: ", "))]")
            out.line()
            out.line("/// The names and numbers declared in the `.proto` file.")
            out.line("public static let protoValueNames: [(name: String, number: Int32)] = [")
            for value in model.values { out.line("    (\"\(value.name)\", \(value.number)),") }
            out.line("]")
            out.line()
            out.line("/// The value for a number; unknown numbers become `unrecognized`.")
            try out.block("public init(rawValue: Int32)") { (out: inout CodeWriter) throws(CodeGenError) in
                try out.block("switch rawValue") { (out: inout CodeWriter) throws(CodeGenError) in
                    for item in cases { out.line("case \(item.value.number): self = .\(item.name)") }
                    out.line("default: self = .unrecognized(rawValue)")
                }
            }
            out.line()
            out.line("/// The number of the value.")
            try out.block("public var rawValue: Int32") { (out: inout CodeWriter) throws(CodeGenError) in
                try out.block("switch self") { (out: inout CodeWriter) throws(CodeGenError) in
                    for item in cases { out.line("case .\(item.name): \(item.value.number)") }
                    out.line("case .unrecognized(let number): number")
                }
            }
        }
    }
}
