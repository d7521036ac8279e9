"""The Django project: one app per domain (see docs/web.md).

Only this package imports Django; the counting engine never does.
"""
