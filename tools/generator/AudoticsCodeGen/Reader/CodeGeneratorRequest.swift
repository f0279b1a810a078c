/// What protoc asks a plugin to do: the files to generate, the parameter, and every file they need.
public struct CodeGeneratorRequest: Hashable, Sendable {
    /// The files named on protoc's command line.
    public var filesToGenerate: [String]
    /// The text after `--<plugin>_out=` and before `:`.
    public var parameter: String
    /// Every file in dependency order, the ones to generate and all they import.
    public var files: [ProtoFile]

    /// Creates a request.
    public init(filesToGenerate: [String], parameter: String, files: [ProtoFile]) {
        self.filesToGenerate = filesToGenerate
        self.parameter = parameter
        self.files = files
    }
}

/// A generated file.
public struct GeneratedFile: Hashable, Sendable {
    /// The path relative to the output folder.
    public var name: String
    /// The file's text.
    public var content: String

    /// Creates a generated file.
    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}

/// A failure the generator reports to protoc (and so to the user) instead of output.
public struct CodeGenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
