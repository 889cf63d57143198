"""A loopback LLM server for the tests: real HTTP on 127.0.0.1, one thread per
connection, speaking OpenAI chat completions (``POST /v1/chat/completions``) and
Anthropic Messages (``POST /v1/messages``), as JSON or as Server-Sent Events when
the request asks ``"stream": true``.

A test scripts the replies (``server.script(Reply(...), ...)``; when the script is
spent, ``server.default`` answers) and reads back what the server saw: every
request (``server.requests``: path, headers, body) and the most requests it had in
flight at once (``server.max_in_flight``)::

    with LLMServer() as server:
        server.script(Reply(status=429, headers={"Retry-After": "1"}), Reply(text="hi"))
        ... base_url = server.url ...
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional


@dataclass
class Reply:
    """One scripted answer."""
    text: str = "Hello from the test server."
    tool_calls: list = field(default_factory=list)   # [(name, arguments dict), ...]
    status: int = 200
    error: str = ""                  # the error message of a status >= 400 (the API's JSON shape)
    headers: dict = field(default_factory=dict)      # extra response headers (Retry-After...)
    delay: float = 0.0               # seconds before the answer starts
    chunks: Optional[list] = None    # streamed text pieces (default: the text, word by word)
    chunk_delay: float = 0.0         # seconds after each streamed text piece
    close_midway: bool = False       # send half of the reply, then close the connection
    stream_error: str = ""           # a stream sends half of its events, then this error event
    body: Optional[bytes] = None     # sent as is instead (a reply that is not JSON)
    usage: tuple = (11, 7)           # (prompt/input, completion/output) tokens
    model: str = "test-model"

    def pieces(self) -> list:
        if self.chunks is not None:
            return self.chunks
        words = self.text.split(" ")
        return [w + " " for w in words[:-1]] + words[-1:]


@dataclass
class Seen:
    """A request as the server got it."""
    path: str
    headers: dict       # names in lower case
    body: object        # decoded JSON (or the raw text when it is not JSON)
    time: float         # time.monotonic() on arrival


class LLMServer:
    """The server, running in a background thread while in a ``with`` block."""

    def __init__(self) -> None:
        self.default = Reply()
        self.replies: list = []
        self.requests: list = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.llm = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> "LLMServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, *replies: Reply) -> None:
        """Replies for the next requests, in order."""
        with self.lock:
            self.replies.extend(replies)

    def arrived(self, seen: Seen) -> Reply:
        with self.lock:
            self.requests.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.replies.pop(0) if self.replies else self.default

    def finished(self) -> None:
        with self.lock:
            self.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128        # many clients connecting at once are not refused


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, so the clients' pools are used
    disable_nagle_algorithm = True  # each write goes out at once, as a real server's

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        server: LLMServer = self.server.llm
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        reply = server.arrived(Seen(self.path, {k.lower(): v for k, v in self.headers.items()},
                                    body, time.monotonic()))
        try:
            time.sleep(reply.delay)
            self.answer(reply, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True        # the client went away: nothing to tell it
        finally:
            server.finished()

    def answer(self, reply: Reply, body: object) -> None:
        anthropic = self.path.endswith("/messages")
        if not self.path.endswith(("/chat/completions", "/messages")):
            return self.send_json(404, {"error": {"message": f"no route {self.path}"}}, reply)
        if reply.body is not None:
            return self.send_bytes(reply.status, reply.body, "text/plain", reply)
        if reply.status >= 400:
            return self.send_json(reply.status, error_json(reply, anthropic), reply)
        if isinstance(body, dict) and body.get("stream"):
            events = anthropic_events(reply) if anthropic else openai_events(reply)
            return self.send_events(events, reply, anthropic)
        self.send_json(200, anthropic_message(reply) if anthropic else openai_completion(reply), reply)

    def send_json(self, status: int, value: object, reply: Reply) -> None:
        self.send_bytes(status, json.dumps(value).encode(), "application/json", reply)

    def send_bytes(self, status: int, data: bytes, content_type: str, reply: Reply) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.close_midway:
            self.wfile.write(data[:len(data) // 2])
            self.cut()
        else:
            self.wfile.write(data)

    def send_events(self, events: list, reply: Reply, anthropic: bool) -> None:
        """Server-Sent Events in chunked transfer encoding, each flushed as sent."""
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        if reply.stream_error:
            events = events[:len(events) // 2] + [stream_error(reply.stream_error, anthropic)]
        for n, event in enumerate(events):
            if reply.close_midway and n == len(events) // 2:
                return self.cut()
            data = event.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            if isinstance(event, Piece):
                time.sleep(reply.chunk_delay)
        self.wfile.write(b"0\r\n\r\n")

    def cut(self) -> None:
        """Close the connection under the client's feet."""
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True


def error_json(reply: Reply, anthropic: bool) -> dict:
    message = reply.error or f"scripted status {reply.status}"
    if anthropic:
        return {"type": "error", "error": {"type": "api_error", "message": message}}
    return {"error": {"message": message, "type": "api_error", "code": reply.status}}


def stream_error(message: str, anthropic: bool) -> str:
    """The event that reports a failure in the middle of a stream."""
    if anthropic:
        return sse({"type": "error", "error": {"type": "overloaded_error", "message": message}},
                   "error")
    return sse({"error": {"message": message, "type": "server_error"}})


def openai_tool_calls(reply: Reply) -> list:
    return [{"id": f"call_{n}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(args)}}
            for n, (name, args) in enumerate(reply.tool_calls)]


def openai_completion(reply: Reply) -> dict:
    message = {"role": "assistant", "content": reply.text if not reply.tool_calls else None}
    if reply.tool_calls:
        message["tool_calls"] = openai_tool_calls(reply)
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": reply.model,
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
            "usage": {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1],
                      "total_tokens": sum(reply.usage)}}


class Piece(str):
    """An event that carries a piece of the text: the stream pauses after it."""


def sse(data: object, event: str = "") -> str:
    return (f"event: {event}\n" if event else "") + f"data: {json.dumps(data)}\n\n"


def openai_events(reply: Reply) -> list:
    """A streamed completion: text deltas, each tool call in two fragments, the
    finish reason, the usage, ``[DONE]``."""
    def chunk(delta: dict, finish: Optional[str] = None, usage: Optional[dict] = None) -> str:
        return sse({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": reply.model,
                    "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
                    "usage": usage})
    events = [chunk({"role": "assistant", "content": ""})]
    if not reply.tool_calls:
        events += [Piece(chunk({"content": piece})) for piece in reply.pieces()]
    for n, call in enumerate(openai_tool_calls(reply)):
        args = call["function"]["arguments"]
        events.append(chunk({"tool_calls": [{"index": n, "id": call["id"], "type": "function",
                                             "function": {"name": call["function"]["name"],
                                                          "arguments": args[:3]}}]}))
        events.append(chunk({"tool_calls": [{"index": n, "function": {"arguments": args[3:]}}]}))
    events.append(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
    events.append(chunk({}, usage={"prompt_tokens": reply.usage[0],
                                   "completion_tokens": reply.usage[1]}))
    return events + ["data: [DONE]\n\n"]


def anthropic_content(reply: Reply) -> list:
    blocks = [{"type": "text", "text": reply.text}] if reply.text and not reply.tool_calls else []
    return blocks + [{"type": "tool_use", "id": f"toolu_{n}", "name": name, "input": args}
                     for n, (name, args) in enumerate(reply.tool_calls)]


def anthropic_message(reply: Reply) -> dict:
    return {"id": "msg_1", "type": "message", "role": "assistant", "model": reply.model,
            "content": anthropic_content(reply),
            "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
            "usage": {"input_tokens": reply.usage[0], "output_tokens": reply.usage[1]}}


def anthropic_events(reply: Reply) -> list:
    """A streamed message: message_start, a block per text or tool use (tool input
    in two JSON fragments), message_delta with the stop reason, message_stop."""
    start = dict(anthropic_message(reply), content=[], stop_reason=None,
                 usage={"input_tokens": reply.usage[0], "output_tokens": 1})
    events = [sse({"type": "message_start", "message": start}, "message_start"),
              sse({"type": "ping"}, "ping")]
    for n, block in enumerate(anthropic_content(reply)):
        if block["type"] == "text":
            opened, deltas = {"type": "text", "text": ""}, [
                {"type": "text_delta", "text": piece} for piece in reply.pieces()]
        else:
            args = json.dumps(block["input"])
            opened, deltas = dict(block, input={}), [
                {"type": "input_json_delta", "partial_json": part} for part in (args[:3], args[3:])]
        events.append(sse({"type": "content_block_start", "index": n, "content_block": opened},
                          "content_block_start"))
        events += [Piece(sse({"type": "content_block_delta", "index": n, "delta": d},
                             "content_block_delta")) for d in deltas]
        events.append(sse({"type": "content_block_stop", "index": n}, "content_block_stop"))
    stop = "tool_use" if reply.tool_calls else "end_turn"
    events.append(sse({"type": "message_delta", "delta": {"stop_reason": stop},
                       "usage": {"output_tokens": reply.usage[1]}}, "message_delta"))
    return events + [sse({"type": "message_stop"}, "message_stop")]
