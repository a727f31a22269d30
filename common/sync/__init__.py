"""The hall's side of the sync with the central server (DESIGN.md "Central server and sync";
promises in docs/SYNC.md).

* :mod:`common.sync.client` — the :class:`~common.sync.client.CentralClient` interface, the real
  client over ``requests`` and a fake;
* :mod:`common.sync.drainer` — sends the outbox in batches, per-case order, leases, parking;
* :mod:`common.sync.feed` — applies the change feed with its cursor in one transaction;
* :mod:`common.sync.worker` — rounds on a background thread (counter) or in the foreground
  (``onewindow sync``), and the status the counter shows.

Qt-free; ``common.qt.bridge`` adapts the worker's status to a signal.
"""
