#!/usr/bin/env python3
"""Slow OpenAI-compatible mock upstream for concurrency benchmarks (stdlib only).

Answers POST /v1/chat/completions (also /chat/completions) after --delay seconds:

  * non-streaming: a chat.completion JSON with usage 12/12/24 (Content-Length);
  * "stream": true: an SSE stream sent with Transfer-Encoding: chunked: a role
    chunk, --chunks content chunks (one every --chunk-interval seconds), a
    finish_reason chunk, a usage chunk ("choices": []), then data: [DONE].

GET /health and GET /v1/models answer immediately. HTTP/1.1 keep-alive is
supported (bounded: --max-requests-per-conn, --idle-timeout). Listens on
127.0.0.1 only. RLIMIT_NOFILE is raised to its hard limit at start so that
1,000+ concurrent connections work. Stops on SIGTERM / SIGINT (and, if given,
after --max-runtime seconds).

Example:
  bench/slow_upstream.py --port 18180 --delay 2.0
  curl -s http://127.0.0.1:18180/v1/chat/completions -d '{"model":"gpt-4o-mini"}'
"""
import argparse
import asyncio
import json
import resource
import signal
import sys
import time

HOST = "127.0.0.1"
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class Stats:
    def __init__(self):
        self.connections = 0
        self.open_connections = 0
        self.peak_open = 0
        self.requests = 0
        self.streams = 0


def completion_body(model, rid, created):
    return {
        "id": rid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "Hello from the slow upstream."},
            "logprobs": None,
            "finish_reason": "stop",
        }],
        "usage": {"prompt_tokens": 12, "completion_tokens": 12, "total_tokens": 24},
    }


def sse_chunk(rid, created, model, delta=None, finish=None, usage=None):
    obj = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": model}
    if usage is not None:
        obj["choices"] = []
        obj["usage"] = usage
    else:
        obj["choices"] = [{"index": 0, "delta": delta or {}, "logprobs": None,
                           "finish_reason": finish}]
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def http_chunk(data):
    return b"%x\r\n" % len(data) + data + b"\r\n"


def simple_response(status, reason, body, ctype="application/json", keep_alive=True):
    head = (f"HTTP/1.1 {status} {reason}\r\n"
            f"Content-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n").encode()
    return head + body


async def read_chunked_body(reader):
    body = bytearray()
    for _ in range(1_000_000):  # bounded: at most this many chunks
        line = await reader.readuntil(b"\r\n")
        size = int(line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            # trailers, up to the empty line
            for _ in range(100):
                if await reader.readuntil(b"\r\n") == b"\r\n":
                    return bytes(body)
            raise ValueError("too many trailers")
        if len(body) + size > MAX_BODY_BYTES:
            raise ValueError("body too large")
        body += await reader.readexactly(size)
        await reader.readexactly(2)
    raise ValueError("too many chunks")


async def read_request(reader, writer, idle_timeout):
    """Returns (method, path, headers dict, body bytes) or None on clean EOF."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), idle_timeout)
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise ValueError("truncated request head")
    except asyncio.LimitOverrunError:
        raise ValueError("request head too large")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise ValueError("bad request line")
    method, path, version = parts
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await asyncio.wait_for(read_chunked_body(reader), idle_timeout)
    else:
        n = int(headers.get("content-length", "0") or 0)
        if n < 0 or n > MAX_BODY_BYTES:
            raise ValueError("bad content-length")
        body = await asyncio.wait_for(reader.readexactly(n), idle_timeout) if n else b""
    conn_hdr = headers.get("connection", "").lower()
    keep = (version == "HTTP/1.1" and "close" not in conn_hdr) or "keep-alive" in conn_hdr
    return method, path, headers, body, keep


async def handle_chat(writer, body, keep, args, stats):
    try:
        req = json.loads(body or b"{}")
        if not isinstance(req, dict):
            raise ValueError
    except ValueError:
        writer.write(simple_response(400, "Bad Request",
                                     b'{"error":{"message":"invalid JSON","type":"invalid_request_error"}}',
                                     keep_alive=keep))
        await writer.drain()
        return
    model = str(req.get("model", "gpt-4o-mini"))
    stats.requests += 1
    rid = f"chatcmpl-slow{stats.requests}"
    created = int(time.time())
    if args.delay > 0:
        await asyncio.sleep(args.delay)
    if req.get("stream") is True:
        stats.streams += 1
        head = (b"HTTP/1.1 200 OK\r\n"
                b"Content-Type: text/event-stream\r\n"
                b"Cache-Control: no-cache\r\n"
                b"Transfer-Encoding: chunked\r\n"
                + (b"Connection: keep-alive\r\n" if keep else b"Connection: close\r\n")
                + b"\r\n")
        writer.write(head + http_chunk(sse_chunk(rid, created, model,
                                                 delta={"role": "assistant", "content": ""})))
        await writer.drain()
        for i in range(args.chunks):
            if args.chunk_interval > 0:
                await asyncio.sleep(args.chunk_interval)
            writer.write(http_chunk(sse_chunk(rid, created, model, delta={"content": f"tok{i} "})))
            await writer.drain()
        tail = (sse_chunk(rid, created, model, delta={}, finish="stop")
                + sse_chunk(rid, created, model,
                            usage={"prompt_tokens": 12, "completion_tokens": 12, "total_tokens": 24})
                + b"data: [DONE]\n\n")
        writer.write(http_chunk(tail) + b"0\r\n\r\n")
        await writer.drain()
    else:
        out = json.dumps(completion_body(model, rid, created), separators=(",", ":")).encode()
        writer.write(simple_response(200, "OK", out, keep_alive=keep))
        await writer.drain()


async def handle_conn(reader, writer, args, stats):
    stats.connections += 1
    stats.open_connections += 1
    stats.peak_open = max(stats.peak_open, stats.open_connections)
    try:
        for _ in range(args.max_requests_per_conn):  # bounded keep-alive loop
            try:
                req = await read_request(reader, writer, args.idle_timeout)
            except (ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                writer.write(simple_response(400, "Bad Request", b'{"error":"bad request"}',
                                             keep_alive=False))
                await writer.drain()
                break
            if req is None:
                break
            method, path, _headers, body, keep = req
            path = path.split("?", 1)[0]
            if method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
                await handle_chat(writer, body, keep, args, stats)
            elif method == "GET" and path in ("/health", "/healthz"):
                writer.write(simple_response(200, "OK", b'{"status":"ok"}', keep_alive=keep))
                await writer.drain()
            elif method == "GET" and path in ("/v1/models", "/models"):
                writer.write(simple_response(200, "OK",
                                             b'{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","owned_by":"slow-upstream"}]}',
                                             keep_alive=keep))
                await writer.drain()
            else:
                writer.write(simple_response(404, "Not Found", b'{"error":"not found"}',
                                             keep_alive=keep))
                await writer.drain()
            if not keep:
                break
    except (asyncio.TimeoutError, ConnectionError, OSError):
        pass
    finally:
        stats.open_connections -= 1
        try:
            writer.close()
        except Exception:
            pass


async def main_async(args):
    stats = Stats()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await asyncio.start_server(
        lambda r, w: handle_conn(r, w, args, stats),
        HOST, args.port, backlog=args.backlog, reuse_address=True,
        limit=MAX_HEADER_BYTES)
    print(f"slow_upstream: listening on http://{HOST}:{args.port}/v1 "
          f"(delay {args.delay}s, chunks {args.chunks} x {args.chunk_interval}s)", flush=True)
    timeout = args.max_runtime if args.max_runtime > 0 else None
    try:
        await asyncio.wait_for(stop.wait(), timeout)
    except asyncio.TimeoutError:
        print("slow_upstream: --max-runtime reached", flush=True)
    server.close()
    print(f"slow_upstream: stopping; connections={stats.connections} "
          f"peak_open={stats.peak_open} requests={stats.requests} streams={stats.streams}",
          flush=True)


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=18180, help="listen port on 127.0.0.1 (default 18180)")
    p.add_argument("--delay", type=float, default=2.0,
                   help="seconds before answering a chat request (default 2.0)")
    p.add_argument("--chunks", type=int, default=20,
                   help="content chunks in a streaming answer (default 20)")
    p.add_argument("--chunk-interval", type=float, default=0.05,
                   help="seconds between streaming content chunks (default 0.05)")
    p.add_argument("--backlog", type=int, default=4096, help="listen backlog (default 4096)")
    p.add_argument("--idle-timeout", type=float, default=120.0,
                   help="close a keep-alive connection idle this long, seconds (default 120)")
    p.add_argument("--max-requests-per-conn", type=int, default=100000,
                   help="requests served on one keep-alive connection (default 100000)")
    p.add_argument("--max-runtime", type=float, default=0,
                   help="exit after this many seconds (default 0 = until SIGTERM/SIGINT)")
    args = p.parse_args()
    if args.delay < 0 or args.chunks < 0 or args.chunk_interval < 0:
        p.error("--delay, --chunks and --chunk-interval must be >= 0")
    soft, hard = raise_nofile()
    if soft < 2048:
        print(f"slow_upstream: warning: RLIMIT_NOFILE is only {soft}", file=sys.stderr)
    try:
        asyncio.run(main_async(args))
    except OSError as e:
        print(f"slow_upstream: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
