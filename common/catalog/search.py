"""Finding a matter at the counter: by code, name, pinyin initials, full pinyin, area.

A clerk types ``eshfzy``, ``ershoufang``, ``二手``, or the first characters of a code, and the
obvious matter is first. :class:`CatalogIndex` is built once per catalog version: it
precomputes every name's pinyin (pypinyin, with the other readings of 多音字 indexed too, so
重 matches both ``chong`` and ``zhong``), so a keystroke does no pinyin work at all: prefixes
are binary searches in sorted lists of the precomputed strings, substrings a C-speed
``str.find`` over one text per kind.

Ranking (higher first; ties: shorter name, then code)::

    100  exact code               (case-insensitive)
     90  code prefix
     80  exact name or alias
     70  name/alias prefix
     60  pinyin initials prefix   (eshfzy, esfzy: zh/ch/sh may be typed as one letter or two)
     50  full pinyin prefix       (ershoufang, ershoufangz...)
     40  name/alias substring     (转移 in 二手房转移登记)
     30  initials substring
     20  full pinyin substring
     10  code substring

Levels are evaluated from the top; once ``limit`` results sit above the next level, the lower
levels cannot change the answer and are skipped (most keystrokes stop after two or three).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from pypinyin import Style, pinyin

from common.catalog.model import Area, Catalog

__all__ = ["SCORES", "CatalogIndex", "SearchHit"]

SCORES = {
    "exact_code": 100,
    "code_prefix": 90,
    "exact_name": 80,
    "name_prefix": 70,
    "initials_prefix": 60,
    "pinyin_prefix": 50,
    "name_substring": 40,
    "initials_substring": 30,
    "pinyin_substring": 20,
    "code_substring": 10,
}

# Variants of one name's readings kept at most (primary + one-character substitutions + the
# full product when small): bounds memory for names full of 多音字.
_MAX_VARIANTS = 16
_MAX_FORMS = 64  # initials forms tried per query (zhzhzh… beyond this is not typed by people)
_SEP = "\x01"  # between the strings of one entry on its line; no pattern matches it
_CLUSTERS = {"zh": "Z", "ch": "C", "sh": "S"}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: a matter or a bundle, with the score that ranked it and why."""

    kind: Literal["matter", "bundle"]
    code: str
    name: str
    area: Area | None  # None for a bundle (它跨板块)
    score: int
    matched: str  # the SCORES key that gave the score


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Literal["matter", "bundle"]
    code: str
    name: str
    area: Area | None
    areas: frozenset[Area]


class _Strings:
    """An entry's strings, searchable by prefix (bisect on a sorted list) and by substring.

    Prefix: every string sorted once; a prefix is a contiguous range, found in O(log n).
    Substring: one line per entry (its strings joined by _SEP) in one text; ``str.find`` runs
    at C speed and the scan jumps to the next line after a hit, so each entry is met once.
    """

    __slots__ = ("keys", "owners", "starts", "text")

    def __init__(self, per_entry: Sequence[Sequence[str]]) -> None:
        pairs = sorted((s, i) for i, strings in enumerate(per_entry) for s in set(strings))
        self.keys = [k for k, _ in pairs]
        self.owners = [i for _, i in pairs]
        self.starts: list[int] = []
        offset = 0
        lines = []
        for strings in per_entry:
            line = _SEP.join(dict.fromkeys(strings))
            self.starts.append(offset)
            lines.append(line)
            offset += len(line) + 1
        self.text = "\n".join(lines)

    def with_prefix(self, prefix: str) -> list[int]:
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo)
        return self.owners[lo:hi]

    def containing(self, needle: str) -> Iterator[int]:
        starts, find = self.starts, self.text.find
        last = len(starts) - 1
        i = find(needle)
        while i != -1:
            line = bisect.bisect_right(starts, i) - 1
            yield line
            if line == last:
                return
            i = find(needle, starts[line + 1])


@functools.lru_cache(maxsize=16384)
def _readings(name: str) -> tuple[tuple[str, ...], ...]:
    """Per character, its readings: the phrase-aware one first, then the other 多音字 readings.

    pypinyin's heteronym mode puts the reading its phrase dictionary picks first (重度 zhong,
    重庆 chong), so one call gives both. Cached: a new catalog version re-indexes only new names.
    """
    # Non-Chinese runs ("（", "A", "2") come back whole, as one item.
    every = pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda s: s)
    out: list[tuple[str, ...]] = []
    for options in every:
        cleaned: list[str] = []
        for o in options:
            o = "".join(c for c in o.lower() if c.isascii() and c.isalnum())
            if o and o not in cleaned:
                cleaned.append(o)
        if cleaned:
            out.append(tuple(cleaned))
    return tuple(out)


def _variants(readings: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Reading sequences to index: the primary, each one-character substitution, and the
    product of all readings when it is small."""
    primary = tuple(r[0] for r in readings)
    seen = {primary}
    out = [primary]
    for i, options in enumerate(readings):
        for alt in options[1:]:
            v = (*primary[:i], alt, *primary[i + 1 :])
            if v not in seen and len(out) < _MAX_VARIANTS:
                seen.add(v)
                out.append(v)
    size = 1
    for options in readings:
        size *= len(options)
    if size <= _MAX_VARIANTS:
        for v in itertools.product(*readings):
            if v not in seen and len(out) < _MAX_VARIANTS:
                seen.add(v)
                out.append(v)
    return out


def _initial(syllable: str) -> str:
    """The initial as indexed: Z/C/S for the clusters zh/ch/sh, else the first letter."""
    return _CLUSTERS.get(syllable[:2], syllable[0])


def _initials_forms(query: str) -> list[str]:
    """The indexed forms a typed initials string may stand for.

    ``sh`` may be the cluster of one character (S), or two characters (s…, h…) of which the
    first may itself start with the cluster (Sh); a lone ``s`` may be a plain s or a cluster
    typed as its first letter (S). A handful of forms per query, each a plain string lookup.
    """
    options: list[list[str]] = []
    i = 0
    while i < len(query):
        c = query[i]
        if c in "zcs":
            upper = c.upper()
            if query[i + 1 : i + 2] == "h":
                options.append([upper, c + "h", upper + "h"])
                i += 2
                continue
            options.append([c, upper])
        else:
            options.append([c])
        i += 1
    forms = []
    for combo in itertools.product(*options):
        forms.append("".join(combo))
        if len(forms) >= _MAX_FORMS:
            break
    return forms


class CatalogIndex:
    """The search index of one catalog version (build once, query per keystroke)."""

    def __init__(self, catalog: Catalog) -> None:
        self.version = catalog.version
        entries: list[_Entry] = []
        names: list[list[str]] = []
        for m in catalog.matters.values():
            entries.append(_Entry("matter", m.code, m.name, m.area, frozenset({m.area})))
            names.append([m.name, *m.aliases])
        for b in catalog.bundles.values():
            areas = frozenset(catalog.matter(c).area for c in b.matters)
            entries.append(_Entry("bundle", b.code, b.name, None, areas))
            names.append([b.name, *b.aliases])
        self._entries = entries
        self._code_exact = {_fold(e.code): i for i, e in enumerate(entries)}
        folded = [[_fold(n) for n in ns] for ns in names]
        self._name_exact: dict[str, list[int]] = {}
        for i, ns in enumerate(folded):
            for n in ns:
                self._name_exact.setdefault(n, []).append(i)
        self._codes = _Strings([[_fold(e.code)] for e in entries])
        self._names = _Strings(folded)
        fulls: list[list[str]] = []
        inits: list[list[str]] = []
        for ns in names:
            fulls.append([])
            inits.append([])
            for n in ns:
                for v in _variants(_readings(n)):
                    fulls[-1].append("".join(v))
                    inits[-1].append("".join(_initial(s) for s in v))
        self._pinyin = _Strings(fulls)
        self._initials = _Strings(inits)
        self._ascii_names = any(c.isascii() and c.isalnum() for ns in folded for n in ns for c in n)

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, text: str, *, area: Area | None = None, limit: int = 20) -> list[SearchHit]:
        """The best ``limit`` matches for what the clerk typed, best first."""
        # Full-width letters from an IME, ( for （, spaces and case do not matter.
        raw = _fold(text)
        if not raw or limit <= 0:
            return []
        lowered = raw
        letters = "".join(c for c in lowered.replace("ü", "v") if c.isascii() and c.isalnum())
        is_ascii = raw.isascii()

        best: dict[int, tuple[int, str]] = {}

        def keep(i: int, level: str) -> None:
            entry = self._entries[i]
            if area is not None and area not in entry.areas:
                return
            score = SCORES[level]
            if best.get(i, (0, ""))[0] < score:
                best[i] = (score, level)

        # Each level: (name, finder). Finders yield entry indexes.
        levels: list[tuple[str, Callable[[], Iterable[int]]]] = []
        levels.append(("exact_code", lambda: _maybe(self._code_exact.get(lowered))))
        if is_ascii:
            levels.append(("code_prefix", lambda: self._codes.with_prefix(lowered)))
        levels.append(("exact_name", lambda: self._name_exact.get(raw, ())))
        name_query = not is_ascii or self._ascii_names
        if name_query:
            levels.append(("name_prefix", lambda: self._names.with_prefix(raw)))
        pinyin_query = is_ascii and letters.isalpha() and letters == lowered.replace("'", "")
        if pinyin_query:
            forms = _initials_forms(letters)
            levels.append(
                (
                    "initials_prefix",
                    lambda: (i for f in forms for i in self._initials.with_prefix(f)),
                )
            )
            levels.append(("pinyin_prefix", lambda: self._pinyin.with_prefix(letters)))
        if name_query:
            levels.append(("name_substring", lambda: self._names.containing(raw)))
        if pinyin_query:
            levels.append(
                (
                    "initials_substring",
                    lambda: (i for f in forms for i in self._initials.containing(f)),
                )
            )
            levels.append(("pinyin_substring", lambda: self._pinyin.containing(letters)))
        if is_ascii:
            levels.append(("code_substring", lambda: self._codes.containing(lowered)))

        for name, finder in levels:
            # Levels run best first, so everything held already outranks this level: stop.
            if len(best) >= limit:
                break
            for i in finder():
                keep(i, name)

        ranked = sorted(
            best.items(),
            key=lambda kv: (-kv[1][0], len(self._entries[kv[0]].name), self._entries[kv[0]].code),
        )
        hits = []
        for i, (score, level) in ranked[:limit]:
            e = self._entries[i]
            hits.append(SearchHit(e.kind, e.code, e.name, e.area, score, level))
        return hits


def _fold(text: str) -> str:
    """What matching compares: NFKC (full-width → ASCII, （ → (), case-folded, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _maybe(i: int | None) -> tuple[int, ...]:
    return () if i is None else (i,)
