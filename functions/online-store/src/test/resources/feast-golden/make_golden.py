#!/usr/bin/python3
"""Writes golden.json: the bytes Feast's Python SDK puts in Redis, computed independently of Quiver's Java code.

Run from this directory with Debian's Python and its python3-protobuf package (nothing from PyPI):

    /usr/bin/python3 make_golden.py > golden.json

What it re-implements, and where Feast keeps the original (feast-dev/feast):
  * serialize_entity_key, versions 2 and 3: sdk/python/feast/infra/key_encoding_utils.py
  * the Redis key (entity key bytes + UTF-8 project name): sdk/python/feast/infra/online_stores/helpers.py
    (_redis_key) and sdk/python/feast/infra/online_stores/redis.py (_generate_redis_keys_for_entities)
  * the hash field of a feature, murmur3_x86_32 (seed 0) of "view:feature" packed little-endian:
    helpers.py (_mmh3), which calls the mmh3 wheel; here a pure-Python port of the reference algorithm
  * the "_ts:<view>" field holding a serialized google.protobuf.Timestamp, and feature values as serialized
    feast.types.Value: redis.py (online_write_batch)
  * the Value message: protos/feast/types/Value.proto (field numbers copied below)

The protobuf messages are built at run time from a FileDescriptorProto, so no generated code and no protoc is
needed; the bytes come from the protobuf library's own serializer.
"""

import json
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

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
# feast.types.Value and google.protobuf.Timestamp, built from descriptors.

F = descriptor_pb2.FieldDescriptorProto


def _message(fdp, name, fields, oneof=None):
    m = fdp.message_type.add(name=name)
    if oneof:
        m.oneof_decl.add(name=oneof)
    for number, fname, ftype, label, type_name, in_oneof in fields:
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name
        if in_oneof:
            f.oneof_index = 0
    return m


def build_messages():
    ts = descriptor_pb2.FileDescriptorProto(name="quiver_golden/timestamp.proto", package="google.protobuf",
                                            syntax="proto3")
    _message(ts, "Timestamp", [(1, "seconds", F.TYPE_INT64, F.LABEL_OPTIONAL, None, False),
                               (2, "nanos", F.TYPE_INT32, F.LABEL_OPTIONAL, None, False)])

    v = descriptor_pb2.FileDescriptorProto(name="quiver_golden/value.proto", package="feast.types", syntax="proto3")
    null_enum = v.enum_type.add(name="Null")
    null_enum.value.add(name="NULL", number=0)
    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    lists = {"BytesList": F.TYPE_BYTES, "StringList": F.TYPE_STRING, "Int32List": F.TYPE_INT32,
             "Int64List": F.TYPE_INT64, "DoubleList": F.TYPE_DOUBLE, "FloatList": F.TYPE_FLOAT,
             "BoolList": F.TYPE_BOOL}
    for name, t in lists.items():
        _message(v, name, [(1, "val", t, rep, None, False)])
    # Value.proto, message Value { oneof val { ... } }, field numbers as Feast defines them
    _message(v, "Value", [
        (1, "bytes_val", F.TYPE_BYTES, opt, None, True),
        (2, "string_val", F.TYPE_STRING, opt, None, True),
        (3, "int32_val", F.TYPE_INT32, opt, None, True),
        (4, "int64_val", F.TYPE_INT64, opt, None, True),
        (5, "double_val", F.TYPE_DOUBLE, opt, None, True),
        (6, "float_val", F.TYPE_FLOAT, opt, None, True),
        (7, "bool_val", F.TYPE_BOOL, opt, None, True),
        (8, "unix_timestamp_val", F.TYPE_INT64, opt, None, True),
        (11, "bytes_list_val", F.TYPE_MESSAGE, opt, ".feast.types.BytesList", True),
        (12, "string_list_val", F.TYPE_MESSAGE, opt, ".feast.types.StringList", True),
        (13, "int32_list_val", F.TYPE_MESSAGE, opt, ".feast.types.Int32List", True),
        (14, "int64_list_val", F.TYPE_MESSAGE, opt, ".feast.types.Int64List", True),
        (15, "double_list_val", F.TYPE_MESSAGE, opt, ".feast.types.DoubleList", True),
        (16, "float_list_val", F.TYPE_MESSAGE, opt, ".feast.types.FloatList", True),
        (17, "bool_list_val", F.TYPE_MESSAGE, opt, ".feast.types.BoolList", True),
        (18, "unix_timestamp_list_val", F.TYPE_MESSAGE, opt, ".feast.types.Int64List", True),
        (19, "null_val", F.TYPE_ENUM, opt, ".feast.types.Null", True),
    ], oneof="val")

    pool = descriptor_pool.DescriptorPool()
    pool.Add(ts)
    pool.Add(v)

    def cls(full_name):
        desc = pool.FindMessageTypeByName(full_name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(desc)
        return message_factory.MessageFactory(pool).GetPrototype(desc)

    return cls("google.protobuf.Timestamp"), cls("feast.types.Value")


Timestamp, Value = build_messages()

# ValueType.Enum numbers, protos/feast/types/Value.proto
VALUE_TYPE = {"BYTES": 1, "STRING": 2, "INT32": 3, "INT64": 4, "DOUBLE": 5, "FLOAT": 6, "BOOL": 7,
              "UNIX_TIMESTAMP": 8}
ONEOF_OF_TYPE = {"BYTES": "bytes_val", "STRING": "string_val", "INT32": "int32_val", "INT64": "int64_val",
                 "DOUBLE": "double_val", "FLOAT": "float_val", "BOOL": "bool_val",
                 "UNIX_TIMESTAMP": "unix_timestamp_val"}


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


# ---------------------------------------------------------------------------------------------------------------
# serialize_entity_key, key_encoding_utils.py (current master), in Feast's own steps.


def _serialize_val(v, version):
    kind = v.WhichOneof("val")
    if kind == "string_val":
        return v.string_val.encode("utf8"), VALUE_TYPE["STRING"]
    if kind == "bytes_val":
        return v.bytes_val, VALUE_TYPE["BYTES"]
    if kind == "int32_val":
        return struct.pack("<i", v.int32_val), VALUE_TYPE["INT32"]
    if kind == "int64_val":
        return struct.pack("<q" if version > 1 else "<l", v.int64_val), VALUE_TYPE["INT64"]
    if kind == "unix_timestamp_val":
        return struct.pack("<q", v.unix_timestamp_val), VALUE_TYPE["UNIX_TIMESTAMP"]
    raise ValueError(f"Value type not supported for feast feature store: {kind}")


def serialize_entity_key(join_keys, values, version=3):
    pairs = sorted(zip(join_keys, values))  # sorted by join key, in code-point order; values move with keys
    out = []
    if version >= 3:
        out.append(struct.pack("<I", len(pairs)))
    for k, _ in pairs:
        out.append(struct.pack("<I", VALUE_TYPE["STRING"]))
        if version >= 3:
            out.append(struct.pack("<I", len(k)))  # len() of a str: code points, as Feast writes it
        out.append(k.encode("utf8"))
    for _, v in pairs:
        payload, value_type = _serialize_val(v, version)
        out.append(struct.pack("<I", value_type))
        out.append(struct.pack("<I", len(payload)))
        out.append(payload)
    return b"".join(out)


def redis_key(project, join_keys, values, version=3):
    return serialize_entity_key(join_keys, values, version) + project.encode("utf-8")


def timestamp_bytes(seconds, nanos):
    ts = Timestamp()
    ts.seconds = seconds
    ts.nanos = nanos
    return ts.SerializeToString()


# ---------------------------------------------------------------------------------------------------------------
# The cases.

ENTITY_KEYS = [
    # name, version, [(join key, type, json value)]
    ("customer_id int64 1001 (research A)", 3, [("customer_id", "INT64", 1001)]),
    ("customer_id int64 1001 (research A)", 2, [("customer_id", "INT64", 1001)]),
    ("customer_id string abc (research B)", 3, [("customer_id", "STRING", "abc")]),
    ("customer_id string abc (research B)", 2, [("customer_id", "STRING", "abc")]),
    ("driver_id int64 5 + customer_id string x (research C)", 3,
     [("driver_id", "INT64", 5), ("customer_id", "STRING", "x")]),
    ("driver_id int64 5 + customer_id string x (research C)", 2,
     [("driver_id", "INT64", 5), ("customer_id", "STRING", "x")]),
    ("driver_id int32 7", 3, [("driver_id", "INT32", 7)]),
    ("user int64 2**15 (Feast's test_key_encoding_utils input)", 3, [("user", "INT64", 2 ** 15)]),
    ("negative int32", 3, [("account", "INT32", -2)]),
    ("int64 extremes", 3, [("a", "INT64", -(2 ** 63)), ("b", "INT64", 2 ** 63 - 1)]),
    ("bytes key", 3, [("device", "BYTES", "00ff10")]),
    ("unix timestamp key", 3, [("day", "UNIX_TIMESTAMP", 1700000000)]),
    ("unicode string value", 3, [("city", "STRING", "Zürich 東京")]),
    # Python writes len(str), code points, as the name's length: 5 here, before 7 UTF-8 bytes
    ("non-ASCII join key", 3, [("größe", "INT32", 1)]),
    ("three keys, unsorted", 3, [("zone", "STRING", "eu"), ("a_id", "INT64", 1), ("m", "INT32", 2)]),
]

FEATURE_FIELDS = [
    ("driver_hourly_stats", "conv_rate"),
    ("driver_hourly_stats", "acc_rate"),
    ("driver_hourly_stats", "avg_daily_trips"),
    ("customer_profile", "avg_order_value"),
    ("v", "f"),
    ("features", "größe"),
]

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

# Decode-only: what Feast may have stored that Quiver does not write.
EXTRA_VALUES = [
    ("null_val", None, lambda v: setattr(v, "null_val", 0)),
    ("int64_list_val", [1, 2, 300], lambda v: v.int64_list_val.val.extend([1, 2, 300])),
    ("int32_list_val", [-1, 5], lambda v: v.int32_list_val.val.extend([-1, 5])),
    ("double_list_val", [1.0, 2.0], lambda v: v.double_list_val.val.extend([1.0, 2.0])),
    ("float_list_val", [0.5], lambda v: v.float_list_val.val.extend([0.5])),
    ("string_list_val", ["a", "bc"], lambda v: v.string_list_val.val.extend(["a", "bc"])),
    ("bool_list_val", [True, False], lambda v: v.bool_list_val.val.extend([True, False])),
    ("bytes_list_val", ["00", "ff01"], lambda v: v.bytes_list_val.val.extend([b"\x00", b"\xff\x01"])),
    ("unix_timestamp_list_val", [0, 1700000000],
     lambda v: v.unix_timestamp_list_val.val.extend([0, 1700000000])),
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


def json_value(type_name, python_value):
    if type_name == "BYTES" and python_value is not None:
        return python_value.hex()
    if isinstance(python_value, float) and python_value != python_value:
        return "nan"
    if isinstance(python_value, float) and python_value in (float("inf"), float("-inf")):
        return "inf" if python_value > 0 else "-inf"
    return python_value


def main():
    out = {
        "source": "make_golden.py: feast-dev/feast sdk/python/feast/infra/key_encoding_utils.py, "
                  "infra/online_stores/redis.py and helpers.py, protos/feast/types/Value.proto",
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
        "values": [],
        "decodeOnlyValues": [],
        "timestamps": [],
        "hash": None,
    }
    for name, version, keys in ENTITY_KEYS:
        join_keys = [k for k, _, _ in keys]
        protos = [value_proto(t, from_json(t, j)) for _, t, j in keys]
        out["entityKeys"].append({
            "name": name,
            "version": version,
            "keys": [{"joinKey": k, "type": t, "value": j} for k, t, j in keys],
            "project": "feast_demo",
            "entityKeyHex": serialize_entity_key(join_keys, protos, version).hex(),
            "redisKeyHex": redis_key("feast_demo", join_keys, protos, version).hex(),
        })
    for type_name, j in VALUES:
        v = value_proto(type_name, from_json(type_name, j))
        out["values"].append({"type": type_name, "value": j, "hex": v.SerializeToString().hex()})
    for oneof, j, fill in EXTRA_VALUES:
        v = Value()
        fill(v)
        assert v.WhichOneof("val") == oneof
        out["decodeOnlyValues"].append({"oneof": oneof, "value": j, "hex": v.SerializeToString().hex()})
    for seconds, nanos in TIMESTAMPS:
        out["timestamps"].append({"seconds": seconds, "nanos": nanos, "hex": timestamp_bytes(seconds, nanos).hex()})

    join_keys = [k for k, _, _ in HASH_KEY]
    protos = [value_proto(t, from_json(t, j)) for _, t, j in HASH_KEY]
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
        "keys": [{"joinKey": k, "type": t, "value": j} for k, t, j in HASH_KEY],
        "redisKeyHex": redis_key(HASH_PROJECT, join_keys, protos, 3).hex(),
        "views": views,
        "fields": fields,
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
