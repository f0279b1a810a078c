#!/usr/bin/env python3
"""JSON peer for the proto3 JSON mapping tests: Python's `protobuf` json_format on one side, our
descriptor-driven Swift codec (AudoticsJSON) on the other.

    json_peer.py write DIR    for every case write DIR/<case>.type (the message's full name),
                              <case>.bin (Python's binary encoding) and Python's JSON:
                              <case>.json (lowerCamelCase), <case>.names.json (proto field names),
                              <case>.defaults.json (fields without presence always printed),
                              <case>.compact.json (enums as numbers, no indentation)
    json_peer.py verify DIR   for every <case>.<variant>.swift.bin (what Swift made of Python's JSON)
                              and <case>.<variant>.swift.json (Swift's JSON of Python's binary),
                              parse it with Python and compare with the case as a parsed message,
                              and Swift's JSON with Python's own JSON of the case (as JSON values);
                              prints one line per check and exits 1 on any mismatch

The cases are protobuf_peer.py's canonical conformance shapes plus JSON-specific ones (special
floats, escapes, google.rpc.Status with Any details, audotics.v1 requests). Message classes are
built at run time from a descriptor set protoc compiles from the protos in the tree.
"""
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

sys.path.insert(0, os.path.dirname(__file__))
import protobuf_peer  # noqa: E402  (the canonical shapes)

REPO = protobuf_peer.REPO
FILES = ["audotics/conformance/v1/shapes.proto", "audotics/v1/playlist.proto", "audotics/v1/analytics.proto",
         "audotics/v1/recommendation.proto", "google/rpc/status.proto", "google/rpc/error_details.proto",
         "google/protobuf/empty.proto", "google/protobuf/field_mask.proto", "google/protobuf/wrappers.proto"]


def load_pool():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "all.pb")
        subprocess.run(["protoc", "-I", os.path.join(REPO, "proto"), "-I", "/usr/include", "--include_imports",
                        "--descriptor_set_out=" + out] + FILES, check=True)
        with open(out, "rb") as f:
            fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return pool


def classes(pool):
    def get(name):
        return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
    shapes = {n: get(f"{protobuf_peer.PACKAGE}.{n}") for n in
              ["Item", "Scalars", "PackedRepeated", "UnpackedRepeated", "Nesting", "Maps", "Choice", "Presence",
               "Wrappers", "Times", "Everything"]}
    return shapes, get


def json_cases(m, get):
    cases = {}
    s = m["Scalars"]()
    s.float_value = math.nan
    s.double_value = -math.inf
    s.string_value = "quote \" backslash \\ newline \n tab \t bell \x07 nul-free \u2028 \U0001F3B5 </script>"
    s.bytes_value = bytes(range(256))
    cases["json_special_scalars"] = s
    p = m["PackedRepeated"]()
    p.double_values.extend([math.nan, math.inf, -math.inf, -0.0, 1e-310, 1.7976931348623157e308, 0.1])
    p.float_values.extend([math.inf, -math.inf, 1.1754944e-38, 0.1, 3.4e38])
    p.bytes_values.extend([b"\xfb\xff", b"a", b"ab"])
    cases["json_special_lists"] = p

    status = get("google.rpc.Status")()
    status.code = 3
    status.message = "invalid playlist name"
    bad = get("google.rpc.BadRequest")()
    v = bad.field_violations.add()
    v.field = "name"
    v.description = "must be 1-100 characters"
    status.details.add().Pack(bad)
    retry = get("google.rpc.RetryInfo")()
    retry.retry_delay.seconds = 3
    retry.retry_delay.nanos = 500_000_000
    status.details.add().Pack(retry)
    info = get("google.rpc.ErrorInfo")()
    info.reason = "RATE_LIMITED"
    info.domain = "audotics.example"
    info.metadata["limit"] = "100"
    status.details.add().Pack(info)
    duration = get("google.protobuf.Duration")()
    duration.seconds = 1
    status.details.add().Pack(duration)
    cases["json_status_details"] = status

    wkts = get("google.rpc.Status")()
    wkts.details.add().Pack(get("google.protobuf.Empty")())
    mask = get("google.protobuf.FieldMask")()
    mask.paths.extend(["display_name", "a.b_c"])
    wkts.details.add().Pack(mask)
    stamp = get("google.protobuf.Timestamp")()
    stamp.seconds = 253_402_300_799
    stamp.nanos = 10
    wkts.details.add().Pack(stamp)
    wrapped = get("google.protobuf.Int64Value")()
    wrapped.value = -5
    wkts.details.add().Pack(wrapped)
    inner = get("google.protobuf.Any")()
    inner.Pack(bad)
    wkts.details.add().Pack(inner)
    cases["json_any_well_known"] = wkts

    update = get("audotics.v1.UpdatePlaylistRequest")()
    update.playlist_id = "pl_0000001"
    update.playlist.name = "Road trip \u266b"
    update.playlist.visibility = 2
    update.playlist.total_duration_ms = 2**40
    update.playlist.created_at.seconds = 1_767_225_600
    update.playlist.created_at.nanos = 1000
    update.update_mask.paths.extend(["name", "visibility", "owner_display_name"])
    cases["json_update_playlist"] = update
    add = get("audotics.v1.AddTracksRequest")()
    add.playlist_id = "pl_1"
    add.track_ids.extend(["trk_1", "trk_2"])
    add.position = 0
    cases["json_add_tracks_position_zero"] = add
    event = get("audotics.v1.Event")()
    event.event_id = "evt_1"
    event.type = 1
    event.occurred_at.seconds = -1
    event.occurred_at.nanos = 999_000_000
    event.context.source_id = "pl_1"
    cases["json_event"] = event
    model = get("audotics.v1.ModelInfo")()
    model.model_version = "v3"
    model.training_duration.seconds = 90
    model.metrics["ndcg@10"] = 0.25
    model.metrics["recall"] = 1e-9
    model.user_count = -(2**63)
    cases["json_model_info"] = model
    return cases


def all_cases(pool):
    shapes, get = classes(pool)
    cases = protobuf_peer.cases(shapes)
    cases.update(json_cases(shapes, get))
    return cases


def print_options():
    """Keyword arguments that print fields without presence, by the installed version's name."""
    import inspect
    parameters = inspect.signature(json_format.MessageToJson).parameters
    if "always_print_fields_with_no_presence" in parameters:
        return {"always_print_fields_with_no_presence": True}
    return {"including_default_value_fields": True}


# The JSON styles Swift writes (AudoticsJSON options) as json_format options.
STYLES = {
    "camel-defaults": print_options(),
    "names-sparse": {"preserving_proto_field_name": True},
}


def same(a, b):
    return a == b or a.SerializeToString(deterministic=True) == b.SerializeToString(deterministic=True)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "verify"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, folder = sys.argv[1], sys.argv[2]
    pool = load_pool()
    cases = all_cases(pool)
    if mode == "write":
        os.makedirs(folder, exist_ok=True)
        for name, message in cases.items():
            def write(suffix, data):
                with open(os.path.join(folder, name + suffix), "wb") as f:
                    f.write(data)
            write(".type", message.DESCRIPTOR.full_name.encode())
            write(".bin", message.SerializeToString())
            write(".json", json_format.MessageToJson(message, descriptor_pool=pool).encode())
            write(".names.json", json_format.MessageToJson(
                message, preserving_proto_field_name=True, descriptor_pool=pool, ensure_ascii=False).encode())
            write(".defaults.json", json_format.MessageToJson(message, descriptor_pool=pool, **print_options()).encode())
            write(".compact.json", json_format.MessageToJson(
                message, use_integers_for_enums=True, indent=None, descriptor_pool=pool).encode())
        print(f"wrote {len(cases)} cases")
        return 0
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.swift.*"))):
        file = os.path.basename(path)
        name = file.split(".")[0]
        expected = cases[name]
        try:
            with open(path, "rb") as f:
                data = f.read()
            if file.endswith(".bin"):
                got = type(expected).FromString(data)
            else:
                got = json_format.Parse(data.decode("utf-8"), type(expected)(), descriptor_pool=pool)
        except Exception as error:  # a parse failure is a test failure, reported per file
            print(f"FAIL {file}: cannot parse: {error}")
            failed += 1
            continue
        if not same(got, expected):
            print(f"FAIL {file}:\n--- expected\n{expected}\n--- got\n{got}")
            failed += 1
            continue
        # Parsing is lenient (int64 as numbers, enums as numbers...), so Swift's JSON must also be
        # the document Python writes with the same options, compared as JSON values.
        if file.endswith(".json"):
            options = STYLES[file.split(".")[1]]
            ours = json.loads(data)
            theirs = json.loads(json_format.MessageToJson(expected, descriptor_pool=pool, **options))
            if ours != theirs:
                print(f"FAIL {file}: not the JSON Python writes\n--- Python\n{json.dumps(theirs, sort_keys=True)}"
                      f"\n--- Swift\n{json.dumps(ours, sort_keys=True)}")
                failed += 1
                continue
        print(f"ok   {file}")
        passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
