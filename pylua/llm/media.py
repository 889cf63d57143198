"""Media for multimodal prompts (``llm.media.image/audio/file``): the bytes of an
image, an audio clip or a document, their format found from their magic bytes and
checked before anything is sent.

Formats: images PNG, JPEG, WebP, GIF (at most 20 MB); audio WAV, MP3 (at most
25 MB); files PDF (at most 32 MB). A file whose structure ends early (a PNG without
its IEND chunk, a JPEG without its EOI marker, a GIF without its trailer, a RIFF
(WAV, WebP) shorter than its header says, an MP3 whose first frame is cut, a PDF
without ``%%EOF``) is refused as truncated.

In a conversation media are parts of a user message's content, in the neutral
(OpenAI) form: ``{"type": "image_url", "image_url": {"url": "data:...;base64,..."}}``,
``{"type": "input_audio", "input_audio": {"data": b64, "format": "wav"}}``,
``{"type": "file", "file": {"filename": ..., "file_data": "data:...;base64,..."}}``.
"""
from __future__ import annotations

import base64
import os
import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

MB = 1024 * 1024
LIMITS = {"image": 20 * MB, "audio": 25 * MB, "file": 32 * MB}
FORMATS = {"image": ("png", "jpeg", "webp", "gif"), "audio": ("wav", "mp3"), "file": ("pdf",)}
MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif",
        "wav": "audio/wav", "mp3": "audio/mpeg", "pdf": "application/pdf"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class MediaError(Exception):
    """Media that cannot be used; ``str(e)`` says why."""


class Media:
    def __init__(self, kind: str, format: str, data: bytes, name: str) -> None:
        self.kind = kind
        self.format = format
        self.mime = MIME[format]
        self.data = data
        self.name = name        # a file name for the wire (documents need one)

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def data_url(self) -> str:
        return f"data:{self.mime};base64,{self.base64()}"

    def part(self) -> dict:
        """This media as a content part of the neutral form."""
        if self.kind == "image":
            return {"type": "image_url", "image_url": {"url": self.data_url()}}
        if self.kind == "audio":
            return {"type": "input_audio", "input_audio": {"data": self.base64(),
                                                           "format": self.format}}
        return {"type": "file", "file": {"filename": self.name, "file_data": self.data_url()}}


def user_content(text: str, media: list) -> object:
    """A user message's content: the text alone, or its part followed by the media's."""
    if not media:
        return text
    return [{"type": "text", "text": text}] + [m.part() for m in media]


def part_kind(part: dict) -> str:
    """The media kind of a neutral content part ("text" for text)."""
    return {"image_url": "image", "input_audio": "audio", "file": "file"}.get(part.get("type"), "text")


def refusal(provider: object, media: list) -> Optional[str]:
    """Why ``provider`` cannot take ``media`` (None if it can)."""
    takes = getattr(provider, "media_kinds", frozenset())
    for m in media:
        if m.kind not in takes:
            accepted = ", ".join(k for k in ("image", "audio", "file") if k in takes) or "text only"
            return f"{provider.name} cannot take {m.kind} input (it takes: {accepted})"
    return None


def load(kind: str, source: bytes, is_path: bool, format: Optional[str] = None) -> Media:
    """Media of ``kind`` from a file (``is_path``) or from its bytes; MediaError if
    the file cannot be read, the format is unknown or not of this kind, the data is
    too large or truncated."""
    name = None
    if is_path:
        path = os.fsdecode(source)
        try:
            size = os.path.getsize(path)
            if size > LIMITS[kind]:
                raise MediaError(too_large(kind, size))
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise MediaError(f"cannot read '{path}': {e.strerror or e}") from None
        name = os.path.basename(path)
    else:
        data = source
    if format is not None and format not in FORMATS[kind]:
        raise MediaError(f"unknown {kind} format '{format}' (expected {names(kind)})")
    found = detect(data)
    if found is None and format is None:
        raise MediaError(f"not a known {kind} format (expected {names(kind)})")
    if format is not None and found is not None and found != format:
        raise MediaError(f"the data is {found.upper()}, not {format.upper()}")
    format = format or found
    if format not in FORMATS[kind]:
        raise MediaError(f"{format.upper()} data is not {kind} (expected {names(kind)})")
    if len(data) > LIMITS[kind]:
        raise MediaError(too_large(kind, len(data)))
    VALIDATORS[format](data)
    return Media(kind, format, data, name or f"{kind}.{format}")


def names(kind: str) -> str:
    return ", ".join(f.upper() for f in FORMATS[kind])


def too_large(kind: str, size: int) -> str:
    return f"{kind} too large: {size} bytes (the limit is {LIMITS[kind] // MB} MB)"


def looks_like_media(data: bytes) -> bool:
    """Whether bytes given as a Lua string are media data rather than a path."""
    return detect(data) is not None or b"\0" in data


def detect(data: bytes) -> Optional[str]:
    """The format the magic bytes of ``data`` announce, or None."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if data[8:12] == b"WEBP" else "wav"
    if data.startswith(b"ID3") or mp3_frame_length(data, 0) is not None:
        return "mp3"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


# ---------------------------------------------------------------- validation

def check_png(data: bytes) -> None:
    """Walks the chunks up to IEND, checking each one's length and CRC."""
    pos, first = len(PNG_SIGNATURE), True
    while True:
        if pos + 8 > len(data):
            raise MediaError(f"truncated PNG: it ends at byte {len(data)} before its IEND chunk")
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise MediaError(f"truncated PNG: chunk {kind.decode('latin-1')!r} at byte {pos} "
                             f"needs {end - len(data)} more bytes (no IEND chunk)")
        if first and kind != b"IHDR":
            raise MediaError("invalid PNG: the first chunk is not IHDR")
        crc = int.from_bytes(data[end - 4:end], "big")
        if zlib.crc32(data[pos + 4:end - 4]) != crc:
            raise MediaError(f"corrupt PNG: bad CRC in chunk {kind.decode('latin-1')!r} at byte {pos}")
        if kind == b"IEND":
            return
        pos, first = end, False


def check_jpeg(data: bytes) -> None:
    if not data.rstrip(b"\0").endswith(b"\xff\xd9"):
        raise MediaError("truncated JPEG: no EOI marker (FF D9) at its end")


def check_gif(data: bytes) -> None:
    if len(data) < 14 or not data.rstrip(b"\0").endswith(b";"):
        raise MediaError("truncated GIF: no trailer (3B) at its end")


def riff_chunks(data: bytes, what: str) -> dict:
    """The chunks of a RIFF file (id -> (offset, size)), its sizes checked."""
    declared = int.from_bytes(data[4:8], "little") + 8
    if len(data) < 12 or declared > len(data):
        raise MediaError(f"truncated {what}: its RIFF header says {declared} bytes, "
                         f"it has {len(data)}")
    chunks, pos = {}, 12
    while pos + 8 <= declared:
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        if pos + 8 + size > declared:
            raise MediaError(f"truncated {what}: chunk {data[pos:pos + 4].decode('latin-1')!r} "
                             f"at byte {pos} runs past the end")
        chunks.setdefault(data[pos:pos + 4], (pos + 8, size))
        pos += 8 + size + (size & 1)
    return chunks


def check_wav(data: bytes) -> None:
    chunks = riff_chunks(data, "WAV")
    for needed in (b"fmt ", b"data"):
        if needed not in chunks:
            raise MediaError(f"invalid WAV: no {needed.decode().strip()!r} chunk")


def check_webp(data: bytes) -> None:
    if not set(riff_chunks(data, "WebP")) & {b"VP8 ", b"VP8L", b"VP8X"}:
        raise MediaError("invalid WebP: no VP8/VP8L/VP8X chunk")


MP3_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
                2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frame_length(data: bytes, pos: int) -> Optional[int]:
    """The length of the MPEG audio layer III frame whose header is at ``pos``, or
    None if there is no valid header there."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[pos + 1] >> 3) & 3, (data[pos + 1] >> 1) & 3
    bitrate_index, rate_index = data[pos + 2] >> 4, (data[pos + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = MP3_RATES[version][rate_index]
    padding = (data[pos + 2] >> 1) & 1
    return (144 if version == 3 else 72) * bitrate // rate + padding


def check_mp3(data: bytes) -> None:
    pos = 0
    if data.startswith(b"ID3"):
        if len(data) < 10:
            raise MediaError("truncated MP3: its ID3 tag is cut")
        pos = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
        if pos >= len(data):
            raise MediaError("truncated MP3: no audio after its ID3 tag")
    length = mp3_frame_length(data, pos)
    if length is None:
        raise MediaError(f"invalid MP3: no MPEG layer III frame header at byte {pos}")
    if pos + length > len(data):
        raise MediaError(f"truncated MP3: its first frame needs {length} bytes, "
                         f"{len(data) - pos} are left")


def check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise MediaError("truncated PDF: no %%EOF marker at its end")


VALIDATORS = {"png": check_png, "jpeg": check_jpeg, "gif": check_gif, "webp": check_webp,
              "wav": check_wav, "mp3": check_mp3, "pdf": check_pdf}
