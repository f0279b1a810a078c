#!/usr/bin/env python3
"""Protobuf peer for the codec interoperability tests: Python's `protobuf` package on one side,
our protobuf-c based Swift codec on the other.

    protobuf_peer.py encode DIR   write DIR/<case>.bin, Python's encoding of every canonical case
    protobuf_peer.py verify DIR   decode DIR/<case>.bin (written by Swift) and compare each with
                                  the canonical value; prints one line per case and exits 1 on
                                  any mismatch

The canonical values here must equal those in
Tests/AudoticsProtobufTests/ConformanceCases.swift. Message classes are built at run time from a
descriptor set compiled by protoc from proto/audotics/conformance/v1/shapes.proto, so no generated
Python code is involved and the peer always sees the contract in the tree.
"""
import math
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACKAGE = "audotics.conformance.v1"


def load_classes():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "shapes.pb")
        subprocess.run(
            ["protoc", "-I", os.path.join(REPO, "proto"), "-I", "/usr/include", "--include_imports",
             "--descriptor_set_out=" + out, "audotics/conformance/v1/shapes.proto"],
            check=True,
        )
        with open(out, "rb") as f:
            fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    names = ["Item", "Scalars", "PackedRepeated", "UnpackedRepeated", "Nesting", "Maps", "Choice",
             "Presence", "Wrappers", "Times", "Everything"]
    return {n: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{n}")) for n in names}


TEXT = "h\u00e9llo w\u00f6rld \u2713 \U0001F3B5 \u65e5\u672c\u8a9e"
BLOB = bytes([0, 1, 2, 127, 128, 255, 0])

# Colors: 0 unspecified, 1 red, 2 green, 3 blue, -1 infrared, 2147483647 ultraviolet; 99 is unknown.


def scalars_max(m):
    s = m["Scalars"]()
    s.int32_value = 2**31 - 1
    s.int64_value = 2**63 - 1
    s.uint32_value = 2**32 - 1
    s.uint64_value = 2**64 - 1
    s.sint32_value = -(2**31)
    s.sint64_value = -(2**63)
    s.fixed32_value = 2**32 - 1
    s.fixed64_value = 2**64 - 1
    s.sfixed32_value = -(2**31)
    s.sfixed64_value = -(2**63)
    s.float_value = 3.5
    s.double_value = -1.0e300
    s.bool_value = True
    s.string_value = TEXT
    s.bytes_value = BLOB
    return s


def scalars_negative(m):
    s = m["Scalars"]()
    s.int32_value = -1
    s.int64_value = -(2**63)
    s.sint32_value = -1
    s.sint64_value = 1
    s.sfixed32_value = -2
    s.sfixed64_value = -3
    s.float_value = -0.25
    s.double_value = 5e-324
    s.string_value = "x"
    return s


def fill_repeated(r, with_text):
    r.int32_values.extend([0, 1, -1, 2**31 - 1, -(2**31)])
    r.int64_values.extend([0, -(2**63), 2**63 - 1, 300])
    r.uint32_values.extend([0, 1, 2**32 - 1])
    r.uint64_values.extend([2**64 - 1, 0, 12345678901234])
    r.sint32_values.extend([-1, 1, -(2**31), 2**31 - 1])
    r.sint64_values.extend([-(2**63), 2**63 - 1, -2])
    r.fixed32_values.extend([7, 2**32 - 1])
    r.fixed64_values.extend([2**64 - 1, 8])
    r.sfixed32_values.extend([-(2**31), 9])
    r.sfixed64_values.extend([-(2**63), 10])
    r.float_values.extend([1.5, -2.25, 0.0])
    r.double_values.extend([math.pi, -1e-300, 0.0])
    r.bool_values.extend([True, False, True])
    r.color_values.extend([1, 0, -1, 2147483647, 99])
    if with_text:
        r.string_values.extend([TEXT, "", "b"])
        r.bytes_values.extend([BLOB, b"", b"\xff"])
    return r


def nesting(m):
    n = m["Nesting"]()
    n.middle.label = "middle"
    n.middle.mood = 2
    n.middle.inner.note = "deep"
    n.middle.inner.stamp = 2**64 - 1
    n.middle.inner.mood = 1
    for i in range(3):
        inner = n.middle.inners.add()
        inner.note = f"inner {i}"
        inner.stamp = i
        inner.mood = 42 if i == 2 else i
    n.middles.add().label = "first"
    second = n.middles.add()
    second.label = "second"
    second.inner.note = "second inner"
    n.middles.add()
    n.mood = 1
    n.inner.note = "top inner"
    for i in range(4):
        item = n.items.add()
        item.id = i
        item.name = f"item {i} \u266b"
    n.item.id = -5
    return n


def maps(m):
    x = m["Maps"]()
    x.string_to_string["a"] = "alpha"
    x.string_to_string[""] = "empty key"
    x.string_to_string[TEXT] = ""
    x.int32_to_item[1].name = "one"
    x.int32_to_item[-2].id = -2
    x.int32_to_item[0].CopyFrom(m["Item"]())
    x.string_to_color["red"] = 1
    x.string_to_color["unknown"] = 99
    x.string_to_color["none"] = 0
    x.int64_to_bytes[-(2**63)] = BLOB
    x.int64_to_bytes[5] = b""
    x.bool_to_string[True] = "yes"
    x.bool_to_string[False] = "no"
    x.uint32_to_double[2**32 - 1] = 0.5
    x.sint64_to_float[-7] = 1.25
    x.fixed32_to_sfixed64[3] = -(2**63)
    return x


def choice(m, which):
    c = m["Choice"]()
    c.tag = "t"
    if which == "text":
        c.text = TEXT
    elif which == "number":
        c.number = -(2**63)
    elif which == "item":
        c.item.name = "chosen"
    elif which == "empty_item":
        c.item.SetInParent()
    elif which == "color":
        c.color = 0
    elif which == "blob":
        c.blob = b""
    elif which == "unknown_color":
        c.color = -7
    return c


def presence(m, set_defaults):
    p = m["Presence"]()
    p.plain = 3
    if set_defaults:
        p.maybe_int32 = 0
        p.maybe_string = ""
        p.maybe_bool = False
        p.maybe_double = 0.0
        p.maybe_color = 0
        p.maybe_bytes = b""
        p.maybe_uint64 = 0
    return p


def presence_values(m):
    p = m["Presence"]()
    p.maybe_int32 = -9
    p.maybe_string = TEXT
    p.maybe_bool = True
    p.maybe_double = 2.5
    p.maybe_color = 99
    p.maybe_bytes = BLOB
    p.maybe_uint64 = 2**64 - 1
    return p


def wrappers(m, zero):
    w = m["Wrappers"]()
    w.int32_value.value = 0 if zero else -1
    w.int64_value.value = 0 if zero else 2**63 - 1
    w.uint32_value.value = 0 if zero else 2**32 - 1
    w.uint64_value.value = 0 if zero else 2**64 - 1
    w.float_value.value = 0.0 if zero else 0.5
    w.double_value.value = 0.0 if zero else -0.125
    w.bool_value.value = not zero
    w.string_value.value = "" if zero else TEXT
    w.bytes_value.value = b"" if zero else BLOB
    return w


def times(m):
    t = m["Times"]()
    t.at.seconds = 1_767_225_600
    t.at.nanos = 123_456_789
    t.took.seconds = -3
    t.took.nanos = -500_000_000
    for s in (0, 1, -62_135_596_800):
        h = t.history.add()
        h.seconds = s
    return t


def everything(m):
    e = m["Everything"]()
    e.scalars.CopyFrom(scalars_max(m))
    fill_repeated(e.packed, True)
    fill_repeated(e.unpacked, False)
    e.nesting.CopyFrom(nesting(m))
    e.maps.CopyFrom(maps(m))
    e.choice.CopyFrom(choice(m, "item"))
    e.presence.CopyFrom(presence_values(m))
    e.times.CopyFrom(times(m))
    e.color = 2147483647
    e.wrappers.CopyFrom(wrappers(m, False))
    e.medium_number = "sixteen"
    e.max_number = "max"
    return e


def cases(m):
    return {
        "scalars_default": m["Scalars"](),
        "scalars_max": scalars_max(m),
        "scalars_negative": scalars_negative(m),
        "packed": fill_repeated(m["PackedRepeated"](), True),
        "unpacked": fill_repeated(m["UnpackedRepeated"](), False),
        "nesting": nesting(m),
        "maps": maps(m),
        "choice_text": choice(m, "text"),
        "choice_number": choice(m, "number"),
        "choice_item": choice(m, "item"),
        "choice_empty_item": choice(m, "empty_item"),
        "choice_color_default": choice(m, "color"),
        "choice_blob_empty": choice(m, "blob"),
        "choice_unknown_color": choice(m, "unknown_color"),
        "choice_none": choice(m, "none"),
        "presence_unset": presence(m, False),
        "presence_defaults": presence(m, True),
        "presence_values": presence_values(m),
        "wrappers": wrappers(m, False),
        "wrappers_zero": wrappers(m, True),
        "times": times(m),
        "everything": everything(m),
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("encode", "verify"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, folder = sys.argv[1], sys.argv[2]
    classes = load_classes()
    expected = cases(classes)
    if mode == "encode":
        os.makedirs(folder, exist_ok=True)
        for name, message in expected.items():
            with open(os.path.join(folder, name + ".bin"), "wb") as f:
                f.write(message.SerializeToString())
        print(f"encoded {len(expected)} cases")
        return 0
    passed = failed = 0
    for name, message in expected.items():
        path = os.path.join(folder, name + ".bin")
        try:
            with open(path, "rb") as f:
                decoded = type(message).FromString(f.read())
        except Exception as error:  # a decode failure is a test failure, reported per case
            print(f"FAIL {name}: cannot decode: {error}")
            failed += 1
            continue
        if decoded == message:
            print(f"ok   {name}")
            passed += 1
        else:
            print(f"FAIL {name}:\n--- expected\n{message}\n--- decoded\n{decoded}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
