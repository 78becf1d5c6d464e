"""Ctrl-C during ``jobindsats measure`` (issue 18): the run stops at the end of the
kernel chunk it is in, prints one line, exits with status 130 and writes nothing.

The command runs in a subprocess through the CLI's ``main``, with one addition: a shim
that reports on stderr how many kernel chunks the run has and each chunk as it is done,
so that the test can send SIGINT once the kernel is running and then check that the run
did not go on to the end. The bound on the exit (10 s) is generous and about
correctness, not speed: a chunk takes well under a second (kernels/backend.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from jobindsats.synth import synthesize

#: Runs the CLI, printing "chunks N" when the kernel starts and "chunk" after each chunk.
SHIM = """
import sys
import jobindsats.measure
from jobindsats.kernels.backend import chunk_persons_for

module = sys.modules["jobindsats.measure"]
real = module.run_kernel

def run_kernel(backend, arrays, rules, month_first, month_last, muni, cat, threads, on_rows,
               *rest, **kw):
    size = chunk_persons_for(backend, threads, month_first.shape[0])
    n = -(-arrays["person_ids"].shape[0] // size)
    print(f"chunks {n}", file=sys.stderr, flush=True)

    def each_chunk(rows):
        on_rows(rows)
        print("chunk", file=sys.stderr, flush=True)

    return real(backend, arrays, rules, month_first, month_last, muni, cat, threads,
                each_chunk, *rest, **kw)

module.run_kernel = run_kernel
from jobindsats.cli import main
sys.argv[0] = "jobindsats"
main()
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    path = tmp_path_factory.mktemp("interrupt") / "data"
    synthesize(path, 80_000, 4, "2016-01-01", "2024-12-31")
    return path


@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_ctrl_c_stops_between_chunks_and_writes_nothing(population, tmp_path, backend):
    out = tmp_path / "out"
    args = ["measure", str(population), "--from", "2016-01", "--to", "2024-12",
            "--out", str(out), "--threads", "1", "--backend", backend]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-c", SHIM, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stderr.readline()
        while first and not first.startswith("chunks "):  # (an editable build may talk)
            first = proc.stderr.readline()
        total = int(first.split()[1])
        assert total >= 5  # so that stopping early can be seen
        assert proc.stderr.readline() == "chunk\n"  # the kernel is running
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        rest = proc.stderr.read().splitlines()
        proc.stderr.close()
    done = 1 + rest.count("chunk")
    messages = [line for line in rest if line != "chunk"]
    assert proc.returncode == 130, rest
    assert messages == ["error: interrupted"]
    assert done < total  # it stopped, instead of running to the end
    assert not out.exists()  # no output, not even the directory
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nor a temporary file
