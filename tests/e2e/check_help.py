#!/usr/bin/env python3
"""Checks a generated program's --help text lists each parameter with its default.

    check_help.py HELP_FILE NAME=DEFAULT ...

For each NAME there must be a line that mentions NAME (as a word, e.g.
`--damping` or `damping:`) and holds a number equal to DEFAULT (so 1e-6,
1e-06 and 0.000001 all match). Exit status 0 when all are found, else 1.
"""
import math
import re
import sys

NUM = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def mentions(line, name, want):
    if not re.search(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])", line):
        return False
    for tok in NUM.findall(line):
        try:
            if math.isclose(float(tok), want, rel_tol=1e-12, abs_tol=0.0) or float(tok) == want:
                return True
        except ValueError:
            pass
    return False


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: check_help.py HELP_FILE NAME=DEFAULT ...\n")
        return 2
    with open(argv[0]) as f:
        lines = f.read().splitlines()
    ok = True
    for spec in argv[1:]:
        name, _, default = spec.partition("=")
        if not any(mentions(ln, name, float(default)) for ln in lines):
            sys.stdout.write("--help has no line naming %s with its default %s\n" % (name, default))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
