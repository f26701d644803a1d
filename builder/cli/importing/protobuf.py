"""Just enough of the protobuf wire format to read the few fields `deckbuilder import` needs.

Anki >= 2.1.50 keeps a note type's CSS and kind, a template's question and
answer formats, and the package's media list as protobuf messages (rslib's
``notetypes.proto``, ``import_export.proto``). Four fields of three messages
do not earn a protobuf runtime and generated code that must track Anki's
.proto files: the wire format is stable, and fields we do not know are skipped.
"""

from __future__ import annotations


class ProtobufError(ValueError):
    """The bytes are not a protobuf message."""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ProtobufError("truncated or overlong varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def message_fields(data: bytes) -> dict[int, list[int | bytes]]:
    """Field number -> its values in order: ints for varints, bytes for length-delimited (fixed ones skipped)."""
    fields: dict[int, list[int | bytes]] = {}
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            length, at = _varint(data, at)
            if at + length > len(data):
                raise ProtobufError("length-delimited field runs past the end")
            value, at = data[at:at + length], at + length
        elif wire == 1:
            at += 8
            continue
        elif wire == 5:
            at += 4
            continue
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        if at > len(data):
            raise ProtobufError("truncated field")
        fields.setdefault(number, []).append(value)
    return fields


def text(fields: dict[int, list[int | bytes]], number: int) -> str:
    values = [v for v in fields.get(number, ()) if isinstance(v, bytes)]
    return values[-1].decode("utf-8") if values else ""


def number(fields: dict[int, list[int | bytes]], number: int) -> int:
    values = [v for v in fields.get(number, ()) if isinstance(v, int)]
    return values[-1] if values else 0
