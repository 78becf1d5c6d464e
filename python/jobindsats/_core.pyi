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
