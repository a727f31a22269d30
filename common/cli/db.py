"""``onewindow db upgrade`` and ``onewindow seed-demo``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common.bootstrap import open_hall
from common.catalog import DEMO_CATALOG, load_catalog_file
from common.catalog.store import current_catalog_version, load_catalog
from common.db.grants import APP_ROLES, apply_grants
from common.db.migrate import current_revision
from common.db.models import Role
from common.staff import create_staff

# Invented demo accounts; the passwords are printed by seed-demo and are for the demo only.
DEMO_STAFF = (
    ("manager", "王经理", "manager123", Role.MANAGER),
    *(
        (f"w{n}", name, f"window{n}", Role.WINDOW)
        for n, name in enumerate(
            ("李晓梅", "陈建国", "赵丽", "孙伟", "周敏", "吴强", "郑芳", "冯涛"), 1
        )
    ),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="database schema")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser(
        "upgrade", help="create or migrate the hall database to the newest schema"
    )
    up.set_defaults(func=_upgrade)
    grants = dbsub.add_parser(
        "grants",
        help="PostgreSQL: create one role per program (kiosk, display, counter, manager, sync) "
        "with least privilege",
    )
    grants.add_argument(
        "--prefix", default="onewindow", help="role names are PREFIX_kiosk, PREFIX_counter, ..."
    )
    grants.add_argument(
        "--login",
        action="store_true",
        help="give each role LOGIN with the password in $ONEWINDOW_DB_PASSWORD_<APP> "
        "(e.g. ..._KIOSK); roles without one stay NOLOGIN",
    )
    grants.set_defaults(func=_grants)
    seed = sub.add_parser(
        "seed-demo", help="migrate, then load the demo hall: services, windows, staff"
    )
    seed.set_defaults(func=_seed)


def _upgrade(args: argparse.Namespace) -> int:
    hall = open_hall(args.config, migrate=True)
    print(
        "数据库结构已是最新 / the schema is at the newest revision "
        f"({current_revision(hall.db.engine)}): "
        f"{hall.db.engine.url.render_as_string()}"
    )
    hall.close()
    return 0


def _grants(args: argparse.Namespace) -> int:
    hall = open_hall(args.config)
    try:
        if not hall.db.is_postgresql:
            print(
                "角色与授权只适用于 PostgreSQL 大厅数据库 / "
                "roles and grants apply to a PostgreSQL hall database only",
                file=sys.stderr,
            )
            return 2
        passwords = {}
        if args.login:
            for app in APP_ROLES:
                value = os.environ.get(f"ONEWINDOW_DB_PASSWORD_{app.upper()}", "")
                if value:
                    passwords[app] = value
        names = apply_grants(hall.db.engine, prefix=args.prefix, passwords=passwords)
    finally:
        hall.close()
    for app, role in names.items():
        login = "LOGIN" if app in passwords else "NOLOGIN"
        print(f"{app:8} {role} ({login})")
    print("已按最小权限授权 / least-privilege grants applied; run again after every db upgrade")
    return 0


def _seed(args: argparse.Namespace) -> int:
    seed_demo(args.config)
    return 0


def seed_demo(config: str | Path | None) -> None:
    """Migrate, then load services, windows and the demo staff accounts (idempotent)."""
    hall = open_hall(config, migrate=True)
    hall.queue.sync_from_settings()
    for username, name, password, role in DEMO_STAFF:
        create_staff(hall.db, username, name, password, role)
    if current_catalog_version(hall.db) is None:
        # The demo catalog (every sample matter and both 一件事), so the counter can accept cases.
        load_catalog(
            hall.db, load_catalog_file(DEMO_CATALOG), actor="seed-demo", source=DEMO_CATALOG.name
        )
    print(
        f"演示大厅已就绪 / demo hall ready: {len(hall.settings.services)} services, "
        f"{len(hall.settings.windows)} windows"
    )
    print("演示账号 / demo logins: manager / manager123; w1 / window1 … w8 / window8")
    hall.close()
