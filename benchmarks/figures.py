"""Run the benchmarks and write each one's output into README.md, between its markers.

    python benchmarks/figures.py [send sync load pages ...]      (all of them by default)

Each benchmark's block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`; the
notes around the blocks are left as they are. `pages` runs on SQLite, and on PostgreSQL too
when BENCH_DATABASE_URL names a server (its `test_*` databases are created and dropped there);
without it the PostgreSQL block keeps its last figures. A script not in this checkout is
skipped.
"""

import os
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
# name: (script, arguments, DATABASE_URL or None for the scratch SQLite database)
RUNS = {
    "send": ("send.py", [], None),
    "sync": ("sync.py", [], None),
    "load": ("load.py", [], None),  # its own PostgreSQL database and Redis (see its docstring)
    "pages-sqlite": ("pages.py", [], None),
    "pages-postgresql": ("pages.py", [], "BENCH_DATABASE_URL"),
}


def run(script: str, arguments: list[str], database_url: str | None) -> str:
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    if database_url:
        environment["DATABASE_URL"] = database_url
    finished = subprocess.run(
        [sys.executable, str(HERE / script), *arguments],
        cwd=HERE,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout.rstrip()


def block(script: str, arguments: list[str], output: str, database: str) -> str:
    command = " ".join(["python", f"benchmarks/{script}", *arguments])
    prefix = f"DATABASE_URL=postgres://… {command}" if database else command
    cores = os.cpu_count() or 1
    return (
        f"`{prefix}` ({date.today().isoformat()}, {cores} cores, Python "
        f"{platform.python_version()}):\n\n```\n{output}\n```"
    )


def write(name: str, text: str) -> None:
    readme = README.read_text()
    pattern = re.compile(rf"(<!-- figures:{name} -->\n).*?(\n<!-- /figures:{name} -->)", re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no <!-- figures:{name} --> block")
    README.write_text(pattern.sub(lambda match: match[1] + text + match[2], readme))


def main() -> None:
    wanted = sys.argv[1:] or ["send", "sync", "load", "pages"]
    for name, (script, arguments, url_variable) in RUNS.items():
        if name.split("-")[0] not in wanted:
            continue
        if not (HERE / script).exists():
            print(f"{name}: no benchmarks/{script} here; skipped")
            continue
        database_url = os.environ.get(url_variable, "") if url_variable else None
        if url_variable and not database_url:
            print(f"{name}: {url_variable} is not set; its figures are left as they were")
            continue
        print(f"{name}: running {script}", flush=True)
        output = run(script, arguments, database_url)
        write(name, block(script, arguments, output, database_url))
        print(output.splitlines()[-1])


if __name__ == "__main__":
    main()
