#!/usr/bin/env python3
"""Graceful-shutdown peer: starts a slow server-streaming call, prints 'started' once the first
response arrived (the Swift test then stops the server), and checks that the call still completes
with every response. Then checks that a new call fails (the server is gone).

    graceful_client.py --port N
"""
import argparse
import os
import sys
import tempfile

import grpc

sys.path.insert(0, os.path.dirname(__file__))
from interop_client import load_stubs  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        empty_pb2, m, test_pb2_grpc = load_stubs(folder)
        channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
        stub = test_pb2_grpc.TestServiceStub(channel)
        request = m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=10, interval_us=200_000)] * 5)
        count = 0
        for _ in stub.StreamingOutputCall(request, timeout=20):
            count += 1
            if count == 1:
                print("started", flush=True)
        print(f"in-flight call finished with {count} responses", flush=True)
        ok = count == 5
        try:
            stub.EmptyCall(empty_pb2.Empty(), timeout=2)
            print("FAIL: a call after the shutdown succeeded")
            ok = False
        except grpc.RpcError as error:
            print(f"new call after shutdown: {error.code()}")
            ok = ok and error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
