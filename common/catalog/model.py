"""The matter catalog's types: matters, materials, bundles (一件事), and the catalog itself.

Every type is a frozen pydantic model with ``extra="forbid"``: a catalog file with a misspelt
field, a wrong form or a negative time limit is refused with the field named (see
:mod:`common.catalog.loader`), never loaded with a silent default. Codes are opaque strings
(DOMAIN.md "Codes"): national implementation codes, business item codes and local codes all
fit; nothing here parses them.

Time limits are in working days on the hall calendar (:mod:`common.intake.calendar`), the day
of acceptance not counted; ``promised_days == 0`` is a 即办 matter, done on the spot.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Area",
    "Bundle",
    "CaseType",
    "Catalog",
    "CatalogError",
    "CrossArea",
    "Fee",
    "Material",
    "MaterialForm",
    "Matter",
    "MatterType",
    "SharedSource",
    "SharedSourceKind",
    "UnknownBundle",
    "UnknownMatter",
]


class CatalogError(Exception):
    """A catalog file or stored catalog is invalid; the message names the matter and the field."""


class UnknownMatter(CatalogError, KeyError):
    """No matter with this code (and version) in the catalog."""

    def __init__(self, code: str, version: str | None = None) -> None:
        self.code = code
        self.version = version
        what = f"{code} version {version}" if version is not None else code
        super().__init__(f"未知事项 / unknown matter: {what}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownBundle(CatalogError, KeyError):
    """No bundle (一件事) with this code in the catalog."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"未知的一件事 / unknown bundle: {code}")

    def __str__(self) -> str:
        return str(self.args[0])


class Area(enum.StrEnum):
    """The eight areas (板块) of an integrated hall; 社会事务 takes everything else."""

    INVESTMENT = "投资项目"
    BUSINESS_REGISTRATION = "商事登记"
    REAL_ESTATE = "不动产"
    PUBLIC_SECURITY = "公安"
    HOUSING_FUND = "公积金"
    TAX = "税务"
    HUMAN_RESOURCES = "人力社保"
    SOCIAL_AFFAIRS = "社会事务"


class MatterType(enum.IntEnum):
    """Matter type codes as in the national exchange data."""

    LICENSING = 1  # 行政许可
    BENEFIT = 5  # 行政给付
    CONFIRMATION = 7  # 行政确认
    ADJUDICATION = 9  # 行政裁决
    OTHER_POWER = 10  # 其他行政权力
    PUBLIC_SERVICE = 20  # 公共服务

    @property
    def label(self) -> str:
        return _MATTER_TYPE_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> MatterType:
        for member, text in _MATTER_TYPE_LABELS.items():
            if text == label:
                return member
        raise ValueError(label)


_MATTER_TYPE_LABELS = {
    MatterType.LICENSING: "行政许可",
    MatterType.BENEFIT: "行政给付",
    MatterType.CONFIRMATION: "行政确认",
    MatterType.ADJUDICATION: "行政裁决",
    MatterType.OTHER_POWER: "其他行政权力",
    MatterType.PUBLIC_SERVICE: "公共服务",
}


class CaseType(enum.StrEnum):
    """即办件 (done on the spot) or 承诺件 (promised within N working days)."""

    ON_THE_SPOT = "即办"
    PROMISED = "承诺件"

    @property
    def code(self) -> int:
        """The national case type code: 1 即办件, 2 承诺件."""
        return 1 if self is CaseType.ON_THE_SPOT else 2


class MaterialForm(enum.StrEnum):
    """How a material is handed in (``strictness`` orders them)."""

    ORIGINAL = "原件"
    COPY = "复印件"
    ELECTRONIC = "电子"

    @property
    def strictness(self) -> int:
        """原件 > 复印件 > 电子: a bundle asking twice for one material asks the stricter form."""
        return {MaterialForm.ELECTRONIC: 0, MaterialForm.COPY: 1, MaterialForm.ORIGINAL: 2}[self]


class SharedSourceKind(enum.StrEnum):
    """Where shared data that replaces a paper material comes from (一证通办, 电子证照)."""

    ID_CARD = "id_card"  # the ID card read at the window
    E_CERTIFICATE = "e_certificate"  # an e-certificate of a given type on file
    DEPARTMENT = "department"  # another department's data (数据共享)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")]
MaterialKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Days = Annotated[int, Field(ge=0, le=3650)]


class SharedSource(_Frozen):
    """Shared data that replaces a material when present (pre-marked on the checklist)."""

    source: SharedSourceKind
    # E-certificate type code (the ``{type code}`` segment of the certificate identifier).
    certificate_type: str = ""
    # Which department's data, for ``department``.
    department: str = ""

    @model_validator(mode="after")
    def _source_detail(self) -> SharedSource:
        if self.source is SharedSourceKind.E_CERTIFICATE and not self.certificate_type:
            raise ValueError("an e_certificate source needs certificate_type")
        if self.source is SharedSourceKind.DEPARTMENT and not self.department:
            raise ValueError("a department source needs department")
        return self


class Material(_Frozen):
    """One item the applicant hands in. ``key`` is stable across matters so bundles merge it."""

    key: MaterialKey
    name: Text
    form: MaterialForm
    copies: Annotated[int, Field(ge=1, le=99)] = 1
    # A key item (要件): missing → correction required.
    key_item: bool = False
    # 容缺: may be missing at acceptance and supplied by the supplement deadline.
    tolerable: bool = False
    replaced_by: SharedSource | None = None
    # When the item does not apply (e.g. "本人办理时"); empty = always applies.
    not_applicable_when: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _key_not_tolerable(self) -> Material:
        if self.key_item and self.tolerable:
            raise ValueError("a key item (key_item) cannot also be tolerable (容缺)")
        return self


class Fee(_Frozen):
    """A fee the matter charges; a matter with no fees is free of charge (不收费)."""

    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    description: Text


class CrossArea(_Frozen):
    """A matter of another district's agency accepted here (全市通办 / 异地代收代办).

    The hall accepts it; the case is routed to ``agency`` through sync, and the receipt says
    who decides and where the result is collected.
    """

    mode: Literal["全市通办", "异地代收代办"]
    agency: Text
    area_code: Annotated[str, Field(pattern=r"^\d{12}$")]
    agency_code: str = ""  # the agency's unified social credit code, when known
    collect_at: str = ""  # where the result is collected; empty = mailed or this hall


class Matter(_Frozen):
    """A service matter (政务服务事项) as the counter accepts it."""

    code: Code
    name: Text
    name_en: str = ""
    area: Area
    type: MatterType
    case_type: CaseType
    statutory_days: Days
    promised_days: Days
    version: Annotated[str, Field(min_length=1, max_length=32)]
    department: Text
    fees: tuple[Fee, ...] = ()
    # 容缺 supplement deadline in working days; None = the hall's default.
    supplement_days: Annotated[int, Field(ge=1, le=365)] | None = None
    cross_area: CrossArea | None = None
    # Reasons the counter may pick when rejecting (不予受理); the hall adds its general ones.
    reject_reasons: tuple[Text, ...] = ()
    # Other names the public uses (过户 for 二手房转移登记); searched like the name.
    aliases: tuple[Text, ...] = ()
    materials: tuple[Material, ...] = Field(min_length=1)

    @field_validator("type", mode="before")
    @classmethod
    def _type_label(cls, value: object) -> object:
        # A hall editing the file writes 行政许可; the exchange data writes 1. Both are fine.
        if isinstance(value, str):
            try:
                return MatterType.from_label(value)
            except ValueError:
                if value.isdigit():
                    return int(value)
                raise ValueError(
                    "must be one of " + ", ".join(f"{m.value} {m.label}" for m in MatterType)
                ) from None
        return value

    @field_validator("materials")
    @classmethod
    def _unique_keys(cls, value: tuple[Material, ...]) -> tuple[Material, ...]:
        seen: set[str] = set()
        for i, m in enumerate(value):
            if m.key in seen:
                raise ValueError(f"materials[{i}].key: {m.key!r} appears twice in this matter")
            seen.add(m.key)
        return value

    @model_validator(mode="after")
    def _limits(self) -> Matter:
        if self.promised_days > self.statutory_days:
            raise ValueError(
                f"promised_days: {self.promised_days} is more than "
                f"statutory_days {self.statutory_days}"
            )
        if self.case_type is CaseType.ON_THE_SPOT and self.promised_days != 0:
            raise ValueError("promised_days: a 即办 matter is promised on the spot (0)")
        if self.case_type is CaseType.PROMISED and self.promised_days == 0:
            raise ValueError("promised_days: a 承诺件 matter needs at least 1 working day")
        return self

    @property
    def routes_through_sync(self) -> bool:
        """Accepted here for another area's agency: the case goes to that agency through sync."""
        return self.cross_area is not None

    def material(self, key: str) -> Material:
        for m in self.materials:
            if m.key == key:
                return m
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        """The definition as stored in the hall database (cases keep it by code and version)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def digest(self) -> str:
        return _digest(self.to_json())


class Bundle(_Frozen):
    """一件事: several matters accepted with one form; shared materials asked once."""

    code: Code
    name: Text
    name_en: str = ""
    matters: tuple[Code, ...] = Field(min_length=2)
    promised_days: Days
    # Material keys several member matters ask for and the bundle asks once (checked on load).
    shared: tuple[MaterialKey, ...] = ()
    # Bundle-level items (the combined application form 联办申请表).
    materials: tuple[Material, ...] = ()
    aliases: tuple[Text, ...] = ()

    @field_validator("matters")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a matter appears twice in the bundle")
        return value

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)


def _digest(data: object) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Catalog:
    """One version of the hall's matter catalog: matters and bundles by code.

    Built by :func:`common.catalog.loader.catalog_from_dict` (which checks cross references) or
    read back from the hall database; immutable once built.
    """

    __slots__ = ("_bundles", "_matters", "digest", "name", "version")

    def __init__(
        self,
        *,
        version: str,
        name: str,
        matters: Mapping[str, Matter],
        bundles: Mapping[str, Bundle],
    ) -> None:
        self.version = version
        self.name = name
        self._matters = dict(matters)
        self._bundles = dict(bundles)
        # The content digest: two loads of the same content make one stored version.
        self.digest = _digest(
            {
                "name": name,
                "matters": [m.to_json() for m in self._matters.values()],
                "bundles": [b.to_json() for b in self._bundles.values()],
            }
        )

    def __repr__(self) -> str:
        counts = f"matters={len(self._matters)}, bundles={len(self._bundles)}"
        return f"Catalog(version={self.version!r}, {counts})"

    @property
    def matters(self) -> Mapping[str, Matter]:
        return self._matters

    @property
    def bundles(self) -> Mapping[str, Bundle]:
        return self._bundles

    def matter(self, code: str) -> Matter:
        """The matter with this code; :class:`UnknownMatter` otherwise."""
        try:
            return self._matters[code]
        except KeyError:
            raise UnknownMatter(code) from None

    def bundle(self, code: str) -> Bundle:
        try:
            return self._bundles[code]
        except KeyError:
            raise UnknownBundle(code) from None

    def matters_of(self, bundle: Bundle | str) -> tuple[Matter, ...]:
        """A bundle's member matters, in the bundle's order."""
        b = self.bundle(bundle) if isinstance(bundle, str) else bundle
        return tuple(self.matter(c) for c in b.matters)

    def by_area(self, area: Area) -> Iterator[Matter]:
        return (m for m in self._matters.values() if m.area is area)

    def __len__(self) -> int:
        return len(self._matters)
