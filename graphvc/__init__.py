"""graphvc: network analysis of violent crime on a Neo4j graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("graphvc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
