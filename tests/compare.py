"""Comparing two Arrow tables in tests, with a readable first difference."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc


def first_difference(got: pa.Table, expected: pa.Table, keys: Sequence[str]) -> str:
    """A readable description of the first difference between two tables."""
    if got.schema != expected.schema:
        return f"schemas differ:\n{got.schema}\n---\n{expected.schema}"
    if got.num_rows != expected.num_rows:
        a = set(zip(*(got.column(k).to_pylist() for k in keys), strict=True))
        b = set(zip(*(expected.column(k).to_pylist() for k in keys), strict=True))
        only_a, only_b = sorted(a - b, key=repr)[:5], sorted(b - a, key=repr)[:5]
        return (
            f"{got.num_rows} rows vs {expected.num_rows}; keys {keys} only in the first: "
            f"{only_a}; only in the second: {only_b}"
        )
    first = None
    columns = []
    for name in got.column_names:
        x, y = got.column(name).combine_chunks(), expected.column(name).combine_chunks()
        same = pc.or_(pc.fill_null(pc.equal(x, y), False), pc.and_(pc.is_null(x), pc.is_null(y)))
        bad = pc.index(same, False).as_py()
        if bad >= 0:
            columns.append(name)
            first = bad if first is None else min(first, bad)
    if first is None:
        return "no difference found column by column (NaN values?)"
    return (
        f"{len(columns)} column(s) differ {columns}; first differing row {first}:\n"
        f"  first:  {got.slice(first, 1).to_pylist()[0]}\n"
        f"  second: {expected.slice(first, 1).to_pylist()[0]}"
    )
