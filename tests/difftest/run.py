#!/usr/bin/env python3
"""Differential testing: random programs (gen.py), compiled at -O0 and -O3 and
run at 1, 2 and 3 threads, against the reference interpreter.

    python3 tests/difftest/run.py --n 200 --seed 1 [--keep DIR] [--jobs 2]
    python3 tests/difftest/run.py --regress [DIR]     # replay tests/difftest/regress/*

Environment: GRAPHC (default build/bin/graphc). Case i of seed S is
gen.py --seed S*1000003+i, so one failing case is reproduced with
`python3 tests/difftest/gen.py --seed <case seed> --out DIR`.

Exit status 0 only when every run agrees with the interpreter (floats within
--rtol; runs that agree only within the tolerance are counted and listed as
not bit-identical, and fail only with --strict). Every mismatch is printed
with its case seed, saved under the keep directory (program, graphs, args,
every output, report.txt with the commands) and the run continues; the
summary lists them all.
"""
import argparse
import collections
import concurrent.futures
import os
import re
import shlex
import shutil
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import dtcore  # noqa: E402
import gen  # noqa: E402

SEED_STRIDE = 1000003


def case_seed(seed, i):
    return seed * SEED_STRIDE + i


def run_case(cfg, seed, i, ngraphs, tmproot, profile="default"):
    cs = case_seed(seed, i)
    case = gen.make_case(cs, ngraphs, profile)
    wd = os.path.join(tmproot, "c%d" % i)
    os.makedirs(wd)
    with open(os.path.join(wd, "prog.galg"), "w") as fh:
        fh.write(case["text"])
    runs = []
    for k, (gtext, args) in enumerate(case["runs"]):
        g = "graph%d.el" % k
        with open(os.path.join(wd, g), "w", newline="") as fh:
            fh.write(gtext)
        with open(os.path.join(wd, "args%d" % k), "w") as fh:
            fh.write(" ".join(shlex.quote(a) for a in args) + "\n")
        runs.append((g, args))
    t0 = time.time()
    rep = dtcore.check_case(cfg, wd, runs)
    return case, rep, wd, time.time() - t0


def regress_cases(root):
    out = []
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "prog.galg")):
            continue
        args = []
        if os.path.exists(os.path.join(d, "args")):
            with open(os.path.join(d, "args")) as fh:
                args = shlex.split(fh.read())
        xfail = None
        if os.path.exists(os.path.join(d, "xfail")):
            with open(os.path.join(d, "xfail")) as fh:
                xfail = fh.read().strip() or "expected to fail"
        out.append((name, d, args, xfail))
    return out


def do_regress(cfg, root, keep, jobs):
    cases = regress_cases(root)
    if not cases:
        print("difftest regress: no cases under %s" % root)
        return 0
    tmproot = tempfile.mkdtemp(prefix="difftest-regress-")
    results = {}

    def one(item):
        name, d, args, xfail = item
        wd = os.path.join(tmproot, name)
        os.makedirs(wd)
        shutil.copy(os.path.join(d, "prog.galg"), os.path.join(wd, "prog.galg"))
        shutil.copy(os.path.join(d, "graph.el"), os.path.join(wd, "graph.el"))
        return dtcore.check_case(cfg, wd, [("graph.el", args)]), wd

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(one, c): c for c in cases}
        for f in concurrent.futures.as_completed(futs):
            results[futs[f][0]] = f.result()
    fail = 0
    for name, d, args, xfail in cases:
        rep, wd = results[name]
        if rep.ok and not xfail:
            print("PASS  %s%s" % (name, " (not bit-identical: %s)" % ", ".join(rep.nonbit) if rep.nonbit else ""))
        elif rep.ok:
            print("XPASS %s: agrees now; remove %s/xfail (%s)" % (name, d, xfail))
        elif xfail:
            print("XFAIL %s: %s" % (name, xfail))
        else:
            fail += 1
            print("FAIL  %s" % name)
            for p in rep.problems:
                print("      " + str(p))
            if keep:
                dtcore.save_report(rep, wd, os.path.join(keep, "regress-" + name), "regression %s" % name)
    shutil.rmtree(tmproot, ignore_errors=True)
    print("difftest regress: %d cases, %d failed" % (len(cases), fail))
    return 1 if fail else 0


def main():
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description="differential testing of graphc against its interpreter")
    ap.add_argument("--n", type=int, default=100, help="number of random programs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first case index (to resume or replay one case)")
    ap.add_argument("--keep", default=None, help="save failing cases here (default $BUILD/difftest or build/difftest)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--graphs", type=int, default=None, help="graphs per program (default: 1-2, 1 when n >= 100)")
    ap.add_argument("--profile", choices=sorted(gen.PROFILES), default="default",
                    help="errors: many programs that may stop with a run-time error; big: longer programs")
    ap.add_argument("--levels", default="-O0,-O3")
    ap.add_argument("--threads", default="1,2,3")
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--strict", action="store_true", help="fail on floats that are not bit-identical")
    ap.add_argument("--coverage", action="store_true", help="print construct coverage of the generated programs")
    ap.add_argument("--regress", nargs="?", const=os.path.join(HERE, "regress"), default=None, metavar="DIR",
                    help="replay the regression cases (default tests/difftest/regress)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    # regression cases are replayed strictly: bit-identity is the design goal
    cfg = dtcore.Config(levels=[x for x in a.levels.split(",") if x],
                        threads=[int(x) for x in a.threads.split(",") if x], rtol=a.rtol, timeout=a.timeout,
                        strict=a.strict or bool(a.regress))
    if not os.access(cfg.graphc, os.X_OK):
        print("difftest: no graphc at %s (set GRAPHC)" % cfg.graphc, file=sys.stderr)
        return 2
    keep = a.keep or os.path.join(os.environ.get("BUILD", "build"), "difftest")
    if a.regress:
        return do_regress(cfg, a.regress, keep, a.jobs)

    ngraphs = a.graphs if a.graphs else (1 if a.n >= 100 else None)
    tmproot = tempfile.mkdtemp(prefix="difftest-")
    t0 = time.time()
    lock = threading.Lock()
    failures, nonbit, cov, progs = [], [], collections.Counter(), collections.Counter()
    outcomes = collections.Counter()  # how the interpreter's runs ended
    nruns = [0]
    done = [0]

    def finish(i, case, rep, wd, dt):
        with lock:
            done[0] += 1
            nruns[0] += rep.nruns
            cov.update(case["features"])
            for run in rep.runs:
                if run.label.startswith("interp"):
                    msg = run.err.strip().split("\n")[-1].split("error: ", 1)[-1] if run.rc else "ok"
                    outcomes["exit %d %s" % (run.rc, re.sub(r"\d+", "#", msg)[:44])] += 1
            progs.update(set(case["features"]))
            cs = case_seed(a.seed, i)
            if rep.nonbit:
                nonbit.append((i, cs, rep.nonbit))
            if not rep.ok:
                dest = os.path.join(keep, "seed%d-case%d" % (a.seed, i))
                shutil.rmtree(dest, ignore_errors=True)
                dtcore.save_report(rep, wd, dest, "difftest --seed %d case %d (gen.py --seed %d%s)" % (
                    a.seed, i, cs, "" if a.profile == "default" else " --profile " + a.profile))
                failures.append((i, cs, rep, dest))
                print("MISMATCH case %d (gen.py --seed %d%s), saved in %s" % (
                    i, cs, "" if a.profile == "default" else " --profile " + a.profile, dest))
                for p in rep.problems[:6]:
                    print("    " + str(p))
                if len(rep.problems) > 6:
                    print("    ... %d more" % (len(rep.problems) - 6))
                sys.stdout.flush()
            elif a.verbose:
                print("ok case %d (%.1fs, %d runs%s)" % (i, dt, rep.nruns, ", not bit-identical" if rep.nonbit else ""))
            shutil.rmtree(wd, ignore_errors=True)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            futs = {ex.submit(run_case, cfg, a.seed, i, ngraphs, tmproot, a.profile): i for i in range(a.start, a.start + a.n)}
            for f in concurrent.futures.as_completed(futs):
                i = futs[f]
                case, rep, wd, dt = f.result()
                finish(i, case, rep, wd, dt)
    finally:
        shutil.rmtree(tmproot, ignore_errors=True)

    el = time.time() - t0
    if a.coverage:
        print("coverage (uses, share of programs):")
        for k in sorted(cov):
            print("  %-28s %6d  %5.1f%%" % (k, cov[k], 100.0 * progs[k] / max(1, a.n)))
    if nonbit:
        print("agree only within rtol=%g (not bit-identical) in %d cases:" % (a.rtol, len(nonbit)))
        for i, cs, labels in sorted(nonbit)[:20]:
            print("    case %d (gen.py --seed %d): %s" % (i, cs, ", ".join(labels)))
    print("interpreter runs: " + ", ".join("%s: %d" % kv for kv in outcomes.most_common(8)))
    kinds = collections.Counter(p.kind for _, _, rep, _ in failures for p in rep.problems)
    print("difftest: %d programs, %d runs, %d mismatching programs%s, %d not bit-identical, %.1fs (seed %d, graphc %s)" % (
        a.n, nruns[0], len(failures), " (%s)" % ", ".join("%s %d" % kv for kv in sorted(kinds.items())) if kinds else "",
        len(nonbit), el, a.seed, cfg.graphc))
    for i, cs, rep, dest in sorted(failures, key=lambda x: x[0]):
        print("  case %d (gen.py --seed %d): %s -> %s" % (i, cs, rep.problems[0], dest))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
