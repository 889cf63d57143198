"""Multimodal content (issue #8): ``llm.media`` detects and checks images, audio and
PDF files, and agents send them in each provider's wire format to the loopback server
(tests/llm_server.py), or refuse them before any request."""
from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest

from pylua import scheduler
from pylua.errors import LuaError
from pylua.llm import media
from pylua.state import LuaState


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def riff(form: bytes, *chunks: tuple) -> bytes:
    body = form + b"".join(cid + struct.pack("<I", len(d)) + d + b"\0" * (len(d) & 1)
                           for cid, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


PNG = (media.PNG_SIGNATURE + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
       + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + png_chunk(b"IEND", b""))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
WEBP = riff(b"WEBP", (b"VP8L", b"\x2f\x00\x00\x00\x00"))
WAV = riff(b"WAVE", (b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)),
           (b"data", b"\x00\x01" * 8))
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)        # MPEG-1 layer III, 128 kb/s, 44.1 kHz: 417 bytes
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x04TAGS" + MP3_FRAME
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def lua(b: bytes) -> str:
    return b.decode("latin-1")


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def run(code: str, *args) -> list:
    L = LuaState(stdout=io.BytesIO())
    return scheduler.run(L, L.load(code, "=test"), args)


# ---------------------------------------------------------------- detection and checks

@pytest.mark.parametrize("kind, data, fmt, mime", [
    ("image", PNG, "png", "image/png"), ("image", JPEG, "jpeg", "image/jpeg"),
    ("image", GIF, "gif", "image/gif"), ("image", WEBP, "webp", "image/webp"),
    ("audio", WAV, "wav", "audio/wav"), ("audio", MP3, "mp3", "audio/mpeg"),
    ("audio", MP3_FRAME, "mp3", "audio/mpeg"), ("file", PDF, "pdf", "application/pdf"),
])
def test_format_is_detected_from_the_bytes(kind, data, fmt, mime):
    assert run(f"""
        local m = llm.media.{kind}(...)
        return m.kind, m.format, m.mime, m.size, m.bytes == ..., tostring(m)
    """, lua(data)) == [kind, fmt, mime, len(data), True, f"llm.media: {mime}, {len(data)} bytes"]


def test_media_from_a_path_and_a_missing_path(tmp_path):
    (tmp_path / "cat.png").write_bytes(PNG)
    assert run("local m = llm.media.image(...) return m.format, m.name, m.size",
               str(tmp_path / "cat.png")) == ["png", "cat.png", len(PNG)]
    missing = str(tmp_path / "nope.png")
    assert run("return llm.media.image(...)", missing) == [
        None, f"llm.media.image: cannot read '{missing}': No such file or directory"]


@pytest.mark.parametrize("kind, data, msg", [
    ("image", PNG[:-12], "truncated PNG: it ends at byte 57 before its IEND chunk"),
    ("image", PNG[:50], "truncated PNG: chunk 'IDAT' at byte 33 needs 7 more bytes (no IEND chunk)"),
    ("image", PNG[:-13] + b"\x00" + PNG[-12:], "corrupt PNG: bad CRC in chunk 'IDAT' at byte 33"),
    ("image", JPEG[:-2], "truncated JPEG: no EOI marker (FF D9) at its end"),
    ("image", GIF[:-1], "truncated GIF: no trailer (3B) at its end"),
    ("image", WEBP[:-2], "truncated WebP: its RIFF header says 26 bytes, it has 24"),
    ("audio", WAV[:-4], "truncated WAV: its RIFF header says 60 bytes, it has 56"),
    ("audio", MP3[:-10], "truncated MP3: its first frame needs 417 bytes, 407 are left"),
    ("file", PDF[:-7], "truncated PDF: no %%EOF marker at its end"),
    ("audio", PNG, "PNG data is not audio (expected WAV, MP3)"),
    ("image", b"\x00garbage", "not a known image format (expected PNG, JPEG, WEBP, GIF)"),
])
def test_bad_media_is_refused_with_a_clear_message(kind, data, msg):
    assert run(f"return llm.media.{kind}(...)", lua(data)) == [None, f"llm.media.{kind}: {msg}"]


def test_format_option():
    assert run("return llm.media.image(..., { format = 'png' }).format", lua(PNG)) == ["png"]
    assert run("return llm.media.image(..., { format = 'jpeg' })", lua(PNG)) == [
        None, "llm.media.image: the data is PNG, not JPEG"]
    assert run("return llm.media.image(..., { format = 'bmp' })", lua(PNG)) == [
        None, "llm.media.image: unknown image format 'bmp' (expected PNG, JPEG, WEBP, GIF)"]
    with pytest.raises(LuaError) as e:
        run("return llm.media.image(..., { format = 1 })", lua(PNG))
    assert "bad argument #2 to 'image' (field 'format': string expected, got number)" in e.value.value


def test_size_limits(monkeypatch, tmp_path):
    monkeypatch.setitem(media.LIMITS, "image", 60)
    (tmp_path / "big.png").write_bytes(PNG)
    for source in (lua(PNG), str(tmp_path / "big.png")):
        assert run("return llm.media.image(...)", source) == [
            None, f"llm.media.image: image too large: {len(PNG)} bytes (the limit is 0 MB)"]


# ---------------------------------------------------------------- on the wire

AGENT = """
local kind, url, png, audio, pdf = ...
local agent = llm.agent.new{ name = "eye", provider = { type = kind, model = "test-model",
                                                        base_url = url, api_key = "sk-test" } }
"""


def test_openai_gets_image_url_and_input_audio_parts(llm_server):
    assert run(AGENT + """
        return agent:run{ text = "What is this?", media = { llm.media.image(png),
                                                            llm.media.audio(audio) } }
    """, "openai", llm_server.url, lua(PNG), lua(WAV)) == ["Hello from the test server.", None]
    seen, = llm_server.requests
    assert seen.body["messages"] == [{"role": "user", "content": [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + b64(PNG)}},
        {"type": "input_audio", "input_audio": {"data": b64(WAV), "format": "wav"}}]}]


def test_openai_gets_mp3_audio_and_pdf_files_streamed(llm_server):
    run(AGENT + """
        for chunk in agent:stream{ text = "Hear", media = { llm.media.audio(audio),
                                                            llm.media.file(pdf) } } do end
    """, "openai", llm_server.url, lua(PNG), lua(MP3), lua(PDF))
    seen, = llm_server.requests
    assert seen.body["stream"] is True
    assert seen.body["messages"][0]["content"][1:] == [
        {"type": "input_audio", "input_audio": {"data": b64(MP3), "format": "mp3"}},
        {"type": "file", "file": {"filename": "file.pdf",
                                  "file_data": "data:application/pdf;base64," + b64(PDF)}}]


def test_anthropic_gets_image_and_document_blocks(llm_server):
    assert run(AGENT + """
        local reply = agent:run{ text = "Compare", media = { llm.media.image(png),
                                                             llm.media.file(pdf) } }
        return reply, agent:run("and now?")
    """, "anthropic", llm_server.url, lua(PNG), lua(WAV), lua(PDF))[0] == "Hello from the test server."
    first, second = llm_server.requests
    blocks = [{"type": "text", "text": "Compare"},
              {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                           "data": b64(PNG)}},
              {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                              "data": b64(PDF)}}]
    assert first.body["messages"] == [{"role": "user", "content": blocks}]
    assert second.body["messages"][0] == {"role": "user", "content": blocks}   # kept in the history
    assert second.body["messages"][2] == {"role": "user",
                                          "content": [{"type": "text", "text": "and now?"}]}


def test_anthropic_refuses_audio_before_any_request(llm_server):
    assert run(AGENT + """
        local reply, err = agent:run{ text = "Listen", media = { llm.media.audio(audio) } }
        return reply, err, #agent:history()
    """, "anthropic", llm_server.url, lua(PNG), lua(WAV)) == [
        None, "agent 'eye': anthropic cannot take audio input (it takes: image, file)", 0]
    assert llm_server.requests == []


def test_media_must_be_media():
    with pytest.raises(LuaError) as e:
        run("""local a = llm.agent.new{ provider = { type = "mock" } }
               return a:run{ text = "x", media = { "cat.png" } }""")
    assert "bad argument #1 to 'run' (field 'media': llm.media expected at index 1, got string)" \
        in e.value.value


def test_mock_takes_media_and_echoes_the_text():
    assert run("""
        local a = llm.agent.new{ provider = { type = "mock" } }
        local reply = a:run{ text = "look at this", media = { llm.media.image(...) } }
        return reply, a:usage().prompt_tokens, a:history()[1].content[2].type
    """, lua(GIF)) == ["echo: look at this", 3, "image_url"]


# ---------------------------------------------------------------- rs-llmspell

def test_execute_with_media_on_both_provider_types(monkeypatch, llm_server):
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", llm_server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-test")
    res = run("""
        local jpeg, wav = ...
        local img, clip = llm.media.image(jpeg), llm.media.audio(wav)
        local gpt = Agent.create{ model = "openai/gpt-4o", prompt = "Be brief." }
        local claude = Agent.create{ model = "anthropic/claude-x" }
        local r = gpt:execute{ text = "Describe", media = { img, clip } }
        local ok, err = pcall(claude.execute, claude, { text = "Hear", media = { clip } })
        local r2 = claude:execute{ text = "Describe", media = { img } }
        return r.text, ok, err, r2.text, claude:supports_multimodal(),
               table.concat(claude:supported_media_types(), ",")
    """, lua(JPEG), lua(WAV))
    assert res == ["Hello from the test server.", False,
                   "agent 'Agent': anthropic cannot take audio input (it takes: image, file)",
                   "Hello from the test server.", True, "text,image,file"]
    gpt, claude = llm_server.requests
    assert gpt.path == "/v1/chat/completions" and gpt.body["messages"][1]["content"] == [
        {"type": "text", "text": "Describe"},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + b64(JPEG)}},
        {"type": "input_audio", "input_audio": {"data": b64(WAV), "format": "wav"}}]
    assert claude.path == "/v1/messages" and claude.body["messages"][0]["content"][1] == {
        "type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": b64(JPEG)}}


def test_anthropic_sends_a_url_image_as_a_url_source():
    from pylua.llm.anthropic import content_block
    assert content_block({"type": "image_url", "image_url": {"url": "https://x/cat.png"}}) == {
        "type": "image", "source": {"type": "url", "url": "https://x/cat.png"}}



def test_workflows_refuse_media_rather_than_drop_them():
    assert run("""
        local wf = Workflow.sequential{ agents = { Agent.create{ model = "mock" } } }
        return pcall(wf.execute, wf, { text = "x", media = { llm.media.image(...) } })
    """, lua(PNG)) == [False, "Workflow.execute: workflows take text only "
                      "(give media to an agent)"]
