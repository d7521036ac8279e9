"""Counting rules, one module per rule text; see :data:`grassroots.count.RULES`."""
