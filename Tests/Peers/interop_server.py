#!/usr/bin/env python3
"""gRPC interop server (Python grpcio): grpc.testing.TestService for our client to call.

    interop_server.py [--port N] [--host 127.0.0.1] [--tls-cert FILE --tls-key FILE]

Implements the server behaviour of grpc/grpc doc/interop-test-descriptions.md: payloads of the requested
sizes, streamed responses with their intervals, echoed status codes and messages, echoed
x-grpc-test-echo-initial / x-grpc-test-echo-trailing-bin metadata, and UnimplementedCall left unimplemented.
Prints the bound port on stdout when ready, then serves until stdin closes or SIGTERM.
Stubs are generated at run time with grpc_tools.protoc from proto/grpc/testing/.
"""
import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_client import load_stubs  # noqa: E402 (same generated grpc.testing package)

STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"


def make_servicer(messages_pb2, empty_pb2, test_pb2_grpc):
    m = messages_pb2

    def echo_metadata(context):
        metadata = dict(context.invocation_metadata())
        if ECHO_INITIAL in metadata:
            context.send_initial_metadata(((ECHO_INITIAL, metadata[ECHO_INITIAL]),))
        if ECHO_TRAILING in metadata:
            context.set_trailing_metadata(((ECHO_TRAILING, metadata[ECHO_TRAILING]),))

    def check_status(request, context):
        if request.HasField("response_status") and request.response_status.code != 0:
            status = request.response_status
            context.abort(STATUS_CODES.get(status.code, grpc.StatusCode.UNKNOWN), status.message)

    def payload(size):
        return m.Payload(body=bytes(size))

    def respond(request, context):
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            if not context.is_active():
                return
            yield m.StreamingOutputCallResponse(payload=payload(parameters.size))

    class TestService(test_pb2_grpc.TestServiceServicer):
        def EmptyCall(self, request, context):
            return empty_pb2.Empty()

        def UnaryCall(self, request, context):
            echo_metadata(context)
            check_status(request, context)
            return m.SimpleResponse(payload=payload(request.response_size))

        def CacheableUnaryCall(self, request, context):
            return self.UnaryCall(request, context)

        def StreamingOutputCall(self, request, context):
            echo_metadata(context)
            check_status(request, context)
            yield from respond(request, context)

        def StreamingInputCall(self, request_iterator, context):
            total = sum(len(request.payload.body) for request in request_iterator)
            return m.StreamingInputCallResponse(aggregated_payload_size=total)

        def FullDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            for request in request_iterator:
                check_status(request, context)
                yield from respond(request, context)

        def HalfDuplexCall(self, request_iterator, context):
            buffered = list(request_iterator)
            for request in buffered:
                yield from respond(request, context)

        # UnimplementedCall is left to the generated base class, which answers UNIMPLEMENTED.

    return TestService()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        empty_pb2, messages_pb2, test_pb2_grpc = load_stubs(folder)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))
        test_pb2_grpc.add_TestServiceServicer_to_server(make_servicer(messages_pb2, empty_pb2, test_pb2_grpc), server)
        if args.tls_cert:
            with open(args.tls_cert, "rb") as cert, open(args.tls_key, "rb") as key:
                credentials = grpc.ssl_server_credentials([(key.read(), cert.read())])
            port = server.add_secure_port(f"{args.host}:{args.port}", credentials)
        else:
            port = server.add_insecure_port(f"{args.host}:{args.port}")
        server.start()
        print(port, flush=True)

        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())

        def watch_stdin():
            # The test process holds our stdin: when it goes away, so do we.
            sys.stdin.read()
            stopped.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
        stopped.wait()
        server.stop(0)
        return 0


if __name__ == "__main__":
    sys.exit(main())
