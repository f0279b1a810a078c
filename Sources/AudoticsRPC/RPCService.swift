/// A service implementation that can add its methods to a router.
///
/// Generated service protocols refine this and implement `registerMethods(with:)`.
public protocol RPCService: Sendable {
    /// Adds a handler for each method of the service.
    func registerMethods(with router: inout RPCRouter)
}
