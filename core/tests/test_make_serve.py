"""`make serve` (docs/deploy.md) refuses to start a site it cannot serve, and says why truly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from core.tests.processes import ROOT, database_shared_with_processes
from tests.e2e.conftest import _free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def make_serve(env: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess:
    """`make serve` as an operator runs it, with static files collected in ``var_dir`` (the
    Makefile looks for their manifest) and a port nothing serves; it must stop before serving."""
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    (var_dir / "static" / "staticfiles.json").write_text(
        '{"paths": {}, "version": "1.1", "hash": ""}'
    )
    return subprocess.run(  # noqa: S603  (make, the project's own Makefile)
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env={**env, "BROADSHEET_VAR_DIR": str(var_dir), "PORT": str(_free_port())},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_redis_that_does_not_answer_is_named_not_taken_for_migrations_to_apply(tmp_path):
    """`migrate --check` runs the system checks first, and stopped on Redis not answering
    (core.E001); make serve told the operator to migrate a database that had nothing to apply."""
    with database_shared_with_processes(tmp_path) as env:
        env["REDIS_URL"] = f"redis://127.0.0.1:{_free_port()}/0"
        result = make_serve(env, tmp_path / "var")
    assert result.returncode != 0
    assert "REDIS_URL: Redis did not answer a PING" in result.stderr
    assert "Could not check the database's migrations" in result.stderr
    assert "migrations to apply" not in result.stderr


def test_a_database_with_migrations_to_apply_is_still_said_so(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    env.pop("REDIS_URL", None)
    result = make_serve(env, tmp_path / "var")
    assert result.returncode != 0
    assert "The database has migrations to apply: run" in result.stderr
    assert "Could not check" not in result.stderr
