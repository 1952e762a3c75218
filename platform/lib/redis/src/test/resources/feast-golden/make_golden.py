#!/usr/bin/python3
"""Writes golden.json: the bytes Feast's Python SDK puts in Redis, computed independently of Quiver's Java code.

Run from this directory with Debian's Python 3, python3-protobuf and protobuf-compiler (nothing from PyPI; a
version manager's python3 does not see Debian's modules, hence the full path):

    apt-get install -y python3-protobuf protobuf-compiler
    /usr/bin/python3 make_golden.py > golden.json

(protobuf's C++ runtime complains on stderr about the undecodable cases that are not UTF-8: that is expected.) The
output is the same on every run: maps are serialized deterministically, sorted by key.

Feast's messages are Feast's own: protos/feast/types/Value.proto and EntityKey.proto are copied unchanged (Apache
License 2.0, licence header kept) from feast-dev/feast at commit f0bc0700be7029166e6605e407de6d229cd1e93e
(2026-08-21, Feast 0.65 and later). This script compiles them with protoc into a temporary directory and every
feast.types.Value below is built and serialized by the generated classes; google.protobuf.Timestamp comes with
python3-protobuf.

What it re-implements, and where Feast keeps the original (feast-dev/feast, same commit):
  * serialize_entity_key and _serialize_val, versions 1, 2 and 3: sdk/python/feast/infra/key_encoding_utils.py,
    copied below with only its deprecation warning left out
  * the Redis key (entity key bytes + UTF-8 project name): sdk/python/feast/infra/online_stores/helpers.py
    (_redis_key) and sdk/python/feast/infra/online_stores/redis.py (_generate_redis_keys_for_entities)
  * the hash field of a feature, murmur3_x86_32 (seed 0) of "view:feature" packed little-endian:
    helpers.py (_mmh3), which calls the mmh3 wheel; here a pure-Python port of the reference algorithm
  * the "_ts:<view>" field holding a serialized google.protobuf.Timestamp, and feature values as serialized
    feast.types.Value: redis.py (online_write_batch)
  * how a stored zoned timestamp reads back: _zone_from_name and _fixed_offset_from_name in
    sdk/python/feast/type_map.py, and _zoned_timestamp_to_str in sdk/python/feast/feature_server_utils.py,
    copied below

Expected decodings ("feastValues") are read back from the serialized bytes by the protobuf library, then rendered
as Feast's feature server renders them (feature_server_utils.py, _value_to_native), with the Java types Quiver gives
them: uuids in the canonical form of Python's uuid.UUID, zoned timestamps as ISO 8601 text in their zone. Each of
"undecodableValues" is checked here to be bytes Feast itself cannot read as a Value of this schema: protobuf
refuses them, or finds a field the schema does not have, or Feast's own conversion (uuid.UUID, datetime) refuses
the member.
"""

import datetime
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import uuid
import warnings

from google.protobuf import message as pb_message
from google.protobuf import timestamp_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
FEAST_COMMIT = "f0bc0700be7029166e6605e407de6d229cd1e93e"


def compile_feast_protos():
    """Compiles Feast's Value.proto and EntityKey.proto with protoc and imports the generated modules."""
    out = tempfile.mkdtemp(prefix="feast-golden-")
    protos = os.path.join(HERE, "protos")
    subprocess.run(["protoc", f"--proto_path={protos}", f"--python_out={out}", "feast/types/Value.proto",
                    "feast/types/EntityKey.proto"], check=True)
    sys.path.insert(0, out)
    from feast.types import EntityKey_pb2, Value_pb2  # noqa: E402, generated just now
    return Value_pb2, EntityKey_pb2


Value_pb2, EntityKey_pb2 = compile_feast_protos()
Value = Value_pb2.Value
ValueType = Value_pb2.ValueType
EntityKeyProto = EntityKey_pb2.EntityKey
Timestamp = timestamp_pb2.Timestamp

# ---------------------------------------------------------------------------------------------------------------
# MurmurHash3 x86_32, the reference algorithm (Austin Appleby's MurmurHash3.cpp), over bytes, seed 0.


def murmur3_x86_32(data: bytes, seed: int = 0) -> int:
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & 0xFFFFFFFF
    n = len(data)
    rounded = n - n % 4
    for i in range(0, rounded, 4):
        k = data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
        h = ((h << 13) | (h >> 19)) & 0xFFFFFFFF
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
    k = 0
    tail = n & 3
    if tail == 3:
        k ^= data[rounded + 2] << 16
    if tail >= 2:
        k ^= data[rounded + 1] << 8
    if tail >= 1:
        k ^= data[rounded]
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


# Published test vectors of murmur3_x86_32 with seed 0.
assert murmur3_x86_32(b"") == 0
assert murmur3_x86_32(b"hello") == 0x248BFA47
assert murmur3_x86_32(b"The quick brown fox jumps over the lazy dog") == 0x2E4FF723


def feature_field(view: str, feature: str) -> bytes:
    # helpers._mmh3: struct.pack("<Q", mmh3.hash(key, signed=False)) cut to 4 bytes, i.e. the uint32 little-endian
    return struct.pack("<I", murmur3_x86_32(f"{view}:{feature}".encode("utf-8")))


# ---------------------------------------------------------------------------------------------------------------
# key_encoding_utils.py at FEAST_COMMIT: _serialize_val and serialize_entity_key, as Feast has them.


def _serialize_val(value_type, v, entity_key_serialization_version=3):
    if value_type == "string_val":
        return v.string_val.encode("utf8"), ValueType.STRING
    elif value_type == "bytes_val":
        return v.bytes_val, ValueType.BYTES
    elif value_type == "int32_val":
        return struct.pack("<i", v.int32_val), ValueType.INT32
    elif value_type == "int64_val":
        if 0 <= entity_key_serialization_version <= 1:
            return struct.pack("<l", v.int64_val), ValueType.INT64
        return struct.pack("<q", v.int64_val), ValueType.INT64
    elif value_type == "unix_timestamp_val":
        return struct.pack("<q", v.unix_timestamp_val), ValueType.UNIX_TIMESTAMP
    else:
        raise ValueError(f"Value type not supported for feast feature store: {v}")


def serialize_entity_key(entity_key, entity_key_serialization_version=3):
    sorted_keys = None
    sorted_values = None
    if not entity_key.join_keys:
        sorted_keys = []
        sorted_values = []
    elif len(entity_key.join_keys) == 1:
        # Fast path: single entity, no sorting needed
        sorted_keys = [entity_key.join_keys[0]]
        sorted_values = [entity_key.entity_values[0]]
    else:
        # Multi-entity: use sorting
        pairs = sorted(zip(entity_key.join_keys, entity_key.entity_values))
        sorted_keys = [k for k, _ in pairs]
        sorted_values = [v for _, v in pairs]

    output = []

    if entity_key_serialization_version > 2:
        output.append(struct.pack("<I", len(sorted_keys)))

    # Optimize key encoding by pre-encoding all strings
    if sorted_keys:
        encoded_keys = [k.encode("utf8") for k in sorted_keys]
        for i, k_encoded in enumerate(encoded_keys):
            output.append(struct.pack("<I", ValueType.STRING))
            if entity_key_serialization_version > 2:
                output.append(struct.pack("<I", len(k_encoded)))
            output.append(k_encoded)

    for v in sorted_values:
        val_bytes, value_type = _serialize_val(
            v.WhichOneof("val"),
            v,
            entity_key_serialization_version=entity_key_serialization_version,
        )
        output.append(struct.pack("<I", value_type))
        output.append(struct.pack("<I", len(val_bytes)))
        output.append(val_bytes)

    return b"".join(output)


def redis_key(project, entity_key, version):
    # helpers._redis_key: serialize_entity_key(...) + bytes(project, encoding="utf-8")
    return serialize_entity_key(entity_key, version) + project.encode("utf-8")


def timestamp_bytes(seconds, nanos):
    ts = Timestamp()
    ts.seconds = seconds
    ts.nanos = nanos
    return ts.SerializeToString()


# ---------------------------------------------------------------------------------------------------------------
# type_map.py and feature_server_utils.py at FEAST_COMMIT: how a zoned timestamp reads back.

# type_map.NULL_TIMESTAMP_INT_VALUE, np.datetime64("NaT").astype(int): the null timestamp
NULL_TIMESTAMP_INT_VALUE = -9223372036854775808


def _zone_from_name(zone: str):
    """Resolve a stored zone string back to a tzinfo. Empty → UTC."""
    if not zone:
        return datetime.timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(zone)
    except Exception:
        offset = _fixed_offset_from_name(zone)
        if offset is not None:
            return offset
        return datetime.timezone.utc


def _fixed_offset_from_name(zone: str):
    text = zone.strip()
    if text in ("UTC", "GMT"):
        return datetime.timezone.utc
    match = re.fullmatch(
        r"(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})",
        text,
    )
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = datetime.timedelta(hours=int(hours), minutes=int(minutes))
    if sign == "-":
        delta = -delta
    return datetime.timezone(delta)


def _zoned_timestamp_to_str(zoned):
    if zoned.unix_timestamp == NULL_TIMESTAMP_INT_VALUE:
        return None
    tz = _zone_from_name(zoned.zone)
    return datetime.datetime.fromtimestamp(zoned.unix_timestamp, tz=tz).isoformat()


# ---------------------------------------------------------------------------------------------------------------
# Values as typed JSON, both ways.
#
# A Value is written {"<oneof member>": payload}, or null for the empty Value. Payloads: bytes as hex; reals as
# numbers, or "inf", "-inf", "nan"; lists and sets as arrays of their elements; map_val and struct_val as an object
# of Values; map_list_val and struct_list_val as an array of such objects; list_val and set_val as an array of
# Values; scalar_map_val as an array of [key, Value] pairs, a key being {"<MapKey member>": payload};
# zoned_timestamp_val, as input, {"unix_timestamp": n, "zone": "..."}, and as expected, its ISO 8601 text.

SCALARS = {"bytes_val": "bytes", "string_val": "text", "int32_val": "int", "int64_val": "int",
           "double_val": "real", "float_val": "real", "bool_val": "bool", "unix_timestamp_val": "int",
           "json_val": "text", "uuid_val": "uuid", "time_uuid_val": "uuid", "decimal_val": "text"}
REPEATED = {}
for _kind, _members in {
    "bytes": ["bytes_list_val", "bytes_set_val"],
    "text": ["string_list_val", "string_set_val", "json_list_val", "decimal_list_val", "decimal_set_val"],
    "int": ["int32_list_val", "int32_set_val", "int64_list_val", "int64_set_val", "unix_timestamp_list_val",
            "unix_timestamp_set_val"],
    "real": ["double_list_val", "double_set_val", "float_list_val", "float_set_val"],
    "bool": ["bool_list_val", "bool_set_val"],
    "uuid": ["uuid_list_val", "uuid_set_val", "time_uuid_list_val", "time_uuid_set_val"],
}.items():
    for _m in _members:
        REPEATED[_m] = _kind
MAP_KEYS = {"int32_key": "int", "int64_key": "int", "float_key": "real", "double_key": "real", "bool_key": "bool",
            "unix_timestamp_key": "int", "bytes_key": "bytes", "uuid_key": "uuid", "time_uuid_key": "uuid",
            "decimal_key": "text"}


def python_of(kind, payload):
    if kind == "bytes":
        return bytes.fromhex(payload)
    if kind == "real" and isinstance(payload, str):
        return float(payload)
    return payload


def json_of(kind, x):
    if kind == "bytes":
        return bytes(x).hex()
    if kind == "real":
        if x != x:
            return "nan"
        if x in (float("inf"), float("-inf")):
            return "inf" if x > 0 else "-inf"
        return float(x)
    if kind == "uuid":
        return str(uuid.UUID(x))  # Feast reads uuids with uuid.UUID; Quiver answers its canonical text
    return x


def only(d):
    (k, v), = d.items()
    return k, v


def fill(v, typed):
    """Sets the member of Value v that typed JSON describes, through the generated classes."""
    if typed is None:
        return
    member, payload = only(typed)
    if member == "null_val":
        v.null_val = Value_pb2.NULL
    elif member in SCALARS:
        setattr(v, member, python_of(SCALARS[member], payload))
    elif member in REPEATED:
        field = getattr(v, member)
        field.SetInParent()  # an empty list is still this member
        field.val.extend([python_of(REPEATED[member], x) for x in payload])
    elif member in ("map_val", "struct_val"):
        fill_map(getattr(v, member), payload)
    elif member in ("map_list_val", "struct_list_val"):
        field = getattr(v, member)
        field.SetInParent()
        for m in payload:
            fill_map(field.val.add(), m)
    elif member in ("list_val", "set_val"):
        field = getattr(v, member)
        field.SetInParent()
        for inner in payload:
            fill(field.val.add(), inner)
    elif member == "scalar_map_val":
        v.scalar_map_val.SetInParent()
        for key, inner in payload:
            entry = v.scalar_map_val.val.add()
            key_member, key_payload = only(key)
            setattr(entry.key, key_member, python_of(MAP_KEYS[key_member], key_payload))
            entry.value.SetInParent()
            fill(entry.value, inner)
    elif member == "zoned_timestamp_val":
        v.zoned_timestamp_val.unix_timestamp = payload["unix_timestamp"]
        v.zoned_timestamp_val.zone = payload["zone"]
        v.zoned_timestamp_val.SetInParent()
    else:
        raise ValueError(member)


def fill_map(m, payload):
    m.SetInParent()
    for k, inner in payload.items():
        fill(m.val[k], inner)


def expected(v):
    """What a parsed Value reads back as, in typed JSON: Feast's feature server's rendering, typed."""
    member = v.WhichOneof("val")
    if member is None or member == "null_val":
        return None
    x = getattr(v, member)
    if member in SCALARS:
        return {member: json_of(SCALARS[member], x)}
    if member in REPEATED:
        return {member: [json_of(REPEATED[member], e) for e in x.val]}
    if member in ("map_val", "struct_val"):
        return {member: {k: expected(x.val[k]) for k in sorted(x.val)}}
    if member in ("map_list_val", "struct_list_val"):
        return {member: [{k: expected(m.val[k]) for k in sorted(m.val)} for m in x.val]}
    if member in ("list_val", "set_val"):
        return {member: [expected(inner) for inner in x.val]}
    if member == "scalar_map_val":
        pairs = []
        for entry in x.val:
            key_member = entry.key.WhichOneof("key")
            pairs.append([{key_member: json_of(MAP_KEYS[key_member], getattr(entry.key, key_member))},
                          expected(entry.value)])
        return {member: pairs}
    if member == "zoned_timestamp_val":
        text = _zoned_timestamp_to_str(x)
        return None if text is None else {member: text}
    raise ValueError(member)


def has_unknown_fields(m):
    """Whether protobuf kept fields of m, or of a message inside it, that the schema does not have."""
    if len(m.UnknownFields()) > 0:
        return True
    for field, value in m.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        if field.message_type.GetOptions().map_entry:
            items = value.values() if field.message_type.fields_by_name["value"].message_type else []
        elif field.label == field.LABEL_REPEATED:
            items = value
        else:
            items = [value]
        if any(has_unknown_fields(i) for i in items):
            return True
    return False


def feast_refuses(raw: bytes) -> str:
    """How Feast fails to read raw as a Value of this schema; AssertionError when it reads it fine."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            v = Value.FromString(raw)
        except pb_message.DecodeError as e:
            return f"protobuf: {e}"
    if caught:
        return f"protobuf stops there with a warning, '{caught[0].message}', and returns what it read before"
    if has_unknown_fields(v):
        return "protobuf parses it, with fields that feast.types.Value does not define"
    try:
        expected(v)
    except (ValueError, OverflowError, OSError) as e:
        return f"Feast's conversion refuses it: {type(e).__name__}: {e}"
    raise AssertionError(f"Feast reads {raw.hex()} as {v}")


def value_bytes(typed):
    v = Value()
    fill(v, typed)
    # deterministic: map entries sorted by key, so that the same script writes the same golden.json every time
    return v.SerializeToString(deterministic=True)


# ---------------------------------------------------------------------------------------------------------------
# Wire-level helpers for bytes no protobuf serializer writes (unpacked lists, broken values).


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def tag(field, wire):
    return varint(field << 3 | wire)


def ld(field, payload):
    """A length-delimited field."""
    return tag(field, 2) + varint(len(payload)) + payload


def nested_lists(depth):
    """A list_val whose only element is a list_val ..., depth deep, around an int64 1."""
    inner = {"int64_val": 1}
    for _ in range(depth):
        inner = {"list_val": [inner]}
    return inner


# ---------------------------------------------------------------------------------------------------------------
# The cases.

ENTITY_KEYS = [
    # name, [(join key, type, json value)], versions
    ("customer_id int64 1001 (research A)", [("customer_id", "INT64", 1001)], (1, 2, 3)),
    ("customer_id string abc (research B)", [("customer_id", "STRING", "abc")], (1, 2, 3)),
    ("driver_id int64 5 + customer_id string x (research C)",
     [("driver_id", "INT64", 5), ("customer_id", "STRING", "x")], (1, 2, 3)),
    ("driver_id int32 7", [("driver_id", "INT32", 7)], (1, 2, 3)),
    ("user int64 2**15 (Feast's test_key_encoding_utils input)", [("user", "INT64", 2 ** 15)], (1, 2, 3)),
    ("negative int32", [("account", "INT32", -2)], (1, 2, 3)),
    ("negative int64", [("account", "INT64", -5)], (1, 2, 3)),
    ("int64 at the ends of version 1's four bytes", [("a", "INT64", -(2 ** 31)), ("b", "INT64", 2 ** 31 - 1)],
     (1, 2, 3)),
    ("int64 extremes", [("a", "INT64", -(2 ** 63)), ("b", "INT64", 2 ** 63 - 1)], (2, 3)),
    ("bytes key", [("device", "BYTES", "00ff10")], (1, 2, 3)),
    ("unix timestamp key", [("day", "UNIX_TIMESTAMP", 1700000000)], (1, 2, 3)),
    ("unicode string value", [("city", "STRING", "Zürich 東京")], (1, 2, 3)),
    # Feast writes a name's UTF-8 length, len(k_encoded): 7 for größe's 5 code points
    ("non-ASCII join key", [("größe", "INT32", 1)], (1, 2, 3)),
    ("join keys of three- and four-byte characters", [("東京_id", "STRING", "x"), ("🚀", "INT64", 9)], (1, 2, 3)),
    # Python sorts by code point: U+FB01 before U+1F600, though UTF-16 puts the surrogate 0xD83D first
    ("join keys whose code-point order is not UTF-16's", [("\ufb01x", "INT32", 1), ("\U0001F600", "INT32", 2)],
     (1, 2, 3)),
    ("three keys, unsorted", [("zone", "STRING", "eu"), ("a_id", "INT64", 1), ("m", "INT32", 2)], (1, 2, 3)),
]

# Keys Feast cannot serialize: version 1 packs an int64 with struct's "<l", four bytes.
REFUSED_ENTITY_KEYS = [
    ("int64 2**31 in version 1", 1, [("driver_id", "INT64", 2 ** 31)]),
    ("int64 -2**31 - 1 in version 1", 1, [("driver_id", "INT64", -(2 ** 31) - 1)]),
]

FEATURE_FIELDS = [
    ("driver_hourly_stats", "conv_rate"),
    ("driver_hourly_stats", "acc_rate"),
    ("driver_hourly_stats", "avg_daily_trips"),
    ("customer_profile", "avg_order_value"),
    ("v", "f"),
    ("features", "größe"),
]

# Quiver's own value types, which it writes too: (ValueType, json value).
ONEOF_OF_TYPE = {"BYTES": "bytes_val", "STRING": "string_val", "INT32": "int32_val", "INT64": "int64_val",
                 "DOUBLE": "double_val", "FLOAT": "float_val", "BOOL": "bool_val",
                 "UNIX_TIMESTAMP": "unix_timestamp_val"}
VALUES = [
    ("INT32", 0), ("INT32", 7), ("INT32", -1), ("INT32", 2 ** 31 - 1), ("INT32", -(2 ** 31)),
    ("INT64", 0), ("INT64", 42), ("INT64", -1), ("INT64", 2 ** 63 - 1), ("INT64", -(2 ** 63)),
    ("FLOAT", 0.5), ("FLOAT", -1.25), ("FLOAT", 0.0), ("FLOAT", "inf"),
    ("DOUBLE", 1.5), ("DOUBLE", 0.1), ("DOUBLE", -0.0), ("DOUBLE", 1e300), ("DOUBLE", "-inf"),
    ("STRING", "KS"), ("STRING", ""), ("STRING", "Zürich 東京 🚀"),
    ("BOOL", True), ("BOOL", False),
    ("BYTES", "0102"), ("BYTES", ""),
    ("UNIX_TIMESTAMP", 1700000000), ("UNIX_TIMESTAMP", 0), ("UNIX_TIMESTAMP", -86400),
    ("STRING", None),  # a null feature value: Feast stores an empty Value
]

U1 = "7f1d5b1c-4b7a-4d2e-9c3f-0a1b2c3d4e5f"
U2 = "00000000-0000-0000-0000-000000000000"
T1 = "c232ab00-9414-11ec-b3c8-9f6bdeced846"  # a version 1, time-based uuid

# Every member of Value's oneof, with edge cases: (name, typed value), serialized by the generated classes.
FEAST_VALUES = [
    ("the empty Value", None),
    ("null_val", {"null_val": 0}),
    ("bytes_val", {"bytes_val": "00ff7f80"}),
    ("bytes_val empty", {"bytes_val": ""}),
    ("string_val unicode", {"string_val": "Zürich 東京 🚀"}),
    ("string_val empty", {"string_val": ""}),
    ("int32_val negative", {"int32_val": -(2 ** 31)}),
    ("int64_val negative", {"int64_val": -1}),
    ("double_val nan", {"double_val": "nan"}),
    ("double_val -0.0", {"double_val": -0.0}),
    ("float_val", {"float_val": -1.5}),
    ("bool_val false", {"bool_val": False}),
    ("unix_timestamp_val negative", {"unix_timestamp_val": -86400}),
    ("bytes_list_val", {"bytes_list_val": ["00", "ff01", ""]}),
    ("bytes_list_val empty", {"bytes_list_val": []}),
    ("string_list_val unicode", {"string_list_val": ["a", "", "東京", "🚀"]}),
    ("string_list_val empty", {"string_list_val": []}),
    ("int32_list_val negative", {"int32_list_val": [-1, 0, 2 ** 31 - 1, -(2 ** 31)]}),
    ("int32_list_val empty", {"int32_list_val": []}),
    ("int64_list_val", {"int64_list_val": [1, -2, 2 ** 63 - 1, -(2 ** 63)]}),
    ("int64_list_val empty", {"int64_list_val": []}),
    ("double_list_val", {"double_list_val": [1.5, -0.0, "inf", "nan", 1e-300]}),
    ("double_list_val empty", {"double_list_val": []}),
    ("float_list_val", {"float_list_val": [0.5, -2.25, "-inf"]}),
    ("float_list_val empty", {"float_list_val": []}),
    ("bool_list_val", {"bool_list_val": [True, False, True]}),
    ("bool_list_val empty", {"bool_list_val": []}),
    ("unix_timestamp_list_val", {"unix_timestamp_list_val": [0, 1700000000, -1]}),
    ("unix_timestamp_list_val empty", {"unix_timestamp_list_val": []}),
    ("map_val", {"map_val": {"a": {"int32_val": 7}, "clé": {"string_val": "é"}, "none": None,
                             "inner": {"map_val": {"x": {"double_list_val": [1.0]}}}}}),
    ("map_val empty", {"map_val": {}}),
    ("map_list_val", {"map_list_val": [{"a": {"int64_val": 1}}, {}, {"b": {"bool_val": True}}]}),
    ("map_list_val empty", {"map_list_val": []}),
    ("bytes_set_val", {"bytes_set_val": ["01", "02"]}),
    ("string_set_val", {"string_set_val": ["a", "é", "a"]}),
    ("string_set_val empty", {"string_set_val": []}),
    ("int32_set_val", {"int32_set_val": [-3, 4]}),
    ("int64_set_val", {"int64_set_val": [1, 2, 1]}),
    ("double_set_val", {"double_set_val": [0.25, "-inf"]}),
    ("float_set_val", {"float_set_val": [0.75]}),
    ("bool_set_val", {"bool_set_val": [True, False]}),
    ("unix_timestamp_set_val", {"unix_timestamp_set_val": [1700000000, -5]}),
    ("json_val object", {"json_val": "{\"a\": [1, 2.5, null], \"b\": \"é\"}"}),
    ("json_val number", {"json_val": "42"}),
    ("json_list_val", {"json_list_val": ["{\"x\": 1}", "null", "\"東京\""]}),
    ("json_list_val empty", {"json_list_val": []}),
    ("struct_val", {"struct_val": {"name": {"string_val": "Ada"}, "age": {"int64_val": 36},
                                   "tags": {"string_list_val": ["x"]}, "missing": None}}),
    ("struct_list_val", {"struct_list_val": [{"id": {"int32_val": 1}}, {}]}),
    ("uuid_val", {"uuid_val": U1}),
    ("uuid_val nil", {"uuid_val": U2}),
    ("uuid_val upper case", {"uuid_val": U1.upper()}),
    ("uuid_val in braces", {"uuid_val": "{" + U1 + "}"}),
    ("uuid_val as a URN", {"uuid_val": "urn:uuid:" + U1}),
    ("uuid_val without hyphens", {"uuid_val": U1.replace("-", "")}),
    ("time_uuid_val", {"time_uuid_val": T1}),
    ("uuid_list_val", {"uuid_list_val": [U1, U2.upper()]}),
    ("uuid_list_val empty", {"uuid_list_val": []}),
    ("time_uuid_list_val", {"time_uuid_list_val": [T1]}),
    ("uuid_set_val, one uuid written two ways", {"uuid_set_val": [U1, U1.upper()]}),
    ("time_uuid_set_val", {"time_uuid_set_val": [T1, U1]}),
    ("list_val of lists", {"list_val": [{"int64_list_val": [1, 2]}, {"int64_list_val": []}, None]}),
    ("list_val of mixed collections", {"list_val": [{"string_list_val": ["a"]}, {"double_set_val": [0.5]}]}),
    ("list_val empty", {"list_val": []}),
    ("list_val thirty deep", nested_lists(30)),
    ("set_val", {"set_val": [{"int32_set_val": [1, 2]}, {"int32_set_val": [3]}]}),
    ("decimal_val", {"decimal_val": "3.14159"}),
    ("decimal_val negative zero with scale", {"decimal_val": "-0.00"}),
    ("decimal_val exponent", {"decimal_val": "1E+3"}),
    ("decimal_val NaN", {"decimal_val": "NaN"}),
    ("decimal_val -Infinity", {"decimal_val": "-Infinity"}),
    ("decimal_val beyond a double", {"decimal_val": "123456789012345678901234567890.000000001"}),
    ("decimal_list_val", {"decimal_list_val": ["1.10", "-2"]}),
    ("decimal_set_val", {"decimal_set_val": ["0.1", "0.10"]}),
    ("scalar_map_val, every key type", {"scalar_map_val": [
        [{"int32_key": -1}, {"string_val": "minus one"}],
        [{"int64_key": 2 ** 40}, {"double_val": 2.5}],
        [{"float_key": 0.5}, None],
        [{"double_key": -1.25}, {"bool_val": True}],
        [{"bool_key": True}, {"int64_list_val": [1]}],
        [{"unix_timestamp_key": 1700000000}, {"string_val": "t"}],
        [{"bytes_key": "00ff"}, {"bytes_val": "01"}],
        [{"uuid_key": U1.upper()}, {"int32_val": 7}],
        [{"time_uuid_key": T1}, {"map_val": {"k": {"int32_val": 1}}}],
        [{"decimal_key": "1.50"}, {"decimal_val": "2"}],
    ]}),
    ("scalar_map_val empty", {"scalar_map_val": []}),
    ("zoned_timestamp_val, Los Angeles in winter",
     {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "America/Los_Angeles"}}),
    ("zoned_timestamp_val, Los Angeles in summer",
     {"zoned_timestamp_val": {"unix_timestamp": 1689000000, "zone": "America/Los_Angeles"}}),
    ("zoned_timestamp_val, Los Angeles in 1800 (local mean time)",
     {"zoned_timestamp_val": {"unix_timestamp": -5364662400, "zone": "America/Los_Angeles"}}),
    ("zoned_timestamp_val, Kolkata", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "Asia/Kolkata"}}),
    ("zoned_timestamp_val, Paris before the epoch",
     {"zoned_timestamp_val": {"unix_timestamp": -1, "zone": "Europe/Paris"}}),
    ("zoned_timestamp_val, Etc/GMT+5", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "Etc/GMT+5"}}),
    ("zoned_timestamp_val, no zone", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": ""}}),
    ("zoned_timestamp_val, UTC", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "UTC"}}),
    ("zoned_timestamp_val, UTC in spaces", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": " UTC "}}),
    ("zoned_timestamp_val, +05:30", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "+05:30"}}),
    ("zoned_timestamp_val, -0700", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "-0700"}}),
    ("zoned_timestamp_val, UTC-07:00", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "UTC-07:00"}}),
    ("zoned_timestamp_val, GMT+01:00", {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "GMT+01:00"}}),
    # java.time reads "+5" and "UTC+5" as offsets; Feast's pattern wants two digits of hours and of minutes
    ("zoned_timestamp_val, +5 is no zone Feast reads: UTC",
     {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "+5"}}),
    ("zoned_timestamp_val, UTC+5 is no zone Feast reads: UTC",
     {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "UTC+5"}}),
    ("zoned_timestamp_val, an unknown zone reads as UTC",
     {"zoned_timestamp_val": {"unix_timestamp": 1700000000, "zone": "Not/A_Zone"}}),
    ("zoned_timestamp_val, the first second of year 1",
     {"zoned_timestamp_val": {"unix_timestamp": -62135596800, "zone": ""}}),
    ("zoned_timestamp_val, the last second of year 9999",
     {"zoned_timestamp_val": {"unix_timestamp": 253402300799, "zone": ""}}),
    ("zoned_timestamp_val, the null timestamp",
     {"zoned_timestamp_val": {"unix_timestamp": NULL_TIMESTAMP_INT_VALUE, "zone": "America/Los_Angeles"}}),
]

# Valid Values that no proto3 serializer writes but every protobuf parser reads: (name, bytes).
HAND_WRITTEN_VALUES = [
    ("int64_list_val unpacked", ld(14, tag(1, 0) + varint(1) + tag(1, 0) + varint(-2))),
    ("double_list_val unpacked", ld(15, tag(1, 1) + struct.pack("<d", 0.5) + tag(1, 1) + struct.pack("<d", -1.0))),
    ("bool_list_val in two packed runs", ld(17, ld(1, b"\x01\x00") + ld(1, b"\x01"))),
    ("an unknown field inside a list message is skipped", ld(12, ld(1, b"a") + tag(2, 0) + varint(7) + ld(1, b"b"))),
    ("null_val with an enum number Feast does not define", tag(19, 0) + varint(5)),
    ("two string_val, the last wins", ld(2, b"first") + ld(2, b"last")),
    ("string_val, then int64_val: the last member wins", ld(2, b"x") + tag(4, 0) + varint(9)),
]

ZONED_TAG = 48


def zoned(seconds, zone):
    return ld(ZONED_TAG, tag(1, 0) + varint(seconds) + ld(2, zone.encode("utf-8")))


# Bytes Quiver answers INVALID: (name, bytes).
UNDECODABLE_VALUES = [
    ("field 9, a number Value.proto leaves out", tag(9, 0) + varint(1)),
    ("field 10, a number Value.proto leaves out", tag(10, 0) + varint(1)),
    ("field 30, which no Feast version defines", ld(30, U1.encode())),
    ("field 31, which no Feast version defines", ld(31, T1.encode())),
    ("field 49, a member of a Feast newer than this schema", tag(49, 0) + varint(1)),
    ("the largest field number", tag(536870911, 0) + varint(1)),
    ("a known member, then an unknown one", tag(4, 0) + varint(5) + tag(49, 0) + varint(1)),
    ("an unknown member, then a known one", tag(49, 0) + varint(1) + tag(4, 0) + varint(5)),
    ("int64_val as fixed64", tag(4, 1) + struct.pack("<q", 5)),
    ("double_val as a varint", tag(5, 0) + varint(1)),
    ("float_val as fixed64", tag(6, 1) + struct.pack("<d", 1.0)),
    ("string_val as a varint", tag(2, 0) + varint(1)),
    ("bool_val length-delimited", ld(7, b"\x01")),
    ("null_val length-delimited", ld(19, b"")),
    ("int64_list_val as a varint", tag(14, 0) + varint(1)),
    ("map_val as fixed32", tag(20, 5) + b"\x00\x00\x00\x00"),
    ("zoned_timestamp_val as a varint", tag(48, 0) + varint(1)),
    ("string_list_val holding a varint", ld(12, tag(1, 0) + varint(1))),
    ("double_list_val holding a varint", ld(15, tag(1, 0) + varint(1))),
    ("a zoned timestamp whose seconds are length-delimited", ld(48, ld(1, b"\x01"))),
    ("a group where int32_val belongs", tag(3, 3) + tag(3, 4)),
    ("wire type 6", tag(1, 6) + b"\x00"),
    ("wire type 7", tag(1, 7) + b"\x00"),
    ("field number 0", tag(0, 0) + varint(1)),
    ("string_val cut short", tag(2, 2) + varint(5) + b"ab"),
    ("double_val cut short", tag(5, 1) + b"\x00\x00\x00\x00"),
    ("float_val cut short", tag(6, 5) + b"\x00\x00"),
    ("int64_val with an unterminated varint", tag(4, 0) + b"\xff\xff"),
    ("a tag cut short", b"\x80"),
    ("int64_val with an eleven-byte varint", tag(4, 0) + b"\xff" * 10 + b"\x01"),
    ("a list message longer than the Value", tag(14, 2) + varint(10) + b"\x08\x01"),
    ("packed doubles whose length is not a multiple of eight", ld(15, ld(1, b"\x00" * 12))),
    ("a map value cut short", ld(20, ld(1, ld(1, b"k") + tag(2, 2) + varint(4) + b"\x20"))),
    ("a length of 2**64 - 1", tag(2, 2) + b"\xff" * 9 + b"\x01"),
    ("string_val that is not UTF-8", ld(2, b"\xff")),
    ("json_val that is not UTF-8", ld(32, b"\xc3\x28")),
    ("a map key that is not UTF-8", ld(20, ld(1, ld(1, b"\xe2\x82")))),
    ("list_val two hundred deep", value_bytes(nested_lists(200))),
    ("uuid_val that is no uuid", ld(36, b"not-a-uuid")),
    ("uuid_val empty", ld(36, b"")),
    ("time_uuid_val too short", ld(37, b"12345")),
    ("uuid_list_val with one element that is no uuid", ld(38, ld(1, U1.encode()) + ld(1, b"zz"))),
    ("a scalar map key that is no uuid", ld(47, ld(1, ld(1, ld(8, b"nope")) + ld(2, b"")))),
    ("zoned_timestamp_val in year 10000", zoned(253402300800, "")),
    ("zoned_timestamp_val in year 0", zoned(-62135596801, "")),
    ("zoned_timestamp_val whose zone pushes it past year 9999", zoned(253402300799, "+01:00")),
    ("zoned_timestamp_val whose zone pushes it before year 1", zoned(-62135596800, "-01:00")),
    ("zoned_timestamp_val at an offset of 24 hours", zoned(1700000000, "+24:00")),
]

# Bytes protobuf and Feast's SDK read, but which Quiver answers INVALID, with why: (name, bytes, reason).
REFUSED_BY_CHOICE = [
    ("a map entry whose key is a varint", ld(20, ld(1, tag(1, 0) + varint(1))),
     "protobuf drops the wrongly typed key of a map entry and reads the entry under the empty key; Quiver does not "
     "make up a key"),
    ("a scalar map entry without a key", ld(47, ld(1, ld(2, tag(3, 0) + varint(1)))),
     "Feast's SDK reads it as a dict with the key None, which no JSON object can hold; Feast's feature server "
     "answers every scalar map null"),
    ("a scalar map key of a member MapKey does not define", ld(47, ld(1, ld(1, tag(11, 0) + varint(1)) + ld(2, b""))),
     "protobuf keeps field 11 as an unknown field, and the key has no member Feast's SDK can read"),
]

TIMESTAMPS = [
    (0, 0), (1640991600, 0), (1640991600, 500000000), (1700000000, 123456000), (1700000000, 1),
    (0, 999999999), (-1, 0), (-62135596800, 0), (253402300799, 999999999),
]

# A whole hash as Feast's online_write_batch leaves it after materializing two views of one driver.
HASH_PROJECT = "feast_demo"
HASH_KEY = [("driver_id", "INT64", 1001)]
HASH_VIEWS = [
    ("driver_hourly_stats", (1640991600, 500000000),
     [("conv_rate", "FLOAT", 0.75), ("acc_rate", "DOUBLE", 0.9), ("avg_daily_trips", "INT64", 12),
      ("city", "STRING", "Lyon"), ("active", "BOOL", True), ("note", "STRING", None)]),
    ("driver_profile", (1700000000, 0),
     [("rating", "INT32", 5), ("avatar", "BYTES", "cafe"), ("joined", "UNIX_TIMESTAMP", 1500000000)]),
]


def from_json(type_name, j):
    """The Python value of a JSON-encoded golden value: bytes as hex, non-finite reals as strings."""
    if j is None:
        return None
    if type_name == "BYTES":
        return bytes.fromhex(j)
    if type_name in ("FLOAT", "DOUBLE") and isinstance(j, str):
        return float(j)
    return j


def value_proto(type_name, python_value):
    """A Value the way feast.type_map.python_values_to_proto_values builds one: None gives an empty Value."""
    v = Value()
    if python_value is not None:
        setattr(v, ONEOF_OF_TYPE[type_name], python_value)
    return v


def entity_key(keys):
    return EntityKeyProto(join_keys=[k for k, _, _ in keys],
                          entity_values=[value_proto(t, from_json(t, j)) for _, t, j in keys])


def keys_json(keys):
    return [{"joinKey": k, "type": t, "value": j} for k, t, j in keys]


def main():
    members = [(f.name, f.number) for f in Value.DESCRIPTOR.oneofs_by_name["val"].fields]
    out = {
        "source": "make_golden.py: feast-dev/feast sdk/python/feast/infra/key_encoding_utils.py, "
                  "infra/online_stores/redis.py and helpers.py, type_map.py, feature_server_utils.py, and "
                  "protos/feast/types/Value.proto compiled by protoc, at commit " + FEAST_COMMIT,
        "feastCommit": FEAST_COMMIT,
        "valueMembers": [{"name": n, "number": number} for n, number in members],
        "murmur3_x86_32": [
            {"text": t, "hash": murmur3_x86_32(t.encode("utf-8"))}
            for t in ["", "hello", "The quick brown fox jumps over the lazy dog", "driver_hourly_stats:conv_rate"]
        ],
        "featureFields": [
            {"view": v, "feature": f, "fieldHex": feature_field(v, f).hex()} for v, f in FEATURE_FIELDS
        ],
        "timestampFields": [
            {"view": v, "fieldHex": f"_ts:{v}".encode("utf-8").hex()} for v in ["driver_hourly_stats", "größe"]
        ],
        "entityKeys": [],
        "refusedEntityKeys": [],
        "values": [],
        "feastValues": [],
        "undecodableValues": [],
        "timestamps": [],
        "hash": None,
    }
    for name, keys, versions in ENTITY_KEYS:
        for version in versions:
            key = entity_key(keys)
            out["entityKeys"].append({
                "name": name,
                "version": version,
                "keys": keys_json(keys),
                "project": "feast_demo",
                "entityKeyHex": serialize_entity_key(key, version).hex(),
                "redisKeyHex": redis_key("feast_demo", key, version).hex(),
            })
    for name, version, keys in REFUSED_ENTITY_KEYS:
        try:
            serialize_entity_key(entity_key(keys), version)
        except struct.error as e:
            out["refusedEntityKeys"].append({"name": name, "version": version, "keys": keys_json(keys),
                                             "feast": f"struct.error: {e}"})
        else:
            raise AssertionError(f"Feast serializes {name}")

    for type_name, j in VALUES:
        v = value_proto(type_name, from_json(type_name, j))
        out["values"].append({"type": type_name, "value": j, "hex": v.SerializeToString().hex()})

    covered = set()
    for name, typed in FEAST_VALUES:
        raw = value_bytes(typed)
        parsed = Value.FromString(raw)
        assert not has_unknown_fields(parsed), name
        covered.add(parsed.WhichOneof("val"))
        out["feastValues"].append({"name": name, "hex": raw.hex(), "expected": expected(parsed)})
    for name, raw in HAND_WRITTEN_VALUES:
        parsed = Value.FromString(raw)
        out["feastValues"].append({"name": name, "hex": raw.hex(), "expected": expected(parsed)})
    missing = [n for n, _ in members if n not in covered]
    assert not missing, f"members without a case: {missing}"

    for name, raw in UNDECODABLE_VALUES:
        out["undecodableValues"].append({"name": name, "hex": raw.hex(), "feast": feast_refuses(raw)})
    for name, raw, reason in REFUSED_BY_CHOICE:
        out["undecodableValues"].append({"name": name, "hex": raw.hex(), "feast": reason})

    for seconds, nanos in TIMESTAMPS:
        out["timestamps"].append({"seconds": seconds, "nanos": nanos, "hex": timestamp_bytes(seconds, nanos).hex()})

    key = entity_key(HASH_KEY)
    fields = []
    views = []
    for view, (seconds, nanos), features in HASH_VIEWS:
        # online_write_batch: entity_hset[f"_ts:{table.name}"] = ts.SerializeToString(), then one field per feature
        fields.append({"fieldHex": f"_ts:{view}".encode("utf-8").hex(),
                       "valueHex": timestamp_bytes(seconds, nanos).hex()})
        for feature, type_name, j in features:
            fields.append({"fieldHex": feature_field(view, feature).hex(),
                           "valueHex": value_proto(type_name, from_json(type_name, j)).SerializeToString().hex()})
        views.append({"view": view, "seconds": seconds, "nanos": nanos,
                      "features": [{"name": f, "type": t, "value": j} for f, t, j in features]})
    out["hash"] = {
        "project": HASH_PROJECT,
        "keys": keys_json(HASH_KEY),
        "redisKeyHex": redis_key(HASH_PROJECT, key, 3).hex(),
        "views": views,
        "fields": fields,
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
