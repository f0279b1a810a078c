import AudoticsAuth
import AudoticsRPC
import Foundation
import Testing

/// A router with two raw unary methods, `UserService/Login` (public) and `UserService/GetMe` (needs a token), both
/// answering with the principal they see (`-` for none), one from a child task.
struct InterceptedRouter {
    static let login = MethodDescriptor(service: "audotics.v1.UserService", method: "Login", kind: .unary)
    static let getMe = MethodDescriptor(service: "audotics.v1.UserService", method: "GetMe", kind: .unary)
    static let check = MethodDescriptor(service: "grpc.health.v1.Health", method: "Check", kind: .unary)

    let transport: InProcessTransport

    init(verifier: AccessTokenVerifier) {
        var router = RPCRouter()
        for method in [Self.login, Self.getMe, Self.check] {
            router.register(method) { requests, responses, _ in
                for try await _ in requests {}
                async let fromChild = Principal.current?.userID ?? "-"
                let seen = "\(Principal.current?.userID ?? "-") \(await fromChild) \(Principal.current?.scopes ?? [])"
                try await responses.write(Array(seen.utf8))
            }
        }
        router.intercept(with: [AuthenticationInterceptor(verifier: verifier)])
        transport = InProcessTransport(router: router)
    }

    /// Calls `method` with `authorization` values and returns what the handler saw.
    func call(_ method: MethodDescriptor, authorization: [String] = []) async throws -> String {
        var metadata = Metadata()
        for value in authorization { metadata.addString(value, forKey: "authorization") }
        return try await transport.call(
            method: method, options: CallOptions(metadata: metadata),
            requests: { writer in try await writer.write([]) },
            onResponse: { responses in
                var text = ""
                for try await message in responses { text += String(decoding: message, as: UTF8.self) }
                return text
            })
    }
}

@Suite("authentication interceptor")
struct AuthenticationInterceptorTests {
    @Test("a valid bearer token reaches the handler with Principal.current set, also in child tasks")
    func principalVisible() async throws {
        let fixtures = try TokenFixtures()
        let router = InterceptedRouter(verifier: fixtures.verifier)
        let token = try fixtures.issuer.issue(subject: "user-7", scopes: ["profile"]).token
        #expect(try await router.call(InterceptedRouter.getMe, authorization: ["Bearer \(token)"]) == "user-7 user-7 [\"profile\"]")
        #expect(try await router.call(InterceptedRouter.getMe, authorization: ["bearer  \(token) "]) == "user-7 user-7 [\"profile\"]")
        #expect(Principal.current == nil)
    }

    @Test("allowlisted methods pass without a token and without a principal")
    func publicMethods() async throws {
        let fixtures = try TokenFixtures()
        let router = InterceptedRouter(verifier: fixtures.verifier)
        #expect(try await router.call(InterceptedRouter.login) == "- - []")
        #expect(try await router.call(InterceptedRouter.check) == "- - []")
        #expect(try await router.call(InterceptedRouter.login, authorization: ["Bearer garbage"]) == "- - []")
        #expect(PublicMethods.standard.contains(InterceptedRouter.login))
        #expect(!PublicMethods.standard.contains(InterceptedRouter.getMe))
        #expect(!PublicMethods.none.contains(InterceptedRouter.check))
    }

    @Test(
        "other methods need a valid token: UNAUTHENTICATED otherwise, with a message and no token echo",
        arguments: [
            ([], "needs an access token"),
            (["Basic dXNlcjpwYXNz"], "Bearer <token>"),
            (["Bearer "], "Bearer <token>"),
            (["Bearer a.b"], "malformed"),
            (["Bearer x", "Bearer y"], "more than one"),
        ] as [([String], String)])
    func rejected(authorization: [String], message: String) async throws {
        let fixtures = try TokenFixtures()
        let router = InterceptedRouter(verifier: fixtures.verifier)
        let error = await #expect(throws: RPCError.self) {
            try await router.call(InterceptedRouter.getMe, authorization: authorization)
        }
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("expired, foreign-audience and HS256 tokens are refused by the interceptor too")
    func invalidTokens() async throws {
        let fixtures = try TokenFixtures()
        let router = InterceptedRouter(verifier: fixtures.verifier)
        let expired = try fixtures.issuer.issue(subject: "u", now: Date().addingTimeInterval(-3600)).token
        let hs256 = try Rejection.hs256WithPublicKey.token(fixtures)
        let foreign = try fixtures.forge(header: fixtures.header, payload: fixtures.payload(["aud": #""analytics""#]))
        for (token, expected) in [(expired, "expired"), (hs256, "EdDSA"), (foreign, "audience")] {
            let error = await #expect(throws: RPCError.self) {
                try await router.call(InterceptedRouter.getMe, authorization: ["Bearer \(token)"])
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(token) == false)
        }
    }

    @Test("Principal.required() answers UNAUTHENTICATED outside an authenticated call")
    func requiredPrincipal() throws {
        let error = #expect(throws: RPCError.self) { try Principal.required() }
        #expect(error?.code == .unauthenticated)
        let principal = Principal(userID: "u", tokenID: "t", expiresAt: 0)
        #expect(try Principal.$current.withValue(principal) { try Principal.required() } == principal)
    }
}
