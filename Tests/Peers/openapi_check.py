"""Checks docs/openapi.json (or the file given) against the OpenAPI 3.1 specification and against the
proto3 JSON mapping as Python's protobuf runtime writes it.

1. openapi-spec-validator validates the whole document (OpenAPI 3.1 and its JSON Schema dialect).
2. Every message schema in components.schemas accepts what `json_format.MessageToDict` makes of that
   message, from descriptors protoc compiles from proto/audotics/v1: once empty, once with every field
   set (nested messages, repeated fields, maps, enums, 64-bit integers, bytes, Timestamp, Duration,
   FieldMask), with default values written (as the gateway writes responses) and with enums as names
   and as numbers. Strings are kept short so that no documented length limit is crossed.

Prints one line per failure and "ok: ..." at the end; exits 1 on any failure.
"""

import json
import os
import subprocess
import sys
import tempfile

import jsonschema
from google.protobuf import descriptor, descriptor_pb2, descriptor_pool, json_format, message_factory
from openapi_spec_validator import validate

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACKAGE = "audotics.v1"


def load_pool():
    protos = sorted(
        os.path.join("audotics/v1", name) for name in os.listdir(os.path.join(REPO, "proto/audotics/v1"))
        if name.endswith(".proto")
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "api.pb")
        subprocess.run(
            ["protoc", "-I", os.path.join(REPO, "proto"), "-I", "/usr/include", "--include_imports",
             "--descriptor_set_out=" + out] + protos,
            check=True,
        )
        with open(out, "rb") as f:
            fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return pool


def is_repeated(field):
    # protobuf 7 dropped FieldDescriptor.label in favour of is_repeated.
    return field.is_repeated


def fill(message, depth=0):
    """Sets every field of `message` to a non-default value (nested messages up to 3 levels)."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            key_field, value_field = field.message_type.fields
            target = getattr(message, field.name)
            for index in range(2):
                key = scalar(key_field, index)
                if value_field.message_type is not None:
                    if depth < 3:
                        fill(target[key], depth + 1)
                else:
                    target[key] = scalar(value_field, index)
        elif is_repeated(field):
            target = getattr(message, field.name)
            for index in range(2):
                if field.message_type is not None:
                    if depth < 3:
                        fill(target.add(), depth + 1)
                else:
                    target.append(scalar(field, index))
        elif field.message_type is not None:
            if depth < 3:
                fill(getattr(message, field.name), depth + 1)
        else:
            setattr(message, field.name, scalar(field, 0))
    return message


def scalar(field, index):
    t = descriptor.FieldDescriptor
    kind = field.type
    if kind in (t.TYPE_INT32, t.TYPE_SINT32, t.TYPE_SFIXED32):
        return [-7, 2147483647][index]
    if kind in (t.TYPE_UINT32, t.TYPE_FIXED32):
        return [7, 4294967295][index]
    if kind in (t.TYPE_INT64, t.TYPE_SINT64, t.TYPE_SFIXED64):
        return [-9007199254740993, 9223372036854775807][index]
    if kind in (t.TYPE_UINT64, t.TYPE_FIXED64):
        return [9007199254740993, 18446744073709551615][index]
    if kind in (t.TYPE_DOUBLE, t.TYPE_FLOAT):
        return [0.25, -1.5][index]
    if kind == t.TYPE_BOOL:
        return True
    if kind == t.TYPE_STRING:
        return ["h\u00e9llo", "k\u00e9y"][index]
    if kind == t.TYPE_BYTES:
        return [b"\x00\xff\x10", b"ab"][index]
    if kind == t.TYPE_ENUM:
        values = field.enum_type.values
        return values[min(index + 1, len(values) - 1)].number
    raise ValueError(f"unexpected field type {kind}")


def fill_well_known(message, depth=0):
    """`fill` sets Timestamp and Duration fields as plain messages; give them valid JSON values."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is None or field.message_type.GetOptions().map_entry:
            continue
        name = field.message_type.full_name
        values = getattr(message, field.name)
        items = list(values) if is_repeated(field) else [values]
        for item in items:
            if name == "google.protobuf.Timestamp":
                item.seconds, item.nanos = 1_700_000_000, 123_000_000
            elif name == "google.protobuf.Duration":
                item.seconds, item.nanos = 3, 500_000_000
            elif name == "google.protobuf.FieldMask":
                del item.paths[:]
                item.paths.append("display_name")
            elif depth < 3:
                fill_well_known(item, depth + 1)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "docs/openapi.json")
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    failures = []
    try:
        validate(document)
    except Exception as error:  # The validator raises several exception types; all mean invalid.
        failures.append(f"not a valid OpenAPI 3.1 document: {error}")

    pool = load_pool()
    schemas = document["components"]["schemas"]
    checked = 0
    for name in sorted(schemas):
        if not name.startswith(PACKAGE + "."):
            continue
        try:
            message_descriptor = pool.FindMessageTypeByName(name)
        except KeyError:
            continue  # An enum.
        cls = message_factory.GetMessageClass(message_descriptor)
        full = fill(cls())
        fill_well_known(full)
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": document["components"]},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for label, message in (("empty", cls()), ("full", full)):
            for enums_as_numbers in (False, True):
                value = json_format.MessageToDict(
                    message, always_print_fields_with_no_presence=True, use_integers_for_enums=enums_as_numbers)
                for error in validator.iter_errors(value):
                    where = "/".join(str(p) for p in error.absolute_path)
                    failures.append(f"{name} ({label}, enums as {'numbers' if enums_as_numbers else 'names'}) at /{where}: {error.message}")
                checked += 1

    status = {"code": 3, "message": "bad", "details": [
        {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "x", "description": "y"}]}]}
    status_validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/google.rpc.Status", "components": document["components"]})
    failures += [f"google.rpc.Status: {e.message}" for e in status_validator.iter_errors(status)]

    for failure in failures:
        print("FAIL", failure)
    print(f"ok: {len(document['paths'])} paths, {checked} message encodings match their schemas" if not failures
          else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
