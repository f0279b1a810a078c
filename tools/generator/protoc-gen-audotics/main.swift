// protoc-gen-audotics: the protoc plugin that generates Audotics' Swift API from .proto files.
//
// With the parameter `mode=c` it instead wraps Debian's protoc-gen-c so that protoc-c output can
// be produced for files that use proto3 `optional` (see ProtocCShim).
import AudoticsCodeGen
import Foundation

let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
let output: [UInt8]
do {
    let request = try DescriptorReader.readRequest(input)
    let options = try GeneratorOptions(parameter: request.parameter)
    if options.mode == "c" {
        output = try ProtocCShim.run(request: input)
    } else {
        output = CodeGeneratorResponseWriter.encode(files: try Generator.generate(request))
    }
} catch {
    output = CodeGeneratorResponseWriter.encode(files: [], error: error.description)
}
FileHandle.standardOutput.write(Data(output))
