"""``GET /api/v1/catalog``: the current catalog, with ETag / If-None-Match (any device token)."""

from __future__ import annotations

from fastapi import APIRouter, Header, HTTPException, Response, status

from common.contract import CatalogDocument, ErrorBody
from server.catalog import current_catalog
from server.deps import CurrentDevice, DbSession

router = APIRouter(tags=["catalog"])


@router.get(
    "/catalog",
    response_model=CatalogDocument,
    responses={
        304: {"description": "not modified"},
        401: {"model": ErrorBody},
        404: {"model": ErrorBody},
    },
)
def get_catalog(
    s: DbSession,
    device: CurrentDevice,
    response: Response,
    if_none_match: str | None = Header(default=None),
) -> CatalogDocument | Response:
    with s.begin():
        doc = current_catalog(s)
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no catalog loaded")
    etag = f'"{doc.digest}"'
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return doc
