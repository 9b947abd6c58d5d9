#!/usr/bin/env python3
"""Compares two TSV outputs of graph programs (or of a program and a reference).

    compare.py EXPECTED ACTUAL [--tol=1e-9]
    compare.py --pairs=FILE [--tol=1e-9]

Both files must have the same header line, the same node ids in the same order
and the same number of columns on every line. Per field: when both are
integers (optional sign, digits) they must be equal exactly; otherwise both
are read as floats and must be within the absolute tolerance (inf must match
inf of the same sign, nan matches only nan). So "1" and "1.0" are equal floats,
but "3" and "4" differ even with --tol=10.

Prints the first difference (line, node, column, both values) and, for float
columns, the largest difference seen. Exit status: 0 same, 1 different, 2 bad
usage or unreadable file.

--pairs=FILE compares many pairs in one process: each line of FILE is
`LABEL<TAB>EXPECTED<TAB>ACTUAL`; for each it prints `ok<TAB>LABEL` or
`FAIL<TAB>LABEL<TAB>the difference on one line`. Exit status 0 when all are
the same, 1 otherwise.
"""
import io
import math
import re
import sys

INT = re.compile(r"[+-]?[0-9]+\Z")


def read(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    return text.split("\n")  # a final "" when the file ends with a newline


def same_field(a, b, tol):
    """Returns (equal, abs_diff or None)."""
    if INT.match(a) and INT.match(b):
        return int(a) == int(b), None
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b, None
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y), None
    if math.isinf(x) or math.isinf(y):
        return x == y, None
    diff = abs(x - y)
    return diff <= tol, diff


def compare(exp_path, act_path, tol, out=sys.stdout):
    exp, act = read(exp_path), read(act_path)
    for path, lines in ((exp_path, exp), (act_path, act)):
        if lines[-1] != "":
            out.write("%s: the last line has no newline\n" % path)
            return 1
        lines.pop()
    if not exp or not act:
        out.write("%s is empty\n" % (exp_path if not exp else act_path))
        return 1
    if exp[0] != act[0]:
        out.write("headers differ:\n  expected %r\n  actual   %r\n" % (exp[0], act[0]))
        return 1
    header = exp[0].split("\t")
    first = None
    ndiff = 0
    worst = 0.0
    worst_at = None
    for ln, (e, a) in enumerate(zip(exp[1:], act[1:]), 2):
        ef, af = e.split("\t"), a.split("\t")
        if len(ef) != len(header) or len(af) != len(header):
            out.write("line %d: expected %d fields, got %d (expected) and %d (actual)\n"
                      % (ln, len(header), len(ef), len(af)))
            return 1
        if ef[0] != af[0]:
            out.write("line %d: node ids differ: expected %s, actual %s\n" % (ln, ef[0], af[0]))
            return 1
        bad = False
        for col in range(1, len(header)):
            ok, diff = same_field(ef[col], af[col], tol)
            if diff is not None and diff > worst:
                worst, worst_at = diff, (ef[0], header[col])
            if not ok:
                bad = True
                if first is None:
                    first = "line %d: node %s, column %s: expected %s, actual %s" % (
                        ln, ef[0], header[col], ef[col], af[col])
                    if diff is not None:
                        first += " (|diff| = %.3g > %.3g)" % (diff, tol)
        ndiff += bad
    if len(exp) != len(act):
        out.write("different number of lines: expected %d, actual %d (first extra: %r)\n"
                  % (len(exp), len(act), (exp if len(exp) > len(act) else act)[min(len(exp), len(act))]))
        return 1
    if first is not None:
        out.write("%s\n%d of %d lines differ" % (first, ndiff, len(exp) - 1))
        if worst_at is not None:
            out.write("; largest float |diff| %.3g at node %s, column %s"
                      % (worst, worst_at[0], worst_at[1]))
        out.write("\n")
        return 1
    return 0


def compare_pairs(path, tol, out=sys.stdout):
    status = 0
    with open(path) as f:
        pairs = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
    for label, exp, act in pairs:
        buf = io.StringIO()
        try:
            st = compare(exp, act, tol, buf)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            st, buf = 2, io.StringIO(str(e))
        if st == 0:
            out.write("ok\t%s\n" % label)
        else:
            status = 1
            out.write("FAIL\t%s\t%s\n" % (label, "; ".join(buf.getvalue().strip().split("\n"))))
    return status


def main(argv):
    tol = 1e-9
    files = []
    pairs = None
    try:
        for a in argv:
            if a.startswith("--tol="):
                tol = float(a[6:])
            elif a.startswith("--pairs="):
                pairs = a[8:]
            elif a.startswith("-") and a != "-":
                raise ValueError("unknown option " + a)
            else:
                files.append(a)
        if len(files) != (0 if pairs else 2) or not tol >= 0:
            raise ValueError("need two files")
    except ValueError as e:
        sys.stderr.write("compare.py: %s\nusage: compare.py EXPECTED ACTUAL [--tol=X]\n"
                         "       compare.py --pairs=FILE [--tol=X]\n" % e)
        return 2
    if pairs:
        try:
            return compare_pairs(pairs, tol)
        except (OSError, ValueError) as e:
            sys.stderr.write("compare.py: %s\n" % e)
            return 2
    try:
        return compare(files[0], files[1], tol)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        sys.stderr.write("compare.py: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
