"""The voting path under load: ``make loadtest`` (docs/reliability.md)."""
