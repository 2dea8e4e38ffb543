#!/usr/bin/env python3
"""Concurrency benchmark for finops-router (stdlib only, loopback only).

Starts bench/slow_upstream.py on 127.0.0.1:--upstream-port (default 18180) and
the router on 127.0.0.1:--router-port (default 18181) with
OPENAI_BASE_URL=http://127.0.0.1:18180/v1, waits until both are ready
(bounded by --ready-timeout), sends one warm-up request through the router,
then fires --n simultaneous POST /v1/chat/completions requests (one TCP
connection each, HTTP/1.1, Connection: close). While they are in flight it
samples Threads: and VmRSS: of the router from /proc/PID/status every
--sample-interval seconds.

With --stream the requests carry "stream": true; the script then measures
time to first response byte (TTFB) and time to the complete stream, and checks
that every stream ends in data: [DONE], carries a usage chunk and the full
content the upstream sent.

Both processes are stopped on exit (SIGTERM, then SIGKILL after 10 s), also on
errors and Ctrl-C, unless --keep is given. Exit status: 0 if every request
succeeded, 1 if any failed, 2 if the setup failed.

Examples:
  bench/concurrency.py --n 1000
  bench/concurrency.py --n 1000 --stream
  bench/concurrency.py --n 200 --delay 0.5 --keep
"""
import argparse
import asyncio
import collections
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
HERE = os.path.dirname(os.path.abspath(__file__))
STOP_GRACE_S = 10.0


# --------------------------------------------------------------------------- helpers
def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def proc_status(pid):
    """(threads, rss_kib) of PID from /proc, or None if it is gone."""
    threads = rss = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    threads = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        return None
    if threads is None or rss is None:
        return None
    return threads, rss


def pct(values, p):
    """Nearest-rank percentile; None for an empty list."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def fmt_ms(x):
    return "n/a" if x is None else f"{x * 1000:.1f} ms"


def tail(path, n=20):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except OSError:
        return "(no log)"


def port_in_use(port):
    import socket
    s = socket.socket()
    s.settimeout(0.5)
    try:
        return s.connect_ex((HOST, port)) == 0
    finally:
        s.close()


def start_process(argv, env, log_path, cwd):
    log = open(log_path, "wb")
    try:
        # Own session: Ctrl-C in the terminal does not reach it directly; we stop it
        # ourselves, by its process group (== its PID).
        return subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        log.close()


def stop_process(proc, name):
    """SIGTERM to the process group we started, SIGKILL after STOP_GRACE_S.
    Returns (returncode, seconds to exit, killed)."""
    if proc is None:
        return None
    if proc.poll() is not None:
        return proc.returncode, 0.0, False
    t0 = time.monotonic()
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        rc = proc.wait(timeout=STOP_GRACE_S)
        return rc, time.monotonic() - t0, False
    except subprocess.TimeoutExpired:
        print(f"concurrency: {name} did not stop within {STOP_GRACE_S:.0f} s, SIGKILL",
              file=sys.stderr)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            rc = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            rc = None
        return rc, time.monotonic() - t0, True


# --------------------------------------------------------------------------- HTTP client
class Result:
    __slots__ = ("ok", "kind", "status", "total", "ttfb", "body")

    def __init__(self):
        self.ok = False
        self.kind = None
        self.status = None
        self.total = None
        self.ttfb = None
        self.body = b""


def decode_chunked(data):
    out = bytearray()
    pos = 0
    for _ in range(10_000_000):  # bounded
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            raise ValueError("truncated chunk size")
        size = int(data[pos:eol].split(b";", 1)[0].strip() or b"0", 16)
        pos = eol + 2
        if size == 0:
            return bytes(out)
        if pos + size + 2 > len(data):
            raise ValueError("truncated chunk")
        out += data[pos:pos + size]
        pos += size + 2
    raise ValueError("too many chunks")


def parse_response(raw):
    """(status, headers, body) from a complete Connection: close response."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        raise ValueError("no header end")
    lines = raw[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError("bad status line")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    body = raw[end + 4:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = decode_chunked(body)
    elif "content-length" in headers:
        n = int(headers["content-length"])
        if len(body) < n:
            raise ValueError("short body")
        body = body[:n]
    return status, headers, body


def check_json(body):
    obj = json.loads(body)
    if obj.get("object") != "chat.completion":
        return "bad_body:object"
    if not obj.get("choices"):
        return "bad_body:no_choices"
    if not isinstance(obj.get("usage"), dict):
        return "bad_body:no_usage"
    return None


def check_stream(body, expected_content):
    text = body.decode("utf-8", "replace")
    events = [e for e in text.replace("\r\n", "\n").split("\n\n") if e.strip()]
    if not events or events[-1].strip() != "data: [DONE]":
        return "bad_stream:no_done"
    content = []
    usage = False
    for ev in events[:-1]:
        for line in ev.split("\n"):
            if not line.startswith("data:"):
                continue
            obj = json.loads(line[5:].strip())
            if isinstance(obj.get("usage"), dict) and obj.get("choices") == []:
                usage = True
            for ch in obj.get("choices") or []:
                c = (ch.get("delta") or {}).get("content")
                if c:
                    content.append(c)
    if not usage:
        return "bad_stream:no_usage_chunk"
    if "".join(content) != expected_content:
        return "bad_stream:content_mismatch"
    return None


async def one_request(port, payload, timeout, start_evt, stream, expected_content):
    r = Result()
    await start_evt.wait()
    req = (f"POST /v1/chat/completions HTTP/1.1\r\n"
           f"Host: {HOST}:{port}\r\n"
           f"Content-Type: application/json\r\n"
           f"Authorization: Bearer bench-key\r\n"
           f"Content-Length: {len(payload)}\r\n"
           f"Connection: close\r\n\r\n").encode() + payload
    t0 = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
            except ConnectionRefusedError:
                r.kind = "connect_refused"
                return r
            except OSError as e:
                r.kind = f"connect_error:{e.errno}"
                return r
            writer.write(req)
            await writer.drain()
            buf = bytearray()
            for _ in range(1_000_000):  # bounded read loop (EOF ends it)
                data = await reader.read(65536)
                if not data:
                    break
                if r.ttfb is None:
                    r.ttfb = time.perf_counter() - t0
                buf += data
            r.total = time.perf_counter() - t0
    except TimeoutError:
        r.kind = "timeout"
        return r
    except ConnectionResetError:
        r.kind = "reset"
        return r
    except OSError as e:
        r.kind = f"os_error:{e.errno}"
        return r
    finally:
        if writer is not None:
            writer.close()
    if not buf:
        r.kind = "empty_response"
        return r
    try:
        status, _headers, body = parse_response(bytes(buf))
    except ValueError as e:
        r.kind = f"bad_http:{e}"
        return r
    r.status = status
    if status != 200:
        r.kind = f"http_{status}"
        r.body = body[:300]
        return r
    try:
        r.kind = check_stream(body, expected_content) if stream else check_json(body)
    except (ValueError, AttributeError, TypeError):
        r.kind = "bad_body:parse"
    if r.kind is None:
        r.ok = True
    else:
        r.body = body[:300]
    return r


async def http_get_status(port, path, timeout=2.0):
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            line = await reader.readline()
            parts = line.split()
            return int(parts[1]) if len(parts) >= 2 else None
    except (OSError, TimeoutError, ValueError):
        return None
    finally:
        if writer is not None:
            writer.close()


# --------------------------------------------------------------------------- phases
async def wait_ready(name, proc, port, path, deadline, log_path):
    for _ in range(100_000):  # bounded; the deadline ends it first
        if proc.poll() is not None:
            raise SetupError(f"{name} exited with {proc.returncode}\n--- {log_path}\n{tail(log_path)}")
        if await http_get_status(port, path) == 200:
            return
        if time.monotonic() > deadline:
            raise SetupError(f"{name} not ready on :{port}{path} in time\n--- {log_path}\n{tail(log_path)}")
        await asyncio.sleep(0.1)
    raise SetupError(f"{name} never became ready")


async def sampler(pid, interval, stop_evt, samples, max_samples):
    for _ in range(max_samples):  # bounded in count; stop_evt ends it normally
        s = proc_status(pid)
        if s is not None:
            samples.append(s)
        try:
            await asyncio.wait_for(stop_evt.wait(), interval)
            return
        except TimeoutError:
            pass


class SetupError(Exception):
    pass


async def run(args, procs, tmpdir):
    up_log = os.path.join(tmpdir, "slow_upstream.log")
    rt_log = os.path.join(tmpdir, "router.log")
    for port in (args.upstream_port, args.router_port):
        if port_in_use(port):
            raise SetupError(f"port {port} on {HOST} is already in use")

    procs["upstream"] = start_process(
        [sys.executable, os.path.join(HERE, "slow_upstream.py"), "--port", str(args.upstream_port),
         "--delay", str(args.delay), "--chunks", str(args.chunks),
         "--chunk-interval", str(args.chunk_interval)],
        dict(os.environ), up_log, tmpdir)
    env = dict(os.environ)
    env["OPENAI_BASE_URL"] = f"http://{HOST}:{args.upstream_port}/v1"
    env["OPENAI_API_KEY"] = "bench-key"
    procs["router"] = start_process(
        [args.router, "serve", "--host", HOST, "--port", str(args.router_port),
         "--sqlite-path", os.path.join(tmpdir, "finops.sqlite"), "--log-level", args.log_level],
        env, rt_log, tmpdir)
    router_pid = procs["router"].pid

    deadline = time.monotonic() + args.ready_timeout
    await wait_ready("slow_upstream", procs["upstream"], args.upstream_port, "/health", deadline, up_log)
    await wait_ready("router", procs["router"], args.router_port, "/healthz", deadline, rt_log)

    body = {"model": args.model, "messages": [{"role": "user", "content": "Say hello."}],
            "max_tokens": 16}
    if args.stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    payload = json.dumps(body).encode()
    expected = "".join(f"tok{i} " for i in range(args.chunks))
    req_timeout = args.timeout

    # Warm-up: one request end to end, so that a broken setup fails fast.
    warm_evt = asyncio.Event()
    warm_evt.set()
    w = await one_request(args.router_port, payload, args.delay + 30, warm_evt, args.stream, expected)
    if not w.ok:
        raise SetupError(f"warm-up request failed: {w.kind} status={w.status} body={w.body[:200]!r}\n"
                         f"--- {rt_log}\n{tail(rt_log)}")

    idle = proc_status(router_pid) or (0, 0)
    start_evt = asyncio.Event()
    stop_evt = asyncio.Event()
    samples = []
    tasks = [asyncio.create_task(one_request(args.router_port, payload, req_timeout, start_evt,
                                             args.stream, expected)) for _ in range(args.n)]
    max_samples = int((req_timeout + 60) / args.sample_interval) + 10
    samp = asyncio.create_task(sampler(router_pid, args.sample_interval, stop_evt, samples, max_samples))
    await asyncio.sleep(0.05)  # let every task reach start_evt.wait()
    t0 = time.perf_counter()
    start_evt.set()
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    stop_evt.set()
    await samp
    await asyncio.sleep(args.settle)
    after = proc_status(router_pid) or (0, 0)
    return results, wall, samples, idle, after, router_pid


def report(args, results, wall, samples, idle, after, router_pid, rt_stop, up_log):
    ok = [r for r in results if r.ok]
    errors = collections.Counter(r.kind for r in results if not r.ok)
    peak_threads = max((s[0] for s in samples), default=0)
    peak_rss = max((s[1] for s in samples), default=0)
    mode = "stream" if args.stream else "json"
    lines = [
        f"=== finops-router concurrency ({mode}) ===",
        f"router            {args.router} (pid {router_pid})",
        f"upstream delay    {args.delay} s"
        + (f", {args.chunks} chunks x {args.chunk_interval} s" if args.stream else ""),
        f"requests          {len(results)}",
        f"ok                {len(ok)}",
        "errors            " + (", ".join(f"{k}={v}" for k, v in errors.most_common()) or "none"),
        f"wall time         {wall:.2f} s",
    ]
    if args.stream:
        tt = [r.ttfb for r in ok]
        tot = [r.total for r in ok]
        lines += [
            f"ttfb p50/p99      {fmt_ms(pct(tt, 50))} / {fmt_ms(pct(tt, 99))}",
            f"total p50/p99     {fmt_ms(pct(tot, 50))} / {fmt_ms(pct(tot, 99))}",
        ]
    else:
        lat = [r.total for r in ok]
        lines.append(f"latency p50/p99   {fmt_ms(pct(lat, 50))} / {fmt_ms(pct(lat, 99))}"
                     f"  (max {fmt_ms(max(lat) if lat else None)})")
    lines += [
        f"threads idle/peak {idle[0]} / {peak_threads}   ({len(samples)} samples, "
        f"every {args.sample_interval * 1000:.0f} ms)",
        f"RSS idle          {idle[1] / 1024:.1f} MiB",
        f"peak RSS          {peak_rss / 1024:.1f} MiB",
        f"RSS after         {after[1] / 1024:.1f} MiB  (threads {after[0]}, {args.settle:.0f} s after)",
    ]
    if rt_stop is not None:
        rc, secs, killed = rt_stop
        lines.append(f"router shutdown   rc={rc} in {secs:.2f} s" + (" (SIGKILL)" if killed else ""))
        last = [l for l in tail(up_log, 5).splitlines() if "peak_open" in l]
        if last:
            lines.append("upstream          " + last[-1].replace("slow_upstream: stopping; ", ""))
    print("\n".join(lines), flush=True)
    samples_bad = [r for r in results if not r.ok][:3]
    for r in samples_bad:
        print(f"  example failure: {r.kind} status={r.status} body={r.body[:160]!r}", file=sys.stderr)
    return 0 if not errors else 1


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1000, help="simultaneous requests (default 1000)")
    p.add_argument("--delay", type=float, default=2.0, help="upstream answer delay, s (default 2.0)")
    p.add_argument("--stream", action="store_true",
                   help="streaming requests; report time to first byte and total time")
    p.add_argument("--keep", action="store_true",
                   help="leave the upstream and the router running afterwards")
    default_router = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                  ".build", "release", "finops-router")
    p.add_argument("--router", default=default_router,
                   help="router binary (default .build/release/finops-router of this repository)")
    p.add_argument("--router-port", type=int, default=18181, help="router port (default 18181)")
    p.add_argument("--upstream-port", type=int, default=18180, help="slow upstream port (default 18180)")
    p.add_argument("--chunks", type=int, default=20, help="SSE content chunks per stream (default 20)")
    p.add_argument("--chunk-interval", type=float, default=0.05,
                   help="seconds between SSE content chunks (default 0.05)")
    p.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, s (default 60)")
    p.add_argument("--ready-timeout", type=float, default=30.0,
                   help="max wait for both servers to become ready, s (default 30)")
    p.add_argument("--sample-interval", type=float, default=0.1,
                   help="/proc sampling interval, s (default 0.1)")
    p.add_argument("--settle", type=float, default=1.0,
                   help="wait before the 'RSS after' sample, s (default 1)")
    p.add_argument("--model", default="gpt-4o-mini", help="model in the request body (default gpt-4o-mini)")
    p.add_argument("--log-level", default="warning", help="router --log-level (default warning)")
    args = p.parse_args()
    if args.n < 1 or args.n > 20000:
        p.error("--n must be between 1 and 20000")
    if args.sample_interval <= 0 or args.timeout <= 0:
        p.error("--sample-interval and --timeout must be > 0")
    if not os.access(args.router, os.X_OK):
        p.error(f"router binary not found or not executable: {args.router} "
                f"(build it: swift build -c release)")

    nofile = raise_nofile()
    if nofile < args.n * 2 + 64:
        print(f"concurrency: warning: RLIMIT_NOFILE {nofile} may be too low for --n {args.n}",
              file=sys.stderr)
    # SIGTERM behaves like Ctrl-C, so the finally block below always stops the servers.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    tmpdir = tempfile.mkdtemp(prefix="finops-concurrency-")
    procs = {}
    status = 2
    out = None
    try:
        out = asyncio.run(run(args, procs, tmpdir))
        status = 0
    except SetupError as e:
        print(f"concurrency: setup failed: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        print("concurrency: interrupted", file=sys.stderr)
        status = 130
    finally:
        rt_stop = None
        if args.keep and status == 0:
            print(f"concurrency: --keep: router pid {procs['router'].pid} on :{args.router_port}, "
                  f"slow_upstream pid {procs['upstream'].pid} on :{args.upstream_port}; "
                  f"logs in {tmpdir}", file=sys.stderr)
        else:
            try:
                rt_stop = stop_process(procs.get("router"), "router")
                stop_process(procs.get("upstream"), "slow_upstream")
            except KeyboardInterrupt:  # second Ctrl-C: kill hard
                for pr in procs.values():
                    try:
                        os.killpg(pr.pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                raise
    if out is not None:
        status = report(args, *out, rt_stop, os.path.join(tmpdir, "slow_upstream.log"))
        if rt_stop is not None and (rt_stop[0] != 0 or rt_stop[2]):
            print(f"concurrency: router did not shut down cleanly; log: {tmpdir}/router.log",
                  file=sys.stderr)
    if status == 0 and not args.keep:
        shutil.rmtree(tmpdir, ignore_errors=True)
    elif status != 0:
        print(f"concurrency: logs kept in {tmpdir}", file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()
