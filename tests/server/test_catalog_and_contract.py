"""The served catalog (ETag / 304), the change feed's catalog item, and the OpenAPI contract."""

from __future__ import annotations

import json
from pathlib import Path

from common.catalog.loader import DEMO_CATALOG, catalog_from_dict
from common.contract import BatchResult, ChangeFeed, EventBatch
from server.app import main, openapi_document
from server.catalog import document_digest, load_catalog_document
from tests.server.conftest import Server

REPO = Path(__file__).resolve().parents[2]


def test_catalog_etag_and_304(sqlite_server: Server) -> None:
    server = sqlite_server
    r = server.client.get("/api/v1/catalog", headers=server.auth())
    assert r.status_code == 200
    etag = r.headers["etag"]
    doc = r.json()
    assert etag == f'"{doc["digest"]}"'
    # The hall rebuilds exactly the catalog the server validated.
    assert catalog_from_dict(doc["document"]).version == doc["version"]
    assert document_digest(doc["document"]) == doc["digest"]
    again = server.client.get("/api/v1/catalog", headers={**server.auth(), "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    stale = server.client.get(
        "/api/v1/catalog", headers={**server.auth(), "If-None-Match": '"old"'}
    )
    assert stale.status_code == 200


def test_a_new_catalog_version_changes_the_etag_and_is_announced_once(
    sqlite_server: Server,
) -> None:
    server = sqlite_server
    import tomllib

    doc = tomllib.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    first = server.client.get("/api/v1/catalog", headers=server.auth()).headers["etag"]
    with server.sessions.begin() as s:
        _, new = load_catalog_document(s, doc, server.clock())
    assert not new  # the same content again: nothing changes
    doc["catalog"]["version"] = "2026.12-demo.2"
    with server.sessions.begin() as s:
        _, new = load_catalog_document(s, doc, server.clock())
    assert new
    r = server.client.get("/api/v1/catalog", headers={**server.auth(), "If-None-Match": first})
    assert r.status_code == 200 and r.json()["version"] == "2026.12-demo.2"
    feed = server.client.get("/api/v1/changes?after=0", headers=server.auth()).json()
    versions = [i["payload"]["version"] for i in feed["items"] if i["type"] == "catalog.version"]
    assert versions == ["2026.11-demo.1", "2026.12-demo.2"]


def test_served_openapi_equals_the_committed_document(sqlite_server: Server) -> None:
    served = sqlite_server.client.get("/api/v1/openapi.json").json()
    committed = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert served == committed, "run: onewindow-server openapi > docs/openapi.json"
    assert served == openapi_document()


def test_openapi_is_generated_from_the_contract_models() -> None:
    doc = openapi_document()
    schemas = doc["components"]["schemas"]
    events = doc["paths"]["/api/v1/events"]["post"]
    assert events["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EventBatch"
    )
    assert events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/BatchResult"
    )
    changes = doc["paths"]["/api/v1/changes"]["get"]
    assert changes["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ChangeFeed"
    )
    # Each contract model's fields are the schema's properties, with the same required ones.
    for model in (EventBatch, BatchResult, ChangeFeed):
        mine = model.model_json_schema(
            mode="serialization" if model is not EventBatch else "validation"
        )
        theirs = schemas[model.__name__]
        assert set(theirs["properties"]) == set(mine["properties"])
        assert set(theirs.get("required", [])) == set(mine.get("required", []))
    assert not any(p.startswith("/backoffice") for p in doc["paths"])


def test_openapi_command_prints_the_document(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["openapi"]) == 0
    assert json.loads(capsys.readouterr().out) == openapi_document()


def test_the_default_certificate_issuer_code_is_a_valid_credit_code() -> None:
    """Certificates carry the issuer's code in their identifier; an invented one must still
    pass GB 32100 and its embedded GB 11714 check (the first default did not)."""
    from common.people import validate_credit_code
    from server.settings import ServerSettings

    code = ServerSettings().certificate_issuer_code
    assert validate_credit_code(code) == code
