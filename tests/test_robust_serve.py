"""`quotegraph serve` as a user runs it, on a real socket: host names it answers to (DNS rebinding),
bodies refused while they stream, and SIGTERM stopping it within seconds even during an ingest."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotegraph.jobs import ingest_paths
from quotegraph.store import open_store

QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")
TOKEN = "test-token-0123456789"
LIMIT = 1_000_000  # max_file_bytes for the server under test


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    db, port = tmp_path / "q.db", free_port()
    with open_store(str(db)) as store:  # a database with one article, for the read endpoints
        (tmp_path / "a.txt").write_text("“We will stay,” said Ada Lindqvist.\n", encoding="utf-8")
        ingest_paths([tmp_path / "a.txt"], store)
    command = [QUOTEGRAPH, "serve", "--db", str(db), "--port", str(port), "--ingest-token", TOKEN]
    command += ["--allowed-host", "quotes.example.org"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "QUOTEGRAPH_MAX_FILE_BYTES": str(LIMIT)},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield process, port
    finally:
        process.kill()
        process.wait()


def exchange(port: int, head: bytes, body: bytes = b"", timeout: float = 10) -> tuple[int, bytes, float]:
    """Send a raw request head and as much of the body as given; the status, the response and how
    long it took to come."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head + body)
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
            if b"\r\n\r\n" in response and b'"}}' in response:
                break
    status = int(response.split(b" ", 2)[1])
    return status, response, time.monotonic() - started


def get(port: int, path: str, host: str) -> tuple[int, bytes]:
    status, response, _ = exchange(
        port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    return status, response


def test_only_the_host_names_it_serves_are_answered(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "quotes.example.org", f"[::1]:{port}", "10.1.2.3"):
        assert get(port, "/api/speakers", host)[0] == 200, host
    status, response = get(port, "/api/speakers", f"rebind.attacker.example:{port}")
    assert status == 421
    assert b'"status": 421' in response and b"does not answer to that host name" in response


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    _, port = server
    head = (
        f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Ingest-Token: {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {50 * 2**20}\r\n\r\n"
    ).encode()
    status, response, seconds = exchange(
        port, head, b'{"id": "x", "text": "'
    )  # 50 MB announced, 20 bytes sent
    assert status == 413 and b"larger than the limit of 1,000,000 bytes" in response
    assert seconds < 5


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    _, port = server
    head = (
        f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Ingest-Token: {TOKEN}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"x" * 200_000
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(6))  # 1.2 MB, never ended
    status, response, _ = exchange(port, head, chunks)
    assert status == 413 and b'"status": 413' in response


def test_sigterm_stops_the_server_within_seconds_during_an_ingest(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    """An article that takes minutes to analyse is being ingested; the server still stops at once."""
    process, port = server
    text = " ".join(f"Councillor Number{n} said the vote on the budget was close." for n in range(14_000))
    body = json.dumps({"id": "long", "text": text[: LIMIT - 100]}).encode()
    head = (
        f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Ingest-Token: {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head + body)
        time.sleep(3)  # the pipeline loads and the analysis starts
        assert process.poll() is None
        stopped = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert time.monotonic() - stopped < 10
    assert process.returncode in (0, -signal.SIGTERM)
