#!/usr/bin/env python3
"""Shrinks a difftest mismatch: a program + graph (+ arguments) on which a
compiled program and the reference interpreter disagree (or graphc crashes)
becomes a small one that still fails the same way.

    python3 tests/difftest/shrink.py PROG.galg GRAPH [PROGRAM ARGS ...] [--out DIR]
    python3 tests/difftest/shrink.py --case DIR [--graph K]     # a run.py keep dir
    ... --regress NAME [--note TEXT]   also writes tests/difftest/regress/NAME/

Program arguments are whatever the options below do not name (or everything
after `--`). Environment: GRAPHC (default build/bin/graphc).

The failure's kind (output, stderr, exit, crash, timeout, compile-error,
graphc-crash) and the -O level / thread count where it shows are taken from a
first full run; every candidate is then checked with `graphc --check` (so it
stays well-typed) and run only at that level and thread count, and kept when
the same kind of failure remains. Reductions, repeated until none applies:
delete statements and blocks, unwrap if/while/repeat bodies, drop else
branches, return values, parameters and header attributes, replace
subexpressions by one of their operands or by a literal, delete graph edges
(ddmin), simplify weights, drop arguments.

The result (prog.galg, graph.el, args, report.txt) goes to --out (default
PROG's directory + /shrunk). With --regress NAME it also becomes a regression
case under tests/difftest/regress/NAME, replayed by `run.py --regress`; while
the mismatch is open the case carries an `xfail` file with the description
(--note, or the first problem): delete it when the bug is fixed.
"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import dtcore  # noqa: E402

LITERALS = ["0", "1", "1.0", "true", "false", "node_id", "min(node_id)",
            "init_nodes(0)", "init_nodes(1.0)", "init_nodes(true)"]
BINOPS = re.compile(r"\s(?:\+|-|\*|/|div|%|==|!=|<=|>=|<|>|and|or)\s")


class Shrinker:
    def __init__(self, cfg, kind, signature, log=True, max_time=1800):
        self.cfg = cfg
        self.kind = kind
        self.signature = signature
        self.cache = {}
        self.tries = 0
        self.log = log
        self.tmp = tempfile.mkdtemp(prefix="difftest-shrink-")
        self.deadline = time.time() + max_time

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def interesting(self, prog, graph, args):
        key = hashlib.sha1(("\0".join([prog, graph] + list(args))).encode()).hexdigest()
        if key in self.cache:
            return self.cache[key]
        if time.time() > self.deadline:
            return False
        self.tries += 1
        t0 = time.time()
        wd = os.path.join(self.tmp, "t%d" % self.tries)
        os.makedirs(wd)
        with open(os.path.join(wd, "prog.galg"), "w") as fh:
            fh.write(prog)
        with open(os.path.join(wd, "graph.el"), "w", newline="") as fh:
            fh.write(graph)
        ok = False
        if self.kind in ("check-error",):
            good, r = dtcore.check_program(self.cfg, wd)
            ok = not good and "check-error: " + signature_of_text(r.err) == self.signature
        else:
            good, _ = dtcore.check_program(self.cfg, wd)
            if good:
                rep = dtcore.check_case(self.cfg, wd, [("graph.el", list(args))])
                ok = any(problem_signature(p) == self.signature for p in rep.problems)
        shutil.rmtree(wd, ignore_errors=True)
        self.cache[key] = ok
        if os.environ.get("SHRINK_DEBUG"):
            print("    try %d: %s in %.2fs" % (self.tries, "kept" if ok else "no", time.time() - t0))
        return ok


def signature_of_text(text):
    """A message without locations and numbers: what must stay the same."""
    first = (text or "").strip().split("\n")[0]
    first = re.sub(r"[\w./-]*\.(galg|el):\d+(:\d+)?", "FILE", first)
    return re.sub(r"\d+", "#", first)[:120]


def problem_signature(p):
    """What must stay the same while shrinking: a wrong value (in the output
    or in print lines) may move from one to the other; messages, exits,
    crashes and compile errors keep their kind and message."""
    if p.kind in ("compile-error", "graphc-crash", "check-error"):
        return p.kind + ": " + signature_of_text(p.detail)
    if p.kind in ("output", "bits") or (p.kind == "stderr" and not p.detail.startswith("both exit")):
        return "value" if p.kind != "bits" else "bits"
    if p.kind == "crash":
        m = re.search(r"(AddressSanitizer: [\w-]+|runtime error: [^\n]{0,60}|exit status -?\d+)", p.detail)
        return "crash: " + (re.sub(r"0x[0-9a-f]+", "ADDR", m.group(1)) if m else "?")
    return p.kind


# ---- program structure --------------------------------------------------------

def strip_strings(line):
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', line)


def brace_delta(line):
    s = strip_strings(line.split("//")[0])
    return s.count("{") - s.count("}")


def stmt_lines(lines):
    """Indices of body lines that start a statement (not the header, the
    return, the final brace, a closing brace or an else line)."""
    out = []
    depth = 0
    for i, l in enumerate(lines):
        s = l.strip()
        if i == 0 or not s:
            depth += brace_delta(l)
            continue
        if s.startswith("}") or s.startswith("return") or s.startswith("//"):
            depth += brace_delta(l)
            continue
        if depth >= 1:
            out.append(i)
        depth += brace_delta(l)
    return out


def header_index(lines):
    for i, l in enumerate(lines):
        if re.match(r"\s*algorithm\b", l):
            return i
    return 0


def extent(lines, i):
    """The lines [i, j) a statement starting at i spans (a block up to its
    closing brace, including else branches)."""
    d = brace_delta(lines[i])
    j = i + 1
    while d > 0 and j < len(lines):
        s = lines[j].strip()
        d += brace_delta(lines[j])
        j += 1
        if d == 0 and s.startswith("}") and s.endswith("{"):
            d = 1  # "} else {": the statement goes on
    return j


def split_top(s, sep=","):
    """Splits s at top-level separators (outside brackets and strings)."""
    parts, depth, cur, i = [], 0, [], 0
    instr = False
    while i < len(s):
        c = s[i]
        if instr:
            cur.append(c)
            if c == "\\":
                cur.append(s[i + 1])
                i += 1
            elif c == '"':
                instr = False
        elif c == '"':
            instr = True
            cur.append(c)
        elif c in "([":
            depth += 1
            cur.append(c)
        elif c in ")]":
            depth -= 1
            cur.append(c)
        elif c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def paren_spans(line):
    """(start, end, inner-start) of every parenthesized group and call,
    largest first; start includes a call's function name."""
    spans, stack = [], []
    s = strip_strings(line)
    for i, c in enumerate(s):
        if c in "([":
            stack.append((i, c))
        elif c in ")]" and stack:
            j, o = stack.pop()
            if o == "(":
                k = j
                while k > 0 and (s[k - 1].isalnum() or s[k - 1] == "_"):
                    k -= 1
                spans.append((k, i + 1, j + 1))
    spans.sort(key=lambda t: t[0] - t[1])
    return spans


def candidates_for(line, start, end, inner):
    text = line[start:end]
    body = line[inner:end - 1]
    cands = []
    if "for" in body.split():
        # an aggregation: drop its filter, or use the body alone
        m = re.match(r"(.*)\s+for\s+(\w+)(\s*,\s*\w+)?\s+in\s+(\w+)(\s+if\s+(.*))?$", body.strip())
        if m:
            fn = line[start:inner - 1]
            if m.group(5):
                cands.append("%s(%s for %s%s in %s)" % (fn, m.group(1), m.group(2), m.group(3) or "", m.group(4)))
            for d in ("in_nbrs", "out_nbrs", "nbrs"):
                if d != m.group(4) and not m.group(3):
                    cands.append("%s(%s for %s in %s%s)" % (fn, m.group(1), m.group(2), d, m.group(5) or ""))
    else:
        args = [a.strip() for a in split_top(body)]
        if len(args) > 1 or inner - 1 > start:
            cands += args
        parts = BINOPS.split(body)
        if len(parts) == 2 and inner - 1 == start:
            cands += [p.strip() for p in parts]
        if inner - 1 == start:
            cands.append(body.strip())
    cands += LITERALS
    out = []
    for c in cands:
        c = c.strip()
        if c and c != text and len(c) < len(text) + 2 and c not in out:
            out.append(c)
    return sorted(out, key=len)


# ---- passes -------------------------------------------------------------------

def pass_delete(sh, st):
    changed = False
    lines = st["prog"].split("\n")
    i = len(lines) - 1
    while i >= 0:
        lines = st["prog"].split("\n")
        idx = stmt_lines(lines)
        starts = [k for k in idx if k <= i]
        if not starts:
            break
        k = starts[-1]
        j = extent(lines, k)
        cand = "\n".join(lines[:k] + lines[j:])
        if sh.interesting(cand, st["graph"], st["args"]):
            st["prog"] = cand
            changed = True
        i = k - 1
    return changed


def pass_unwrap(sh, st):
    changed = False
    k = 0
    while True:
        lines = st["prog"].split("\n")
        idx = [i for i in stmt_lines(lines) if lines[i].rstrip().endswith("{")]
        idx = [i for i in idx if i >= k]
        if not idx:
            break
        i = idx[0]
        j = extent(lines, i)
        # the branches of an if/else chain
        branches, cur, d = [], [], 0
        for l in lines[i + 1:j - 1]:
            s = l.strip()
            if d == 0 and s.startswith("}") and s.endswith("{"):
                branches.append(cur)
                cur = []
                continue
            d += brace_delta(l)
            cur.append(l)
        branches.append(cur)
        done = False
        for br in branches:
            cand = "\n".join(lines[:i] + br + lines[j:])
            if sh.interesting(cand, st["graph"], st["args"]):
                st["prog"] = cand
                changed = done = True
                break
        if not done and len(branches) > 1:
            # drop the last else branch
            last = max(x for x in range(i + 1, j - 1) if lines[x].strip().startswith("}") and lines[x].strip().endswith("{"))
            cand = "\n".join(lines[:last] + lines[j - 1:])
            if sh.interesting(cand, st["graph"], st["args"]):
                st["prog"] = cand
                changed = done = True
        k = i if done else i + 1
    return changed


def pass_return(sh, st):
    changed = False
    while True:
        lines = st["prog"].split("\n")
        ri = [i for i, l in enumerate(lines) if l.strip().startswith("return ")]
        if not ri:
            return changed
        i = ri[-1]
        ind = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        items = [x.strip() for x in split_top(lines[i].strip()[len("return "):])]
        if len(items) <= 1:
            return changed
        done = False
        for k in range(len(items)):
            rest = items[:k] + items[k + 1:]
            cand = "\n".join(lines[:i] + [ind + "return " + ", ".join(rest)] + lines[i + 1:])
            if sh.interesting(cand, st["graph"], st["args"]):
                st["prog"] = cand
                changed = done = True
                break
        if not done:
            return changed


def pass_header(sh, st):
    changed = False
    lines = st["prog"].split("\n")
    h = header_index(lines)
    m = re.match(r"(\s*algorithm\s+\w+\s*\()(.*)(\)\s*)([\w\s]*)\{\s*$", lines[h])
    if not m:
        return False
    params = [p.strip() for p in split_top(m.group(2)) if p.strip()]
    attrs = m.group(4).split()
    # parameters: drop each (and its argument)
    k = 0
    while k < len(params):
        name = params[k].split(":")[0].strip()
        rest = params[:k] + params[k + 1:]
        line = m.group(1) + ", ".join(rest) + m.group(3) + " ".join(attrs) + (" " if attrs else "") + "{"
        cand = "\n".join(lines[:h] + [line] + lines[h + 1:])
        args = [a for a in st["args"] if not re.match(r"--%s(=|$)" % re.escape(name), a)]
        if sh.interesting(cand, st["graph"], args):
            st["prog"], st["args"] = cand, args
            params = rest
            lines = cand.split("\n")
            changed = True
        else:
            k += 1
    for drop in (["nonnegative"], ["weighted", "nonnegative"], ["undirected"]):
        if not all(a in attrs for a in drop[:1]):
            continue
        na = [a for a in attrs if a not in drop]
        line = m.group(1) + ", ".join(params) + m.group(3) + " ".join(na) + (" " if na else "") + "{"
        cand = "\n".join(lines[:h] + [line] + lines[h + 1:])
        if sh.interesting(cand, st["graph"], st["args"]):
            st["prog"] = cand
            attrs = na
            lines = cand.split("\n")
            changed = True
    return changed


def pass_exprs(sh, st):
    changed = False
    lines = st["prog"].split("\n")
    h = header_index(lines)
    for i in range(h + 1, len(lines)):
        while True:
            lines = st["prog"].split("\n")
            line = lines[i]
            done = False
            for start, end, inner in paren_spans(line):
                for c in candidates_for(line, start, end, inner):
                    new = line[:start] + c + line[end:]
                    cand = "\n".join(lines[:i] + [new] + lines[i + 1:])
                    if sh.interesting(cand, st["graph"], st["args"]):
                        st["prog"] = cand
                        changed = done = True
                        break
                if done:
                    break
            if not done:
                break
    return changed


def pass_rhs(sh, st):
    """x = <expression> -> x = <literal> (also x: T = ...): cheap big steps before pass_exprs."""
    changed = False
    lines = st["prog"].split("\n")
    for i in stmt_lines(lines):
        lines = st["prog"].split("\n")
        m = re.match(r"^(\s*\w+(?:\s*:\s*\w+)?(?:\[[^=]*\])?\s*=\s*)(.+)$", lines[i])
        if not m or m.group(2).rstrip().endswith("{") or len(m.group(2)) <= 14:
            continue
        for c in LITERALS:
            cand = "\n".join(lines[:i] + [m.group(1) + c] + lines[i + 1:])
            if sh.interesting(cand, st["graph"], st["args"]):
                st["prog"] = cand
                changed = True
                break
    return changed


def pass_graph(sh, st):
    lines = [l for l in st["graph"].replace("\r\n", "\n").split("\n") if l.strip()]
    changed = False
    data = [l for l in lines if l.strip()[0] not in "#%"]
    if len(data) != len(lines):
        cand = "\n".join(data) + "\n"
        if sh.interesting(st["prog"], cand, st["args"]):
            st["graph"], lines, changed = cand, data, True
    lines = [l for l in st["graph"].split("\n") if l.strip()]
    n = max(1, len(lines) // 2)
    while n >= 1 and len(lines) > 1:
        i = 0
        removed = False
        while i < len(lines) and len(lines) > 1:
            cand_lines = lines[:i] + lines[i + n:]
            if cand_lines and sh.interesting(st["prog"], "\n".join(cand_lines) + "\n", st["args"]):
                lines = cand_lines
                st["graph"] = "\n".join(lines) + "\n"
                changed = removed = True
            else:
                i += n
        if not removed or n == 1:
            n //= 2
    # simpler weights
    lines = st["graph"].split("\n")
    for i, l in enumerate(lines):
        f = l.split()
        if len(f) == 3 and f[2] != "1":
            cand = lines[:i] + ["%s %s 1" % (f[0], f[1])] + lines[i + 1:]
            if sh.interesting(st["prog"], "\n".join(cand), st["args"]):
                lines = cand
                st["graph"] = "\n".join(lines)
                changed = True
    return changed


def pass_args(sh, st):
    changed = False
    k = 0
    while k < len(st["args"]):
        cand = st["args"][:k] + st["args"][k + 1:]
        if sh.interesting(st["prog"], st["graph"], cand):
            st["args"] = cand
            changed = True
        else:
            k += 1
    return changed


def shrink(sh, prog, graph, args, log=print):
    st = {"prog": prog, "graph": graph, "args": list(args)}
    passes = [("statements", pass_delete), ("blocks", pass_unwrap), ("return", pass_return),
              ("header", pass_header), ("graph", pass_graph), ("args", pass_args), ("right sides", pass_rhs), ("expressions", pass_exprs)]
    rnd = 0
    while True:
        rnd += 1
        any_change = False
        for name, fn in passes:
            before = (len(st["prog"]), len(st["graph"]), len(st["args"]))
            if fn(sh, st):
                any_change = True
                log("  round %d, %-11s: program %d -> %d bytes, graph %d -> %d bytes, %d args (%d tries)" % (
                    rnd, name, before[0], len(st["prog"]), before[1], len(st["graph"]), len(st["args"]), sh.tries))
        if not any_change or time.time() > sh.deadline:
            return st


def tidy(prog):
    """Drops blank lines and the generator's seed comment; re-indents."""
    out, depth = [], 0
    for l in prog.split("\n"):
        s = l.strip()
        if not s or l.startswith("// difftest case"):
            continue
        d = depth - (1 if s.startswith("}") else 0)
        out.append("    " * max(d, 0) + s)
        depth += brace_delta(l)
    return "\n".join(out) + "\n"


def parse_labels(problems):
    levels, threads = set(), set()
    for p in problems:
        m = re.match(r"(-O\d) threads=(\d+)", p.label)
        if m:
            levels.add(m.group(1))
            threads.add(int(m.group(2)))
        m = re.match(r"compile (-O\d)", p.label)
        if m:
            levels.add(m.group(1))
    return levels, threads


def main():
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description="shrink a difftest mismatch", add_help=True)
    ap.add_argument("prog", nargs="?")
    ap.add_argument("graph", nargs="?")
    ap.add_argument("--case", help="a directory saved by run.py (prog.galg, graphK.el, argsK)")
    ap.add_argument("--graph", dest="graph_k", type=int, default=None, help="with --case: which graph (default: the first failing)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--regress", metavar="NAME", help="also write tests/difftest/regress/NAME")
    ap.add_argument("--note", default=None, help="xfail text for the regression case (the bug)")
    ap.add_argument("--max-time", type=float, default=900, help="stop reducing after this many seconds (900)")
    ap.add_argument("--levels", default="-O0,-O3")
    ap.add_argument("--threads", default="1,2,3")
    ap.add_argument("--strict", action="store_true", help="a float that is not bit-identical is a mismatch too")
    ap.add_argument("--run-timeout", type=float, default=5.0,
                    help="time limit of each run while shrinking (default 5 s; a timeout failure keeps the full limit)")
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    a, unknown = ap.parse_known_args(argv)
    pargs = unknown + extra

    if a.case:
        prog_path = os.path.join(a.case, "prog.galg")
        ks = sorted(int(m.group(1)) for m in (re.match(r"graph(\d+)\.el$", f) for f in os.listdir(a.case)) if m)
        if a.graph_k is not None:
            ks = [a.graph_k]
        else:
            rep_txt = open(os.path.join(a.case, "report.txt")).read() if os.path.exists(os.path.join(a.case, "report.txt")) else ""
            fail = [int(g) for g in re.findall(r"^\S+ \[[^\]]*\bg(\d+)\]:", rep_txt, re.M)]
            if fail:
                ks = [fail[0]] + [k for k in ks if k != fail[0]]
        graph_path = os.path.join(a.case, "graph%d.el" % ks[0])
        with open(os.path.join(a.case, "args%d" % ks[0])) as fh:
            pargs = shlex.split(fh.read()) + pargs
        out = a.out or os.path.join(a.case, "shrunk")
    else:
        if not a.prog or not a.graph:
            ap.error("give PROG.galg GRAPH [args], or --case DIR")
        prog_path, graph_path = a.prog, a.graph
        out = a.out or os.path.join(os.path.dirname(os.path.abspath(prog_path)), "shrunk")

    with open(prog_path) as fh:
        prog = fh.read()
    with open(graph_path, newline="") as fh:
        graph = fh.read()

    cfg = dtcore.Config(levels=[x for x in a.levels.split(",") if x], threads=[int(x) for x in a.threads.split(",") if x],
                        strict=a.strict)
    # 1. the failure, with everything
    wd = tempfile.mkdtemp(prefix="difftest-shrink0-")
    with open(os.path.join(wd, "prog.galg"), "w") as fh:
        fh.write(prog)
    with open(os.path.join(wd, "graph.el"), "w", newline="") as fh:
        fh.write(graph)
    rep = dtcore.check_case(cfg, wd, [("graph.el", pargs)])
    shutil.rmtree(wd, ignore_errors=True)
    if rep.ok:
        print("shrink: no mismatch on this case (nothing to shrink)")
        return 1
    first = rep.problems[0]
    kind, sig = first.kind, problem_signature(first)
    print("shrink: %s" % first)
    # 2. only the level and thread count where it shows
    levels, threads = parse_labels([p for p in rep.problems if problem_signature(p) == sig])
    lv = sorted(levels)[:1] or cfg.levels[:1]
    th = sorted(threads)[:1] or cfg.threads[:1]
    # a reduced program can loop for ever (a while's counter deleted): runs get a short time limit
    run_to = cfg.timeout if kind == "timeout" else max(3.0, a.run_timeout)
    scfg = dtcore.Config(levels=lv, threads=th, rtol=cfg.rtol, timeout=cfg.timeout, strict=cfg.strict,
                         run_timeout=run_to)
    if kind in ("check-error",):
        scfg.run_compiled = scfg.run_interp = False
    elif kind == "graphc-crash" and first.label.startswith("interp"):
        scfg.run_compiled = False
    elif kind in ("compile-error", "graphc-crash") and first.label.startswith("compile"):
        scfg.run_interp = False
    # a lower -O level compiles faster: use the lowest that still fails
    if scfg.run_compiled and lv[0] in ("-O2", "-O3"):
        for low in ("-O1", "-O2"):
            if low >= lv[0]:
                break
            trial = Shrinker(dtcore.Config(levels=[low], threads=th, rtol=cfg.rtol, timeout=cfg.timeout,
                                           strict=cfg.strict, run_timeout=run_to), kind, sig)
            try:
                if trial.interesting(prog, graph, pargs):
                    lv = [low]
                    scfg.levels = tuple(lv)
                    break
            finally:
                trial.close()
    print("shrink: kind %s, signature %r, checking at %s threads=%s" % (kind, sig, ",".join(lv), th[0]))
    sh = Shrinker(scfg, kind, sig, max_time=a.max_time)
    t0 = time.time()
    try:
        if not sh.interesting(prog, graph, pargs):
            print("shrink: the failure does not reproduce at %s threads=%d alone; shrinking with all" % (lv[0], th[0]))
            sh = Shrinker(cfg, kind, sig, max_time=a.max_time)
            if not sh.interesting(prog, graph, pargs):
                print("shrink: the failure does not reproduce (flaky?)")
                return 1
        st = shrink(sh, prog, graph, pargs)
    finally:
        sh.close()
    prog_s = tidy(st["prog"])
    if not sh.interesting(prog_s, st["graph"], st["args"]):
        prog_s = st["prog"]
    # 3. write the result with a full report
    os.makedirs(out, exist_ok=True)
    for name, text in (("prog.galg", prog_s), ("graph.el", st["graph"]),
                       ("args", " ".join(shlex.quote(x) for x in st["args"]) + "\n")):
        with open(os.path.join(out, name), "w", newline="") as fh:
            fh.write(text)
    wd = tempfile.mkdtemp(prefix="difftest-shrink1-")
    shutil.copy(os.path.join(out, "prog.galg"), wd)
    shutil.copy(os.path.join(out, "graph.el"), wd)
    final = dtcore.check_case(cfg, wd, [("graph.el", st["args"])])
    dtcore.save_report(final, wd, os.path.join(wd, "saved"), "shrunk from %s (%s)" % (prog_path, first))
    shutil.copy(os.path.join(wd, "saved", "report.txt"), os.path.join(out, "report.txt"))
    shutil.rmtree(wd, ignore_errors=True)
    print("shrink: %d tries, %.0fs; program %d -> %d lines, graph %d -> %d lines; written to %s" % (
        sh.tries, time.time() - t0, prog.count("\n"), prog_s.count("\n"), graph.count("\n"),
        st["graph"].count("\n"), out))
    print(prog_s, end="")
    print("graph:", st["graph"].replace("\n", " | "), " args:", " ".join(st["args"]))
    for p in final.problems[:4]:
        print("  " + str(p))
    if a.regress:
        dest = os.path.join(HERE, "regress", a.regress)
        os.makedirs(dest, exist_ok=True)
        for name in ("prog.galg", "graph.el", "args"):
            shutil.copy(os.path.join(out, name), os.path.join(dest, name))
        if not final.ok:
            with open(os.path.join(dest, "xfail"), "w") as fh:
                fh.write((a.note or str(final.problems[0])) + "\n")
        print("shrink: regression case written to %s" % dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
