"""Counter search: code, name, pinyin initials and full pinyin, area; the obvious match first."""

from __future__ import annotations

import pytest

from common.catalog import DEMO_CATALOG, Area, load_catalog_file
from common.catalog.search import SCORES, CatalogIndex

SECOND_HAND = "000172003000-350102000000-000-113501021318609168-1-00"


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    return CatalogIndex(load_catalog_file(DEMO_CATALOG))


def first(index: CatalogIndex, text: str, *, area: Area | None = None) -> str:
    hits = index.search(text, area=area)
    assert hits, text
    return hits[0].name


@pytest.mark.parametrize(
    "typed",
    [
        "eshfzy",
        "esfzy",
        "eshfzhydj",
        "ershoufang",
        "ErShouFang",
        "er shou fang",
        "ershoufangzhuanyi",
        "二手",
        "二手房转移登记",
        "过户",
    ],
)
def test_second_hand_housing_comes_first(index: CatalogIndex, typed: str) -> None:
    assert first(index, typed) == "二手房转移登记"


def test_every_keystroke_of_ershoufang_keeps_it_in_view(index: CatalogIndex) -> None:
    for n in range(3, len("ershoufang") + 1):
        assert "二手房转移登记" in [h.name for h in index.search("ershoufang"[:n], limit=5)]
    for n in range(1, len("eshfzy") + 1):
        assert first(index, "eshfzy"[:n]) == "二手房转移登记"


def test_heteronyms_match_every_reading(index: CatalogIndex) -> None:
    # 重 is zhong here, but a clerk may well type chong; both find it.
    assert first(index, "zhongdu") == "重度残疾人护理补贴"
    assert first(index, "chongdu") == "重度残疾人护理补贴"
    assert first(index, "zdcjr") == "重度残疾人护理补贴"
    assert first(index, "cdcjr") == "重度残疾人护理补贴"


def test_codes(index: CatalogIndex) -> None:
    exact = index.search("ga-hj-0003")[0]
    assert (exact.name, exact.score, exact.matched) == (
        "户口迁移",
        SCORES["exact_code"],
        "exact_code",
    )
    prefix = index.search("GA-HJ")
    assert {h.name for h in prefix} == {"户口迁移", "户口登记（出生登记）"}
    assert all(h.matched == "code_prefix" for h in prefix)
    # Inside an implementation code: the other district's area code.
    assert first(index, "350103000000") == "个体工商户变更登记（台江区）"
    assert index.search(SECOND_HAND)[0].score == SCORES["exact_code"]


def test_ranking_levels(index: CatalogIndex) -> None:
    hits = index.search("dengji", limit=50)
    assert all(h.matched == "pinyin_substring" for h in hits)
    names = [h.name for h in hits]
    assert names == sorted(names, key=len)  # ties: shorter names first
    # A name prefix beats a substring; the substring hits still come.
    hits = index.search("居民", limit=50)
    assert hits[0].matched == "name_prefix" and any(h.matched == "name_substring" for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # Initials prefix (fp = 发票领用) before an initials substring (代开增值税普通发票).
    hits = index.search("fp")
    assert [h.name for h in hits[:2]] == ["发票领用", "代开增值税普通发票"]
    assert SCORES["initials_prefix"] > SCORES["pinyin_prefix"] > SCORES["name_substring"]


def test_bundles_are_searchable(index: CatalogIndex) -> None:
    hit = index.search("csyjs")[0]
    assert (hit.kind, hit.name, hit.area) == ("bundle", "出生一件事", None)
    assert first(index, "企业开办") == "企业开办"
    assert index.search("企业开办")[0].kind == "bundle"


def test_area_filter(index: CatalogIndex) -> None:
    all_hits = index.search("登记", limit=100)
    estate = index.search("登记", area=Area.REAL_ESTATE, limit=100)
    assert {h.name for h in estate} == {"二手房转移登记", "抵押权登记"}
    assert len(all_hits) > len(estate)
    # A bundle passes the filter of any of its matters' areas.
    assert [h.name for h in index.search("csyjs", area=Area.PUBLIC_SECURITY)] == ["出生一件事"]
    assert index.search("csyjs", area=Area.TAX) == []


def test_how_people_type(index: CatalogIndex) -> None:
    # Full-width letters from an IME left in full-width mode, ASCII brackets, stray spaces.
    assert first(index, "ｅｒｓｈｏｕｆａｎｇ") == "二手房转移登记"
    assert first(index, "ＧＡ－ＨＪ－０００３") == "户口迁移"
    hit = index.search("住房公积金提取(购房)")[0]
    assert (hit.name, hit.matched) == ("住房公积金提取（购房）", "exact_name")
    assert first(index, " 二手 房 ") == "二手房转移登记"
    assert first(index, "er'shou'fang") == "二手房转移登记"


def test_limits_and_nonsense(index: CatalogIndex) -> None:
    assert index.search("") == [] and index.search("   ") == []
    assert index.search("xxxxxxxx") == []
    assert len(index.search("d", limit=3)) == 3
    assert index.search("d", limit=0) == []
