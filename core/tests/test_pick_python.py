"""``scripts/pick-python``: which Python 3.11 ``make install`` builds the virtualenv with."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pick-python"


def _python(directory: Path, name: str, *, is_311: bool) -> Path:
    """A stand-in interpreter: it answers the script's version check as a 3.11 would, or not."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!/bin/sh\nexit {0 if is_311 else 1}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _pick(tmp_path: Path, *, system: Path, path_dirs: list[Path]) -> str:
    env = {
        **os.environ,
        "PATH": os.pathsep.join([*(str(d) for d in path_dirs), "/bin", "/usr/bin"]),
        "PICK_PYTHON_SYSTEM": str(system),
    }
    return subprocess.run(  # noqa: S603  (this project's own script, with a fixed argument list)
        ["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_distributions_python_comes_before_one_on_the_path(tmp_path):
    system = _python(tmp_path / "system", "python3.11", is_311=True)
    _python(tmp_path / "bin", "python3.11", is_311=True)
    assert _pick(tmp_path, system=system, path_dirs=[tmp_path / "bin"]) == str(system)


def test_without_the_distributions_python_a_python311_on_the_path_is_chosen(tmp_path):
    on_path = _python(tmp_path / "bin", "python3.11", is_311=True)
    _python(tmp_path / "bin", "python3", is_311=True)
    chosen = _pick(tmp_path, system=tmp_path / "absent", path_dirs=[tmp_path / "bin"])
    assert chosen == str(on_path)


def test_a_distribution_python_that_is_not_311_is_passed_over(tmp_path):
    system = _python(tmp_path / "system", "python3.11", is_311=False)
    on_path = _python(tmp_path / "bin", "python3.11", is_311=True)
    assert _pick(tmp_path, system=system, path_dirs=[tmp_path / "bin"]) == str(on_path)


def test_with_no_python311_anywhere_python3_is_chosen(tmp_path):
    _python(tmp_path / "bin", "python3.11", is_311=False)
    python3 = _python(tmp_path / "bin", "python3", is_311=True)
    chosen = _pick(tmp_path, system=tmp_path / "absent", path_dirs=[tmp_path / "bin"])
    assert chosen == str(python3)
