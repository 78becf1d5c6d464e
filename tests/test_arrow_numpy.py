"""``jobindsats.arrow_numpy``: the buffer-level conversions the engine uses instead of
pyarrow's own (which import pandas) give exactly what pyarrow's give, at any offset."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from jobindsats.arrow_numpy import (
    arrow_of,
    empty_table_of,
    nullable_of,
    numpy_of,
    scalar_of,
    strings_of,
    table_of_lists,
)
from jobindsats.measure import PERSONS_SCHEMA

TYPES = [
    pa.int8(),
    pa.int16(),
    pa.int32(),
    pa.int64(),
    pa.uint8(),
    pa.uint64(),
    pa.float32(),
    pa.float64(),
    pa.date32(),
    pa.bool_(),
]


def _values(t: pa.DataType, n: int) -> np.ndarray:
    rng = np.random.default_rng(n)
    if pa.types.is_boolean(t):
        return rng.integers(0, 2, n).astype(bool)
    if pa.types.is_date32(t):
        return rng.integers(-25_000, 40_000, n).astype(np.int32)
    if pa.types.is_floating(t):
        return rng.normal(0, 1e3, n).astype(t.to_pandas_dtype())
    info = np.iinfo(t.to_pandas_dtype())
    return rng.integers(info.min, info.max, n, dtype=t.to_pandas_dtype(), endpoint=True)


@pytest.mark.parametrize("t", TYPES, ids=str)
@pytest.mark.parametrize(("n", "offset"), [(0, 0), (1, 0), (37, 0), (37, 3), (37, 9), (37, 37)])
def test_numpy_of_equals_pyarrow_at_any_offset(t: pa.DataType, n: int, offset: int) -> None:
    arr = pa.array(_values(t, n), type=t).slice(offset)
    got = numpy_of(arr)
    want = arr.to_numpy(zero_copy_only=False)
    if pa.types.is_date32(t):
        want = want.astype("datetime64[D]").astype(np.int32)
    assert got.dtype == (np.bool_ if pa.types.is_boolean(t) else want.dtype)
    assert got.shape == (n - offset,)
    np.testing.assert_array_equal(got, want)


def test_numpy_of_is_a_view_of_the_value_buffer() -> None:
    arr = pa.array(np.arange(10, dtype=np.int32)).slice(2)
    view = numpy_of(arr)
    assert not view.flags.writeable
    assert view.__array_interface__["data"][0] == arr.buffers()[1].address + 2 * 4


@pytest.mark.parametrize("t", TYPES, ids=str)
def test_arrow_of_equals_pyarrow(t: pa.DataType) -> None:
    values = _values(t, 41)
    want = pa.array(values, type=t)
    got = arrow_of(values, t)
    assert got.type == t
    assert got.null_count == 0
    assert got.equals(want)
    assert arrow_of(values[::3], t).equals(pa.array(values[::3], type=t))  # not contiguous


def test_arrow_of_takes_the_arrays_own_type_and_converts_to_another() -> None:
    assert arrow_of(np.arange(3, dtype=np.int16)).type == pa.int16()
    assert arrow_of(np.array([True, False])).equals(pa.array([True, False]))
    assert arrow_of(np.arange(3, dtype=np.int64), pa.int16()).equals(
        pa.array([0, 1, 2], pa.int16())
    )


def test_strings_scalars_and_empty_tables_equal_pyarrows() -> None:
    for values in ([], ["a"], ["dagpenge", "", "kontanthjælp", "æøå"]):
        assert strings_of(values).equals(pa.array(values, type=pa.string()))
    for value, t in [(-1, pa.int8()), (0, pa.int32()), (False, pa.bool_()), (0.0, pa.float64())]:
        assert scalar_of(value, t).equals(pa.scalar(value, type=t))
    assert empty_table_of(PERSONS_SCHEMA).equals(PERSONS_SCHEMA.empty_table())


def test_strings_with_nulls_and_masked_values_equal_pyarrows() -> None:
    values = ["a", None, "", "æø", None]
    assert strings_of(values).equals(pa.array(values, type=pa.string()))
    assert strings_of(values).null_count == 2
    x = np.array([1.5, 2.0, -0.0, 4.0])
    valid = np.array([True, False, True, True])
    assert nullable_of(x, pa.float64(), valid).equals(pa.array(x, pa.float64(), mask=~valid))
    assert nullable_of(x, pa.float64(), np.ones(4, bool)).null_count == 0


def test_table_of_lists_equals_from_pydict() -> None:
    schema = pa.schema(
        [
            ("name", pa.string()),
            ("period", pa.int8()),
            ("count", pa.int64()),
            ("share", pa.float64()),
            ("rank", pa.int32()),
        ]
    )
    columns: dict[str, list[object]] = {
        "name": ["x", None, "y"],
        "period": [0, 1, 1],
        "count": [3, 0, 2**40],
        "share": [0.5, None, 1],
        "rank": [None, None, None],
    }
    assert table_of_lists(columns, schema).equals(pa.Table.from_pydict(columns, schema=schema))
    empty: dict[str, list[object]] = {name: [] for name in schema.names}
    assert table_of_lists(empty, schema).equals(schema.empty_table())
