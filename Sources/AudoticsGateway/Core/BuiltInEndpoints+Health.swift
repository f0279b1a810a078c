import AudoticsHealthAPI
public import AudoticsRPC

extension BuiltInEndpoints {
    /// A readiness check for `/readyz`: `grpc.health.v1.Health/Check` of each service on every transport that
    /// reaches it (2 s each, all in parallel); a service is ready when all of them answer SERVING.
    public static func healthReadiness(_ transports: [String: [any ClientTransport]]) -> @Sendable () async -> [String: Bool] {
        let clients = transports.mapValues { $0.map { HealthClient(transport: $0) } }
        return {
            await withTaskGroup(of: (String, Bool).self) { group in
                for (service, serviceClients) in clients {
                    for client in serviceClients {
                        group.addTask {
                            let response = try? await client.check(.with { $0.service = service }, options: CallOptions(timeout: .seconds(2)))
                            return (service, response?.status == .serving)
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = ($0[$1.0] ?? true) && $1.1 }
            }
        }
    }
}
