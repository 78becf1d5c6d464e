"""jobindsats.show_config(): the compiled module reports its build, the Python side its
versions and the backend "auto" picks (python/jobindsats/config.py,
src/register_config.cpp)."""

from __future__ import annotations

import platform
from importlib.metadata import version

import pytest

import jobindsats

pytestmark = pytest.mark.wheel


def _core_or_skip():
    return pytest.importorskip("jobindsats._core")


def test_build_config_names_compiler_standard_flags_and_threads():
    core = _core_or_skip()
    cfg = core.build_config()
    assert cfg["version"] == core.__version__ == version("jobindsats")
    assert cfg["compiler"]["id"] in ("GNU", "Clang", "AppleClang", "MSVC")
    assert cfg["compiler"]["version"][0].isdigit()
    assert cfg["compiler"]["cxx_standard"] == "C++17"
    assert cfg["compiler"]["__cplusplus"] >= 201703
    assert cfg["build"]["type"] in ("Release", "RelWithDebInfo", "Debug", "MinSizeRel")
    assert isinstance(cfg["build"]["lto"], bool)
    assert cfg["build"]["sanitizers"] == "none"  # a sanitizer build does not load in CPython
    assert cfg["threads"]["backend"].startswith("std::thread")
    assert cfg["threads"]["hardware_concurrency"] >= 0


def test_simd_level_comes_from_the_target_architecture():
    cfg = _core_or_skip().build_config()
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        assert cfg["simd"][0] == "SSE2"  # the x86-64 baseline
    elif machine in ("aarch64", "arm64"):
        assert "NEON" in cfg["simd"]
    assert len(set(cfg["simd"])) == len(cfg["simd"])


def test_show_config_dicts_has_the_python_side_and_the_auto_backend():
    _core_or_skip()
    cfg = jobindsats.show_config(mode="dicts")
    assert cfg["jobindsats"]["version"] == jobindsats.__version__
    assert cfg["compiled module"]["compiler"]["cxx_standard"] == "C++17"
    assert cfg["packages"]["numpy"] == version("numpy")
    assert cfg["packages"]["pyarrow"] == version("pyarrow")
    assert cfg["python"]["version"] == platform.python_version()
    # measure._choose_backend: the compiled module when it imports
    assert cfg["backends"] == {"cpp": True, "numba": True, "auto": "cpp"}


def test_show_config_prints_every_section(capsys):
    assert jobindsats.show_config() is None
    out = capsys.readouterr().out
    for heading in ("compiled module:", "compiler:", "simd:", "threads:", "packages:", "auto:"):
        assert heading in out
    assert "numpy: " + version("numpy") in out


def test_show_config_without_the_compiled_module_says_why(monkeypatch):
    from jobindsats import config

    def missing(name):
        raise ImportError("no module named jobindsats._core")

    monkeypatch.setattr(config, "import_module", missing)
    cfg = config.show_config(mode="dicts")
    assert cfg["compiled module"] == {
        "available": False,
        "error": "no module named jobindsats._core",
    }
    assert cfg["backends"]["auto"] == "numba"


def test_show_config_refuses_an_unknown_mode():
    with pytest.raises(ValueError, match="mode must be 'stdout' or 'dicts'"):
        jobindsats.show_config(mode="yaml")
