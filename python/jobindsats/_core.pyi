"""Type stubs for the compiled module jobindsats._core (src/, cpp/)."""

import numpy as np
import numpy.typing as npt

__version__: str
N_QUALITY: int
N_AUDIT_MEASURES: int

def build_config() -> dict[str, object]: ...
def feb29_between(a: int, b: int) -> int: ...
def weekdays_between(a: int, b: int) -> int: ...
def gap_contains_whole_month(a: int, b: int) -> bool: ...
def first_day_aged(birth: int, months: int) -> int: ...
def counted_days_between(
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    dead_start: npt.NDArray[np.int32],
    dead_end: npt.NDArray[np.int32],
) -> npt.NDArray[np.int64]: ...
def counted_window_start(
    spell_start: int,
    ref: int,
    days: int,
    dead_start: npt.NDArray[np.int32],
    dead_end: npt.NDArray[np.int32],
) -> int: ...
def measure_persons(
    arrays: dict[str, np.ndarray],
    rules: dict[str, object],
    month_first: npt.NDArray[np.int32],
    month_last: npt.NDArray[np.int32],
    p0: int,
    p1: int,
    capacity: npt.NDArray[np.int64] | None = None,
    threads: int = 1,
    cells: CellSink | None = None,
    muni_slot: npt.NDArray[np.int16] | None = None,
    category_slot: npt.NDArray[np.int8] | None = None,
    rows: bool = True,
    labels: bool = False,
) -> tuple[dict[str, np.ndarray] | None, npt.NDArray[np.int64]]: ...
def aggregate_cells(
    rows: dict[str, np.ndarray],
    muni_slot: npt.NDArray[np.int16],
    category_slot: npt.NDArray[np.int8],
    cells: CellSink,
    threads: int = 1,
) -> None: ...

class CellSink:
    def __init__(self, n_months: int) -> None: ...
    @property
    def n_months(self) -> int: ...
    def finish(self, threads: int = 1) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
    def base_cells(self) -> npt.NDArray[np.int64]: ...

def occupied_cells(cells: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]: ...
def gather_cells(
    cells: npt.NDArray[np.int64], index: npt.NDArray[np.int64], threads: int = 1
) -> npt.NDArray[np.int64]: ...
def overlapping_rows(
    off: npt.NDArray[np.int64],
    start: npt.NDArray[np.int32],
    end: npt.NDArray[np.int32],
    group: npt.NDArray[np.int8] | npt.NDArray[np.int16],
    skip: npt.NDArray[np.bool_],
    use_group: bool,
) -> int: ...

SortKey = tuple[str, npt.NDArray[np.uint8], npt.NDArray[np.uint8] | None, int]

def rows_sorted(keys: list[SortKey], n: int) -> bool: ...
def sort_permutation(keys: list[SortKey], n: int) -> npt.NDArray[np.int64]: ...
def order_plan(
    keys: list[SortKey],
    n: int,
    slot: npt.NDArray[np.uint32],
    source: npt.NDArray[np.uint32],
    bounds: npt.NDArray[np.int64],
    threads: int = 1,
    ids: npt.NDArray[np.int64] | None = None,
    scratch: np.ndarray | None = None,
) -> int: ...
def reorder_columns(
    columns: list[np.ndarray],
    slot: npt.NDArray[np.uint32],
    source: npt.NDArray[np.uint32],
    bounds: npt.NDArray[np.int64],
    threads: int = 1,
    scratch: np.ndarray | None = None,
) -> None: ...

# reading (src/register_read.cpp: cpp/encode, cpp/person_index)
def encode_dates(
    src: npt.NDArray[np.int32], lo: int, hi: int, dst: npt.NDArray[np.int32]
) -> int: ...
def first_end_before_start(start: npt.NDArray[np.int32], end: npt.NDArray[np.int32]) -> int: ...
def encode_codes(
    index: npt.NDArray[np.int32], lut: npt.NDArray[np.int8], dst: npt.NDArray[np.int8]
) -> int: ...
def encode_allowed_int16(
    src: npt.NDArray[np.int16], allowed: npt.NDArray[np.uint8], dst: npt.NDArray[np.int16]
) -> int: ...
def encode_hours(
    src: npt.NDArray[np.float64],
    validity: npt.NDArray[np.uint8] | None,
    offset: int,
    dst: npt.NDArray[np.float64],
    valid_out: npt.NDArray[np.uint8],
) -> int: ...
def unpack_flags(
    bits: npt.NDArray[np.uint8],
    validity: npt.NDArray[np.uint8] | None,
    offset: int,
    null_value: int,
    dst: npt.NDArray[np.int8],
) -> None: ...
def gather(src: np.ndarray, perm: npt.NDArray[np.int64], dst: np.ndarray) -> None: ...
def person_index(
    columns: list[npt.NDArray[np.int64]],
) -> tuple[npt.NDArray[np.int64], list[npt.NDArray[np.int64]]]: ...
def audit_persons(
    arrays: dict[str, np.ndarray],
    rules: dict[str, object],
    group: int,
    category: int,
    period_start: npt.NDArray[np.int32],
    period_end: npt.NDArray[np.int32],
    muni_slot: npt.NDArray[np.int16],
    p0: int,
    p1: int,
    cells: npt.NDArray[np.int64],
    threads: int = 1,
) -> npt.NDArray[np.int32]: ...
