import AudoticsAPI
@testable import AudoticsUsers
import AudoticsRPC
import AudoticsWellKnownTypes
import Foundation
import Testing

/// UserService end to end: over TLS, through the real server, against PostgreSQL and Redis.
@Suite("UserService (end to end)", .serialized)
struct UserServiceTests {
    static func rpcError(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            Issue.record("the call succeeded; an error was expected")
            return nil
        } catch {
            return error as? RPCError
        }
    }

    static func register(_ users: UserServiceClient, email: String, password: String = "correct horse battery") async throws -> RegisterResponse {
        try await users.register(.with {
            $0.email = email
            $0.password = password
        }, options: CallOptions(timeout: .seconds(10)))
    }

    @Test("register, sign in, read and update the profile; access tokens are required and checked")
    func accounts() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        let registered = try await Self.register(users, email: "  Zoë.Keller@Example.ORG ")
        #expect(registered.user?.email == "zoë.keller@example.org")
        #expect(registered.user?.displayName == "zoë.keller")
        let tokens = try #require(registered.tokens)
        #expect(tokens.tokenType == "Bearer" && tokens.expiresIn == 900 && !tokens.refreshToken.isEmpty)

        let me = try await users.getMe(GetMeRequest(), options: PlatformHarness.authorized(tokens.accessToken))
        #expect(me.id == registered.user?.id)
        let anonymous = await Self.rpcError { _ = try await users.getMe(GetMeRequest(), options: CallOptions(timeout: .seconds(5))) }
        #expect(anonymous?.code == .unauthenticated)
        let forged = await Self.rpcError {
            _ = try await users.getMe(GetMeRequest(), options: PlatformHarness.authorized(tokens.accessToken + "x"))
        }
        #expect(forged?.code == .unauthenticated)

        let duplicate = await Self.rpcError { _ = try await Self.register(users, email: "zoë.keller@example.org") }
        #expect(duplicate?.code == .alreadyExists)

        let signedIn = try await users.login(.with {
            $0.email = "ZOË.KELLER@example.org"
            $0.password = "correct horse battery"
        }, options: CallOptions(timeout: .seconds(10)))
        #expect(signedIn.user?.id == registered.user?.id)
        let wrong = await Self.rpcError {
            _ = try await users.login(.with {
                $0.email = "zoë.keller@example.org"
                $0.password = "wrong horse battery"
            }, options: CallOptions(timeout: .seconds(10)))
        }
        let unknown = await Self.rpcError {
            _ = try await users.login(.with {
                $0.email = "nobody@example.org"
                $0.password = "wrong horse battery"
            }, options: CallOptions(timeout: .seconds(10)))
        }
        #expect(wrong?.code == .unauthenticated && unknown?.code == .unauthenticated)
        #expect(wrong?.message == unknown?.message, "the same answer for an unknown email and a wrong password")

        let updated = try await users.updateMe(.with {
            $0.user = .with {
                $0.displayName = "Zoë K."
                $0.country = "de"
            }
            $0.updateMask = .with { $0.paths = ["display_name", "country"] }
        }, options: PlatformHarness.authorized(tokens.accessToken))
        #expect(updated.displayName == "Zoë K." && updated.country == "DE")
        // GetMe was cached before the update; the update invalidated it.
        let afterUpdate = try await users.getMe(GetMeRequest(), options: PlatformHarness.authorized(tokens.accessToken))
        #expect(afterUpdate.displayName == "Zoë K." && afterUpdate.country == "DE")
        let cleared = try await users.updateMe(.with { $0.updateMask = .with { $0.paths = ["country"] } },
                                               options: PlatformHarness.authorized(tokens.accessToken))
        #expect(cleared.country == "" && cleared.displayName == "Zoë K.")
        let badUpdate = await Self.rpcError {
            _ = try await users.updateMe(.with {
                $0.user = .with { $0.country = "Germany" }
                $0.updateMask = .with { $0.paths = ["country", "email"] }
            }, options: PlatformHarness.authorized(tokens.accessToken))
        }
        #expect(badUpdate?.code == .invalidArgument)
        #expect(badUpdate?.message.contains("user.country") == true && badUpdate?.message.contains("update_mask.paths[1]") == true)

        let jwks = try await users.getJwks(GetJwksRequest(), options: CallOptions(timeout: .seconds(5)))
        #expect(jwks.keys.first?.kty == "OKP" && jwks.keys.first?.alg == "EdDSA" && jwks.keys.first?.kid.isEmpty == false)
        await platform.stop()
    }

    @Test("bad registrations list every invalid field in a google.rpc.BadRequest")
    func invalidRegistration() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        let error = await Self.rpcError {
            _ = try await users.register(.with {
                $0.email = "not-an-email"
                $0.password = "short"
                $0.displayName = String(repeating: "n", count: 51)
            }, options: CallOptions(timeout: .seconds(10)))
        }
        #expect(error?.code == .invalidArgument)
        let details = try #require(error?.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first)
        let status = try Status(serializedBytes: details)
        let badRequest = try BadRequest(serializedBytes: try #require(status.details.first).value)
        #expect(badRequest.fieldViolations.map(\.field) == ["email", "display_name"])
        let weak = await Self.rpcError { _ = try await Self.register(users, email: "weak@example.org", password: "weak@example.org") }
        #expect(weak?.code == .invalidArgument && weak?.message.contains("password") == true)
        await platform.stop()
    }

    @Test("refresh tokens rotate; reusing one revokes its family; logout ends sessions")
    func refreshRotation() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        let first = try #require(try await Self.register(users, email: "rotate@example.org").tokens)
        let options = CallOptions(timeout: .seconds(10))
        let second = try #require(try await users.refresh(.with { $0.refreshToken = first.refreshToken }, options: options).tokens)
        #expect(second.refreshToken != first.refreshToken)
        _ = try await users.getMe(GetMeRequest(), options: PlatformHarness.authorized(second.accessToken))

        // The first token again: reuse. The family is revoked, so the second token fails too.
        let reuse = await Self.rpcError { _ = try await users.refresh(.with { $0.refreshToken = first.refreshToken }, options: options) }
        #expect(reuse?.code == .unauthenticated && reuse?.message.contains("already used") == true)
        let afterReuse = await Self.rpcError { _ = try await users.refresh(.with { $0.refreshToken = second.refreshToken }, options: options) }
        #expect(afterReuse?.code == .unauthenticated)

        // Two sessions, then logout of all of them at once.
        let a = try #require(try await users.login(.with { $0.email = "rotate@example.org"; $0.password = "correct horse battery" }, options: options).tokens)
        let b = try #require(try await users.login(.with { $0.email = "rotate@example.org"; $0.password = "correct horse battery" }, options: options).tokens)
        let revoked = try await users.logout(.with {
            $0.refreshToken = a.refreshToken
            $0.allSessions = true
        }, options: options)
        #expect(revoked.revokedSessionCount == 2)
        let afterLogout = await Self.rpcError { _ = try await users.refresh(.with { $0.refreshToken = b.refreshToken }, options: options) }
        #expect(afterLogout?.code == .unauthenticated)
        let again = try await users.logout(.with { $0.refreshToken = a.refreshToken }, options: options)
        #expect(again.revokedSessionCount == 0, "logout is idempotent")
        let garbage = await Self.rpcError { _ = try await users.refresh(.with { $0.refreshToken = "not a token" }, options: options) }
        #expect(garbage?.code == .unauthenticated)
        await platform.stop()
    }

    @Test("concurrent refreshes with one token: exactly one wins, and the family ends")
    func concurrentRefresh() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        let tokens = try #require(try await Self.register(users, email: "race@example.org").tokens)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (try? await users.refresh(.with { $0.refreshToken = tokens.refreshToken }, options: CallOptions(timeout: .seconds(10)))) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        await platform.stop()
    }

    @Test("five failed logins lock the account with a retry delay")
    func lockout() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        _ = try await Self.register(users, email: "locked@example.org")
        let options = CallOptions(timeout: .seconds(10))
        for _ in 0..<5 {
            let error = await Self.rpcError { _ = try await users.login(.with { $0.email = "locked@example.org"; $0.password = "not the password" }, options: options) }
            #expect(error?.code == .unauthenticated)
        }
        let locked = await Self.rpcError { _ = try await users.login(.with { $0.email = "locked@example.org"; $0.password = "correct horse battery" }, options: options) }
        #expect(locked?.code == .resourceExhausted)
        let details = try #require(locked?.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first)
        let info = try RetryInfo(serializedBytes: try #require(try Status(serializedBytes: details).details.first).value)
        #expect((1...900).contains(info.retryDelay?.seconds ?? 0))
        await platform.stop()
    }
}

@Suite("UserService rate limits")
struct UserRateLimitTests {
    @Test("per-address budgets use the address without the port, for IPv4 and IPv6 peers")
    func addresses() {
        let method = MethodDescriptor(service: "audotics.v1.UserService", method: "Login", kind: .unary)
        func address(_ peer: String) -> String { UserService.address(of: ServerContext(method: method, peer: peer)) }
        #expect(address("ipv4:10.1.2.3:5678") == "10.1.2.3")
        #expect(address("ipv6:[2001:db8::1]:443") == "2001:db8::1")
        #expect(address("ipv4:10.1.2.3:1") == address("ipv4:10.1.2.3:2"))
        #expect(address("ipv4:10.1.2.3:1") != address("ipv4:10.1.2.4:1"))
    }

    @Test("behind a trusted gateway the address is the one it appended to x-forwarded-for; anyone else's header is ignored")
    func forwardedAddresses() {
        let method = MethodDescriptor(service: "audotics.v1.UserService", method: "Login", kind: .unary)
        func address(_ peer: String, _ forwarded: String?) -> String {
            var metadata = Metadata()
            if let forwarded { metadata.addString(forwarded, forKey: "x-forwarded-for") }
            return UserService.clientAddress(ServerContext(method: method, metadata: metadata, peer: peer), trusting: ["127.0.0.1"])
        }
        #expect(address("ipv4:127.0.0.1:5000", "203.0.113.9") == "203.0.113.9")
        // A client's own header comes first; the gateway's entry is the last one.
        #expect(address("ipv4:127.0.0.1:5000", "6.6.6.6, 203.0.113.9") == "203.0.113.9")
        #expect(address("ipv4:127.0.0.1:5000", nil) == "127.0.0.1")
        // A caller that is not a trusted proxy cannot choose its address.
        #expect(address("ipv4:10.9.8.7:5000", "203.0.113.9") == "10.9.8.7")
    }

    @Test("the eleventh registration from one address within the hour is refused with a retry delay")
    func registrationBudget() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let users = UserServiceClient(transport: platform.channel)
        for index in 0..<10 {
            _ = try await UserServiceTests.register(users, email: "budget\(index)@example.org")
        }
        let limited = await UserServiceTests.rpcError { _ = try await UserServiceTests.register(users, email: "budget10@example.org") }
        #expect(limited?.code == .resourceExhausted)
        #expect(limited?.metadata[binaryValues: GRPCTrailers.statusDetailsKey].isEmpty == false)
        await platform.stop()
    }
}
