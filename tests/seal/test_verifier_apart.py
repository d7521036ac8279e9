"""The verifier is written apart from the prover: it shares only the group arithmetic, the
hashing, the ciphertexts, the encoding and the election context with it (and the counting
engine for the recount), so a mistake in a prover's proof cannot be mirrored in its check."""

from __future__ import annotations

import ast
from pathlib import Path

import grassroots.seal

SHARED = {"group", "hashing", "elgamal", "encoding", "context"}
VERIFIER = {"verify": SHARED | {"verify_shuffle"}, "verify_shuffle": SHARED}


def _grassroots_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("grassroots")
        ):
            if node.module == "grassroots.seal":
                found |= {f"grassroots.seal.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("grassroots")}
    return found


def test_the_verifier_imports_nothing_of_the_prover() -> None:
    folder = Path(grassroots.seal.__file__).parent
    for name, allowed in VERIFIER.items():
        for module in _grassroots_imports(folder / f"{name}.py"):
            if module.startswith("grassroots.count"):
                continue  # the recount
            part = module.removeprefix("grassroots.seal.").split(".")[0]
            assert module.startswith("grassroots.seal."), (name, module)
            assert part in allowed, (name, module)


def test_the_shared_modules_import_no_prover_either() -> None:
    folder = Path(grassroots.seal.__file__).parent
    for name in SHARED:
        for module in _grassroots_imports(folder / f"{name}.py"):
            part = module.removeprefix("grassroots.seal.").split(".")[0]
            assert part in SHARED, (name, module)
