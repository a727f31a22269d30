"""The universal-intake checklist (受理清单): one row per material, built from matters or a bundle.

A material that several matters ask for (its ``key`` is the same) is asked once, with the
strictest form (原件 > 复印件 > 电子), the largest number of copies, key if any matter says key,
tolerable only if every matter allows it, replaced by shared data only when every matter
accepts the same source, and "not applicable" only where every matter says when. Items that
shared data replaces arrive pre-marked when the source is present (an ID card was read at the
window, an e-certificate of that type is on file, the department's data answers).

The checklist is plain, immutable data: :meth:`Checklist.mark` returns a new checklist, so the
counter's undo, the decision preview and the property tests all work on values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from common.catalog.model import (
    Bundle,
    Catalog,
    Material,
    MaterialForm,
    Matter,
    SharedSource,
    SharedSourceKind,
)
from common.intake.words import MaterialMark

__all__ = [
    "Checklist",
    "ChecklistItem",
    "InvalidMark",
    "SharedData",
    "build_checklist",
    "checklist_for_bundle",
]


class InvalidMark(ValueError):
    """A mark the item does not allow (e.g. 容缺 on an item that may not be tolerated)."""

    def __init__(self, item: ChecklistItem, mark: MaterialMark, why_zh: str, why_en: str) -> None:
        self.key = item.key
        self.mark = mark
        self.message_zh = f"“{item.name}”不能标记为“{mark.label}”：{why_zh}"
        self.message_en = f"{item.name!r} cannot be marked {mark.label_en}: {why_en}"
        super().__init__(f"{self.message_zh} / {self.message_en}")


@dataclass(frozen=True)
class SharedData:
    """What shared data is present for this applicant at this window.

    ``id_card``: the applicant's ID card was read; ``certificate_types``: the e-certificate type
    codes on file for the applicant; ``departments``: departments whose data answered.
    """

    id_card: bool = False
    certificate_types: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()

    def has(self, source: SharedSource) -> bool:
        if source.source is SharedSourceKind.ID_CARD:
            return self.id_card
        if source.source is SharedSourceKind.E_CERTIFICATE:
            return source.certificate_type in self.certificate_types
        return source.department in self.departments


@dataclass(frozen=True)
class ChecklistItem:
    """One row of the checklist: the merged requirement and the staff's mark (None = not yet)."""

    key: str
    name: str
    form: MaterialForm
    copies: int
    key_item: bool
    tolerable: bool
    replaced_by: SharedSource | None
    not_applicable_when: str
    matters: tuple[str, ...]  # codes of the matters that ask for it
    mark: MaterialMark | None = None
    note: str = ""

    @property
    def requirement(self) -> str:
        """What exactly is required, as a correction notice says it: 原件1份."""
        text = f"{self.form.value}{self.copies}份"
        return f"{text}；{self.note}" if self.note else text

    def allows(self, mark: MaterialMark) -> tuple[str, str] | None:
        """None if ``mark`` is allowed on this item, else why not (Chinese, English)."""
        if mark is MaterialMark.TOLERATED and not self.tolerable:
            return ("该材料不可容缺", "this item may not be tolerated")
        if mark is MaterialMark.SHARED and self.replaced_by is None:
            return ("该材料没有可替代的共享数据", "no shared data replaces this item")
        if mark is MaterialMark.NOT_APPLICABLE and not self.not_applicable_when:
            return ("事项未规定该材料的免交情形", "the matter does not say when it does not apply")
        return None


@dataclass(frozen=True)
class Checklist:
    """The rows for one case: the matters (or bundle) it covers and each item's mark."""

    matters: tuple[Matter, ...]
    items: tuple[ChecklistItem, ...]
    bundle: Bundle | None = None
    _index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._index:
            object.__setattr__(self, "_index", {item.key: i for i, item in enumerate(self.items)})

    def item(self, key: str) -> ChecklistItem:
        return self.items[self._index[key]]

    def mark(self, key: str, mark: MaterialMark | None) -> Checklist:
        """A new checklist with ``key`` marked (None clears the mark).

        Raises :class:`InvalidMark` if the mark is not allowed for that item.
        """
        i = self._index[key]
        item = self.items[i]
        if mark is not None:
            why = item.allows(mark)
            if why is not None:
                raise InvalidMark(item, mark, *why)
        items = list(self.items)
        items[i] = replace(item, mark=mark)
        return replace(self, items=tuple(items), _index=self._index)

    def mark_all(self, marks: Mapping[str, MaterialMark]) -> Checklist:
        result = self
        for key, mark in marks.items():
            result = result.mark(key, mark)
        return result

    @property
    def unmarked(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if item.mark is None)

    @property
    def marks(self) -> dict[str, MaterialMark | None]:
        return {item.key: item.mark for item in self.items}

    @property
    def title(self) -> str:
        """The bundle's name, or the matters' names joined (for receipts and lists)."""
        if self.bundle is not None:
            return self.bundle.name
        return "、".join(m.name for m in self.matters)


def _merge(materials: Sequence[tuple[str, Material]]) -> ChecklistItem:
    """One item from the same material asked by several matters: the strictest of each."""
    first = materials[0][1]
    form = max((m.form for _, m in materials), key=lambda f: f.strictness)
    sources = {m.replaced_by for _, m in materials}
    # Replaced only when every matter accepts the same source; else the paper is needed.
    replaced_by = sources.pop() if len(sources) == 1 else None
    not_applicable = {m.not_applicable_when for _, m in materials}
    notes = [m.note for _, m in materials if m.note]
    return ChecklistItem(
        key=first.key,
        name=first.name,
        form=form,
        copies=max(m.copies for _, m in materials),
        key_item=any(m.key_item for _, m in materials),
        tolerable=all(m.tolerable for _, m in materials),
        replaced_by=replaced_by,
        not_applicable_when=not_applicable.pop() if len(not_applicable) == 1 else "",
        matters=tuple(dict.fromkeys(code for code, _ in materials)),
        note="；".join(dict.fromkeys(notes)),
    )


def build_checklist(
    matters: Sequence[Matter],
    *,
    shared: SharedData | None = None,
    extra: Iterable[Material] = (),
    bundle: Bundle | None = None,
) -> Checklist:
    """The checklist for one or more matters; shared materials asked once, pre-marked when present.

    ``extra`` are bundle-level items (the combined application form); they come first.
    """
    if not matters:
        raise ValueError("a checklist needs at least one matter")
    codes = [m.code for m in matters]
    if len(set(codes)) != len(codes):
        raise ValueError("a matter appears twice in one case")
    by_key: dict[str, list[tuple[str, Material]]] = {}
    for material in extra:
        by_key.setdefault(material.key, []).append(("", material))
    for matter in matters:
        for material in matter.materials:
            by_key.setdefault(material.key, []).append((matter.code, material))
    items = []
    for group in by_key.values():
        item = _merge(group)
        item = replace(item, matters=tuple(c for c in item.matters if c))
        if shared is not None and item.replaced_by is not None and shared.has(item.replaced_by):
            item = replace(item, mark=MaterialMark.SHARED)
        items.append(item)
    return Checklist(matters=tuple(matters), items=tuple(items), bundle=bundle)


def checklist_for_bundle(
    catalog: Catalog, bundle: Bundle | str, *, shared: SharedData | None = None
) -> Checklist:
    """The checklist of a 一件事: every member matter, the bundle's own items, shared ones once."""
    b = catalog.bundle(bundle) if isinstance(bundle, str) else bundle
    return build_checklist(catalog.matters_of(b), shared=shared, extra=b.materials, bundle=b)
