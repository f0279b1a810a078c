import AudoticsAPI
import AudoticsAuth
import Foundation
import Testing

/// The services' allowlist of methods without a token agrees with the contracts: the protos' "Auth: none"
/// lines, as the generated OpenAPI document states them (`security: []`).
@Suite("PublicMethods against the contracts")
struct PublicMethodsContractTests {
    @Test("exactly the audotics.v1 methods the OpenAPI document marks as needing no token are public")
    func agreesWithOpenAPI() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var documented: Set<String> = []
        for operation in paths.values.flatMap(\.values) where (operation["security"] as? [Any])?.isEmpty == true {
            let id = try #require(operation["operationId"] as? String)
            let parts = id.split(separator: "_")
            documented.insert("/audotics.v1.\(parts[0])/\(parts[1])")
        }
        let methods = AudoticsV1Services.all.flatMap(\.methods).map(\.descriptor)
        let allowed = Set(methods.filter { PublicMethods.standard.contains($0) }.map(\.path))
        #expect(allowed == documented)
        #expect(documented.count == 5)
    }
}
