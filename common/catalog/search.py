"""Finding a matter at the counter: by code, name, pinyin initials, full pinyin, area.

A clerk types ``eshfzy``, ``ershoufang``, ``二手``, or the first characters of a code, and the
obvious matter is first. :class:`CatalogIndex` is built once per catalog version: it
precomputes every name's pinyin (pypinyin, with the other readings of 多音字 indexed too, so
重 matches both ``chong`` and ``zhong``) into a few newline-separated blobs, so a keystroke is a
handful of C-speed regular-expression scans over precomputed text and no pinyin work at all.

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
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pypinyin import Style, lazy_pinyin, pinyin

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


class _Blob:
    """One line per entry (its strings joined by _SEP); a regex hit maps back to its entry."""

    __slots__ = ("starts", "text")

    def __init__(self, lines: Iterable[str]) -> None:
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            parts.append(line)
            offset += len(line) + 1
        self.text = "\n".join(parts)

    def entries(self, pattern: re.Pattern[str]) -> Iterable[int]:
        starts = self.starts
        for m in pattern.finditer(self.text):
            yield bisect.bisect_right(starts, m.start()) - 1


def _readings(name: str) -> list[list[str]]:
    """Per character, its readings: the phrase-aware one first, then the other 多音字 readings."""
    # Non-Chinese runs ("（", "A", "2") come back whole, as one item in both lists.
    primary = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: s)
    every = pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda s: s)
    out: list[list[str]] = []
    for first, alts in zip(primary, every, strict=False):
        options = [first, *(a for a in alts if a != first)]
        cleaned = []
        for o in options:
            o = "".join(c for c in o.lower() if c.isascii() and c.isalnum())
            if o and o not in cleaned:
                cleaned.append(o)
        if cleaned:
            out.append(cleaned)
    return out


def _variants(readings: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Reading sequences to index: the primary, each one-character substitution, the product if small."""
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


def _initials_pattern(query: str) -> str:
    """The regex that matches a typed initials string against the indexed form.

    ``sh`` may be the cluster of one character (S) or two characters (s…, h…); a lone ``s``
    may be the first letter of a cluster (S) or a plain s.
    """
    parts = []
    i = 0
    while i < len(query):
        c = query[i]
        if c in "zcs":
            upper = c.upper()
            if query[i + 1 : i + 2] == "h":
                parts.append(f"(?:{upper}|[{c}{upper}]h)")
                i += 2
                continue
            parts.append(f"[{c}{upper}]")
        else:
            parts.append(re.escape(c))
        i += 1
    return "".join(parts)


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
        self._code_exact = {e.code.lower(): i for i, e in enumerate(entries)}
        self._name_exact: dict[str, list[int]] = {}
        for i, ns in enumerate(names):
            for n in ns:
                self._name_exact.setdefault(n, []).append(i)
        self._codes = _Blob(e.code.lower() for e in entries)
        self._names = _Blob(_SEP.join(ns) for ns in names)
        full_lines, initial_lines = [], []
        for ns in names:
            fulls: list[str] = []
            inits: list[str] = []
            for n in ns:
                for v in _variants(_readings(n)):
                    fulls.append("".join(v))
                    inits.append("".join(_initial(s) for s in v))
            full_lines.append(_SEP.join(dict.fromkeys(fulls)))
            initial_lines.append(_SEP.join(dict.fromkeys(inits)))
        self._pinyin = _Blob(full_lines)
        self._initials = _Blob(initial_lines)
        self._ascii_names = any(c.isascii() and c.isalnum() for ns in names for n in ns for c in n)

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, text: str, *, area: Area | None = None, limit: int = 20) -> list[SearchHit]:
        """The best ``limit`` matches for what the clerk typed, best first."""
        raw = text.strip()
        if not raw or limit <= 0:
            return []
        lowered = raw.lower()
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
            levels.append(("code_prefix", lambda: self._codes.entries(_prefix(re.escape(lowered)))))
        levels.append(("exact_name", lambda: self._name_exact.get(raw, ())))
        name_query = not is_ascii or self._ascii_names
        if name_query:
            levels.append(("name_prefix", lambda: self._names.entries(_prefix(re.escape(raw)))))
        pinyin_query = is_ascii and letters.isalpha() and letters == lowered.replace(" ", "").replace("'", "")
        if pinyin_query:
            levels.append(("initials_prefix", lambda: self._initials.entries(_prefix(_initials_pattern(letters)))))
            levels.append(("pinyin_prefix", lambda: self._pinyin.entries(_prefix(re.escape(letters)))))
        if name_query:
            levels.append(("name_substring", lambda: self._names.entries(_inside(re.escape(raw)))))
        if pinyin_query:
            levels.append(("initials_substring", lambda: self._initials.entries(_inside(_initials_pattern(letters)))))
            levels.append(("pinyin_substring", lambda: self._pinyin.entries(_inside(re.escape(letters)))))
        if is_ascii:
            levels.append(("code_substring", lambda: self._codes.entries(_inside(re.escape(lowered)))))

        for name, finder in levels:
            # Levels run best first, so everything held already outranks this level: stop.
            if len(best) >= limit:
                break
            for i in finder():
                keep(i, name)

        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(self._entries[kv[0]].name), self._entries[kv[0]].code))
        hits = []
        for i, (score, level) in ranked[:limit]:
            e = self._entries[i]
            hits.append(SearchHit(e.kind, e.code, e.name, e.area, score, level))
        return hits


def _maybe(i: int | None) -> tuple[int, ...]:
    return () if i is None else (i,)


_PATTERN_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    # A clerk retypes the same prefixes all day; compiling is the only per-query cost worth caching.
    p = _PATTERN_CACHE.get(pattern)
    if p is None:
        if len(_PATTERN_CACHE) > 512:
            _PATTERN_CACHE.clear()
        p = _PATTERN_CACHE[pattern] = re.compile(pattern, re.MULTILINE)
    return p


def _prefix(body: str) -> re.Pattern[str]:
    """At the start of any of a line's strings."""
    return _compiled(f"(?:^|{_SEP}){body}")


def _inside(body: str) -> re.Pattern[str]:
    """Anywhere in a line; one hit per line (the scan resumes on the next line)."""
    return _compiled(f"^[^\\n]*?{body}[^\\n]*")

