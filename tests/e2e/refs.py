#!/usr/bin/env python3
"""Independent references for every example of graphc (examples/*.galg).

Plain Python 3, standard library only, no code shared with graphc: each
function below is the textbook algorithm for what the example's leading
comment says it computes, not a transliteration of the .galg program
(PageRank itself is pagerank_ref.pagerank, checked by test_ref.py).

    refs.py ALGO GRAPH [--PARAM=VALUE ...] [--format=el|csv|gr|mtx] [--undirected]
                       [-o FILE]
    refs.py --jobs FILE

ALGO is the example's name (cc bfs sssp lpa pagerank pagerank_gap ppr kcore
hits degree_stats); its parameters, their types and defaults are the
example's (see PROGRAMS). Graph files are read by refgraph.py with the rules
of docs/runtime.md. Output as the compiled programs write it: a header
`node<TAB>COLUMN...` and one line per node in ascending id order (node-valued
columns as file ids, floats in Python's shortest round-trip repr), or, for an
algorithm whose results are all scalars, `name<TAB>value` and one
`NAME<TAB>VALUE` line per result. Compare with compare.py (floats within a
tolerance, integers and ids exactly).

--jobs FILE computes many references in one process, each graph loaded once:
every line of FILE is `OUT<TAB>ALGO GRAPH [OPTIONS...]` (options separated
by blanks). It writes OUT, or OUT.err with the error message; warnings (the
stopping test of an iteration came within rounding error of its threshold)
go to OUT.warn.

Exit status: 0 ok, 1 input error (or, with --jobs, any job failed), 2 bad
command line.
"""
import collections
import heapq
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pagerank_ref  # noqa: E402
import refgraph  # noqa: E402
from refgraph import InputError  # noqa: E402

INF = math.inf


def _div(x, y):
    """x / y with IEEE 754 semantics (0/0 is nan, 1/0 is inf), as the programs compute."""
    try:
        return x / y
    except ZeroDivisionError:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(INF, x) * math.copysign(1.0, y)


class Margin:
    """Closest approach of an iteration's err to its stopping threshold."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.closest = INF

    def see(self, err):
        self.closest = min(self.closest, abs(err - self.threshold))

    def warning(self, what):
        # err is a sum of N rounded terms; another summation order moves it by a
        # few ulps of its terms, so a closer call may legitimately flip the stop.
        if self.threshold > 0 and self.closest < 1e-11 + 1e-9 * self.threshold:
            return ("%s: err came within %.3g of its threshold %.3g; the number of "
                    "iterations is sensitive to rounding" % (what, self.closest, self.threshold))
        return None


# --- the references -------------------------------------------------------------
# Each takes a refgraph.Graph (already symmetrized when the example is
# `undirected`) and the parameters, and returns (columns, warnings): columns a
# list of (name, kind, values) with kind "node" (dense indices printed as file
# ids), "int" or "float"; for a scalar result, values is a single value.


def cc(g):
    """Connected components by union-find: every node gets the smallest id of
    its component. The root of a set is always its smallest dense index, and
    dense indices are in id order."""
    parent = list(range(g.n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    for i, j, _ in g.arcs:
        a, b = find(i), find(j)
        if a != b:
            if a < b:
                parent[b] = a
            else:
                parent[a] = b
    return [("comp", "node", [find(i) for i in range(g.n)])], []


def bfs(g, source):
    """Queue BFS over out-edges: depth = edges on a shortest path, -1 unreachable."""
    depth = [-1] * g.n
    depth[source] = 0
    queue = collections.deque([source])
    while queue:
        v = queue.popleft()
        for u in g.out_nbrs[v]:
            if depth[u] < 0:
                depth[u] = depth[v] + 1
                queue.append(u)
    return [("depth", "int", depth)], []


def sssp(g, source):
    """Dijkstra with a binary heap over weighted out-edges; inf unreachable."""
    for i, _, w in g.arcs:
        if w < 0:
            raise InputError("negative weight %r on an arc from node %d" % (w, g.ids[i]))
    dist = [INF] * g.n
    dist[source] = 0.0
    done = [False] * g.n
    heap = [(0.0, source)]
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = True
        for u, w in zip(g.out_nbrs[v], g.out_w[v]):
            nd = d + w
            if nd < dist[u]:
                dist[u] = nd
                heapq.heappush(heap, (nd, u))
    return [("dist", "float", dist)], []


def lpa(g, max_iter):
    """Synchronous label propagation: all nodes update from the previous round's
    labels; the new label is the most frequent label among the neighbors (a
    self-loop makes the node its own neighbor), ties to the smallest label, a
    node without neighbors keeps its id; stop after max_iter rounds or as soon
    as a round changes nothing."""
    label = list(range(g.n))  # dense indices: their order is the id order
    for _ in range(max_iter):
        nxt = []
        for v in range(g.n):
            nb = g.out_nbrs[v]
            if len(nb) <= 1:
                nxt.append(label[nb[0]] if nb else v)
                continue
            count = collections.Counter([label[u] for u in nb])
            top = max(count.values())
            nxt.append(min(lab for lab, c in count.items() if c == top))
        if nxt == label:
            break
        label = nxt
    return [("label", "node", label)], []


def pagerank(g, damping, max_iter, tol):
    ranks, _, _, margin = pagerank_ref.pagerank(g.ids, g.id_pairs(), damping, max_iter, tol)
    warn = []
    if margin is not None and margin < 1e-12 + 1e-9 * g.n * tol:
        warn.append("pagerank: err came within %.3g of N*tol" % margin)
    return [("ranks", "float", ranks)], warn


def f32(x):
    """x rounded to IEEE 754 binary32 (to nearest, ties to even; beyond the
    range +-inf), as a Python float: the value a C float keeps."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(INF, x)


def pagerank_gap(g, damping, max_iter, tol):
    """GAP's PageRank (gapbs pr_spmv.cc): scores start at 1/N; each iteration
    score[v] = (1-d)/N + d * sum over in-arcs u->v of score[u]/out_degree(u),
    no dangling redistribution; stop when the L1 change < tol.

    Scores are stored as GAP's ScoreT, a float (binary32), at the points the
    example's comment names: the scores (1/N at the start, then each
    iteration's new ones) and the contributions score[u]/out_degree(u) are
    rounded to binary32 (f32()); everything else is double: the sum of the
    rounded contributions, the new score before rounding, and the L1 change
    between it and the rounded old score. The sum adds the contributions one
    by one in the order of the in-neighbors' ids, the order the language fixes
    (docs/language.md), not an exact fsum: rounding to binary32 turns a
    last-bit difference of the double sum into one of 2^-24 relative."""
    n = g.n
    outdeg = [len(x) for x in g.out_nbrs]
    in_nbrs = [sorted(x) for x in g.in_nbrs]
    score = [f32(1.0 / n)] * n
    base = (1.0 - damping) / n
    margin = Margin(tol)
    for _ in range(max_iter):
        outgoing = [f32(score[u] / outdeg[u]) if outdeg[u] else 0.0 for u in range(n)]
        new = []
        for v in range(n):
            total = 0.0
            for u in in_nbrs[v]:
                total += outgoing[u]
            new.append(base + damping * total)
        err = math.fsum([abs(a - b) for a, b in zip(new, score)])
        score = [f32(x) for x in new]
        margin.see(err)
        if err < tol:
            break
    return [("ranks", "float", score)], [w for w in [margin.warning("pagerank_gap")] if w]


def ppr(g, source, damping, max_iter, tol):
    """Personalized PageRank, networkx.pagerank(G, personalization={source: 1})
    power iteration, dangling mass sent to the personalization vector too,
    stop when the L1 change < N*tol; started, as ppr.galg documents, at the
    teleport vector (networkx starts at 1/N: same fixed point)."""
    n = g.n
    outdeg = [len(x) for x in g.out_nbrs]
    dangling_nodes = [v for v in range(n) if outdeg[v] == 0]
    x = [0.0] * n
    x[source] = 1.0
    margin = Margin(n * tol)
    for _ in range(max_iter):
        # push form: every node hands d*x[u]/outdeg(u) to each out-neighbor
        y = [0.0] * n
        for u in range(n):
            if outdeg[u]:
                share = damping * x[u] / outdeg[u]
                for v in g.out_nbrs[u]:
                    y[v] += share
        danglesum = damping * math.fsum([x[u] for u in dangling_nodes])
        y[source] += danglesum + (1.0 - damping)
        err = math.fsum([abs(a - b) for a, b in zip(y, x)])
        x = y
        margin.see(err)
        if err < n * tol:
            break
    return [("ranks", "float", x)], [w for w in [margin.warning("ppr")] if w]


def kcore(g):
    """Core numbers by Batagelj-Zaversnik bucket peeling (networkx.core_number),
    on the undirected graph with a self-loop counting as one neighbor: the
    degree is the number of distinct neighbors, the node itself included when
    it has a self-loop (which then never lowers its own degree)."""
    n = g.n
    nbrs = g.out_nbrs
    deg = [len(x) for x in nbrs]
    maxdeg = max(deg) if n else 0
    # bucket sort of the nodes by degree: vert in degree order, pos[v] its place,
    # start[d] the first place of degree d
    count = [0] * (maxdeg + 2)
    for d in deg:
        count[d] += 1
    start = [0] * (maxdeg + 2)
    for d in range(1, maxdeg + 2):
        start[d] = start[d - 1] + count[d - 1]
    vert = [0] * n
    pos = [0] * n
    fill = start[:]
    for v in range(n):
        pos[v] = fill[deg[v]]
        vert[pos[v]] = v
        fill[deg[v]] += 1
    for i in range(n):
        v = vert[i]
        for u in nbrs[v]:
            if deg[u] > deg[v]:
                du = deg[u]
                pu, pw = pos[u], start[du]
                w = vert[pw]
                if u != w:  # move u to the front of its bucket, then shrink the bucket
                    vert[pu], vert[pw] = w, u
                    pos[u], pos[w] = pw, pu
                start[du] += 1
                deg[u] -= 1
    return [("core", "int", deg)], []


def hits(g, max_iter, tol):
    """HITS, networkx _hits_python: hub = 1/N; each iteration
    auth[v] = sum of hub over arcs u->v, hub[v] = sum of that auth over arcs
    v->u, each vector divided by its largest value; stop when the L1 change of
    hub < tol; finally each vector divided by its sum. Repeated arcs count
    (as weights would in networkx)."""
    n = g.n
    hub = [1.0 / n] * n
    auth = [0.0] * n
    margin = Margin(tol)
    for _ in range(max_iter):
        a = [math.fsum([hub[u] for u in g.in_nbrs[v]]) for v in range(n)]
        h = [math.fsum([a[u] for u in g.out_nbrs[v]]) for v in range(n)]
        mh, ma = max(h), max(a)
        h = [_div(x, mh) for x in h]
        a = [_div(x, ma) for x in a]
        err = math.fsum([abs(x - y) for x, y in zip(h, hub)])
        hub, auth = h, a
        margin.see(err)
        if err < tol:
            break
    sh, sa = math.fsum(hub), math.fsum(auth)
    hub = [_div(x, sh) for x in hub]
    auth = [_div(x, sa) for x in auth]
    return [("hub", "float", hub), ("auth", "float", auth)], \
        [w for w in [margin.warning("hits")] if w]


def degree_stats(g):
    n = g.n
    outdeg = [len(x) for x in g.out_nbrs]
    indeg = [len(x) for x in g.in_nbrs]
    max_out = max(outdeg)
    return [
        ("nodes", "int", n),
        ("arcs", "int", g.m),
        ("mean_out", "float", g.m / n),
        ("max_out", "int", max_out),
        ("top_node", "node", outdeg.index(max_out)),  # first = smallest id
        ("sinks", "int", outdeg.count(0)),
        ("sources", "int", indeg.count(0)),
        ("self_loops", "int", sum(1 for i, j, _ in g.arcs if i == j)),
    ], []


# name -> (function, parameters [(name, type, default)], undirected, weighted)
PROGRAMS = {
    "cc": (cc, [], True, False),
    "bfs": (bfs, [("source", "node", 0)], False, False),
    "sssp": (sssp, [("source", "node", 0)], False, True),
    "lpa": (lpa, [("max_iter", "int", 20)], True, False),
    "pagerank": (pagerank, [("damping", "float", 0.85), ("max_iter", "int", 100),
                            ("tol", "float", 1e-6)], False, False),
    "pagerank_gap": (pagerank_gap, [("damping", "float", 0.85), ("max_iter", "int", 20),
                                    ("tol", "float", 1e-4)], False, False),
    "ppr": (ppr, [("source", "node", 0), ("damping", "float", 0.85), ("max_iter", "int", 100),
                  ("tol", "float", 1e-6)], False, False),
    "kcore": (kcore, [], True, False),
    "hits": (hits, [("max_iter", "int", 100), ("tol", "float", 1e-8)], False, False),
    "degree_stats": (degree_stats, [], False, False),
}


# --- output -------------------------------------------------------------------------

def _fmt(kind, x, ids):
    if kind == "node":
        return str(ids[x])
    if kind == "int":
        return str(int(x))
    return repr(float(x))


def render(g, columns):
    """The program's output text for these result columns."""
    if not columns or all(not isinstance(v, list) for _, _, v in columns):
        return "name\tvalue\n" + "".join("%s\t%s\n" % (name, _fmt(kind, v, g.ids))
                                          for name, kind, v in columns)
    cols = [(kind, v if isinstance(v, list) else [v] * g.n) for _, kind, v in columns]
    out = ["node" + "".join("\t" + name for name, _, _ in columns) + "\n"]
    for i, x in enumerate(g.ids):
        out.append(str(x) + "".join("\t" + _fmt(kind, v[i], g.ids) for kind, v in cols) + "\n")
    return "".join(out)


# --- command line ---------------------------------------------------------------------

class UsageError(Exception):
    pass


def parse_args(argv):
    """Returns (algo, graph, fmt, undirected, params {name: text}, out)."""
    if not argv:
        raise UsageError("no algorithm")
    algo = argv[0]
    if algo not in PROGRAMS:
        raise UsageError("unknown algorithm %r (known: %s)" % (algo, " ".join(sorted(PROGRAMS))))
    names = {p[0] for p in PROGRAMS[algo][1]}
    graph, fmt, undirected, out, params = None, None, False, None, {}
    i = 1
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--undirected":
            undirected = True
        elif a == "-o" or a.startswith("--"):
            key, eq, val = ("o", "", "") if a == "-o" else a[2:].partition("=")
            key = key.replace("-", "_")
            if key not in names and key not in ("o", "output", "format"):
                raise UsageError("unknown option " + a)
            if not eq:
                if i >= len(argv):
                    raise UsageError("option %s needs a value" % a)
                val = argv[i]
                i += 1
            if key in ("o", "output"):
                out = val
            elif key == "format":
                fmt = val
            else:
                params[key] = val
        elif graph is None:
            graph = a
        else:
            raise UsageError("more than one graph file")
    if graph is None:
        raise UsageError("no graph file")
    return algo, graph, fmt, undirected, params, out


def convert_params(algo, g, given):
    """The parameters' values; a node parameter becomes the node's dense index."""
    values = []
    for name, typ, default in PROGRAMS[algo][1]:
        text = given.get(name)
        try:
            if typ == "node":
                x = int(text, 10) if text is not None else default
                if x < 0 or x not in g.index:
                    raise InputError("--%s=%d: node %d is not in the graph" % (name, x, x))
                values.append(g.index[x])
            elif typ == "int":
                values.append(int(text, 10) if text is not None else default)
            else:
                values.append(float(text) if text is not None else default)
        except ValueError:
            raise UsageError("--%s=%s: expected a %s" % (name, text, typ))
    return values


_graphs = {}


def evaluate(argv):
    """Returns (graph, columns, warnings, out) for one command line (without the
    program name); graphs are loaded once per process."""
    algo, path, fmt, undirected, given, out = parse_args(argv)
    fn, _, und, weighted = PROGRAMS[algo]
    key = (os.path.abspath(path), fmt, und or undirected, weighted)
    if key not in _graphs:
        _graphs[key] = refgraph.load(path, fmt, und or undirected, weighted)
    g = _graphs[key]
    columns, warnings = fn(g, *convert_params(algo, g, given))
    return g, columns, warnings, out


def compute(argv):
    """Returns (text, warnings, out) for one command line."""
    g, columns, warnings, out = evaluate(argv)
    return render(g, columns), warnings, out


def run_jobs(path):
    status = 0
    with open(path) as f:
        jobs = [ln.rstrip("\n").split("\t", 1) for ln in f if ln.strip()]
    for out, cmd in jobs:
        for stale in (out, out + ".err", out + ".warn"):
            if os.path.exists(stale):
                os.remove(stale)
        try:
            text, warnings, _ = compute(cmd.split())
        except (UsageError, InputError, OSError) as e:
            with open(out + ".err", "w") as f:
                f.write("refs.py %s: %s\n" % (cmd, e))
            status = 1
            continue
        if warnings:
            with open(out + ".warn", "w") as f:
                f.write("".join("refs.py %s: warning: %s\n" % (cmd, w) for w in warnings))
        with open(out + ".tmp", "w") as f:
            f.write(text)
        os.replace(out + ".tmp", out)
    return status


USAGE = ("usage: refs.py ALGO GRAPH [--PARAM=VALUE ...] [--format=el|csv|gr|mtx] [--undirected] "
         "[-o FILE]\n       refs.py --jobs FILE\n")


def main(argv):
    try:
        if argv[:1] == ["--jobs"] and len(argv) == 2:
            return run_jobs(argv[1])
        text, warnings, out = compute(argv)
    except UsageError as e:
        sys.stderr.write("refs.py: %s\n%s" % (e, USAGE))
        return 2
    except (InputError, OSError) as e:
        sys.stderr.write("refs.py: %s\n" % e)
        return 1
    for w in warnings:
        sys.stderr.write("refs.py: warning: %s\n" % w)
    if out is None or out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
