"""The catalog file: the demo loads whole; each bad file is one message naming the field."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from common.catalog import (
    DEMO_CATALOG,
    Area,
    CaseType,
    CatalogError,
    MaterialForm,
    MatterType,
    SharedSourceKind,
    UnknownBundle,
    UnknownMatter,
    catalog_from_dict,
    load_catalog_file,
    parse_catalog_text,
)

SECOND_HAND = "000172003000-350102000000-000-113501021318609168-1-00"

SAMPLE_NAMES = [
    "企业投资项目备案",
    "固定资产投资项目节能审查",
    "公司设立登记",
    "个体工商户设立登记",
    "食品经营许可",
    "二手房转移登记",
    "抵押权登记",
    "户口迁移",
    "居住证办理",
    "居民身份证换领",
    "住房公积金提取（购房）",
    "住房公积金提取（租房）",
    "发票领用",
    "代开增值税普通发票",
    "社会保障卡申领",
    "基本医疗保险关系转移接续",
    "失业保险金申领",
    "内地居民婚姻登记",
    "残疾人证新办",
    "重度残疾人护理补贴",
]


def _demo() -> dict[str, Any]:
    return tomllib.loads(DEMO_CATALOG.read_text(encoding="utf-8"))


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as info:
        catalog_from_dict(data, source="demo.toml")
    message = str(info.value)
    assert "\n" not in message and message.startswith("catalog demo.toml: ")
    return message


def _matter(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in data["matters"] if m["name"] == name)


def test_demo_has_every_sample_matter_and_both_bundles() -> None:
    catalog = load_catalog_file(DEMO_CATALOG)
    names = {m.name for m in catalog.matters.values()}
    assert set(SAMPLE_NAMES) <= names
    assert {a for a in Area} == {m.area for m in catalog.matters.values()}
    birth = next(b for b in catalog.bundles.values() if b.name == "出生一件事")
    assert [m.name for m in catalog.matters_of(birth)] == [
        "出生医学证明首次签发",
        "户口登记（出生登记）",
        "城乡居民医疗保险参保登记",
        "社会保障卡申领",
    ]
    assert birth.promised_days == 5
    assert set(birth.shared) == {"parent_id_cards", "hukou_book", "marriage_certificate"}
    marriage = catalog.matters_of(birth)[1].material("marriage_certificate")
    assert (
        marriage.replaced_by is not None
        and marriage.replaced_by.source is SharedSourceKind.E_CERTIFICATE
    )
    startup = next(b for b in catalog.bundles.values() if b.name == "企业开办")
    assert [m.name for m in catalog.matters_of(startup)] == [
        "公司设立登记",
        "公章刻制备案",
        "发票领用",
        "单位社会保险登记",
    ]
    assert startup.promised_days == 1


def test_demo_matter_details() -> None:
    catalog = load_catalog_file(DEMO_CATALOG)
    house = catalog.matter(SECOND_HAND)
    assert house.name == "二手房转移登记" and house.area is Area.REAL_ESTATE
    assert (house.statutory_days, house.promised_days) == (30, 1)
    assert house.type is MatterType.CONFIRMATION and house.case_type is CaseType.PROMISED
    assert [(str(f.amount), f.description) for f in house.fees] == [
        ("80", "住宅，每件"),
        ("550", "非住宅，每件"),
    ]
    assert [m.key for m in house.materials if m.key_item] == [
        "property_certificate",
        "sale_contract",
    ]
    assert house.material("id_card").replaced_by is not None
    transfer = next(m for m in catalog.matters.values() if m.cross_area is not None)
    assert transfer.routes_through_sync and transfer.cross_area is not None
    assert (
        transfer.cross_area.area_code == "350103000000" and "台江区" in transfer.cross_area.agency
    )
    on_the_spot = next(m for m in catalog.matters.values() if m.name == "个体工商户设立登记")
    assert (
        on_the_spot.case_type.code == 1
        and on_the_spot.promised_days == 0
        and on_the_spot.statutory_days == 3
    )
    assert not catalog.matter("GA-HJ-0003").routes_through_sync
    with pytest.raises(UnknownMatter, match="NOPE"):
        catalog.matter("NOPE")
    with pytest.raises(UnknownBundle):
        catalog.bundle("NOPE")


def test_type_may_be_written_as_label_or_code() -> None:
    data = _demo()
    _matter(data, "户口迁移")["type"] = 1
    _matter(data, "居住证办理")["type"] = "20"
    catalog = catalog_from_dict(data)
    assert catalog.matter("GA-HJ-0003").type is MatterType.LICENSING
    assert catalog.matter("GA-JZZ-0001").type is MatterType.PUBLIC_SERVICE


def test_same_content_same_digest_and_version_field_changes_it() -> None:
    a, b = catalog_from_dict(_demo()), catalog_from_dict(_demo())
    assert a.digest == b.digest
    data = _demo()
    _matter(data, "户口迁移")["promised_days"] = 4
    assert catalog_from_dict(data).digest != a.digest


def _bad(mutate: Any) -> str:
    data = copy.deepcopy(_demo())
    mutate(data)
    return _refused(data)


HOUSE = f"matter {SECOND_HAND} (二手房转移登记)"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][2].update(form="扫描件"),
            f"{HOUSE}: materials[2].form: must be 原件, 复印件 or 电子",
        ),
        (lambda d: _matter(d, "二手房转移登记").pop("area"), f"{HOUSE}: area: required"),
        (
            lambda d: _matter(d, "二手房转移登记").update(area="住建"),
            f"{HOUSE}: area: must be 投资项目",
        ),
        (
            lambda d: _matter(d, "二手房转移登记").update(type="许可证"),
            f"{HOUSE}: type: must be one of 1 行政许可",
        ),
        (
            lambda d: _matter(d, "二手房转移登记").update(case_type="办结"),
            f"{HOUSE}: case_type: must be 即办 or 承诺件",
        ),
        (
            lambda d: _matter(d, "二手房转移登记").update(statutory_days=-1),
            f"{HOUSE}: statutory_days: must be ≥ 0",
        ),
        (
            lambda d: _matter(d, "二手房转移登记").update(promised_days=31),
            f"{HOUSE}: promised_days: 31 is more than statutory_days 30",
        ),
        (
            lambda d: _matter(d, "二手房转移登记").update(promised_days=0),
            f"{HOUSE}: promised_days: a 承诺件 matter needs at least 1 working day",
        ),
        (
            lambda d: _matter(d, "个体工商户设立登记").update(promised_days=1),
            "matter 000101002000-350102000000-000-11350102908301663Y-1-00 (个体工商户设立登记): "
            "promised_days: a 即办 matter is promised on the spot (0)",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"].append(
                dict(_matter(d, "二手房转移登记")["materials"][0])
            ),
            f"{HOUSE}: materials[4].key: 'property_certificate' appears twice in this matter",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][0].update(tolerable=True),
            f"{HOUSE}: materials[0]: a key item (key_item) cannot also be tolerable",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][1].update(copies=0),
            f"{HOUSE}: materials[1].copies: must be ≥ 1",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][1].update(kye_item=True),
            f"{HOUSE}: materials[1].kye_item: unknown key",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][1].update(key="Sale Contract"),
            f"{HOUSE}: materials[1].key: 'Sale Contract' is not allowed here",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][3].update(
                replaced_by={"source": "e_certificate"}
            ),
            f"{HOUSE}: materials[3].replaced_by: an e_certificate source needs certificate_type",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["materials"][3].update(
                replaced_by={"source": "fax"}
            ),
            f"{HOUSE}: materials[3].replaced_by.source: "
            "must be id_card, e_certificate or department",
        ),
        (
            lambda d: _matter(d, "二手房转移登记")["fees"][0].update(amount=-80),
            f"{HOUSE}: fees[0].amount: must be ≥ 0",
        ),
        (lambda d: _matter(d, "二手房转移登记").update(materials=[]), f"{HOUSE}: materials: "),
        (
            lambda d: _matter(d, "二手房转移登记").update(
                cross_area={"mode": "全市通办", "agency": "某区", "area_code": "3501"}
            ),
            f"{HOUSE}: cross_area.area_code: '3501' is not allowed here",
        ),
        (
            lambda d: _matter(d, "户口迁移").update(code=SECOND_HAND),
            f"matter {SECOND_HAND} (户口迁移): code: appears twice (matters[6] and matters[8])",
        ),
        (lambda d: _matter(d, "户口迁移").pop("code"), "matters[8] (户口迁移): code: required"),
        (
            lambda d: d["bundles"][0]["matters"].append("GA-XX-9999"),
            "bundle YJS-CS-0001 (出生一件事): matters[4]: unknown matter 'GA-XX-9999'",
        ),
        (
            lambda d: d["bundles"][0]["matters"].append("GA-HJ-0011"),
            "bundle YJS-CS-0001 (出生一件事): matters: a matter appears twice in the bundle",
        ),
        (
            lambda d: d["bundles"][0]["shared"].append("photo"),
            "bundle YJS-CS-0001 (出生一件事): shared[3]: "
            "'photo' is not asked by two or more of its matters",
        ),
        (
            lambda d: d["bundles"][1].update(promised_days=-2),
            "bundle YJS-QY-0001 (企业开办): promised_days: must be ≥ 0",
        ),
        (
            lambda d: d["bundles"][1].update(code="GA-HJ-0003"),
            "bundle GA-HJ-0003 (企业开办): code: already used by another matter or bundle",
        ),
        (lambda d: d["catalog"].pop("version"), "catalog.version: required"),
        (lambda d: d.update(matter=[]), "matter: unknown key"),
        (lambda d: d.update(matters=[]), "matters: the catalog needs at least one"),
    ],
)
def test_bad_file_is_one_message_naming_matter_and_field(mutate: Any, expected: str) -> None:
    message = _bad(mutate)
    assert message.startswith(f"catalog demo.toml: {expected}"), message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"catalog x\.toml: not valid TOML"):
        parse_catalog_text("[catalog\n", source="x.toml")
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog_file(tmp_path / "none.toml")


def test_material_form_strictness() -> None:
    assert (
        MaterialForm.ORIGINAL.strictness
        > MaterialForm.COPY.strictness
        > MaterialForm.ELECTRONIC.strictness
    )
