public import AudoticsProtobuf
public import AudoticsRPC
internal import AudoticsReflectionAPI
internal import AudoticsReflectionV1AlphaAPI

/// gRPC server reflection, both `grpc.reflection.v1` and `grpc.reflection.v1alpha`, so that
/// generic tools (grpcurl, grpcio's reflection client) can list our services and call them.
///
/// Built from the descriptors the generator emits for every proto file
/// (`<File>ProtoFile.descriptor`); each file's imports are reachable from it, so giving the files
/// that declare the served services is enough. Register it like any other service:
///
/// ```swift
/// let reflection = ReflectionService(files: [TestProtoFile.descriptor, HealthProtoFile.descriptor])
/// let router = RPCRouter(services: [interop, health, reflection])
/// ```
public struct ReflectionService: RPCService {
    private let index: ReflectionIndex

    /// Serves the given files and their imports; `list_services` names every service they declare.
    public init(files: [ProtoFileDescriptor]) {
        self.init(files: files, listedServices: files.flatMap(\.services))
    }

    /// Serves the given files and their imports; `list_services` names the services that
    /// `services` register (whether or not a file describes them).
    public init(files: [ProtoFileDescriptor], listing services: [any RPCService]) {
        let names = RPCRouter(services: services).methods.map(\.service)
        self.init(files: files, listedServices: names)
    }

    private init(files: [ProtoFileDescriptor], listedServices: [String]) {
        // Reflection describes and lists itself, as other gRPC implementations do.
        let own = [AudoticsReflectionAPI.ReflectionProtoFile.descriptor, AudoticsReflectionV1AlphaAPI.ReflectionProtoFile.descriptor]
        index = ReflectionIndex(files: files + own, services: listedServices + own.flatMap(\.services))
    }

    /// The fully qualified names `list_services` answers with, sorted.
    public var listedServices: [String] { index.services }

    public func registerMethods(with router: inout RPCRouter) {
        ReflectionV1Handler(index: index).registerMethods(with: &router)
        ReflectionV1AlphaHandler(index: index).registerMethods(with: &router)
    }
}
