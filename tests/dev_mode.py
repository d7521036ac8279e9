"""The test run is development: loaded early (``-p tests.dev_mode`` in pyproject.toml), before
pytest-django reads the settings, which refuse to load outside development without a secret key.

The tests that check production's refusals start their own processes without it.
"""

from __future__ import annotations

import os

os.environ["GRASSROOTS_DEV"] = "1"
