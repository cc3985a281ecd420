"""Grade mathematics and machine-learning homework against YAML problem specs."""

__version__ = "0.1.0"
