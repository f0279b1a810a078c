import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsReflection
import AudoticsReflectionV1AlphaAPI
import Testing

/// `grpc.reflection.v1alpha`, which grpcio's reflection client still speaks, answers as v1 does.
@Suite("ReflectionService v1alpha")
struct ReflectionV1AlphaTests {
    let router = RPCRouter(services: [InteropTestService(), ReflectionService(files: [TestProtoFile.descriptor])])

    @Test("list_services, file_containing_symbol and an unknown symbol on one stream")
    func requests() async throws {
        let client = ServerReflectionClient(transport: InProcessTransport(router: router))
        let responses = try await client.serverReflectionInfo(requests: { writer in
            try await writer.write(.with { $0.messageRequest = .listServices("*") })
            try await writer.write(.with { $0.messageRequest = .fileContainingSymbol("grpc.testing.TestService") })
            try await writer.write(.with { $0.messageRequest = .fileContainingSymbol("no.such.Symbol") })
        }) { responses in
            var all: [ServerReflectionResponse] = []
            for try await response in responses { all.append(response) }
            return all
        }
        #expect(responses.count == 3)
        guard case .listServicesResponse(let list)? = responses[0].messageResponse else {
            Issue.record("no list_services_response")
            return
        }
        #expect(list.service.map(\.name).contains("grpc.testing.TestService"))
        guard case .fileDescriptorResponse(let files)? = responses[1].messageResponse else {
            Issue.record("no file_descriptor_response")
            return
        }
        #expect(files.fileDescriptorProto.first == TestProtoFile.descriptor.serializedBytes)
        #expect(files.fileDescriptorProto.count == 3)
        guard case .errorResponse(let error)? = responses[2].messageResponse else {
            Issue.record("no error_response")
            return
        }
        #expect(error.errorCode == 5)
        #expect(responses[2].originalRequest?.messageRequest == .fileContainingSymbol("no.such.Symbol"))
    }
}
