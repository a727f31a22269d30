"""The layout rules of DESIGN.md as failing checks (STYLE.md habit 1).

The rules live as import-linter contracts in pyproject.toml ([tool.importlinter]); scripts/test
runs `lint-imports` next to ruff and mypy. Here the same contracts run on the tree, and each one
is broken on purpose in a copy of the tree to prove that `lint-imports` then fails, so a contract
that silently stopped matching anything (a renamed package, a typo) shows up as a failing test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("common", "kiosk", "counter", "server")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract_ids() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["id"] for c in config["tool"]["importlinter"]["contracts"]]


def _lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run the real command on the tree under `root` (its packages first on the path)."""
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract in contracts:
        args += ["--contract", contract]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_every_contract() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contract_ids())} kept, 0 broken." in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages' Python files and pyproject.toml, copied once per module."""
    root = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            root / package,
            ignore=lambda _dir, names: [
                n for n in names if n == "__pycache__" or n.endswith(".pyc")
            ],
        )
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


# One or more violations per contract: (contract id, file written into the copy, its source).
BREAKS = [
    (
        "qt-only-in-common-qt-and-apps",
        "common/queue/_bad_qt.py",
        "from PySide6.QtCore import QObject\n",
    ),
    ("qt-only-in-common-qt-and-apps", "common/_bad_shiboken.py", "import shiboken6\n"),
    ("common-qt-only-in-apps", "common/db/_bad_bridge.py", "from common.qt import theme\n"),
    ("apps-over-common", "kiosk/_bad_counter.py", "import counter.session\n"),
    ("apps-over-common", "counter/_bad_kiosk.py", "from kiosk import flow\n"),
    ("apps-over-common", "kiosk/_bad_server.py", "import server.app\n"),
    ("apps-over-common", "server/_bad_counter.py", "import counter\n"),
    ("apps-over-common", "common/_bad_app.py", "import kiosk.flow\n"),
    ("server-headless", "server/_bad_qt.py", "import common.qt.theme\n"),
    ("server-headless", "server/_bad_kiosk.py", "import kiosk.flow\n"),
    ("server-pure-common", "server/_bad_db.py", "from common.db.engine import make_engine\n"),
    ("server-pure-common", "server/_bad_staff.py", "import common.staff\n"),
]


def test_every_contract_has_a_break() -> None:
    assert {contract for contract, _, _ in BREAKS} == set(_contract_ids())


def test_the_copy_keeps_every_contract(tree_copy: Path) -> None:
    """The baseline for the breaks below: the untouched copy passes."""
    result = _lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("contract", "path", "source"), BREAKS, ids=[f"{c}:{p}" for c, p, _ in BREAKS]
)
def test_breaking_a_contract_fails_lint_imports(
    tree_copy: Path, contract: str, path: str, source: str
) -> None:
    bad = tree_copy / path
    bad.write_text(source, encoding="utf-8")
    try:
        result = _lint_imports(tree_copy, contract)
    finally:
        bad.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert bad.stem in result.stdout  # the report names the offending module
