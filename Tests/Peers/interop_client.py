#!/usr/bin/env python3
"""gRPC interop client (Python grpcio) run against our server.

    interop_client.py --port N [--tls-ca FILE --server-host-override NAME] [--cases a,b,...]

Implements the cases of grpc/grpc doc/interop-test-descriptions.md that a TestService server must pass,
prints one line per case and a closing 'N passed, M failed' line, and exits 1 on any failure.
Stubs are generated at run time with grpc_tools.protoc from proto/grpc/testing/.
"""
import argparse
import os
import sys
import tempfile
import time

import grpc
from grpc_tools import protoc

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load_stubs(folder):
    protos = ["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"]
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    status = protoc.main(["protoc", "-I", os.path.join(REPO, "proto"), "-I", include,
                          "--python_out=" + folder, "--grpc_python_out=" + folder] + protos)
    if status != 0:
        raise RuntimeError("grpc_tools.protoc failed")
    # The generated modules live in package `grpc.testing`, inside grpcio's own `grpc` package:
    # register that subpackage by hand, pointing at the generated folder.
    import types
    package = types.ModuleType("grpc.testing")
    package.__path__ = [os.path.join(folder, "grpc", "testing")]
    sys.modules["grpc.testing"] = package
    grpc.testing = package
    from grpc.testing import empty_pb2, messages_pb2, test_pb2_grpc  # noqa: E402 (generated at run time)
    return empty_pb2, messages_pb2, test_pb2_grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls-ca")
    parser.add_argument("--server-host-override", default="localhost")
    parser.add_argument("--cases", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        empty_pb2, messages_pb2, test_pb2_grpc = load_stubs(folder)
        target = f"{args.host}:{args.port}"
        if args.tls_ca:
            with open(args.tls_ca, "rb") as f:
                credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
            channel = grpc.secure_channel(target, credentials,
                                          options=[("grpc.ssl_target_name_override", args.server_host_override)])
        else:
            channel = grpc.insecure_channel(target)
        stub = test_pb2_grpc.TestServiceStub(channel)
        unimplemented_stub = test_pb2_grpc.UnimplementedServiceStub(channel)
        m = messages_pb2

        def empty_unary():
            assert stub.EmptyCall(empty_pb2.Empty(), timeout=10) == empty_pb2.Empty()

        def large_unary():
            response = stub.UnaryCall(m.SimpleRequest(response_size=314159, payload=m.Payload(body=bytes(271828))), timeout=10)
            assert len(response.payload.body) == 314159

        def client_streaming():
            sizes = [27182, 8, 1828, 45904]
            response = stub.StreamingInputCall(iter(m.StreamingInputCallRequest(payload=m.Payload(body=bytes(s))) for s in sizes), timeout=10)
            assert response.aggregated_payload_size == 74922, response

        def server_streaming():
            sizes = [31415, 9, 2653, 58979]
            request = m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=s) for s in sizes])
            got = [len(r.payload.body) for r in stub.StreamingOutputCall(request, timeout=10)]
            assert got == sizes, got

        def ping_pong():
            requests = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
            import queue
            outgoing = queue.Queue()
            call = stub.FullDuplexCall(iter(outgoing.get, None), timeout=10)
            for response_size, payload_size in requests:
                outgoing.put(m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=response_size)],
                                                          payload=m.Payload(body=bytes(payload_size))))
                response = next(call)
                assert len(response.payload.body) == response_size
            outgoing.put(None)
            assert list(call) == []

        def empty_stream():
            assert list(stub.FullDuplexCall(iter([]), timeout=10)) == []

        def status_code_and_message():
            message = "test status message"
            try:
                stub.UnaryCall(m.SimpleRequest(response_status=m.EchoStatus(code=2, message=message)), timeout=10)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNKNOWN and error.details() == message, (error.code(), error.details())
            call = stub.FullDuplexCall(iter([m.StreamingOutputCallRequest(response_status=m.EchoStatus(code=2, message=message))]), timeout=10)
            try:
                list(call)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNKNOWN and error.details() == message

        def special_status_message():
            message = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
            try:
                stub.UnaryCall(m.SimpleRequest(response_status=m.EchoStatus(code=2, message=message)), timeout=10)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNKNOWN and error.details() == message, repr(error.details())

        def custom_metadata():
            initial = ("x-grpc-test-echo-initial", "test_initial_metadata_value")
            trailing = ("x-grpc-test-echo-trailing-bin", b"\x0a\x0b\x0a\x0b\x0a\x0b")
            metadata = (initial, trailing)
            response, call = stub.UnaryCall.with_call(m.SimpleRequest(response_size=314159, payload=m.Payload(body=bytes(271828))),
                                                      metadata=metadata, timeout=10)
            assert len(response.payload.body) == 314159
            assert initial in call.initial_metadata(), call.initial_metadata()
            assert trailing in call.trailing_metadata(), call.trailing_metadata()
            call = stub.FullDuplexCall(iter([m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=314159)],
                                                                         payload=m.Payload(body=bytes(271828)))]),
                                       metadata=metadata, timeout=10)
            assert [len(r.payload.body) for r in call] == [314159]
            assert initial in call.initial_metadata()
            assert trailing in call.trailing_metadata()

        def server_compressed_unary():
            for compressed in (True, False):
                response = stub.UnaryCall(m.SimpleRequest(response_size=314159, payload=m.Payload(body=bytes(271828)),
                                                          response_compressed=m.BoolValue(value=compressed)),
                                          compression=grpc.Compression.NoCompression, timeout=10)
                assert len(response.payload.body) == 314159

        def client_compressed_unary():
            def call(compression, expect):
                return stub.UnaryCall(m.SimpleRequest(response_size=314159, payload=m.Payload(body=bytes(271828)),
                                                      expect_compressed=m.BoolValue(value=expect)),
                                      compression=compression, timeout=10)
            try:  # the feature probe: an uncompressed request that claims to be compressed
                call(grpc.Compression.NoCompression, True)
                raise AssertionError("the probe succeeded")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
            assert len(call(grpc.Compression.Gzip, True).payload.body) == 314159
            assert len(call(grpc.Compression.NoCompression, False).payload.body) == 314159

        def client_compressed_streaming():
            try:  # the feature probe
                stub.StreamingInputCall(iter([m.StreamingInputCallRequest(expect_compressed=m.BoolValue(value=True),
                                                                          payload=m.Payload(body=bytes(27182)))]),
                                        compression=grpc.Compression.NoCompression, timeout=10)
                raise AssertionError("the probe succeeded")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
            # grpcio's Python API compresses every message of a call (it has no per-message switch), so the
            # second message, which the description sends uncompressed, arrives compressed as well; the server
            # only checks messages that claim to be compressed.
            requests = [m.StreamingInputCallRequest(expect_compressed=m.BoolValue(value=True), payload=m.Payload(body=bytes(27182))),
                        m.StreamingInputCallRequest(expect_compressed=m.BoolValue(value=False), payload=m.Payload(body=bytes(45904)))]
            response = stub.StreamingInputCall(iter(requests), compression=grpc.Compression.Gzip, timeout=10)
            assert response.aggregated_payload_size == 73086, response

        def server_compressed_streaming():
            request = m.StreamingOutputCallRequest(response_parameters=[
                m.ResponseParameters(compressed=m.BoolValue(value=True), size=31415),
                m.ResponseParameters(compressed=m.BoolValue(value=False), size=92653)])
            got = [len(r.payload.body) for r in stub.StreamingOutputCall(request, timeout=10)]
            assert got == [31415, 92653], got

        def unimplemented_method():
            try:
                stub.UnimplementedCall(empty_pb2.Empty(), timeout=10)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNIMPLEMENTED

        def unimplemented_service():
            try:
                unimplemented_stub.UnimplementedCall(empty_pb2.Empty(), timeout=10)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNIMPLEMENTED

        def cancel_after_begin():
            future = stub.StreamingInputCall.future(iter([]) if False else _blocking_iterator(), timeout=10)
            future.cancel()
            assert future.cancelled()

        def cancel_after_first_response():
            import queue
            outgoing = queue.Queue()
            call = stub.FullDuplexCall(iter(outgoing.get, None), timeout=10)
            outgoing.put(m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=31415)],
                                                      payload=m.Payload(body=bytes(27182))))
            assert len(next(call).payload.body) == 31415
            call.cancel()
            try:
                next(call)
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.CANCELLED

        def timeout_on_sleeping_server():
            try:
                list(stub.FullDuplexCall(iter([m.StreamingOutputCallRequest(payload=m.Payload(body=bytes(27182)),
                                                                           response_parameters=[m.ResponseParameters(size=1, interval_us=5_000_000)])]),
                                         timeout=0.001))
                raise AssertionError("no error")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, error.code()

        cases = {name: fn for name, fn in locals().items() if callable(fn) and not name.startswith("_")
                 and name not in ("load_stubs",)}
        cases = {k: v for k, v in cases.items() if k in (
            "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
            "status_code_and_message", "special_status_message", "custom_metadata", "server_compressed_unary",
            "client_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
            "unimplemented_method", "unimplemented_service",
            "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server")}
        selected = [c for c in args.cases.split(",") if c] or list(cases)
        passed = failed = 0
        for name in selected:
            started = time.monotonic()
            try:
                cases[name]()
                print(f"ok   {name} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)
                passed += 1
            except Exception as error:  # each case reports its own failure
                print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
                failed += 1
        channel.close()
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0


def _blocking_iterator():
    time.sleep(3600)
    yield from ()


if __name__ == "__main__":
    sys.exit(main())
