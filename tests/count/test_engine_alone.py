"""The engine stands alone: importing every engine, forecast and sealed-ballot module loads no
Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_engine_imports_no_django() -> None:
    script = textwrap.dedent(
        """
        import pkgutil, sys
        import grassroots.count
        for module in pkgutil.walk_packages(grassroots.count.__path__, "grassroots.count."):
            __import__(module.name)
        import grassroots.count.formats.blt, grassroots.count.rules.scottish
        import grassroots.forecast, grassroots.synthetic
        for module in pkgutil.walk_packages(grassroots.forecast.__path__, "grassroots.forecast."):
            __import__(module.name)
        import grassroots.seal
        for module in pkgutil.walk_packages(grassroots.seal.__path__, "grassroots.seal."):
            __import__(module.name)
        assert "grassroots.seal.verify" in sys.modules and "grassroots.seal.shuffle" in sys.modules
        loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
        print(",".join(loaded))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
