"""The Python API contract other pipelines rely on (issue: keep the names)."""

from __future__ import annotations

import builtins
import datetime as dt
import subprocess
import sys

import pyarrow as pa
import pytest

import jobindsats
from builders import benefit, dataset, interview
from jobindsats.schema import INTERVALS


@pytest.fixture(scope="module")
def small():
    return dataset(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2020-12-31")],
        interviews=[interview("2019-06-19"), interview("2020-01-10")],
    )


def printed(code: str) -> list[str]:
    """What ``python -c code`` prints, word by word, in a fresh interpreter (what a
    module loads on import is only seen in a process of its own)."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_public_names():
    for name in ("measure", "explain", "read_dataset", "Dataset", "Measurement", "InputError"):
        assert hasattr(jobindsats, name), name
    assert jobindsats.__version__.count(".") >= 2


def test_the_version_is_looked_up_when_asked_for():
    """``import jobindsats`` does not load ``importlib.metadata`` (40-70 ms of a cold
    process) unless something before it did; ``__version__`` then finds the installed
    version, also through ``from jobindsats import __version__``."""
    code = (
        "import sys\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "import jobindsats\n"
        "print(before or 'importlib.metadata' not in sys.modules)\n"
        "from jobindsats import __version__\n"
        "from importlib.metadata import version\n"
        "print(__version__ == jobindsats.__version__ == version('jobindsats'))\n"
        "print(hasattr(jobindsats, 'no_such_name'))\n"
    )
    out = printed(code)
    assert out == ["True", "True", "False"]


def test_compiled_module_version_matches_the_package():
    core = pytest.importorskip("jobindsats._core")
    assert core.__version__ == jobindsats.__version__


def test_measurement_tables_and_conveniences(small):
    m = jobindsats.measure(small, "2020-11", "2020-12")
    assert isinstance(m.cells, pa.Table)
    assert isinstance(m.persons, pa.Table)
    assert set(m.cells.column("interval").to_pylist()) <= set(INTERVALS)
    assert m.cells.column("month").type == pa.date32()
    assert m.to_pandas().shape[0] == m.cells.num_rows
    assert m.to_polars().height == m.cells.num_rows
    # the Arrow PyCapsule stream protocol, on the measurement and its tables
    assert pa.table(m).equals(m.cells)
    assert pa.RecordBatchReader.from_stream(m.persons).read_all().num_rows == m.persons.num_rows
    assert m.start == dt.date(2020, 11, 1)
    assert m.end == dt.date(2020, 12, 1)


def test_unknown_backend_and_bad_threads_are_clear_errors(small):
    with pytest.raises(ValueError, match="backend must be"):
        jobindsats.measure(small, "2020-01", "2020-01", backend="gpu")
    with pytest.raises(ValueError, match="threads must be at least 1"):
        jobindsats.measure(small, "2020-01", "2020-01", threads=0)
    with pytest.raises(ValueError, match="YYYY-MM"):
        jobindsats.measure(small, "2020/01", "2020-02")


def test_auto_falls_back_to_numba_with_a_warning(small, monkeypatch):
    real_import = builtins.__import__

    def no_core(name, globals=None, locals=None, fromlist=(), level=0):
        if fromlist and "_core" in fromlist:
            raise ImportError("simulated: no compiled module")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_core)
    with pytest.warns(RuntimeWarning, match="using the Numba backend"):
        m = jobindsats.measure(small, "2020-12", "2020-12", backend="auto")
    assert m.backend == "numba"
    with pytest.raises(ImportError, match="backend='numba'"):
        jobindsats.measure(small, "2020-12", "2020-12", backend="cpp")


def test_measure_accepts_a_path(tmp_path, small):
    import pyarrow.parquet as pq

    for name, table in small.tables.items():
        if name == "benefits":
            t = table.set_column(
                table.schema.get_field_index("benefit"),
                "benefit",
                pa.array(["kontanthjaelp"] * table.num_rows),
            )
            pq.write_table(t, tmp_path / "benefits.parquet")
    m = jobindsats.measure(tmp_path, "2020-12", "2020-12")
    assert m.persons.num_rows == 1
    assert m.quality["persons_without_birth_date"] == 1


def test_measuring_a_path_keeps_only_the_kernel_arrays_of_its_input(tmp_path, small, monkeypatch):
    """measure(path) reads the dataset itself, so nothing else holds it: the tables go
    before the kernel runs (only the kernel's arrays are kept: not every row's person id),
    and the arrays before the cells are finished (peak RSS, docs/benchmarks.md)."""
    import gc
    import importlib
    import weakref

    import pyarrow.parquet as pq

    import jobindsats.dataset as dataset_module

    # (the package's name "measure" is the function; the module by its full name)
    measure_module = importlib.import_module("jobindsats.measure")
    benefits = small.tables["benefits"]
    at = benefits.schema.get_field_index("benefit")
    plain = pa.array(["kontanthjaelp"] * benefits.num_rows)
    pq.write_table(benefits.set_column(at, "benefit", plain), tmp_path / "benefits.parquet")
    datasets: list[weakref.ref] = []
    read = dataset_module.read_dataset

    def reading(*args, **kwargs):
        d = read(*args, **kwargs)
        datasets.append(weakref.ref(d))
        return d

    arrays: list[weakref.ref] = []
    alive_in_kernel: list[bool] = []
    run_kernel = measure_module.run_kernel

    def kernel(backend, kernel_arrays, *args, **kwargs):
        gc.collect()
        alive_in_kernel.append(datasets[0]() is not None)
        arrays.append(weakref.ref(kernel_arrays["ben_start"]))
        return run_kernel(backend, kernel_arrays, *args, **kwargs)

    alive_at_finish: list[bool] = []
    finish = measure_module.finish_cells

    def finishing(*args, **kwargs):
        gc.collect()
        alive_at_finish.append(arrays[0]() is not None)
        return finish(*args, **kwargs)

    monkeypatch.setattr(dataset_module, "read_dataset", reading)
    monkeypatch.setattr(measure_module, "run_kernel", kernel)
    monkeypatch.setattr(measure_module, "finish_cells", finishing)
    m = jobindsats.measure(tmp_path, "2020-12", "2020-12")
    assert alive_in_kernel == [False]
    assert alive_at_finish == [False]
    direct = jobindsats.measure(read(tmp_path), "2020-12", "2020-12")
    assert m.cells.equals(direct.cells)
    assert m.persons.equals(direct.persons)
    assert m.quality == direct.quality


def test_explain_structured_trace(small):
    t = jobindsats.explain(small, 1, "2020-12")
    g = t.groups[0]
    assert (g.group, g.interval, g.counted) == ("kontanthjaelp", "12+", 1)
    assert g.window_start == dt.date(2019, 9, 1)
    assert [i.counted for i in g.interviews] == [False, True]
    assert t.to_dict()["groups"][0]["reference_date"] == dt.date(2020, 12, 31)
    with pytest.raises(KeyError, match="person_id 99"):
        jobindsats.explain(small, 99, "2020-12")


def test_written_measurement_loads_back_with_its_run_details(small, tmp_path):
    from jobindsats.report import load_measurement

    m = jobindsats.measure(small, "2019-02", "2019-04", backend="numba")
    m.write(tmp_path / "out")
    back = load_measurement(tmp_path / "out")
    assert (back.start, back.end) == (dt.date(2019, 2, 1), dt.date(2019, 4, 1))
    assert (back.rules, back.backend) == ("v1.73", "numba")
    assert back.cells.equals(m.cells)
    assert back.quality == m.quality


def test_the_compiled_path_does_not_load_numba():
    """Importing the package, reading, measuring and the CLI on the C++ backend leave
    Numba unloaded (it costs a cold process 0.3-0.6 s and about 56 MB); the Numba
    backend and ``explain`` load it on first use."""
    pytest.importorskip("jobindsats._core")
    code = (
        "import sys, jobindsats, jobindsats.cli, jobindsats.dask, jobindsats.report\n"
        "from jobindsats.synth import generate_tables\n"
        "ds = jobindsats.Dataset.from_tables(**generate_tables(300, seed=2))\n"
        "m = jobindsats.measure(ds, '2019-01', '2019-06', backend='cpp')\n"
        "assert m.cells.num_rows > 0 and m.quality['conserved']\n"
        "print('numba' in sys.modules)\n"
        "jobindsats.measure(ds, '2019-01', '2019-01', backend='numba', persons=False)\n"
        "print('numba' in sys.modules)\n"
    )
    out = printed(code)
    assert out == ["False", "True"]


def test_importing_and_reading_single_files_does_not_load_pyarrow_dataset(tmp_path):
    """``pyarrow.dataset`` (which imports pandas: ~0.3 s of a cold ``import jobindsats``)
    is loaded only to read a directory of parts; one file per table is read without it."""
    from jobindsats.synth import synthesize

    synthesize(tmp_path / "files", 200, 3, "2018-01-01", "2019-12-31")
    synthesize(tmp_path / "parts", 200, 3, "2018-01-01", "2019-12-31", buckets=2)
    code = (
        "import sys, jobindsats\n"
        "print('pyarrow.dataset' in sys.modules)\n"
        f"ds = jobindsats.read_dataset({str(tmp_path / 'files')!r})\n"
        "assert ds.n_persons > 0\n"
        "print('pyarrow.dataset' in sys.modules)\n"
        f"parts = jobindsats.read_dataset({str(tmp_path / 'parts')!r})\n"
        "assert parts.equals(ds)\n"
        "print('pyarrow.dataset' in sys.modules)\n"
    )
    out = printed(code)
    assert out == ["False", "False", "True"]


def test_measuring_and_auditing_never_ask_for_pandas(tmp_path):
    """Reading Parquet (sorted and shuffled rows), measuring with and without person rows,
    measuring in-memory Arrow tables (the general path, ``Dataset.from_tables``), the focus
    audit over two periods and ``jobindsats measure`` never ask for pandas:
    pyarrow's ``to_numpy``, ``pa.array``, ``pa.scalar``, ``Schema.empty_table`` and
    ``Table.group_by`` would each import it where it is installed (0.17-0.23 s of a cold
    process), so the engine converts through buffers (``jobindsats.arrow_numpy``). A
    finder records every attempt, whether pandas is installed or not."""
    import numpy as np
    import pyarrow.parquet as pq

    from jobindsats.synth import synthesize

    synthesize(tmp_path / "sorted", 300, 4, "2018-01-01", "2019-12-31")
    (tmp_path / "shuffled").mkdir()
    rng = np.random.default_rng(4)
    for file in (tmp_path / "sorted").glob("*.parquet"):
        table = pq.read_table(file)
        pq.write_table(
            table.take(rng.permutation(table.num_rows)), tmp_path / "shuffled" / file.name
        )
    code = (
        "import sys\n"
        "asked = []\n"
        "class Finder:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'pandas': asked.append(name)\n"
        "sys.meta_path.insert(0, Finder())\n"
        "import jobindsats\n"
        "from jobindsats.cli import main\n"
        "runs = []\n"
        "for name in ('sorted', 'shuffled'):\n"
        f"    path = {str(tmp_path)!r} + '/' + name\n"
        "    for persons in (False, True):\n"
        "        m = jobindsats.measure(path, '2018-03', '2019-12', persons=persons)\n"
        "        assert m.cells.num_rows > 0 and m.quality['conserved']\n"
        "        runs.append(m.cells)\n"
        "import os, pyarrow.parquet as pq\n"
        "tables = {f[:-8]: pq.ParquetFile(path + '/' + f).read() for f in os.listdir(path)}\n"
        "general = jobindsats.measure(jobindsats.Dataset.from_tables(**tables), '2018-03',"
        " '2019-12', persons=False)\n"
        "runs.append(general.cells)\n"
        "assert all(c.equals(runs[0]) for c in runs)\n"
        "periods = ['2018-03-01:2018-12-31', '2019-01-01:2019-12-31']\n"
        "audit = jobindsats.audit(path, 'dagpenge', periods)\n"
        "assert audit.intensity.num_rows > 0 and audit.change.num_rows > 0\n"
        f"sys.argv = ['jobindsats', 'measure', path, '--from', '2018-03', '--to', '2019-12',"
        f" '--out', {str(tmp_path / 'out')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(asked)\n"
    )
    out = printed(code)
    assert (tmp_path / "out" / "cells.parquet").exists()
    assert out[-1] == "[]"
