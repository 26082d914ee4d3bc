"""The fast tw2sp converter gives exactly what opencc-python-reimplemented gives."""

import random
from pathlib import Path

import opencc

from govreport_lark.normalise.tw2sp import Converter

ROOT = Path(__file__).resolve().parent.parent


def test_traditional_seed_converts_as_opencc():
    text = (ROOT / "corpus" / "seeds" / "004_79fe10b1f893cf61.txt").read_text(encoding="utf-8")
    assert Converter().convert(text) == opencc.OpenCC("tw2sp").convert(text)


def test_dictionary_keys_and_their_overlaps_convert_as_opencc():
    library = opencc.OpenCC("tw2sp")
    fast = Converter()
    keys = sorted({key for group in library._dict_chain_data
                   for _max, _min, table in (group if isinstance(group, list) else [group])
                   for key in table})
    alphabet = sorted(set("".join(keys))) + list("，。、 \n-ab12")
    rng = random.Random(4)
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.6:
                key = rng.choice(keys)
                parts.append(key[rng.randint(0, len(key) - 1):] if rng.random() < 0.3 else key)
            else:
                parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))))
        text = "".join(parts)
        assert fast.convert(text) == library.convert(text), text
