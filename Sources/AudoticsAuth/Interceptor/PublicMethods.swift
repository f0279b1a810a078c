public import AudoticsRPC

/// The methods that need no access token: whole services (health, reflection) and single methods
/// (UserService Register, Login, Refresh, Logout, GetJwks).
public struct PublicMethods: Sendable, Hashable {
    /// Fully qualified service names all of whose methods are public, e.g. `grpc.health.v1.Health`.
    public var services: Set<String>
    /// Method paths (`/<service>/<method>`) that are public.
    public var paths: Set<String>

    /// Creates an allowlist.
    public init(services: Set<String> = [], paths: Set<String> = []) {
        self.services = services
        self.paths = paths
    }

    /// Whether `method` needs no token.
    public func contains(_ method: MethodDescriptor) -> Bool {
        services.contains(method.service) || paths.contains(method.path)
    }

    /// Nothing is public: every method needs a token.
    public static let none = PublicMethods()

    /// The platform's allowlist: gRPC health and reflection (v1 and v1alpha), and the UserService methods whose
    /// credential is a password or refresh token, or that serve public data (see proto/audotics/v1/user.proto).
    public static let standard = PublicMethods(
        services: ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
        paths: Set(["Register", "Login", "Refresh", "Logout", "GetJwks"].map { "/audotics.v1.UserService/\($0)" })
    )
}
