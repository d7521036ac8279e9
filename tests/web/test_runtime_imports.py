"""The installed site needs only its runtime dependencies: no module under src/grassroots imports
a development package (outside ``if TYPE_CHECKING:``), and the whole site loads with the
development-only packages unimportable, as in a wheel installed without extras.

``django_stubs_ext`` was one of them, and our code still never imports it (the first test
checks), but django-tasks imports it at start-up and requires it itself, so it is installed
with the wheel and is no longer blocked here."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "grassroots"


def _distribution(requirement: str) -> str:
    """``psycopg[binary]==3.3.9`` -> ``psycopg``, normalised as PEP 503 says."""
    name = re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_distribution(requirement) for requirement in project["dependencies"]}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _guards_import_error(node: ast.Try) -> bool:
    """``try: import x / except ImportError:``: an optional extra, refused with a message."""
    names = {"ImportError", "ModuleNotFoundError"}
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(isinstance(kind, ast.Name) and kind.id in names for kind in kinds):
            return True
    return False


def _runtime_imports(tree: ast.AST) -> set[str]:
    """Top-level names of the modules imported when the module runs."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Try) and _guards_import_error(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_source_imports_only_runtime_dependencies() -> None:
    allowed = _runtime_distributions()
    owners = importlib.metadata.packages_distributions()
    stray: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        for module in _runtime_imports(ast.parse(path.read_text(), str(path))):
            if module in sys.stdlib_module_names or module in {"grassroots", "__future__"}:
                continue
            distributions = {_distribution(d) for d in owners.get(module, [module])}
            if not distributions & allowed:
                stray.append(f"{path.relative_to(ROOT)}: {module} ({', '.join(distributions)})")

    assert stray == []


def test_import_check_sees_development_packages() -> None:
    """The check above can fail: it finds the development import settings.py used to have."""
    tree = ast.parse("import django_stubs_ext\nfrom typing import TYPE_CHECKING\n")
    guarded = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import yaml\n")

    assert "django_stubs_ext" in _runtime_imports(tree)
    assert "django_stubs_ext" not in _runtime_distributions()
    assert "yaml" not in _runtime_imports(guarded)


# Blocks the development-only packages (django_stubs_ext is not one: django-tasks requires it)
# in a fresh interpreter, then loads the site: every app,
# its admin, every module of the package, and the URLs (which import every view and form).
WITHOUT_DEV_PACKAGES = """
import sys
for name in ("yaml", "pytest", "factory", "hypothesis", "aiosmtpd", "playwright"):
    sys.modules[name] = None
import importlib, pkgutil
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import grassroots
for module in pkgutil.walk_packages(grassroots.__path__, "grassroots."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print("loaded")
"""


def test_site_loads_without_development_packages(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "GRASSROOTS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grassroots.web.settings",
    }

    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_PACKAGES],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded"
