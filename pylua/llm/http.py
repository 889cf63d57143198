"""HTTP for the LLM providers: a pooled ``httpx.AsyncClient`` per provider,
timeouts, retries with backoff, Server-Sent Events, and every failure turned into a
``ProviderError`` whose message says what happened.

Retries: 429, 5xx and connection failures are tried again, after the server's
``Retry-After`` (capped) or an exponential backoff with jitter; other statuses
(400, 401, 403, 404...) fail at once. A streamed reply is retried only until its
first byte: chunks already handed out cannot be taken back.

This module imports httpx, so it is imported only when a provider is made.
"""
from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import time
from email.utils import parsedate_to_datetime

import httpx

from .provider import Completion, Provider, ProviderError, Request, StreamedReply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Optional

DEFAULT_TIMEOUT = 120.0     # seconds without progress (connect, a read, a write)
DEFAULT_RETRIES = 2
BACKOFF_BASE = 0.5          # first retry after ~0.5 s, then ~1 s, ~2 s...
BACKOFF_MAX = 8.0
RETRY_AFTER_MAX = 30.0      # a server asking for longer is not waited for longer
ERROR_TEXT_MAX = 200        # characters of a reply quoted in a message


class HttpProvider(Provider):
    """A provider over HTTP. Subclasses give the API's ``path``, the request
    ``body`` (and ``stream_body``), and read the reply: ``parse`` (a whole reply
    to a Completion) and ``on_event`` (a streamed event, see ``streamed_chunks``)."""

    path = ""

    def __init__(self, config: dict, default_base_url: str, auth: Any,
                 headers: Optional[dict] = None) -> None:
        self.model = required_string(self.name, config, "model")
        self.http = client_from_config(self.name, config, default_base_url, auth, headers or {})

    async def complete(self, request: Request) -> Completion:
        reply = await self.http.post_json(self.path, self.body(request))
        try:
            return self.parse(reply)
        except (KeyError, IndexError, TypeError, AttributeError):
            raise unexpected(self.name, reply) from None

    def stream(self, request: Request) -> AsyncIterator:
        """An async generator of the reply's chunks; closing it closes the stream."""
        events = self.http.post_events(self.path, self.stream_body(request))
        return streamed_chunks(self.name, events, StreamedReply(self.model), self.on_event)

    async def aclose(self) -> None:
        await self.http.aclose()

    def body(self, request: Request) -> dict:
        raise NotImplementedError

    def stream_body(self, request: Request) -> dict:
        return dict(self.body(request), stream=True)

    def parse(self, reply: Any) -> Completion:
        raise NotImplementedError

    def on_event(self, reply: StreamedReply, kind: str, event: Any) -> list:
        raise NotImplementedError


@functools.cache
def ssl_context() -> Any:
    """One TLS context for every client: loading the CA certificates takes tens of
    milliseconds, too long to pay again for each agent."""
    return httpx.create_ssl_context()


class HttpClient:
    """POSTs JSON for one provider (``name`` prefixes its messages). The
    ``httpx.AsyncClient``'s connections belong to the event loop of its first
    request: a call from another loop (each synchronous ``pylua`` run has its own)
    makes a new client."""

    def __init__(self, name: str, base_url: str, headers: dict, timeout: float,
                 max_retries: int) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.timeout = timeout
        self.max_retries = max_retries
        # made now, not in the first request's time (TLS certificates, httpcore load);
        # its connections belong to the event loop of its first request
        self._client: Optional[httpx.AsyncClient] = self.new_client()
        self._loop: Any = None

    def new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(headers=self.headers, verify=ssl_context(),
                                 timeout=httpx.Timeout(self.timeout))

    def client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop not in (None, loop):
            self._client = self.new_client()
        self._loop = loop
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._loop in (None, asyncio.get_running_loop()):
            await client.aclose()

    async def post_json(self, path: str, body: dict) -> Any:
        """The decoded JSON reply of a POST."""
        url = self.base_url + path
        response = await self._send(url, body, stream=False)
        return decode_json(self.name, response.text)

    async def post_events(self, path: str, body: dict) -> AsyncIterator[tuple]:
        """The ``(event, data)`` Server-Sent Events of a POST, as they arrive.
        Closing the generator (``aclose``, or a loop broken out of) closes the stream."""
        url = self.base_url + path
        response = await self._send(url, body, stream=True)
        try:
            if "text/event-stream" not in response.headers.get("content-type", ""):
                text = (await response.aread()).decode("utf-8", "replace")
                raise ProviderError(f"{self.name}: reply is not an event stream: "
                                    f"{text[:ERROR_TEXT_MAX]!r}")
            async for event in sse_events(response.aiter_lines()):
                yield event
        except httpx.HTTPError as e:
            raise ProviderError(self.transport_failure(e, url)) from None
        finally:
            await response.aclose()

    async def _send(self, url: str, body: dict, stream: bool) -> httpx.Response:
        """The first successful response, retrying what may succeed later."""
        request = self.request(url, body)
        attempt = 0
        while True:
            delay = None
            try:
                response = await self.client().send(request, stream=stream)
            except httpx.HTTPError as e:
                failure = self.transport_failure(e, url)
                if not transient(e):
                    raise ProviderError(failure) from None
            else:
                if response.is_success:
                    return response
                failure = await self.status_failure(response, url)
                if not retryable(response.status_code):
                    raise ProviderError(failure)
                delay = retry_after(response.headers)
            if attempt >= self.max_retries:
                if attempt:
                    failure += f" (gave up after {attempt + 1} attempts)"
                raise ProviderError(failure)
            await asyncio.sleep(delay if delay is not None else backoff(attempt))
            attempt += 1

    def request(self, url: str, body: dict) -> httpx.Request:
        try:
            return self.client().build_request("POST", url, json=body)
        except httpx.InvalidURL as e:
            raise ProviderError(self.transport_failure(e, url)) from None
        except (ValueError, TypeError) as e:     # NaN, say: JSON has none
            raise ProviderError(f"{self.name}: the request cannot be sent as JSON: {e}") from None

    async def status_failure(self, response: httpx.Response, url: str) -> str:
        try:
            text = (await response.aread()).decode("utf-8", "replace")
        except httpx.HTTPError:
            text = ""
        finally:
            await response.aclose()
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        detail = error_detail(text)
        return f"{self.name}: HTTP {response.status_code}{reason} from {url}" + (
            f": {detail}" if detail else "")

    def transport_failure(self, e: Exception, url: str) -> str:
        if isinstance(e, httpx.ConnectTimeout):
            return f"{self.name}: connection to {url} failed: no answer within {self.timeout:g} s"
        if isinstance(e, httpx.TimeoutException):
            return f"{self.name}: no reply from {url} within {self.timeout:g} s (timeout)"
        if isinstance(e, (httpx.ConnectError, httpx.UnsupportedProtocol, httpx.InvalidURL)):
            return f"{self.name}: connection to {url} failed: {e or type(e).__name__}"
        if isinstance(e, (httpx.RemoteProtocolError, httpx.ReadError)):
            return f"{self.name}: the server closed the connection mid-reply ({url}: {e})"
        return f"{self.name}: request to {url} failed: {type(e).__name__}: {e}"


def client_from_config(name: str, config: dict, default_base_url: str,
                       auth: Any, headers: dict) -> HttpClient:
    """The client a provider table describes, sending ``headers`` and the table's
    own; ``auth(key)`` gives the headers that carry an API key (``api_key``, or the
    environment variable ``api_key_env`` names)."""
    headers = dict(headers, **{"content-type": "application/json"})
    key = api_key(name, config)
    if key:
        headers.update(auth(key))
    extra = config.get("headers") or {}
    if not isinstance(extra, dict):
        raise ProviderError(f"{name}: 'headers' must be a table of strings")
    headers.update({str(k): str(v) for k, v in extra.items()})
    base_url = config.get("base_url") or default_base_url
    if not isinstance(base_url, str):
        raise ProviderError(f"{name}: 'base_url' must be a string")
    return HttpClient(name, base_url, headers, number_option(name, config, "timeout", DEFAULT_TIMEOUT),
                      int(number_option(name, config, "max_retries", DEFAULT_RETRIES)))


def api_key(name: str, config: dict) -> str:
    key = config.get("api_key")
    if key:
        return str(key)
    variable = config.get("api_key_env")
    if not variable:
        return ""
    value = os.environ.get(str(variable))
    if not value:
        raise ProviderError(f"{name}: api_key_env names {variable}, which is not set")
    return value


def required_string(name: str, config: dict, key: str) -> str:
    value = config.get(key)
    if not isinstance(value, str) or not value:
        raise ProviderError(f"{name}: the provider needs '{key}' (a string)")
    return value


def number_option(name: str, config: dict, key: str, default: float) -> float:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProviderError(f"{name}: '{key}' must be a number >= 0")
    return value


def set_options(**options: Any) -> dict:
    """The options a request sets: None and empty ones are left out of the body."""
    return {key: value for key, value in options.items() if value is not None and value != []
            and value != ""}


def transient(e: Exception) -> bool:
    """A failure of the connection, not of the request: worth another try."""
    return isinstance(e, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


def retryable(status: int) -> bool:
    return status == 429 or status >= 500


def backoff(attempt: int) -> float:
    """Exponential, with jitter so that many clients do not retry in step."""
    return min(BACKOFF_BASE * 2 ** attempt, BACKOFF_MAX) * random.uniform(0.75, 1.0)


def retry_after(headers: Any) -> Optional[float]:
    """Seconds the server asks to wait (``retry-after-ms``, ``Retry-After`` in
    seconds or as an HTTP date), capped; None when it does not say."""
    try:
        if "retry-after-ms" in headers:
            return min(max(float(headers["retry-after-ms"]) / 1000, 0.0), RETRY_AFTER_MAX)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            seconds = float(value)
        except ValueError:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        return min(max(seconds, 0.0), RETRY_AFTER_MAX)
    except (ValueError, TypeError, OverflowError):
        return None


def error_detail(text: str) -> str:
    """The provider's own error message in an error reply (``error.message`` for
    OpenAI and Anthropic alike), else the start of the reply."""
    try:
        reply = json.loads(text)
    except ValueError:
        return text.strip()[:ERROR_TEXT_MAX]
    error = reply.get("error", reply) if isinstance(reply, dict) else reply
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    if isinstance(error, str):
        return error
    return text.strip()[:ERROR_TEXT_MAX]


def unexpected(name: str, reply: Any) -> ProviderError:
    """A reply that is JSON but not of the shape the API promises."""
    return ProviderError(f"{name}: unexpected reply: {json.dumps(reply)[:ERROR_TEXT_MAX]}")


def decode_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise ProviderError(f"{name}: reply is not JSON: {text[:ERROR_TEXT_MAX]!r}") from None


async def streamed_chunks(name: str, events: Any, reply: Any, on_event: Any) -> AsyncIterator:
    """The chunks of a streamed reply: ``on_event(reply, kind, event)`` takes each
    decoded event into ``reply`` (a ``StreamedReply``) and returns the chunks it
    gives; the tool calls and the "done" chunk follow the last event. OpenAI ends
    its stream with ``data: [DONE]``, Anthropic by ending it."""
    try:
        async for kind, data in events:
            if data == "[DONE]":
                break
            event = decode_json(name, data)
            try:
                chunks = on_event(reply, kind, event)
            except (KeyError, IndexError, TypeError, AttributeError):
                raise unexpected(name, event) from None
            for chunk in chunks:
                yield chunk
    finally:
        await events.aclose()
    for chunk in reply.finish():
        yield chunk


async def sse_events(lines: AsyncIterator[str]) -> AsyncIterator[tuple]:
    """``(event, data)`` pairs of a Server-Sent Events stream, each as soon as its
    blank line arrives (the event is "message" when the stream names none)."""
    event, data = "", []
    async for line in lines:
        if not line:
            if data:
                yield event or "message", "\n".join(data)
            event, data = "", []
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            data.append(value)
        elif field == "event":
            event = value
    if data:
        yield event or "message", "\n".join(data)
