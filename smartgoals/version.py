"""The version of smartgoals, for the cache keys, `--version` and generated files."""

__version__ = "0.1.0"
