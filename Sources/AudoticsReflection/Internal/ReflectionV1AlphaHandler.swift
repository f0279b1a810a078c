import AudoticsRPC
import AudoticsReflectionV1AlphaAPI

/// `grpc.reflection.v1alpha.ServerReflection`: translates each request into a query of the index.
///
/// Deprecated upstream, but still what grpcio's reflection client and many tools call. The same code
/// as `ReflectionV1Handler`, over the v1alpha module's types (identical fields and numbers).
struct ReflectionV1AlphaHandler: ServerReflectionProtocol {
    let index: ReflectionIndex

    func serverReflectionInfo(
        requests: RPCAsyncSequence<ServerReflectionRequest>, responses: RPCWriter<ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            try await responses.write(respond(to: request))
        }
    }

    func respond(to request: ServerReflectionRequest) -> ServerReflectionResponse {
        let query: ReflectionQuery
        switch request.messageRequest {
        case .fileByFilename(let name)?: query = .fileByFilename(name)
        case .fileContainingSymbol(let symbol)?: query = .fileContainingSymbol(symbol)
        case .fileContainingExtension(let e)?: query = .fileContainingExtension(containingType: e.containingType, number: e.extensionNumber)
        case .allExtensionNumbersOfType(let type)?: query = .allExtensionNumbersOfType(type)
        case .listServices?: query = .listServices
        case nil: query = .missing
        }
        var response = ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        switch index.answer(query) {
        case .files(let files):
            response.messageResponse = .fileDescriptorResponse(.with { $0.fileDescriptorProto = files })
        case .extensionNumbers(let type, let numbers):
            response.messageResponse = .allExtensionNumbersResponse(.with {
                $0.baseTypeName = type
                $0.extensionNumber = numbers
            })
        case .services(let names):
            response.messageResponse = .listServicesResponse(.with {
                $0.service = names.map { name in .with { $0.name = name } }
            })
        case .error(let code, let message):
            response.messageResponse = .errorResponse(.with {
                $0.errorCode = Int32(code.rawValue)
                $0.errorMessage = message
            })
        }
        return response
    }
}
