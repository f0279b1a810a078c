import AudoticsHealthAPI
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsProtobuf
import AudoticsRPC
import AudoticsReflection
import AudoticsReflectionAPI
import Testing

/// `grpc.reflection.v1` through the in-process transport: every request kind and its errors.
@Suite("ReflectionService v1")
struct ReflectionV1Tests {
    let router = RPCRouter(services: [
        InteropTestService(),
        ReflectionService(files: [TestProtoFile.descriptor, HealthProtoFile.descriptor]),
    ])

    func ask(_ requests: [ServerReflectionRequest]) async throws -> [ServerReflectionResponse] {
        let client = ServerReflectionClient(transport: InProcessTransport(router: router))
        return try await client.serverReflectionInfo(requests: { writer in
            for request in requests { try await writer.write(request) }
        }) { responses in
            var all: [ServerReflectionResponse] = []
            for try await response in responses { all.append(response) }
            return all
        }
    }

    func request(_ body: ServerReflectionRequest.MessageRequest?) -> ServerReflectionRequest {
        .with {
            $0.host = "localhost"
            $0.messageRequest = body
        }
    }

    func files(_ response: ServerReflectionResponse) -> [[UInt8]]? {
        guard case .fileDescriptorResponse(let files)? = response.messageResponse else { return nil }
        return files.fileDescriptorProto
    }

    func errorCode(_ response: ServerReflectionResponse) -> Int32? {
        guard case .errorResponse(let error)? = response.messageResponse else { return nil }
        return error.errorCode
    }

    @Test("list_services names every service of the given files and reflection itself, sorted")
    func listServices() async throws {
        let responses = try await ask([request(.listServices(""))])
        guard case .listServicesResponse(let list)? = responses.first?.messageResponse else {
            Issue.record("no list_services_response: \(responses)")
            return
        }
        #expect(list.service.map(\.name) == [
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            "grpc.testing.HookService", "grpc.testing.LoadBalancerStatsService", "grpc.testing.ReconnectService",
            "grpc.testing.TestService", "grpc.testing.UnimplementedService", "grpc.testing.XdsUpdateClientConfigureService",
            "grpc.testing.XdsUpdateHealthService",
        ])
        #expect(responses.first?.validHost == "localhost")
        #expect(responses.first?.originalRequest == request(.listServices("")))
    }

    @Test("file_by_filename answers the file and then its transitive imports")
    func fileByFilename() async throws {
        let responses = try await ask([request(.fileByFilename("grpc/testing/test.proto"))])
        #expect(files(responses[0]) == [
            TestProtoFile.descriptor.serializedBytes, EmptyProtoFile.descriptor.serializedBytes,
            MessagesProtoFile.descriptor.serializedBytes,
        ])
    }

    @Test(
        "file_containing_symbol finds services, methods, messages, nested types and enums",
        arguments: [
            ("grpc.testing.TestService", "grpc/testing/test.proto"),
            ("grpc.testing.TestService.UnaryCall", "grpc/testing/test.proto"),
            (".grpc.testing.SimpleRequest", "grpc/testing/messages.proto"),
            ("grpc.testing.LoadBalancerStatsResponse.RpcsByPeer", "grpc/testing/messages.proto"),
            ("grpc.testing.LoadBalancerStatsResponse.MetadataType", "grpc/testing/messages.proto"),
            ("grpc.testing.PayloadType", "grpc/testing/messages.proto"),
            ("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"),
            ("grpc.reflection.v1alpha.ServerReflectionRequest", "grpc/reflection/v1alpha/reflection.proto"),
        ])
    func fileContainingSymbol(symbol: String, file: String) async throws {
        let responses = try await ask([request(.fileContainingSymbol(symbol))])
        // A FileDescriptorProto starts with its name (field 1).
        let first = try #require(files(responses[0])?.first)
        #expect(Array(first.prefix(2 + file.utf8.count)) == [0x0a, UInt8(file.utf8.count)] + Array(file.utf8))
    }

    @Test("unknown names are NOT_FOUND error responses and the stream goes on")
    func unknownNames() async throws {
        let responses = try await ask([
            request(.fileByFilename("no/such.proto")),
            request(.fileContainingSymbol("no.such.Symbol")),
            request(.fileContainingExtension(.with { $0.containingType = "grpc.testing.SimpleRequest"; $0.extensionNumber = 100 })),
            request(.allExtensionNumbersOfType("no.such.Type")),
            request(nil),
            request(.listServices("")),
        ])
        #expect(responses.count == 6)
        #expect(responses.prefix(4).map(errorCode) == Array(repeating: 5, count: 4))
        #expect(errorCode(responses[4]) == Int32(StatusCode.invalidArgument.rawValue))
        #expect(errorCode(responses[5]) == nil)
    }

    @Test("all_extension_numbers_of_type of a known type is an empty list")
    func extensionNumbers() async throws {
        let responses = try await ask([request(.allExtensionNumbersOfType("grpc.testing.SimpleRequest"))])
        guard case .allExtensionNumbersResponse(let numbers)? = responses.first?.messageResponse else {
            Issue.record("no all_extension_numbers_response: \(responses)")
            return
        }
        #expect(numbers.baseTypeName == "grpc.testing.SimpleRequest")
        #expect(numbers.extensionNumber.isEmpty)
    }

    @Test("listing the services a router serves instead of every described one")
    func listingServices() {
        let reflection = ReflectionService(files: [TestProtoFile.descriptor], listing: [InteropTestService()])
        #expect(reflection.listedServices == [
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "grpc.testing.TestService",
        ])
    }
}
