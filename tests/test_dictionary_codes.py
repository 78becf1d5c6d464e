"""Enumerations read as dictionaries are mapped to their codes entry by entry (SPEC §2,
§8; issue 16): no per-row string is made, and an error still names the table, the
column and the offending rows with their person ids.

Cases: unused unknown or null entries (fine), used ones (an unknown value; a null in a
required column), chunks with different dictionaries, ``large_string`` values, and the
Parquet path, which reads string columns as dictionaries batch by batch.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobindsats.dataset import Dataset, read_dataset
from jobindsats.errors import InputError
from jobindsats.schema import BENEFITS


def benefits(benefit: pa.Array | pa.ChunkedArray, ids: list[int] | None = None) -> pa.Table:
    n = len(benefit)
    ids = ids if ids is not None else list(range(1, n + 1))
    start = pa.array([18000 + i for i in range(n)], pa.int32()).view(pa.date32())
    return pa.table({"person_id": pa.array(ids, pa.int64()), "benefit": benefit,
                     "start": start, "end": start})  # fmt: skip


def codes(ds: Dataset) -> list[int]:
    return ds.tables["benefits"].column("benefit").to_pylist()


def dictionary(indices: list[int | None], entries: list[str | None], **kw) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int8()), pa.array(entries, **kw))


def test_unused_unknown_and_null_entries_are_fine() -> None:
    values = dictionary([2, 0, 2], ["kontanthjaelp", "bogus", "dagpenge", None])
    ds = Dataset.from_tables(benefits(values))
    assert codes(ds) == [BENEFITS.index("dagpenge"), BENEFITS.index("kontanthjaelp"),
                         BENEFITS.index("dagpenge")]  # fmt: skip


def test_a_used_unknown_entry_names_the_first_rows_by_person_id() -> None:
    # seven rows use the unknown entry; the five of the smallest person ids are shown
    indices = [1, 0, 1, 1, 1, 1, 1, 1]
    ids = [80, 1, 70, 60, 50, 40, 30, 20]
    values = dictionary(indices, ["dagpenge", "Dagpenge"])
    with pytest.raises(InputError) as info:
        Dataset.from_tables(benefits(values, ids))
    message = str(info.value)
    assert (info.value.table, info.value.column) == ("benefits", "benefit")
    assert message.startswith("benefits.benefit: 7 rows with an unknown value (")
    shown = [f"person_id={p} benefit='Dagpenge'" for p in (20, 30, 40, 50, 60)]
    assert "; ".join(shown) + "; ...)" in message
    assert "person_id=70" not in message
    assert "person_id=1 " not in message
    assert "allowed values: dagpenge, sygedagpenge" in message


def test_a_used_null_entry_is_a_null_in_a_required_column() -> None:
    values = dictionary([0, 1, 0], ["dagpenge", None])
    with pytest.raises(InputError) as info:
        Dataset.from_tables(benefits(values, [5, 6, 7]))
    assert str(info.value).startswith(
        "benefits.benefit: 1 row with null in a required column (person_id=6 benefit=null)"
    )
    assert (info.value.table, info.value.column) == ("benefits", "benefit")


def test_a_null_index_is_a_null_in_a_required_column() -> None:
    values = dictionary([0, None], ["dagpenge"])
    with pytest.raises(InputError, match=r"1 row with null in a required column \(person_id=2"):
        Dataset.from_tables(benefits(values))


def test_chunks_with_different_dictionaries() -> None:
    chunked = pa.chunked_array(
        [
            dictionary([0, 1], ["revalidering", "dagpenge"]),
            dictionary([1, 0, 1], ["dagpenge", "other", "unused"]),
        ]
    )
    plain = pa.array(["revalidering", "dagpenge", "other", "dagpenge", "other"])
    got = Dataset.from_tables(benefits(chunked))
    assert got.equals(Dataset.from_tables(benefits(plain)))
    assert codes(got)[:2] == [BENEFITS.index("revalidering"), BENEFITS.index("dagpenge")]


def test_chunks_with_different_dictionaries_report_the_unknown_rows() -> None:
    chunked = pa.chunked_array(
        [dictionary([0], ["dagpenge"]), dictionary([0, 1], ["dagpenge", "bogus"])]
    )
    with pytest.raises(
        InputError, match=r"1 row with an unknown value \(person_id=3 benefit='bogus'"
    ):
        Dataset.from_tables(benefits(chunked))


@pytest.mark.parametrize("encoded", [False, True])
def test_large_string_values(encoded: bool) -> None:
    values = pa.array(["sygedagpenge", "dagpenge", "sygedagpenge"], pa.large_string())
    if encoded:
        values = values.dictionary_encode()
        assert values.type.value_type == pa.large_string()
    plain = pa.array(["sygedagpenge", "dagpenge", "sygedagpenge"])
    assert Dataset.from_tables(benefits(values)).equals(Dataset.from_tables(benefits(plain)))


def test_parquet_dictionary_columns_are_mapped_and_checked(tmp_path: Path) -> None:
    """The Parquet path: strings decoded as dictionaries, batch by batch; an unknown value
    is reported with its person ids as from memory."""
    plain = pa.array(["dagpenge", "kontanthjaelp"] * 50)
    pq.write_table(benefits(plain), tmp_path / "benefits.parquet", row_group_size=16)
    ds = read_dataset(tmp_path, threads=2)
    assert ds.equals(Dataset.from_tables(benefits(plain)))
    bad = pa.array(["dagpenge"] * 99 + ["bogus"])
    pq.write_table(benefits(bad), tmp_path / "benefits.parquet", row_group_size=16)
    with pytest.raises(
        InputError,
        match=r"benefits\.benefit: 1 row with an unknown value \(person_id=100 benefit='bogus'\)",
    ):
        read_dataset(tmp_path, threads=2)
