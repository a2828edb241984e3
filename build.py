#!/usr/bin/env python3
"""tongbao: build the bulletin site. `python build.py --help` lists the commands."""

import sys

from tongbao.cli import main

if __name__ == "__main__":
    sys.exit(main())
