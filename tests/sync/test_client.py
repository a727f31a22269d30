"""The HTTP client's own rules: bounded back-off with jitter, a handshake cut short is retried
(a server restarting), the settings' TLS choices."""

from __future__ import annotations

import random
import socket
import threading

import pytest

from common.sync.client import (
    CentralUnavailable,
    HttpCentralClient,
    backoff_delay,
    client_from_settings,
)
from tests.sync.conftest import hall_settings


def test_backoff_is_bounded_and_jittered() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(a, 1.0, 30.0, rng) for a in range(12) for _ in range(20)]
    assert all(0 <= d <= 30.0 for d in delays)
    assert max(backoff_delay(1, 1.0, 30.0, rng) for _ in range(50)) <= 2.0
    assert len({round(d, 3) for d in delays}) > 100  # spread, not marching together


def test_a_tls_handshake_cut_short_is_retried_then_reported_unavailable() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def slam() -> None:  # accept and close at once: the TLS handshake sees EOF
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.close()

    t = threading.Thread(target=slam)
    t.start()
    slept: list[float] = []
    try:
        client = HttpCentralClient(f"https://127.0.0.1:{port}", "t", retries=3, sleep=slept.append)
        with pytest.raises(CentralUnavailable):
            client.health()
    finally:
        stop.set()
        t.join(5)
        listener.close()
    assert len(slept) == 2  # three tries, two waits


def test_settings_choose_the_trust() -> None:
    assert (
        client_from_settings(hall_settings(url="https://x", token="t").central).session.verify
        is True
    )
    own = client_from_settings(
        hall_settings(url="https://x", token="t", ca_bundle="/etc/hall-ca.pem").central
    )
    assert own.session.verify == "/etc/hall-ca.pem" and own.session.trust_env is False
    lab = client_from_settings(hall_settings(url="https://x", token="t", verify_tls=False).central)
    assert lab.session.verify is False
    with pytest.raises(ValueError):
        client_from_settings(hall_settings().central)
