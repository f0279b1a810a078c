#!/usr/bin/env python3
"""grpcio's standard clients against our health and reflection services.

    health_reflection_client.py health --port N --signal FILE
    health_reflection_client.py reflection --port N

`health` uses grpc_health.v1 (grpcio-health-checking): Check of the server, a registered and an
unknown service, then Watch of grpc.testing.TestService. After the first Watch response it creates
FILE; the Swift test sees the file and sets the service NOT_SERVING, and the script waits for that
change to arrive on the stream.

`reflection` uses grpc_reflection.v1alpha's ProtoReflectionDescriptorDatabase (grpcio-reflection)
to list the services and resolve grpc.testing.TestService and message types into a descriptor pool,
builds message classes from those descriptors and calls UnaryCall dynamically (no generated stubs);
then it speaks grpc.reflection.v1 with message classes built from the v1 descriptors that reflection
itself served.

Prints one line per check and a closing 'N passed, M failed' line; exits 1 on any failure.
"""
import argparse
import os
import sys
import time

import grpc
from google.protobuf import descriptor_pool, message_factory

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else ": " + str(detail)), flush=True)


def health(channel, signal_file):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    stub = health_pb2_grpc.HealthStub(channel)
    serving = health_pb2.HealthCheckResponse.SERVING
    not_serving = health_pb2.HealthCheckResponse.NOT_SERVING

    response = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    check("check server", response.status == serving, response)
    response = stub.Check(health_pb2.HealthCheckRequest(service="grpc.testing.TestService"), timeout=5)
    check("check registered service", response.status == serving, response)
    try:
        stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=5)
        check("check unknown service is NOT_FOUND", False, "no error")
    except grpc.RpcError as error:
        check("check unknown service is NOT_FOUND", error.code() == grpc.StatusCode.NOT_FOUND, error.code())

    unknown = stub.Watch(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=10)
    first = next(unknown)
    check("watch unknown service is SERVICE_UNKNOWN", first.status == health_pb2.HealthCheckResponse.SERVICE_UNKNOWN, first)
    unknown.cancel()

    watch = stub.Watch(health_pb2.HealthCheckRequest(service="grpc.testing.TestService"), timeout=20)
    first = next(watch)
    check("watch sends the current status", first.status == serving, first)
    with open(signal_file, "w") as handle:
        handle.write("first watch response\n")
    second = next(watch)
    check("watch sends the change made by the server", second.status == not_serving, second)
    watch.cancel()
    response = stub.Check(health_pb2.HealthCheckRequest(service="grpc.testing.TestService"), timeout=5)
    check("check sees the change", response.status == not_serving, response)


def reflection(channel):
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    expected = {"grpc.testing.TestService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection"}
    check("list services", expected <= services, sorted(services))

    pool = descriptor_pool.DescriptorPool(database)
    service = pool.FindServiceByName("grpc.testing.TestService")
    check("resolve grpc.testing.TestService", "UnaryCall" in service.methods_by_name, list(service.methods_by_name))
    method = service.methods_by_name["UnaryCall"]
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary("/grpc.testing.TestService/UnaryCall",
                               request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    request = request_class(response_size=7)
    request.payload.body = b"hello"
    response = call(request, timeout=5)
    check("dynamic UnaryCall", len(response.payload.body) == 7, response)

    simple = pool.FindMessageTypeByName("grpc.testing.SimpleRequest")
    check("resolve a message type", simple.fields_by_name["payload"].message_type.full_name == "grpc.testing.Payload",
          simple.fields_by_name)
    enum = pool.FindEnumTypeByName("grpc.testing.PayloadType")
    check("resolve an enum", "COMPRESSABLE" in enum.values_by_name, list(enum.values_by_name))
    status = pool.FindMessageTypeByName("grpc.health.v1.HealthCheckResponse")
    check("resolve a message with a nested enum", "ServingStatus" in status.enum_types_by_name, status)
    music = pool.FindServiceByName("audotics.v1.MusicService")
    check("resolve an unlisted service with well-known and google.api imports", "GetTrack" in music.methods_by_name,
          list(music.methods_by_name))
    try:
        database.FindFileContainingSymbol("no.such.Symbol")
        check("unknown symbol is an error", False, "found")
    except KeyError:
        check("unknown symbol is an error", True)
    test_file = database.FindFileByName("grpc/testing/test.proto")
    check("file by name", test_file.package == "grpc.testing", test_file.name)

    # grpc.reflection.v1, spoken with classes built from the v1 descriptors reflection served.
    v1_request = message_factory.GetMessageClass(pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionRequest"))
    v1_response = message_factory.GetMessageClass(pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionResponse"))
    info = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                 request_serializer=v1_request.SerializeToString,
                                 response_deserializer=v1_response.FromString)
    requests = [v1_request(list_services=""), v1_request(file_containing_symbol="grpc.testing.TestService.EmptyCall"),
                v1_request(file_containing_symbol="no.such.Symbol")]
    answers = list(info(iter(requests), timeout=5))
    check("v1 answers each request", len(answers) == 3, answers)
    names = {s.name for s in answers[0].list_services_response.service}
    check("v1 list services", expected <= names, names)
    from google.protobuf.descriptor_pb2 import FileDescriptorProto
    files = [FileDescriptorProto.FromString(b).name for b in answers[1].file_descriptor_response.file_descriptor_proto]
    check("v1 file containing a method, with its imports",
          files[:1] == ["grpc/testing/test.proto"] and "grpc/testing/messages.proto" in files, files)
    check("v1 unknown symbol is NOT_FOUND", answers[2].error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0],
          answers[2])
    check("v1 echoes the original request", answers[2].original_request.file_containing_symbol == "no.such.Symbol",
          answers[2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["health", "reflection"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signal")
    args = parser.parse_args()
    with grpc.insecure_channel("127.0.0.1:%d" % args.port) as channel:
        try:
            if args.mode == "health":
                health(channel, args.signal)
            else:
                reflection(channel)
        except Exception as error:  # Report and fail instead of a bare traceback.
            import traceback
            traceback.print_exc()
            check("no unexpected error", False, repr(error))
    failed = results.count(False)
    print("%d passed, %d failed" % (results.count(True), failed), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
