#!/usr/bin/env python3
"""Thin entry point for `make bench`: the benchmark lives in unsc.bench."""
import sys

from unsc.bench import main

sys.exit(main())
