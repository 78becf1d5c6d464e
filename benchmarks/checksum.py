"""A sha256 of a run's cells and person rows, in canonical order: same digest, same results.

Used to record, before and after a change that must not change any result (the reading
path, the kernel's algorithm), that a large run still gives exactly the same tables
(docs/benchmarks.md, docs/reading.md)::

    python benchmarks/checksum.py /work/pop1m --from 2017-01 --to 2024-12 --threads 2

prints one JSON line: the row counts and ``cells_sha256`` / ``persons_sha256``. It also
measures cells only (``persons=False``, the path the cells benchmark times, which hands
no person rows back) and stops with an error if those cells hash differently.

The digest does not depend on the row order of either table (rows are sorted by every
column first), nor on how Arrow lays the columns out (chunks, dictionary indices and
the order or unused entries of dictionaries): it covers each column's name, its logical
type (a dictionary column counts as its value type), its nulls and its values, bit for
bit (so ``-0.0`` and ``0.0`` differ). Schema metadata (the rule set's name and digest)
is left out: it is printed beside the digest instead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _canonical_column(column: pa.ChunkedArray) -> tuple[str, np.ndarray, np.ndarray, list[str]]:
    """(logical type, validity as uint8, values as a fixed-width NumPy array with nulls
    as 0, and for strings the sorted distinct values the codes index)."""
    arr = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    t = arr.type
    labels: list[str] = []
    if pa.types.is_dictionary(t):
        t = t.value_type
        arr = arr.dictionary_decode()
    valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=np.uint8)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        encoded = pc.dictionary_encode(arr)
        dictionary = encoded.dictionary.to_pylist()
        order = sorted(range(len(dictionary)), key=lambda i: dictionary[i])
        rank = np.zeros(max(len(dictionary), 1), dtype=np.int32)
        rank[order] = np.arange(len(dictionary), dtype=np.int32)
        labels = [dictionary[i] for i in order]
        idx = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
        values = np.where(valid.astype(bool), rank[idx], -1).astype(np.int32)
        return str(t), valid, values, labels
    if pa.types.is_date32(t):
        arr = arr.view(pa.int32())
    elif pa.types.is_boolean(t):
        arr = arr.cast(pa.uint8())
    zero = pa.scalar(0, type=arr.type) if not pa.types.is_floating(arr.type) else 0.0
    values = np.ascontiguousarray(arr.fill_null(zero).to_numpy(zero_copy_only=False))
    return str(t), valid, values, labels


def table_sha256(table: pa.Table) -> str:
    """sha256 of ``table``'s columns in canonical row order (see the module docstring)."""
    columns = {name: _canonical_column(table.column(name)) for name in table.column_names}
    # canonical order: lexicographic by every column (null first), on the fixed-width keys
    keys = []
    for _, valid, values, _ in columns.values():
        keys.append(values.view(np.int64) if values.dtype == np.float64 else values)
        keys.append(valid)
    order = np.lexsort(keys[::-1]) if table.num_rows else np.empty(0, np.int64)
    digest = hashlib.sha256()
    digest.update(f"rows={table.num_rows}\n".encode())
    for name, (kind, valid, values, labels) in columns.items():
        digest.update(f"{name}:{kind}:{values.dtype.str}\n".encode())
        digest.update("\x1f".join(labels).encode())
        digest.update(np.ascontiguousarray(valid[order]).tobytes())
        digest.update(np.ascontiguousarray(values[order]).tobytes())
    return digest.hexdigest()


def run_checksums(path: str, start: str, end: str, threads: int, backend: str) -> dict:
    import jobindsats

    m = jobindsats.measure(path, start, end, backend=backend, threads=threads)
    meta = m.cells.schema.metadata or {}
    # a cells-only run takes its own path through the kernel (no person rows): the same cells
    cells_only = jobindsats.measure(path, start, end, backend=backend, threads=threads,
                                    persons=False).cells  # fmt: skip
    if table_sha256(cells_only) != table_sha256(m.cells):
        raise SystemExit("the cells of measure(..., persons=False) differ from measure(...)'s")
    return {
        "data": str(path),
        "months": f"{start}..{end}",
        "backend": backend,
        "rule_set": meta.get(b"jobindsats.rules", b"").decode(),
        "cells_rows": m.cells.num_rows,
        "persons_rows": m.persons.num_rows,
        "cells_sha256": table_sha256(m.cells),
        "persons_sha256": table_sha256(m.persons),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="dataset directory")
    parser.add_argument("--from", dest="start", default="2017-01")
    parser.add_argument("--to", dest="end", default="2024-12")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--backend", default="cpp")
    args = parser.parse_args(argv)
    result = run_checksums(args.data, args.start, args.end, args.threads, args.backend)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
