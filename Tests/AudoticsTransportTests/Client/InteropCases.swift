import AudoticsInteropAPI
import AudoticsRPC
import Testing

/// The client side of the gRPC interop cases (grpc/grpc `doc/interop-test-descriptions.md`), run by our client
/// through the generated `TestServiceClient` against any TestService server.
enum InteropCases {
    /// The cases, by their names in the interop descriptions.
    static let names = [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
        "client_compressed_unary", "client_compressed_streaming", "server_compressed_unary", "server_compressed_streaming",
    ]

    /// Runs one case; a failed expectation is recorded, a failure to complete the call is thrown.
    ///
    /// `serverChecksCompression`: whether the server validates `expect_compressed` (ours does; grpcio's Python API
    /// cannot see a message's Compressed-Flag, so against it the cases' feature probes are skipped and only the
    /// compressed calls themselves run).
    static func run(_ name: String, on transport: any ClientTransport, serverChecksCompression: Bool = true) async throws {
        let client = TestServiceClient(transport: transport)
        switch name {
        case "empty_unary": try await emptyUnary(client)
        case "large_unary": try await largeUnary(client)
        case "client_streaming": try await clientStreaming(client)
        case "server_streaming": try await serverStreaming(client)
        case "ping_pong": try await pingPong(client)
        case "empty_stream": try await emptyStream(client)
        case "custom_metadata": try await customMetadata(client)
        case "status_code_and_message": try await statusCodeAndMessage(client)
        case "special_status_message": try await specialStatusMessage(client)
        case "unimplemented_method": try await unimplementedMethod(client)
        case "unimplemented_service": try await unimplementedService(transport)
        case "cancel_after_begin": try await cancelAfterBegin(client)
        case "cancel_after_first_response": try await cancelAfterFirstResponse(client)
        case "timeout_on_sleeping_server": try await timeoutOnSleepingServer(client)
        case "client_compressed_unary": try await clientCompressedUnary(client, probe: serverChecksCompression)
        case "client_compressed_streaming": try await clientCompressedStreaming(client, probe: serverChecksCompression)
        case "server_compressed_unary": try await serverCompressedUnary(client)
        case "server_compressed_streaming": try await serverCompressedStreaming(client)
        default: Issue.record("unknown interop case \(name)")
        }
    }

    static let options = CallOptions(timeout: .seconds(10))

    static func emptyUnary(_ client: TestServiceClient) async throws {
        let response = try await client.emptyCall(Empty(), options: options)
        #expect(response == Empty())
    }

    static func largeUnary(_ client: TestServiceClient) async throws {
        let response = try await client.unaryCall(largeRequest, options: options)
        #expect(response.payload?.body.count == 314_159)
    }

    static func clientStreaming(_ client: TestServiceClient) async throws {
        let response = try await client.streamingInputCall(options: options) { writer in
            for size in [27_182, 8, 1_828, 45_904] {
                try await writer.write(.with { $0.payload = payload(size) })
            }
        }
        #expect(response.aggregatedPayloadSize == 74_922)
    }

    static func serverStreaming(_ client: TestServiceClient) async throws {
        let sizes: [Int32] = [31_415, 9, 2_653, 58_979]
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = sizes.map { size in .with { $0.size = size } }
        }
        let received = try await client.streamingOutputCall(request, options: options) { responses in
            var received: [Int] = []
            for try await response in responses { received.append(response.payload?.body.count ?? 0) }
            return received
        }
        #expect(received == sizes.map(Int.init))
    }

    static func pingPong(_ client: TestServiceClient) async throws {
        let steps: [(response: Int32, payload: Int)] = [(31_415, 27_182), (9, 8), (2_653, 1_828), (58_979, 45_904)]
        let (outgoing, input) = AsyncStream.makeStream(of: StreamingOutputCallRequest.self)
        try await client.fullDuplexCall(options: options) { writer in
            for await request in outgoing { try await writer.write(request) }
        } onResponse: { responses in
            var iterator = responses.makeAsyncIterator()
            for step in steps {
                input.yield(.with {
                    $0.responseParameters = [.with { $0.size = step.response }]
                    $0.payload = payload(step.payload)
                })
                let response = try await iterator.next()
                #expect(response?.payload?.body.count == Int(step.response))
            }
            input.finish()
            #expect(try await iterator.next() == nil)
        }
    }

    static func emptyStream(_ client: TestServiceClient) async throws {
        let count = try await client.fullDuplexCall(options: options) { _ in } onResponse: { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(count == 0)
    }

    static func customMetadata(_ client: TestServiceClient) async throws {
        let trailingValue: [UInt8] = [0x0a, 0x0b, 0x0a, 0x0b, 0x0a, 0x0b]
        var metadata: Metadata = ["x-grpc-test-echo-initial": "test_initial_metadata_value"]
        metadata.addBinary(trailingValue, forKey: "x-grpc-test-echo-trailing-bin")

        let unaryMetadata = ResponseMetadata()
        let response = try await client.unaryCall(
            largeRequest, options: CallOptions(timeout: .seconds(10), metadata: metadata, responseMetadata: unaryMetadata))
        #expect(response.payload?.body.count == 314_159)
        #expect(unaryMetadata.initial.first("x-grpc-test-echo-initial") == "test_initial_metadata_value")
        #expect(unaryMetadata.trailing[binaryValues: "x-grpc-test-echo-trailing-bin"] == [trailingValue])

        let streamMetadata = ResponseMetadata()
        let sizes = try await client.fullDuplexCall(
            options: CallOptions(timeout: .seconds(10), metadata: metadata, responseMetadata: streamMetadata)
        ) { writer in
            try await writer.write(.with {
                $0.responseParameters = [.with { $0.size = 314_159 }]
                $0.payload = payload(271_828)
            })
        } onResponse: { responses in
            var sizes: [Int] = []
            for try await response in responses { sizes.append(response.payload?.body.count ?? 0) }
            return sizes
        }
        #expect(sizes == [314_159])
        #expect(streamMetadata.initial.first("x-grpc-test-echo-initial") == "test_initial_metadata_value")
        #expect(streamMetadata.trailing[binaryValues: "x-grpc-test-echo-trailing-bin"] == [trailingValue])
    }

    static func statusCodeAndMessage(_ client: TestServiceClient) async throws {
        let message = "test status message"
        let status = EchoStatus.with {
            $0.code = 2
            $0.message = message
        }
        let unary = await rpcError { _ = try await client.unaryCall(.with { $0.responseStatus = status }, options: options) }
        #expect(unary?.code == .unknown)
        #expect(unary?.message == message)
        let stream = await rpcError {
            try await client.fullDuplexCall(options: options) { writer in
                try await writer.write(.with { $0.responseStatus = status })
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
        #expect(stream?.code == .unknown)
        #expect(stream?.message == message)
    }

    static func specialStatusMessage(_ client: TestServiceClient) async throws {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"
        let error = await rpcError {
            _ = try await client.unaryCall(
                .with {
                    $0.responseStatus = .with {
                        $0.code = 2
                        $0.message = message
                    }
                }, options: options)
        }
        #expect(error?.code == .unknown)
        #expect(error?.message == message)
    }

    static func unimplementedMethod(_ client: TestServiceClient) async throws {
        let error = await rpcError { _ = try await client.unimplementedCall(Empty(), options: options) }
        #expect(error?.code == .unimplemented)
    }

    static func unimplementedService(_ transport: any ClientTransport) async throws {
        let client = UnimplementedServiceClient(transport: transport)
        let error = await rpcError { _ = try await client.unimplementedCall(Empty(), options: options) }
        #expect(error?.code == .unimplemented)
    }

    static func cancelAfterBegin(_ client: TestServiceClient) async throws {
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let call = Task {
            try await client.streamingInputCall(options: options) { _ in
                signal.yield()
                try await Task.sleep(for: .seconds(3600))
            }
        }
        for await _ in started { break }
        call.cancel()
        let error = await rpcError { _ = try await call.value }
        #expect(error?.code == .cancelled)
    }

    static func cancelAfterFirstResponse(_ client: TestServiceClient) async throws {
        let (firstResponse, signal) = AsyncStream.makeStream(of: Int.self)
        let call = Task {
            try await client.fullDuplexCall(options: options) { writer in
                try await writer.write(.with {
                    $0.responseParameters = [.with { $0.size = 31_415 }]
                    $0.payload = payload(27_182)
                })
                try await Task.sleep(for: .seconds(3600))
            } onResponse: { responses in
                var iterator = responses.makeAsyncIterator()
                signal.yield(try await iterator.next()?.payload?.body.count ?? -1)
                _ = try await iterator.next()
            }
        }
        var size: Int?
        for await received in firstResponse {
            size = received
            break
        }
        #expect(size == 31_415)
        call.cancel()
        let error = await rpcError { try await call.value }
        #expect(error?.code == .cancelled)
    }

    static func timeoutOnSleepingServer(_ client: TestServiceClient) async throws {
        let error = await rpcError {
            try await client.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1))) { writer in
                try await writer.write(.with {
                    $0.payload = payload(27_182)
                    $0.responseParameters = [.with {
                        $0.size = 1
                        $0.intervalUs = 5_000_000
                    }]
                })
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .deadlineExceeded)
    }

    static func clientCompressedUnary(_ client: TestServiceClient, probe: Bool) async throws {
        func request(expectCompressed: Bool) -> SimpleRequest {
            var request = largeRequest
            request.expectCompressed = .with { $0.value = expectCompressed }
            return request
        }
        let gzip = CallOptions(timeout: .seconds(10), compression: .gzip)
        if probe {
            // The feature probe: an uncompressed message that claims to be compressed.
            let error = await rpcError { _ = try await client.unaryCall(request(expectCompressed: true), options: options) }
            #expect(error?.code == .invalidArgument)
        }
        let compressed = try await client.unaryCall(request(expectCompressed: true), options: gzip)
        #expect(compressed.payload?.body.count == 314_159)
        let uncompressed = try await client.unaryCall(request(expectCompressed: false), options: options)
        #expect(uncompressed.payload?.body.count == 314_159)
    }

    static func clientCompressedStreaming(_ client: TestServiceClient, probe: Bool) async throws {
        @Sendable func request(_ size: Int, expectCompressed: Bool) -> StreamingInputCallRequest {
            .with {
                $0.expectCompressed = .with { $0.value = expectCompressed }
                $0.payload = payload(size)
            }
        }
        let gzip = CallOptions(timeout: .seconds(10), compression: .gzip)
        if probe {
            let error = await rpcError {
                _ = try await client.streamingInputCall(options: gzip) { writer in
                    try await writer.write(request(27_182, expectCompressed: true), compress: false)
                }
            }
            #expect(error?.code == .invalidArgument)
        }
        let response = try await client.streamingInputCall(options: gzip) { writer in
            try await writer.write(request(27_182, expectCompressed: true))
            try await writer.write(request(45_904, expectCompressed: false), compress: false)
        }
        #expect(response.aggregatedPayloadSize == 73_086)
    }

    static func serverCompressedUnary(_ client: TestServiceClient) async throws {
        for compressed in [true, false] {
            var request = largeRequest
            request.responseCompressed = .with { $0.value = compressed }
            let response = try await client.unaryCall(request, options: options)
            #expect(response.payload?.body.count == 314_159)
        }
    }

    static func serverCompressedStreaming(_ client: TestServiceClient) async throws {
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [
                .with {
                    $0.compressed = .with { $0.value = true }
                    $0.size = 31_415
                },
                .with {
                    $0.compressed = .with { $0.value = false }
                    $0.size = 92_653
                },
            ]
        }
        let sizes = try await client.streamingOutputCall(request, options: options) { responses in
            var sizes: [Int] = []
            for try await response in responses { sizes.append(response.payload?.body.count ?? 0) }
            return sizes
        }
        #expect(sizes == [31_415, 92_653])
    }

    // MARK: Helpers

    static var largeRequest: SimpleRequest {
        .with {
            $0.responseSize = 314_159
            $0.payload = payload(271_828)
        }
    }

    static func payload(_ size: Int) -> Payload {
        .with { $0.body = [UInt8](repeating: 0, count: size) }
    }

    /// The `RPCError` `body` fails with; records an issue if it succeeds or fails otherwise.
    static func rpcError(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            Issue.record("the call succeeded; an error was expected")
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            Issue.record("the call failed with \(error), not an RPCError")
            return nil
        }
    }
}
