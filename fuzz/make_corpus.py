"""Seed fuzz/corpus/<target>/ from SPEC §10's golden cases (tests/test_examples.py).

Each test of test_examples.py is run with the dataset-measuring helper replaced by a
recorder: the dataset and months it would measure are encoded in the byte format of
fuzz/decode.hpp (the inverse of its decoder) instead. Parametrized tests run with each
parameter set. Usage (from the repository root, the package installed):

    python fuzz/make_corpus.py    # writes fuzz/corpus/{fuzz_kernel,fuzz_check}/*.bin
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import struct
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import builders  # noqa: E402
import test_examples  # noqa: E402
from jobindsats.municipalities import MUNICIPALITIES  # noqa: E402

MIN_DAY = (dt.date(1900, 1, 1) - dt.date(1970, 1, 1)).days
MAX_DAY = (dt.date(2100, 12, 31) - dt.date(1970, 1, 1)).days
MUNIS = sorted(MUNICIPALITIES)
RULE_SETS = ("v1.73", "v1.73-ret-og-pligt")
TABLES = ("ben", "dp", "iv", "ex", "mii", "of", "res", "vis", "reg", "emp")
TARGETS = ("fuzz_kernel", "fuzz_check")


class _Recorded(Exception):
    pass


def _u16(v: int) -> bytes:
    return struct.pack("<H", v & 0xFFFF)


def _date(x: int, anchor: int) -> bytes:
    rel = x - anchor
    if -1000 <= rel < 200:
        return _u16(rel + 1000)
    if -8192 <= rel < 8192:
        return _u16(0x4000 | (rel + 8192))
    if x - MIN_DAY < 16384:
        return _u16(0x8000 | (x - MIN_DAY))
    if MAX_DAY - x < 16384:
        return _u16(0xC000 | (MAX_DAY - x))
    return _u16(0x4000 | min(max(rel + 8192, 0), 0x3FFF))


def _length(n: int) -> bytes:
    return _u16(n if n < 400 else 0x8000 | min(n, 0x7FFF))


def encode(arrays: dict[str, np.ndarray], first_month: str, n_months: int, rules: str) -> bytes:
    """The bytes decode.hpp turns back into these arrays (at most 8 persons, 4 months,
    255 rows per table and person)."""
    y, m = map(int, first_month.split("-"))
    month_index = (y - 1900) * 12 + (m - 1)
    anchor = (dt.date(y, m, 1) - dt.date(1970, 1, 1)).days
    n_persons = min(len(arrays["person_ids"]), 8)
    out = bytearray([RULE_SETS.index(rules)])
    out += _u16(month_index) + bytes([min(n_months, 4) - 1, n_persons])
    a = arrays
    for p in range(n_persons):
        birth = int(a["birth_date"][p])
        has_birth = birth != np.iinfo(np.int32).min
        out += bytes([int(has_birth)]) + _date(birth if has_birth else anchor, anchor)

        def rows(t: str, p: int = p) -> range:
            lo, hi = int(a[f"{t}_off"][p]), int(a[f"{t}_off"][p + 1])
            return range(lo, min(hi, lo + 255))

        def interval(s: int, e: int) -> bytes:
            return _date(s, anchor) + _length(e - s)

        for t in TABLES:
            r = rows(t)
            out.append(len(r))
            for i in r:
                if t == "ben":
                    out.append(int(a["ben_benefit"][i]))
                    out += interval(int(a["ben_start"][i]), int(a["ben_end"][i]))
                    out += _u16(min(round(float(a["ben_hours"][i]) * 4), 0xFFFF))
                    out += bytes([int(a["ben_part_time"][i]) + 1, int(a["ben_supp"][i])])
                elif t in ("dp", "reg"):
                    out += _date(int(a[f"{t}_{'start' if t == 'dp' else 'date'}"][i]), anchor)
                elif t == "iv":
                    out += _date(int(a["iv_date"][i]), anchor)
                    out += bytes(
                        [int(a["iv_kind"][i]), int(a["iv_form"][i]), int(a["iv_held_by"][i])]
                    )
                    out.append(MUNIS.index(int(a["iv_muni"][i])))
                elif t == "ex":
                    out += _u16(int(a["ex_code"][i]))
                    out += interval(int(a["ex_start"][i]), int(a["ex_end"][i]))
                elif t in ("mii", "of"):
                    out += interval(int(a[f"{t}_start"][i]), int(a[f"{t}_end"][i]))
                elif t == "res":
                    out.append(MUNIS.index(int(a["res_muni"][i])))
                    out += interval(int(a["res_start"][i]), int(a["res_end"][i]))
                elif t == "vis":
                    out.append(int(a["vis_cat"][i]))
                    out += interval(int(a["vis_start"][i]), int(a["vis_end"][i]))
                elif t == "emp":
                    out += _date(int(a["emp_month"][i]), anchor)
                    out += _u16(min(round(float(a["emp_hours"][i]) * 4), 0xFFFF))
    return bytes(out)


def _months(start: str, end: str | None) -> int:
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, (end or start).split("-"))
    return (y1 - y0) * 12 + (m1 - m0) + 1


def golden_inputs() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []

    def record(ds: Any, start: str, end: str | None = None, *, backend: str, rules: Any = "v1.73"):
        # a window of at most 4 months ending at the measured month keeps the case's
        # point (its last month) inside the decoded run
        n = _months(start, end)
        if n > 4:
            y, m = map(int, (end or start).split("-"))
            k = y * 12 + m - 1 - 3
            start, n = f"{k // 12}-{k % 12 + 1:02d}", 4
        found.append(
            ("", encode(ds.kernel_arrays(), start, n, rules if isinstance(rules, str) else "v1.73"))
        )
        raise _Recorded

    def record_measure(
        *, start: str, end: str | None = None, backend: str, rules: Any = "v1.73", **kw: Any
    ):
        return record(builders.dataset(**kw), start, end, backend=backend, rules=rules)

    test_examples.run = record
    test_examples.measure = record_measure
    for name, fn in sorted(vars(test_examples).items()):
        if not name.startswith("test_") or not callable(fn):
            continue
        marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
        calls: list[dict[str, Any]] = [{}]
        for mark in marks:
            names = (
                [s.strip() for s in mark.args[0].split(",")]
                if isinstance(mark.args[0], str)
                else list(mark.args[0])
            )
            calls = [
                {**c, **dict(zip(names, v if len(names) > 1 else (v,), strict=True))}
                for c in calls
                for v in (getattr(p, "values", p) for p in mark.args[1])
            ]
        params = inspect.signature(fn).parameters
        for kwargs in calls:
            if "backend" in params:
                kwargs = {**kwargs, "backend": "cpp"}
            before = len(found)
            try:
                fn(**kwargs)
            except _Recorded:
                pass
            except Exception:  # a test that needs a fixture we do not give: skipped
                continue
            for i in range(before, len(found)):
                found[i] = (name, found[i][1])
    return found


def main() -> None:
    inputs = golden_inputs()
    for target in TARGETS:
        out = ROOT / "fuzz" / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        for name, raw in inputs:
            # fuzz_check reads a header first (fuzz_check.cpp): 0 = no edits
            data = raw if target == "fuzz_kernel" else b"\x00" + raw
            digest = hashlib.sha1(data).hexdigest()[:10]
            (out / f"{name.removeprefix('test_')[:40]}-{digest}.bin").write_bytes(data)
    print(f"{len(inputs)} golden inputs -> fuzz/corpus/{{{','.join(TARGETS)}}}/")


if __name__ == "__main__":
    main()
