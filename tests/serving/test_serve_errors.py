"""``kb serve`` refuses bad settings and unusable addresses with one line, and says it serves only once it does."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from ..conftest import CORPUS
from .conftest import KB, free_port


def serve(tmp_path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "KB_CONTENT_DIR": str(CORPUS), "KB_INDEX_DIR": str(tmp_path / "index"), **env}
    return subprocess.run([*KB, "serve", *args], env=full, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KB_PORT": "99999"}, "KB_PORT must be from 1 to 65535, got 99999"),
        ({"KB_PORT": "eighty"}, "KB_PORT must be a whole number, got 'eighty'"),
        ({"KB_THREADS": "0"}, "KB_THREADS must be from 1 to 64, got 0"),
        ({"KB_WORKERS": "0"}, "KB_WORKERS must be from 1 to 64, got 0"),
        ({"KB_WORKERS": "500"}, "KB_WORKERS must be from 1 to 64, got 500"),
        ({"KB_BASE_URL": "kb.example.com"}, "KB_BASE_URL must be an http(s) address"),
    ],
)
def test_bad_settings_are_one_line(tmp_path, env, message):
    result = serve(tmp_path, **env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_one_line_and_nothing_claims_to_serve(tmp_path, workers):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve(tmp_path, "--port", str(port), "--workers", workers)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "serving on" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unknown_host_is_one_line(tmp_path, workers):
    result = serve(tmp_path, "--host", "no-such-host.invalid", "--workers", workers)
    assert result.returncode == 2
    assert "cannot listen on no-such-host.invalid:8000: unknown host" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serving_on_is_printed_once_the_port_answers(tmp_path, workers):
    port = free_port()
    env = {**os.environ, "KB_CONTENT_DIR": str(CORPUS), "KB_INDEX_DIR": str(tmp_path / "index")}
    process = subprocess.Popen(
        [*KB, "serve", "--port", str(port), "--workers", workers], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stderr.readline()  # blocks until the server says something
        assert line.strip() == f"serving on http://127.0.0.1:{port}/"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the port is bound when the line appears
    finally:
        process.terminate()
        process.wait(timeout=20)
