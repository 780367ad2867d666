"""The benchmark scripts keep working as the code changes (figures are not checked here: a
tiny run on a busy machine says nothing about speed; only that each still runs to its end)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("script", "arguments", "request_target"),
    [
        ("send.py", ["--certificates", "3", "--latency-ms", "0", "--pdf-mb", "0.05"], "<= 5: met"),
        ("sync.py", ["--customers", "5", "--per-customer", "2", "--latency-ms", "0"], "<= 3: met"),
        (
            "pages.py",
            ["--small", "5", "--large", "50", "--runs", "1"],
            "queries the same at both sizes: met",
        ),
    ],
)
def test_a_small_run_of_each_benchmark_finishes_within_its_request_target(
    script, arguments, request_target
):
    finished = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        # On the scratch SQLite database even in the PostgreSQL tier (pages.py would use it).
        env={name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
    )

    assert finished.returncode == 0, finished.stderr[-2000:]
    assert request_target in finished.stdout.splitlines()[-1]


def _figures_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("figures", ROOT / "benchmarks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_has_a_figures_block_for_every_benchmark_make_bench_runs():
    figures = _figures_module()
    readme = (ROOT / "benchmarks" / "README.md").read_text()

    for name in figures.RUNS:
        assert f"<!-- figures:{name} -->\n" in readme
        assert f"\n<!-- /figures:{name} -->" in readme


def test_writing_figures_replaces_only_that_benchmarks_block(tmp_path, monkeypatch):
    figures = _figures_module()
    readme = tmp_path / "README.md"
    readme.write_text(
        "Notes before.\n<!-- figures:send -->\nold send\n<!-- /figures:send -->\n"
        "Notes between.\n<!-- figures:sync -->\nold sync\n<!-- /figures:sync -->\n"
    )
    monkeypatch.setattr(figures, "README", readme)

    figures.write("send", "new send\nsecond line")

    assert readme.read_text() == (
        "Notes before.\n<!-- figures:send -->\nnew send\nsecond line\n<!-- /figures:send -->\n"
        "Notes between.\n<!-- figures:sync -->\nold sync\n<!-- /figures:sync -->\n"
    )
