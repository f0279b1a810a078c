public import AudoticsAPI
public import AudoticsRPC

/// How PlaylistService learns about tracks: it never reads the music schema, it asks MusicService.
public protocol TrackLookup: Sendable {
    /// The tracks that exist among `ids` (at most 100 per call), by ID, asked on behalf of the call in `context`.
    func tracks(ids: [String], context: ServerContext) async throws -> [String: Track]
}

/// `TrackLookup` through MusicService's `BatchGetTracks`, over any transport (the fabric, or in-process when both
/// services run in one process). The caller's access token and the call's remaining time go along.
public struct MusicTrackLookup: TrackLookup {
    /// The client.
    public let client: MusicServiceClient

    /// Creates the lookup.
    public init(client: MusicServiceClient) {
        self.client = client
    }

    public func tracks(ids: [String], context: ServerContext) async throws -> [String: Track] {
        var result: [String: Track] = [:]
        var metadata = Metadata()
        if let authorization = context.metadata.first("authorization") { metadata.addString(authorization, forKey: "authorization") }
        let timeout = context.deadline.map { $0 - ContinuousClock.now } ?? .seconds(10)
        for start in stride(from: 0, to: ids.count, by: 100) {
            let batch = Array(ids[start..<min(start + 100, ids.count)])
            do {
                let response = try await client.batchGetTracks(
                    .with { $0.trackIDs = batch }, options: CallOptions(timeout: timeout, metadata: metadata))
                for track in response.tracks { result[track.id] = track }
            } catch let error as RPCError where error.code == .invalidArgument || error.code == .unauthenticated {
                // Our request was valid when it left; the other service refused it: an internal fault here.
                throw RPCError(code: .internal, message: "the catalog refused a lookup", cause: error.description)
            }
        }
        return result
    }
}
