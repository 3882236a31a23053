"""``python -m graphvc``: the same command line as ``graphvc``."""

from graphvc.cli import main

main()
