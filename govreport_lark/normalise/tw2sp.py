"""OpenCC ``tw2sp`` exactly as opencc-python-reimplemented computes it, in a fraction of
the time.

The library converts each run of text between separators on its own: per group of
dictionaries of its conversion chain, the first dictionary replaces the longest key found
anywhere in the run (the leftmost of that length), then does the same on the text left
and right of it; what stays unmatched goes to the next dictionary of the group, and the
next group reads the joined result.  Its search slices every length at every position
again for each piece, which makes a traditional-character report cost tens of
milliseconds.  Here every key occurrence of a run is listed once (via the keys' first
characters) and occurrences are taken longest first, then leftmost, skipping those that
overlap one already taken: the same choice as the library's recursion, because a piece's
pick is always the first occurrence, in that order, that lies inside the piece.

``tests/test_tw2sp.py`` checks the result against the library's own ``convert``.
"""

from __future__ import annotations

import re
from functools import lru_cache


class _Dict:
    """One dictionary: its table, for each first character the lengths of its keys that
    start with it (longest first), a pattern that finds those first characters, and for a
    dictionary of single characters a ``str.translate`` table."""

    def __init__(self, table: dict[str, str]) -> None:
        lengths: dict[str, set[int]] = {}
        for key in table:
            lengths.setdefault(key[0], set()).add(len(key))
        self.table = table
        self.starts = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}
        self.chars: dict[int, str] | None = None
        if all(len(key) == 1 for key in table):
            self.chars = {ord(key): value.split(" ")[0] for key, value in table.items()}
        self._first: re.Pattern[str] | None = None

    @property
    def first(self) -> re.Pattern[str]:
        """Where a key may start: a key's first character, followed by a key's second one
        unless a key is that character alone.  Most first characters of a text are not
        followed by a second, and are turned away by the engine, not by a loop over the
        keys' lengths.  Each match is one character, so no place is skipped.  Compiled
        when first needed (a dictionary of single characters at the end of its group
        never needs it)."""
        if self._first is None:
            firsts = "".join(map(re.escape, sorted(self.starts)))
            seconds = "".join(map(re.escape, sorted({key[1] for key in self.table
                                                     if len(key) > 1})))
            alone = "".join(map(re.escape, sorted(key for key in self.table if len(key) == 1)))
            after = "|".join(([f"[{seconds}]"] if seconds else [])
                             + ([f"(?<=[{alone}])"] if alone else []))
            self._first = re.compile(f"[{firsts}](?={after})")
        return self._first


class Converter:
    """``convert(text)`` equals ``opencc.OpenCC(config).convert(text)``."""

    def __init__(self, config: str = "tw2sp") -> None:
        import opencc

        cc = opencc.OpenCC(config)
        self._split = cc.split_chars_re
        chain = []
        for group in cc._dict_chain_data:
            dicts = group if isinstance(group, list) else [group]
            for _max, _min, table in dicts:
                # The library treats an empty value as no match; none of its
                # dictionaries has one, and the index below assumes so.
                if any(not key or not value.split(" ")[0] for key, value in table.items()):
                    raise ValueError(f"OpenCC {config}: a dictionary entry is empty")
            chain.append([_Dict(table) for _max, _min, table in dicts])
        self._chain = chain
        # The library converts the runs between separators one by one.  No key holds a
        # separator, so no occurrence spans two runs and the runs never compete: the whole
        # text at once gives the same result, without a call per run.
        self._whole = not any(self._split.search(d_key) for group in chain for d in group
                              for d_key in d.table)

    def convert(self, text: str) -> str:
        if self._whole:
            return self._run(text)
        pieces = self._split.split(text)
        for i in range(0, len(pieces), 2):
            if pieces[i]:
                pieces[i] = self._run(pieces[i])
        return "".join(pieces)

    def _run(self, text: str) -> str:
        for group in self._chain:
            text = _group(text, group, 0)
        return text


def _group(text: str, group: list[_Dict], k: int) -> str:
    if k == len(group):
        return text
    d = group[k]
    if d.chars is not None and k == len(group) - 1:
        # Single characters and nothing after them in the group: every occurrence is
        # taken, the rest stays as it is.
        return text.translate(d.chars)
    table, starts = d.table, d.starts
    n = len(text)
    found = []
    for match in d.first.finditer(text):
        i = match.start()
        for length in starts[text[i]]:
            if length <= n - i and text[i : i + length] in table:
                found.append((-length, i))
    if not found:
        return _group(text, group, k + 1)
    found.sort()
    taken = bytearray(n)
    picks = []
    for neg, i in found:
        end = i - neg
        if taken.find(1, i, end) < 0:
            taken[i:end] = b"\x01" * (end - i)
            picks.append((i, end))
    picks.sort()
    out = []
    pos = 0
    for i, end in picks:
        if i > pos:
            out.append(_group(text[pos:i], group, k + 1))
        out.append(table[text[i:end]].split(" ")[0])
        pos = end
    if pos < n:
        out.append(_group(text[pos:], group, k + 1))
    return "".join(out)


@lru_cache(maxsize=1)
def converter() -> Converter:
    return Converter("tw2sp")
