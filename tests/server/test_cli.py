"""``onewindow-server`` commands: db upgrade, add-device (token once, stored hashed), add-user,
catalog load; bad input is a plain message and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from common.catalog.loader import DEMO_CATALOG
from server.app import main
from server.db.engine import make_engine, make_sessionmaker
from server.db.models import BackofficeUser, CatalogRow, Device
from server.security import device_for_token


def test_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{(tmp_path / 's.db').as_posix()}"
    assert main(["--database", db, "db", "upgrade"]) == 0
    assert main(["--database", db, "db", "upgrade"]) == 0  # again: nothing to do
    assert main(["--database", db, "add-device", "--hall", "350102", "--role", "counter"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("ow_") and len(token) > 40
    assert (
        main(
            [
                "--database",
                db,
                "add-user",
                "--username",
                "li",
                "--password",
                "long-enough-1",
                "--role",
                "approver",
                "--area",
                "不动产",
                "--display-name",
                "李审批",
            ]
        )
        == 0
    )
    assert main(["--database", db, "catalog", "load", str(DEMO_CATALOG)]) == 0
    assert main(["--database", db, "catalog", "load", str(DEMO_CATALOG)]) == 0
    assert "未变化" in capsys.readouterr().out
    assert (
        main(
            [
                "--database",
                db,
                "add-user",
                "--username",
                "x",
                "--password",
                "long-enough-1",
                "--area",
                "火星",
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "--database",
                db,
                "add-user",
                "--username",
                "x",
                "--password",
                "short",
                "--area",
                "税务",
            ]
        )
        == 2
    )
    assert main(["--database", db, "serve", "--workers", "2"]) == 2  # SQLite serves one worker
    bad = tmp_path / "bad.toml"
    bad.write_text("[catalog]\nversion = 1\n", encoding="utf-8")
    assert main(["--database", db, "catalog", "load", str(bad)]) == 2
    engine = make_engine(db)
    with make_sessionmaker(engine).begin() as s:
        assert device_for_token(s, token) is not None
        assert token not in s.scalars(select(Device.token_hash)).all()
        user = s.scalars(select(BackofficeUser)).one()
        assert (user.username, user.role, user.area) == ("li", "approver", "不动产")
        assert user.password_hash.startswith("scrypt$")
        assert len(s.scalars(select(CatalogRow)).all()) == 1
    assert main(["--database", db, "list-devices"]) == 0
    listing = capsys.readouterr().out
    assert "350102\tcounter" in listing and token not in listing
    assert main(["--database", db, "revoke-device", "1"]) == 0
    assert main(["--database", db, "revoke-device", "99"]) == 2
    with make_sessionmaker(engine).begin() as s:
        assert device_for_token(s, token) is None  # a revoked token no longer authenticates
    engine.dispose()
