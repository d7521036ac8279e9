"""Westminster constituencies: the CLPs supporters belong to."""
