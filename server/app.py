"""``onewindow-server``: the reference central server (DESIGN.md "Central server and sync").

Commands::

    onewindow-server serve --host 127.0.0.1 --port 8800 --database URL [--workers N]
                           [--ssl-certfile FILE --ssl-keyfile FILE]
    onewindow-server db upgrade --database URL
    onewindow-server add-device --hall CODE --role kiosk|counter|display|backoffice
    onewindow-server list-devices / revoke-device ID
    onewindow-server add-user --username NAME --password PW --role backoffice|approver --area 不动产
    onewindow-server catalog load FILE
    onewindow-server openapi            (prints the OpenAPI document committed as docs/openapi.json)

``--database`` defaults to ``$ONEWINDOW_SERVER_DATABASE`` or ``sqlite:///onewindow-server.db``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from common.catalog.model import CatalogError
from common.contract import DeviceRole
from server.settings import ServerSettings, settings_to_env, utc_now

__all__ = ["main", "openapi_document"]

log = logging.getLogger("server")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="onewindow-server", description="一窗通中心服务端 / OneWindow central server"
    )
    p.add_argument(
        "--database",
        default=os.environ.get("ONEWINDOW_SERVER_DATABASE", ServerSettings.database_url),
        help="SQLAlchemy URL or SQLite file path (default: %(default)s)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API and the back office under uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8800)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")
    serve.add_argument(
        "--no-upgrade", action="store_true", help="do not migrate the database first"
    )
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])
    dev = sub.add_parser("add-device", help="register a device; prints its token once")
    dev.add_argument("--hall", required=True)
    dev.add_argument("--role", required=True, choices=[r.value for r in DeviceRole])
    dev.add_argument("--label", default="")
    sub.add_parser("list-devices", help="the registered devices (never their tokens)")
    revoke = sub.add_parser(
        "revoke-device", help="a lost or replaced device: its token stops working"
    )
    revoke.add_argument("id", type=int)
    user = sub.add_parser("add-user", help="create or reset a back-office account")
    user.add_argument("--username", required=True)
    user.add_argument("--password", help="default: asked on the terminal")
    user.add_argument("--role", default="backoffice", choices=["backoffice", "approver"])
    user.add_argument("--area", required=True, help="板块, e.g. 不动产")
    user.add_argument("--display-name", default="")
    cat = sub.add_parser("catalog", help="the catalog the server serves")
    cat.add_argument("action", choices=["load"])
    cat.add_argument("file")
    sub.add_parser("openapi", help="print the OpenAPI document")
    return p


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document (built without a database connection)."""
    from server.main import create_app

    app = create_app(ServerSettings(database_url="sqlite://"))
    app.state.engine.dispose()
    return app.openapi()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "openapi":
        print(json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    from server.db.engine import make_engine, make_sessionmaker
    from server.db.migrate import upgrade

    engine = make_engine(args.database)
    try:
        if args.command == "db" or (args.command == "serve" and not args.no_upgrade):
            upgrade(engine)
            if args.command == "db":
                print("数据库已升级 / database upgraded")
                return 0
        if args.command == "serve":
            if engine.dialect.name == "sqlite" and args.workers > 1:
                print(
                    "onewindow-server: 多个工作进程需要 PostgreSQL / "
                    "several workers need PostgreSQL "
                    "(SQLite serves one worker)",
                    file=sys.stderr,
                )
                return 2
            engine.dispose()
            return _serve(args)
        factory = make_sessionmaker(engine)
        with factory.begin() as s:
            if args.command == "add-device":
                from server.security import add_device

                token = add_device(s, args.hall, DeviceRole(args.role), utc_now(), label=args.label)
                print(token)
                print(
                    "设备令牌只显示这一次，请妥善保存 / "
                    f"the token is shown once ({args.role} of hall {args.hall})",
                    file=sys.stderr,
                )
            elif args.command == "list-devices":
                from sqlalchemy import select

                from server.db.models import Device

                for d in s.scalars(select(Device).order_by(Device.id)):
                    state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
                    print(
                        f"{d.id}\t{d.hall}\t{d.role}\t{d.label}\t"
                        f"{d.created_at:%Y-%m-%d %H:%M}\t{state}"
                    )
            elif args.command == "revoke-device":
                from server.db.models import Device

                device = s.get(Device, args.id)
                if device is None:
                    raise ValueError(f"no device {args.id}")
                device.revoked_at = device.revoked_at or utc_now()
                print(f"设备 {args.id} 已停用 / device {args.id} revoked")
            elif args.command == "add-user":
                import getpass

                from server.security import add_user

                password = args.password or getpass.getpass("密码 / password: ")
                add_user(
                    s,
                    args.username,
                    password,
                    role=args.role,
                    area=args.area,
                    display_name=args.display_name,
                    now=utc_now(),
                )
                print(f"账号已保存 / user {args.username} saved ({args.role}, {args.area})")
            elif args.command == "catalog":
                from server.catalog import load_catalog_path

                doc, new = load_catalog_path(s, args.file, utc_now())
                print(
                    f"目录 {doc.version} {'已载入' if new else '未变化'} / catalog {doc.version} "
                    f"{'loaded' if new else 'unchanged'} ({doc.digest[:12]})"
                )
        return 0
    except (ValueError, CatalogError, OSError) as exc:
        print(f"onewindow-server: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = ServerSettings(database_url=args.database, secure_cookies=bool(args.ssl_certfile))
    os.environ.update(settings_to_env(settings))
    uvicorn.run(
        "server.main:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        log_level="info",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
