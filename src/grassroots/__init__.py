"""Grassroots: software for grassroots alliances in party elections.

The counting engine lives in :mod:`grassroots.count` and imports nothing from
the web layer, so a returning officer can use it alone.
"""

__version__ = "0.1.0"
