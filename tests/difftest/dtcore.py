"""Shared by run.py and shrink.py: compile a program, run it and the reference
interpreter on a graph, and compare what they did (Python 3 stdlib only).

A *case* is (program, graph, args). check_case() compiles the program at each
-O level, runs every executable at each thread count and the interpreter once
(`graphc --interpret`), and compares every run with the interpreter:

- exit status must match; when the run failed, stderr must match exactly;
- on success, same header and rows; node ids, ints, bools and nodes exact;
  floats within a relative tolerance (default 1e-9); print() lines on stderr
  compared the same way;
- a float that differs at all (even within tolerance) is recorded as not
  bit-identical: bit-identity is the design goal (docs/design.md).

It also reports crashes: graphc exiting with anything but 0/1, an executable
or the interpreter killed by a signal, sanitizer reports on stderr, timeouts.
"""
import os
import re
import shlex
import shutil
import subprocess

SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|"
                       r"ThreadSanitizer|MemorySanitizer|internal error", re.I)

# the graphc used when $GRAPHC is not set
DEFAULT_GRAPHC = "build/bin/graphc"


class Config:
    def __init__(self, graphc=None, levels=("-O0", "-O3"), threads=(1, 2, 3), rtol=1e-9, timeout=60.0,
                 run_interp=True, run_compiled=True, strict=False, run_timeout=None):
        self.graphc = os.path.abspath(graphc or os.environ.get("GRAPHC") or DEFAULT_GRAPHC)
        self.levels = tuple(levels)
        self.threads = tuple(threads)
        self.rtol = rtol
        self.timeout = timeout            # graphc itself (check, compile)
        self.run_timeout = run_timeout or timeout  # the interpreter and the executables
        self.run_interp = run_interp
        self.run_compiled = run_compiled
        self.strict = strict      # a float that is not bit-identical is a problem ('bits')
        self.env = dict(os.environ)
        # several programs run at once on few cores: do not let idle OpenMP threads spin
        self.env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        # the graphs are small: run every kernel of 2+ chunks in a parallel
        # region anyway, or the thread counts would test nothing
        self.env.setdefault("GRAPHC_PARALLEL_MIN", "0")
        self.env.pop("OMP_NUM_THREADS", None)


class Run:
    """One process: its command, exit status, stderr and output file text."""

    def __init__(self, label, cmd, rc, err, out, timed_out=False):
        self.label, self.cmd, self.rc, self.err, self.out, self.timed_out = label, cmd, rc, err, out, timed_out

    def crashed(self, allowed=(0, 1, 2)):
        return self.timed_out or self.rc not in allowed or bool(SANITIZER.search(self.err or ""))


class Problem:
    def __init__(self, kind, label, detail):
        self.kind, self.label, self.detail = kind, label, detail

    def __str__(self):
        return "%s [%s]: %s" % (self.kind, self.label, self.detail)


class Report:
    def __init__(self):
        self.problems = []
        self.nonbit = []          # labels whose floats matched only within tolerance
        self.runs = []            # every Run, for saving
        self.compiles = []        # compile Runs
        self.nruns = 0

    @property
    def ok(self):
        return not self.problems

    def kinds(self):
        return {p.kind for p in self.problems}


def execute(label, cmd, cwd, cfg, out_path=None, timeout=None):
    if out_path and os.path.exists(out_path):
        os.unlink(out_path)
    try:
        p = subprocess.run(cmd, cwd=cwd, env=cfg.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout or cfg.timeout)
        rc, err, timed_out = p.returncode, p.stderr.decode("utf-8", "replace"), False
    except subprocess.TimeoutExpired as e:
        rc, err, timed_out = -999, (e.stderr or b"").decode("utf-8", "replace"), True
    out = None
    if out_path and os.path.exists(out_path):
        with open(out_path, "rb") as fh:
            out = fh.read().decode("utf-8", "replace")
    return Run(label, cmd, rc, err, out, timed_out)


# ---- column types from the IR dump -------------------------------------------

_DEF = re.compile(r"^\s*(%[\w.]+) : (\w+)(\[N\])? =")
_RET = re.compile(r"^\s*return (.*)$")


def column_types(cfg, prog, cwd):
    """[(dtype, is_vector)] of the returned values, from `graphc --dump-ir`."""
    try:
        p = subprocess.run([cfg.graphc, "--dump-ir", prog], cwd=cwd, env=cfg.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=cfg.timeout)
    except subprocess.TimeoutExpired:
        return None
    if p.returncode != 0:
        return None
    types, ret = {}, None
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        m = _DEF.match(line)
        if m:
            types[m.group(1)] = (m.group(2), bool(m.group(3)))
            continue
        m = _RET.match(line)
        if m:
            ret = [t.strip() for t in m.group(1).split(",")]
    if ret is None or any(t not in types for t in ret):
        return None
    return [types[t] for t in ret]


# ---- comparing ---------------------------------------------------------------

def _float(tok):
    try:
        return float(tok)
    except ValueError:
        return None


def same_float(a, b, rtol):
    """(equal within tolerance, bit-identical) for two printed floats."""
    if a == b:
        return True, True
    x, y = _float(a), _float(b)
    if x is None or y is None:
        return False, False
    if x != x or y != y:  # NaN
        return x != x and y != y, False
    if x == y:  # 0 and -0
        return True, False
    if abs(x) == float("inf") or abs(y) == float("inf"):
        return False, False
    return abs(x - y) <= rtol * max(abs(x), abs(y)), False


def looks_float(tok):
    return bool(re.search(r"[.eEn]", tok)) and _float(tok) is not None


class _NonBit(__import__("threading").local):
    detail = ""


NONBIT = _NonBit()  # where the last comparison found a float that is not bit-identical


def compare_outputs(ref, got, types, rtol):
    """None when they agree, else a description. Returns (detail, bit_identical)."""
    if ref == got:
        return None, True
    rl, gl = ref.split("\n"), got.split("\n")
    if rl[0] != gl[0]:
        return "headers differ: interpreter %r, compiled %r" % (rl[0], gl[0]), False
    if len(rl) != len(gl):
        return "%d lines from the interpreter, %d from the compiled program" % (len(rl), len(gl)), False
    vector = types is not None and any(v for _, v in types)
    bit = True
    for i, (a, b) in enumerate(zip(rl, gl)):
        if a == b:
            continue
        fa, fb = a.split("\t"), b.split("\t")
        if len(fa) != len(fb):
            return "line %d: %r vs %r" % (i + 1, a, b), False
        for k, (x, y) in enumerate(zip(fa, fb)):
            if x == y:
                continue
            if types is not None:
                if vector:
                    dt = "node" if k == 0 else types[k - 1][0] if k - 1 < len(types) else None
                else:
                    dt = types[i - 1][0] if k == 1 and 0 < i <= len(types) else None
                is_float = dt == "float"
            else:
                is_float = looks_float(x) or looks_float(y)
            col = rl[0].split("\t")[k] if vector else fa[0]
            if not is_float:
                return "line %d (node %s), column %s: interpreter %s, compiled %s" % (i + 1, fa[0], col, x, y), False
            eq, _ = same_float(x, y, rtol)
            if not eq:
                return "line %d (node %s), column %s: interpreter %s, compiled %s (beyond rtol)" % (
                    i + 1, fa[0], col, x, y), False
            if bit:
                NONBIT.detail = "line %d (node %s), column %s: interpreter %s, compiled %s" % (i + 1, fa[0], col, x, y)
            bit = False
    return None, bit


def compare_prints(ref, got, rtol):
    """print() output (stderr of successful runs): tokens, floats within rtol."""
    if ref == got:
        return None, True
    rl, gl = ref.split("\n"), got.split("\n")
    if len(rl) != len(gl):
        return "stderr: %d lines from the interpreter, %d from the compiled program" % (len(rl), len(gl)), False
    bit = True
    for i, (a, b) in enumerate(zip(rl, gl)):
        if a == b:
            continue
        ta, tb = a.split(" "), b.split(" ")
        if len(ta) != len(tb):
            return "stderr line %d: %r vs %r" % (i + 1, a, b), False
        for x, y in zip(ta, tb):
            if x == y:
                continue
            eq, _ = same_float(x, y, rtol)
            if not eq or not (looks_float(x) or looks_float(y)):
                return "stderr line %d: interpreter %r, compiled %r" % (i + 1, a, b), False
            if bit:
                NONBIT.detail = "stderr line %d: interpreter %r, compiled %r" % (i + 1, a, b)
            bit = False
    return None, bit


def compare_runs(ref, got, types, rtol):
    """Problems of `got` against the interpreter's `ref`; (problem or None, bit-identical)."""
    if got.timed_out:
        return Problem("timeout", got.label, "no result after the time limit"), True
    if got.crashed():
        return Problem("crash", got.label, "exit status %d; stderr: %s" % (got.rc, got.err.strip()[:400])), True
    if ref.rc != got.rc:
        return Problem("exit", got.label, "exit status: interpreter %d, compiled %d; interpreter stderr %r, "
                       "compiled stderr %r" % (ref.rc, got.rc, ref.err.strip()[:300], got.err.strip()[:300])), True
    if ref.rc != 0:
        if ref.err != got.err:
            return Problem("stderr", got.label, "both exit %d, messages differ: interpreter %r, compiled %r" % (
                ref.rc, ref.err.strip()[:300], got.err.strip()[:300])), True
        return None, True
    detail, bit_p = compare_prints(ref.err, got.err, rtol)
    if detail:
        return Problem("stderr", got.label, detail), True
    if ref.out is None or got.out is None:
        return Problem("output", got.label, "exit 0 but no output file (%s)" % (
            "interpreter" if ref.out is None else "compiled")), True
    detail, bit_o = compare_outputs(ref.out, got.out, types, rtol)
    if detail:
        return Problem("output", got.label, detail), True
    return None, bit_p and bit_o


# ---- one case ----------------------------------------------------------------

def compile_all(cfg, workdir, prog="prog.galg"):
    """Compiles prog at every level into workdir/O<k>/prog. Returns
    ({level: exe path or None}, [compile Runs], [Problems])."""
    exes, runs, problems = {}, [], []
    base = os.path.splitext(os.path.basename(prog))[0]
    for lvl in cfg.levels:
        d = os.path.join(workdir, lvl.lstrip("-"))
        os.makedirs(d, exist_ok=True)
        exe = os.path.join(d, base)
        r = execute("compile %s" % lvl, [cfg.graphc, lvl, prog, "-o", exe], workdir, cfg)
        runs.append(r)
        if r.timed_out or r.rc not in (0, 1) or SANITIZER.search(r.err):
            problems.append(Problem("graphc-crash", r.label, "exit status %d; stderr: %s" % (r.rc, r.err.strip()[:600])))
            exes[lvl] = None
        elif r.rc != 0 or not os.path.exists(exe):
            problems.append(Problem("compile-error", r.label, r.err.strip()[:600]))
            exes[lvl] = None
        else:
            exes[lvl] = exe
    return exes, runs, problems


def check_program(cfg, workdir, prog="prog.galg"):
    """graphc --check: (ok, Run)."""
    r = execute("check", [cfg.graphc, "--check", prog], workdir, cfg)
    return r.rc == 0 and not SANITIZER.search(r.err), r


def check_case(cfg, workdir, runs, prog="prog.galg", exes=None, report=None):
    """runs: list of (graph path relative to workdir, [args]). The program is
    workdir/prog. Compiles it unless exes is given. Returns a Report."""
    rep = report or Report()
    ok, chk = check_program(cfg, workdir, prog)
    if not ok:
        kind = "graphc-crash" if chk.rc not in (0, 1) or SANITIZER.search(chk.err) else "check-error"
        rep.problems.append(Problem(kind, "check", chk.err.strip()[:600]))
        rep.compiles.append(chk)
        return rep
    if exes is None and cfg.run_compiled:
        exes, cruns, cprobs = compile_all(cfg, workdir, prog)
        rep.compiles.extend(cruns)
        rep.problems.extend(cprobs)
    exes = exes or {}
    types = column_types(cfg, prog, workdir)
    for k, (graph, args) in enumerate(runs):
        ref = None
        if cfg.run_interp:
            out = os.path.join(workdir, "interp.%d.tsv" % k)
            ref = execute("interp g%d" % k, [cfg.graphc, "--interpret", prog, graph] + list(args) + ["-o", out],
                          workdir, cfg, out, cfg.run_timeout)
            rep.runs.append(ref)
            rep.nruns += 1
            if ref.crashed():
                rep.problems.append(Problem("graphc-crash" if not ref.timed_out else "timeout", ref.label,
                                            "interpreter: exit status %d; stderr: %s" % (ref.rc, ref.err.strip()[:600])))
                continue
        for lvl in cfg.levels:
            exe = exes.get(lvl)
            if not exe:
                continue
            for t in cfg.threads:
                out = os.path.join(workdir, "%s.t%d.%d.tsv" % (lvl.lstrip("-"), t, k))
                got = execute("%s threads=%d g%d" % (lvl, t, k), [exe, graph] + list(args) + ["--threads=%d" % t, "-o", out],
                              workdir, cfg, out, cfg.run_timeout)
                rep.runs.append(got)
                rep.nruns += 1
                if ref is None:
                    if got.crashed():
                        rep.problems.append(Problem("crash", got.label, "exit status %d; stderr: %s" % (got.rc, got.err.strip()[:400])))
                    continue
                NONBIT.detail = ""
                prob, bit = compare_runs(ref, got, types, cfg.rtol)
                if prob:
                    rep.problems.append(prob)
                elif not bit:
                    rep.nonbit.append(got.label)
                    if cfg.strict:
                        rep.problems.append(Problem("bits", got.label, "not bit-identical: " + NONBIT.detail))
    return rep


def save_report(rep, workdir, dest, header=""):
    """Copies the case (program, graphs, args, every output) to dest and writes
    dest/report.txt."""
    os.makedirs(dest, exist_ok=True)
    for name in os.listdir(workdir):
        p = os.path.join(workdir, name)
        if os.path.isfile(p) and not os.access(p, os.X_OK):
            shutil.copy(p, os.path.join(dest, name))
    lines = [header] if header else []
    for p in rep.problems:
        lines.append(str(p))
    if rep.nonbit:
        lines.append("not bit-identical (within tolerance): " + ", ".join(rep.nonbit))
    lines.append("")
    for r in rep.compiles + rep.runs:
        lines.append("== %s: exit %d%s" % (r.label, r.rc, " (timed out)" if r.timed_out else ""))
        lines.append("   $ " + " ".join(shlex.quote(c) for c in r.cmd))
        if r.err:
            lines.append("   stderr: " + r.err.strip().replace("\n", "\n           ")[:2000])
    with open(os.path.join(dest, "report.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
