#!/usr/bin/env python3
"""Checks the references (pagerank_ref.py, refs.py, refgraph.py) before they
judge anything.

    python3 tests/e2e/test_ref.py [-v]        (SHARED_DATA=... adds real-graph checks)

Part 1, PageRank (pagerank_ref.py). Three independent ways to know the right answer:

1. Closed forms derived by hand for the small graphs in tests/e2e/graphs/
   (the derivations are in the comments of CLOSED_FORMS below). Run to
   convergence (tol=0, many iterations) the reference must hit them to 1e-14.
2. Exact rational arithmetic (fractions.Fraction) in the matrix form of the
   definition, x' = d*x*P + (1-d)/N with P the row-stochastic transition
   matrix whose dangling rows are uniform: the exact fixed point by Gaussian
   elimination, and the exact first iterates, whose errs also give the exact
   iteration count at which the stopping rule fires.
3. A push-style float iteration over the same matrix on a real graph (the
   first 5000 edges of SNAP ego-Facebook).

Part 2, every other example (refs.py) and the graph reader (refgraph.py):
values derived by hand on the small graphs of tests/e2e/graphs/ (HAND below,
each with its derivation), exact rational fixed points for the iterative
ones, second implementations written differently (or NetworkX itself, when it
happens to be installed) on the real graphs, and the readers' rules for el,
gr and mtx.
"""
import collections
import math
import os
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pagerank_ref as ref  # noqa: E402

GRAPHS = os.path.join(HERE, "graphs")
REF = os.path.join(HERE, "pagerank_ref.py")


def path_ranks(length, d):
    # Path n0 -> n1 -> ... -> n(L-1), the last dangling. Every node gets the same
    # t = (1-d)/N + d*D/N from teleport and dangling mass, plus d times its
    # predecessor: r_i = t + d*r_(i-1), so r_i = t*s_i with s_i = 1 + d + ... + d^i;
    # the ranks sum to 1, so t = 1 / sum(s_i).
    s = [sum(d ** j for j in range(i + 1)) for i in range(length)]
    t = 1.0 / sum(s)
    return [t * x for x in s]


def sym_star(k, n, d):
    # Center c with k leaves, edges both ways, inside a graph of n nodes with no
    # dangling nodes. c = (1-d)/n + d*k*l and l = (1-d)/n + d*c/k give
    # c = (1-d)(1+dk)/n + d^2 c, so c = (1+dk)/(n(1+d)).
    c = (1 + d * k) / (n * (1 + d))
    leaf = (1 - d) / n + d * c / k
    return c, leaf


def star_sym(d):
    c, leaf = sym_star(4, 5, d)
    return {0: c, 1: leaf, 2: leaf, 3: leaf, 4: leaf}


def star_in(d):
    # Leaves 1..4 -> center 0, which is dangling (N = 5, k = 4). A leaf only gets
    # teleport and the center's mass spread: l = (1-d)/N + d*c/N, with c = 1 - k*l:
    # l (1 + dk/N) = 1/N, so l = 1/(N + dk) and c = (1 + dk)/(N + dk).
    n, k = 5, 4
    leaf = 1 / (n + d * k)
    return {0: (1 + d * k) / (n + d * k), 1: leaf, 2: leaf, 3: leaf, 4: leaf}


def star_out(d):
    # Center 0 -> leaves 1..4, all dangling (N = 5). The dangling mass is
    # D = 1 - c, and c = (1-d)/N + d*(1-c)/N, so c = 1/(N + d); leaves share 1 - c.
    c = 1 / (5 + d)
    leaf = (1 - c) / 4
    return {0: c, 1: leaf, 2: leaf, 3: leaf, 4: leaf}


def two_components(d):
    # Without dangling nodes each component keeps mass N_comp/N at the fixed
    # point, so the symmetric-star formula holds with the global N = 6 (k = 3);
    # the 2-cycle's nodes are symmetric: 1/6 each.
    c, leaf = sym_star(3, 6, d)
    return {0: c, 1: leaf, 2: leaf, 3: leaf, 4: 1 / 6, 5: 1 / 6}


def path3(d):
    # Path 0 -> 1 -> 2: a = 1/(3 + 2d + d^2), b = a(1+d), c = a(1+d+d^2).
    a = 1 / (3 + 2 * d + d * d)
    assert math.isclose(a, path_ranks(3, d)[0], rel_tol=1e-15)
    return {0: a, 1: a * (1 + d), 2: a * (1 + d + d * d)}


def selfloop(d):
    # 0->0, 0->1, 1->0: out_degree(0) = 2. r1 = (1-d)/2 + d*r0/2 and r0 = 1 - r1
    # give r1 = 1/(2+d), r0 = (1+d)/(2+d).
    return {0: (1 + d) / (2 + d), 1: 1 / (2 + d)}


def duplicate(d):
    # 0->1 (twice), 0->2, 1->0, 2->0: out_degree(0) = 3.
    # a = (1-d)/3 + d(b + c) = (1-d)/3 + d(1 - a), so a = (1+2d)/(3(1+d));
    # b = (1-d)/3 + d*2a/3 and c = (1-d)/3 + d*a/3.
    a = (1 + 2 * d) / (3 * (1 + d))
    return {0: a, 1: (1 - d) / 3 + 2 * d * a / 3, 2: (1 - d) / 3 + d * a / 3}


def sparse_ids(d):
    r = path_ranks(4, d)  # the path 99999999999 -> 10 -> 1000000 -> 9
    return {99999999999: r[0], 10: r[1], 1000000: r[2], 9: r[3]}


CLOSED_FORMS = {
    "cycle5.el": lambda d: {i: 1 / 5 for i in range(5)},
    "star_sym.el": star_sym,
    "whitespace.el": star_sym,
    "star_in.el": star_in,
    "star_out.el": star_out,
    "two_components.el": two_components,
    "path3.el": path3,
    "crlf.el": path3,
    "selfloop.el": selfloop,
    "selfloop_only.el": lambda d: {7: 1.0},
    "sparse_ids.el": sparse_ids,
    "maxid.el": lambda d: {0: 1 / 3, 2 ** 63: 1 / 3, 2 ** 64 - 1: 1 / 3},
    "duplicate.el": duplicate,
}


def load(name):
    return ref.load(os.path.join(GRAPHS, name))


def transition(ids, edges):
    """Exact row-stochastic matrix P (dict of dicts), dangling rows uniform."""
    n = len(ids)
    index = {x: i for i, x in enumerate(ids)}
    outdeg = [0] * n
    for u, _ in edges:
        outdeg[index[u]] += 1
    p = [dict() for _ in range(n)]
    for u, v in edges:
        iu, iv = index[u], index[v]
        p[iu][iv] = p[iu].get(iv, 0) + Fraction(1, outdeg[iu])
    for i in range(n):
        if outdeg[i] == 0:
            p[i] = {j: Fraction(1, n) for j in range(n)}
    return p


def exact_step(x, p, d):
    n = len(x)
    y = [(1 - d) / n] * n
    for i in range(n):
        for j, w in p[i].items():
            y[j] += d * x[i] * w
    return y


def exact_fixed_point(p, d):
    """Solves (I - d P^T) x = (1-d)/N exactly."""
    n = len(p)
    a = [[Fraction(int(i == j)) for j in range(n)] + [(1 - d) / n] for i in range(n)]
    for i in range(n):
        for j, w in p[i].items():
            a[j][i] -= d * w
    for col in range(n):
        piv = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[piv] = a[piv], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def all_graphs():
    return sorted(f for f in os.listdir(GRAPHS) if f.endswith(".el"))


class ClosedForms(unittest.TestCase):
    def test_closed_forms_are_for_existing_graphs(self):
        # The graphs without a PageRank closed form are checked by the exact
        # arithmetic below, and by the other references' hand-derived values.
        self.assertLessEqual(set(CLOSED_FORMS), set(all_graphs()))

    def test_converged_reference_matches_closed_forms(self):
        for name, form in CLOSED_FORMS.items():
            ids, edges = load(name)
            for d in (0.85, 0.5, 0.9):
                with self.subTest(graph=name, damping=d):
                    ranks, it, _, _ = ref.pagerank(ids, edges, d, 400, 0.0)
                    self.assertEqual(it, 400)
                    want = form(d)
                    self.assertEqual(sorted(want), ids)
                    self.assertAlmostEqual(math.fsum(want.values()), 1.0, delta=1e-15)
                    for i, x in enumerate(ids):
                        self.assertAlmostEqual(ranks[i], want[x], delta=1e-14,
                                               msg="node %d" % x)

    def test_default_parameters_stop_near_the_fixed_point(self):
        # The L1 step is a contraction by d, so stopping at err < N*tol leaves
        # the iterate within d/(1-d) * N*tol of the fixed point (L1).
        for name, form in CLOSED_FORMS.items():
            ids, edges = load(name)
            with self.subTest(graph=name):
                ranks, it, err, _ = ref.pagerank(ids, edges)
                n = len(ids)
                self.assertLess(err, n * 1e-6)
                self.assertLess(it, 100)
                want = form(0.85)
                l1 = sum(abs(ranks[i] - want[x]) for i, x in enumerate(ids))
                self.assertLess(l1, 0.85 / 0.15 * n * 1e-6)

    def test_cycle_is_exactly_uniform_and_stops_after_one_iteration(self):
        ids, edges = load("cycle5.el")
        ranks, it, err, _ = ref.pagerank(ids, edges)
        self.assertEqual(it, 1)
        for r in ranks:
            self.assertAlmostEqual(r, 0.2, delta=1e-16)


class ExactArithmetic(unittest.TestCase):
    def test_fixed_point_by_gaussian_elimination(self):
        for name in all_graphs():
            ids, edges = load(name)
            p = transition(ids, edges)
            for d in (0.85, 0.6):
                with self.subTest(graph=name, damping=d):
                    want = exact_fixed_point(p, Fraction(d))
                    self.assertEqual(sum(want), 1)
                    ranks, _, _, _ = ref.pagerank(ids, edges, d, 400, 0.0)
                    for i in range(len(ids)):
                        self.assertAlmostEqual(ranks[i], float(want[i]), delta=1e-14)

    def test_first_iterates_and_stopping_iteration(self):
        for name in all_graphs():
            ids, edges = load(name)
            n = len(ids)
            p = transition(ids, edges)
            d = Fraction(0.85)
            x = [Fraction(1, n)] * n
            stop = None
            for k in range(1, 151):
                y = exact_step(x, p, d)
                err = sum(abs(a - b) for a, b in zip(x, y))
                x = y
                if k <= 4:
                    with self.subTest(graph=name, iterations=k):
                        ranks, it, _, _ = ref.pagerank(ids, edges, 0.85, k, 0.0)
                        self.assertEqual(it, k)
                        for i in range(n):
                            self.assertAlmostEqual(ranks[i], float(x[i]), delta=1e-15)
                if stop is None and err < n * Fraction(1e-6):
                    self.assertGreater(abs(err - n * Fraction(1e-6)), Fraction(1, 10**12))
                    stop = k
                if stop is not None and k >= 4:
                    break
            with self.subTest(graph=name, stopping_rule=True):
                self.assertIsNotNone(stop)
                _, it, _, _ = ref.pagerank(ids, edges)
                self.assertEqual(it, stop)

    def test_tol_zero_runs_exactly_max_iter(self):
        ids, edges = load("cycle5.el")  # converged after one iteration
        for k in (0, 1, 7, 100, 250):
            _, it, _, _ = ref.pagerank(ids, edges, 0.85, k, 0.0)
            self.assertEqual(it, k)


@unittest.skipUnless(os.path.exists(os.path.join(
    os.environ.get("SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data")),
    "facebook_combined.txt")), "SHARED_DATA/facebook_combined.txt not found")
class RealGraph(unittest.TestCase):
    def test_push_iteration_agrees_on_facebook_5000(self):
        path = os.path.join(os.environ.get("SHARED_DATA", os.path.join(
            HERE, "..", "..", "..", "shared", "data")), "facebook_combined.txt")
        with open(path) as f:
            text = "".join(f.readline() for _ in range(5000))
        ids, edges = ref.parse_edges(text)
        n = len(ids)
        index = {x: i for i, x in enumerate(ids)}
        out = [[] for _ in range(n)]
        for u, v in edges:
            out[index[u]].append(index[v])
        for d, iters, tol in ((0.85, 100, 1e-6), (0.9, 30, 0.0)):
            x = [1.0 / n] * n
            it = 0
            while it < iters:  # push: each node hands d*x/outdeg to its out-neighbors
                y = [(1 - d) / n] * n
                spill = 0.0
                for u in range(n):
                    if out[u]:
                        s = d * x[u] / len(out[u])
                        for v in out[u]:
                            y[v] += s
                    else:
                        spill += d * x[u] / n
                y = [a + spill for a in y]
                err = sum(abs(a - b) for a, b in zip(x, y))
                x = y
                it += 1
                if err < n * tol:
                    break
            ranks, rit, _, _ = ref.pagerank(ids, edges, d, iters, tol)
            self.assertEqual(rit, it)
            for i in range(n):
                self.assertAlmostEqual(ranks[i], x[i], delta=1e-13)


def have_networkx():
    try:
        from networkx.algorithms.link_analysis import pagerank_alg  # noqa: F401
        return hasattr(pagerank_alg, "_pagerank_python")
    except ImportError:
        return False


@unittest.skipUnless(have_networkx(), "networkx is not installed (optional)")
class NetworkX(unittest.TestCase):
    """The definition's source itself, when it happens to be installed: NetworkX's
    pure-Python power iteration on a MultiDiGraph (duplicates count twice)."""

    def check(self, ids, edges, d, max_iter, tol):
        import networkx as nx
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
        g = nx.MultiDiGraph()
        g.add_nodes_from(ids)
        g.add_edges_from(edges)
        want = _pagerank_python(g, alpha=d, max_iter=max_iter, tol=tol)
        ranks, _, _, _ = ref.pagerank(ids, edges, d, max_iter, tol)
        for i, x in enumerate(ids):
            self.assertAlmostEqual(ranks[i], want[x], delta=1e-14)

    def test_small_graphs(self):
        for name in all_graphs():
            with self.subTest(graph=name):
                self.check(*load(name), 0.85, 100, 1e-6)
                self.check(*load(name), 0.9, 1000, 1e-12)

    def test_facebook_5000(self):
        path = os.path.join(os.environ.get("SHARED_DATA", os.path.join(
            HERE, "..", "..", "..", "shared", "data")), "facebook_combined.txt")
        if not os.path.exists(path):
            self.skipTest("no SHARED_DATA")
        with open(path) as f:
            text = "".join(f.readline() for _ in range(5000))
        ids, edges = ref.parse_edges(text)
        self.check(ids, edges, 0.85, 100, 1e-6)
        self.check(ids, edges, 0.9, 1000, 1e-10)


class CommandLine(unittest.TestCase):
    def run_ref(self, *args):
        return subprocess.run([sys.executable, REF] + list(args), capture_output=True,
                              text=True)

    def test_output_format_and_numeric_id_order(self):
        r = self.run_ref(os.path.join(GRAPHS, "sparse_ids.el"), "--tol=0", "--max_iter", "400")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.split("\n")
        self.assertEqual(lines[0], "node\tranks")
        self.assertEqual(lines[-1], "")
        rows = [ln.split("\t") for ln in lines[1:-1]]
        self.assertEqual([a for a, _ in rows], ["9", "10", "1000000", "99999999999"])
        want = sparse_ids(0.85)
        for a, b in rows:
            self.assertEqual(repr(float(b)), b)  # shortest round-trip
            self.assertAlmostEqual(float(b), want[int(a)], delta=1e-14)

    def test_output_file_and_stats(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.tsv")
            r = self.run_ref(os.path.join(GRAPHS, "duplicate.el"), "-o", out, "--stats")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "")
            with open(out) as f:
                self.assertEqual(len(f.read().splitlines()), 4)
        self.assertIn("graph.nodes 3\n", r.stderr)
        self.assertIn("graph.edges 5\n", r.stderr)
        self.assertIn("graph.duplicate_edges 1\n", r.stderr)
        self.assertIn("graph.self_loops 0\n", r.stderr)
        r = self.run_ref(os.path.join(GRAPHS, "selfloop.el"), "--stats")
        self.assertIn("graph.self_loops 1\n", r.stderr)

    def test_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.el")
            with open(bad, "w") as f:
                f.write("0 1\n1 x\n")
            r = self.run_ref(bad)
            self.assertEqual(r.returncode, 1)
            self.assertIn("bad.el:2: error:", r.stderr)
            with open(bad, "w") as f:
                f.write("0 1 2\n")
            self.assertEqual(self.run_ref(bad).returncode, 1)
            with open(bad, "w") as f:
                f.write("0 -1\n")
            self.assertEqual(self.run_ref(bad).returncode, 1)
        self.assertEqual(self.run_ref(os.path.join(GRAPHS, "nonexistent.el")).returncode, 1)
        self.assertEqual(self.run_ref(os.path.join(GRAPHS, "cycle5.el"), "--nope=1").returncode, 2)
        self.assertEqual(self.run_ref(os.path.join(GRAPHS, "cycle5.el"), "--tol=x").returncode, 2)
        self.assertEqual(self.run_ref().returncode, 2)


# =====================================================================================
# Part 2: the other examples' references (refs.py) and the graph reader (refgraph.py)
# =====================================================================================

import refgraph  # noqa: E402
import refs  # noqa: E402

REFS = os.path.join(HERE, "refs.py")
INF = math.inf
NAN = math.nan
PHI = (1 + 5 ** 0.5) / 2
D = 0.85
B3 = (1 - D) / 3  # GAP's base score (1-d)/N on a 3-node graph
B5 = (1 - D) / 5
E19 = 3.0 ** -19  # see hits on two_components.el
F = refs.f32  # x rounded to binary32, as pagerank_gap stores its scores

# HAND: (algorithm, graph, options) -> expected values, derived by hand.
# Vector results: {column: {node id: value}}; scalar results: {name: value}.
# Integers and node ids must match exactly, floats within 1e-14, or within
# DELTA for a value given as (value, DELTA).
HAND = [
    # ---- cc: union-find; the program is `undirected`, so arc directions do not matter.
    # path5: one path, smallest id 0.
    ("cc", "path5.el", "", {"comp": {i: 0 for i in range(5)}}),
    # components: triangle {3, 5, 8} -> 3, edge {10, 12} -> 10, 7 alone (self-loop) -> 7.
    ("cc", "components.el", "", {"comp": {3: 3, 5: 3, 8: 3, 10: 10, 12: 10, 7: 7}}),
    # two_components: star {0..3} -> 0 and 2-cycle {4, 5} -> 4.
    ("cc", "two_components.el", "", {"comp": {0: 0, 1: 0, 2: 0, 3: 0, 4: 4, 5: 4}}),
    # sparse_ids: one path over 99999999999, 10, 1000000, 9: the smallest id is 9.
    ("cc", "sparse_ids.el", "", {"comp": {9: 9, 10: 9, 1000000: 9, 99999999999: 9}}),
    # maxid: a 3-cycle through 0, 2^63 and 2^64-1.
    ("cc", "maxid.el", "", {"comp": {0: 0, 2 ** 63: 0, 2 ** 64 - 1: 0}}),
    # diamond.gr: nodes 1..7; arcs join 1..6; 7 is in no arc, its own component.
    ("cc", "diamond.gr", "", {"comp": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 7}}),
    # sym.mtx: edges 1-2, 2-3, 1-5 -> 1; 4 (self-loop only) -> 4; 6 (no entry) -> 6.
    ("cc", "sym.mtx", "", {"comp": {1: 1, 2: 1, 3: 1, 4: 4, 5: 1, 6: 6}}),
    # general.mtx: 4x5 matrix, nodes 1..5; 1-2, 2-3, 1-3, 4-1 -> 1; 5 -> 5.
    ("cc", "general.mtx", "", {"comp": {1: 1, 2: 1, 3: 1, 4: 1, 5: 5}}),

    # empty.mtx: three declared nodes and no edge: each its own component.
    ("cc", "empty.mtx", "", {"comp": {1: 1, 2: 2, 3: 3}}),

    # ---- bfs over out-edges.
    # path5 from 0: depth = position; from 2: 0 and 1 are behind the source.
    ("bfs", "path5.el", "--source=0", {"depth": {i: i for i in range(5)}}),
    ("bfs", "path5.el", "--source=2", {"depth": {0: -1, 1: -1, 2: 0, 3: 1, 4: 2}}),
    # star_in from leaf 1: 1 -> 0, and 0 has no out-edges.
    ("bfs", "star_in.el", "--source=1", {"depth": {0: 1, 1: 0, 2: -1, 3: -1, 4: -1}}),
    # ... and with --undirected the other leaves are two hops away through 0.
    ("bfs", "star_in.el", "--source=1 --undirected", {"depth": {0: 1, 1: 0, 2: 2, 3: 2, 4: 2}}),
    # duplicate: 1 -> 0 -> {1, 2}.
    ("bfs", "duplicate.el", "--source=1", {"depth": {0: 1, 1: 0, 2: 2}}),
    # diamond.wel from 0: 1, 2 and 3 are direct out-neighbors, 4 behind 3, 5 only
    # has an arc into 0.
    ("bfs", "diamond.wel", "--source=0", {"depth": {0: 0, 1: 1, 2: 1, 3: 1, 4: 2, 5: -1}}),
    # diamond.gr from 1: 2, 3, 4 direct, 5 behind 4; 6 (arc into 1) and 7 unreached.
    ("bfs", "diamond.gr", "--source=1",
     {"depth": {1: 0, 2: 1, 3: 1, 4: 1, 5: 2, 6: -1, 7: -1}}),
    # sym.mtx from 1: symmetric entries give both arcs: 1 -> 2, 5; 2 -> 3.
    ("bfs", "sym.mtx", "--source=1", {"depth": {1: 0, 2: 1, 3: 2, 4: -1, 5: 1, 6: -1}}),
    # general.mtx from 4: 4 -> 1 -> {2, 3}.
    ("bfs", "general.mtx", "--source=4", {"depth": {1: 1, 2: 2, 3: 2, 4: 0, 5: -1}}),

    ("bfs", "empty.mtx", "--source=2", {"depth": {1: -1, 2: 0, 3: -1}}),

    # ---- sssp (Dijkstra), weights from the file.
    # diamond.wel from 0: 3 costs min(10, 1+1, 1+0.75, 1+5) = 1.75 (the cheaper of
    # the parallel arcs 1->3), 4 costs 1.75 + 0.5, 5 is unreachable.
    ("sssp", "diamond.wel", "--source=0",
     {"dist": {0: 0.0, 1: 1.0, 2: 1.0, 3: 1.75, 4: 2.25, 5: INF}}),
    # diamond.csv is the same graph, with a header line and blanks around fields.
    ("sssp", "diamond.csv", "--source=0",
     {"dist": {0: 0.0, 1: 1.0, 2: 1.0, 3: 1.75, 4: 2.25, 5: INF}}),
    ("sssp", "diamond.wel", "--source=3",
     {"dist": {0: INF, 1: INF, 2: INF, 3: 0.0, 4: 0.5, 5: INF}}),
    # --undirected keeps the smallest weight of repeated edges: 1-3 costs 0.75.
    # From 4: 3 = 0.5, 1 = 0.5+0.75, 0 = 1.25+1, 2 = min(0.5+5, 2.25+1) = 3.25, 5 = 2.25+1.
    ("sssp", "diamond.wel", "--source=4 --undirected",
     {"dist": {0: 2.25, 1: 1.25, 2: 3.25, 3: 0.5, 4: 0.0, 5: 3.25}}),
    # diamond.gr from 1: 4 costs min(10, 1+1, 1+3, 1+5) = 2, 5 = 2+2; 6, 7 unreachable.
    ("sssp", "diamond.gr", "--source=1",
     {"dist": {1: 0.0, 2: 1.0, 3: 1.0, 4: 2.0, 5: 4.0, 6: INF, 7: INF}}),
    # ... from 6: everything through the arc 6 -> 1 (cost 1).
    ("sssp", "diamond.gr", "--source=6",
     {"dist": {1: 1.0, 2: 2.0, 3: 2.0, 4: 3.0, 5: 5.0, 6: 0.0, 7: INF}}),
    # general.mtx from 4: 1 = 2, 2 = 2.5, 3 = min(2+3.0, 2.5+1.5) = 4.
    ("sssp", "general.mtx", "--source=4", {"dist": {1: 2.0, 2: 2.5, 3: 4.0, 4: 0.0, 5: INF}}),

    ("sssp", "empty.mtx", "--source=3", {"dist": {1: INF, 2: INF, 3: 0.0}}),

    # ---- lpa, synchronous, ties to the smallest label (L_k = labels after round k).
    # lpa_triangles: neighbors 0:{1,2} 1:{0,2} 2:{0,1,3} 3:{2,4,5} 4:{3,5} 5:{3,4}.
    # L0 = ids. Round 1: 0 sees {1,2} -> 1 (tie), 1 {0,2} -> 0, 2 {0,1,3} -> 0,
    #   3 {2,4,5} -> 2, 4 {3,5} -> 3, 5 {3,4} -> 3: L1 = (1,0,0,2,3,3).
    # Round 2: 0 sees {0,0} -> 0, 1 {1,0} -> 0, 2 {1,0,2} -> 0, 3 {0,3,3} -> 3,
    #   4 {2,3} -> 2, 5 {2,3} -> 2: L2 = (0,0,0,3,2,2).
    # Round 3: 2 sees {0,0,3} -> 0, 3 {0,2,2} -> 2, 4 {3,2} -> 2, 5 {3,2} -> 2:
    #   L3 = (0,0,0,2,2,2). Round 4: 2 {0,0,2} -> 0, 3 {0,2,2} -> 2, 4, 5 {2,2} -> 2:
    #   no change, stop.
    ("lpa", "lpa_triangles.el", "", {"label": dict(enumerate((0, 0, 0, 2, 2, 2)))}),
    ("lpa", "lpa_triangles.el", "--max_iter=1", {"label": dict(enumerate((1, 0, 0, 2, 3, 3)))}),
    ("lpa", "lpa_triangles.el", "--max_iter=2", {"label": dict(enumerate((0, 0, 0, 3, 2, 2)))}),
    # path3 (0-1-2): L1 = (1, 0, 1): the middle node's tie {0, 2} -> 0; L2 = (0, 1, 0);
    # it alternates forever, so after 20 rounds L20 = L2 and after 3 L3 = L1.
    ("lpa", "path3.el", "", {"label": {0: 0, 1: 1, 2: 0}}),
    ("lpa", "path3.el", "--max_iter=3", {"label": {0: 1, 1: 0, 2: 1}}),
    # components: triangle 3-5-8: L1 3:5 5:3 8:3 (ties), L2: 3 sees {3,3} -> 3, 5 and 8
    # see a {5,3} tie -> 3; then stable. 10-12 swap every round: even rounds keep
    # the ids. 7's only neighbor is itself: it keeps 7.
    ("lpa", "components.el", "", {"label": {3: 3, 5: 3, 8: 3, 10: 10, 12: 12, 7: 7}}),
    # sym.mtx: neighbors 1:{2,5} 2:{1,3} 3:{2} 4:{4} 5:{1} 6:{}. L1: 1 -> 2, 2 -> 1,
    # 3 -> 2, 5 -> 1 (4 sees itself, 6 has no neighbor and keeps its id);
    # L2: 1 sees {1,1} -> 1, 2 {2,2} -> 2, 3 {1} -> 1, 5 {2} -> 2; L3 = L1: period 2.
    ("lpa", "sym.mtx", "", {"label": {1: 1, 2: 2, 3: 1, 4: 4, 5: 2, 6: 6}}),
    ("lpa", "sym.mtx", "--max_iter=1", {"label": {1: 2, 2: 1, 3: 2, 4: 4, 5: 1, 6: 6}}),

    ("lpa", "empty.mtx", "", {"label": {1: 1, 2: 2, 3: 3}}),

    # ---- kcore, a self-loop counting as one neighbor.
    # kcore.el: degrees 0:{1,2,3,4}=4 1:4 2:3 3:3 4:{0,1,5}=3 5:{4,5,6}=3 6:1 9:{9}=1.
    # k=1: peel 6 and 9 (core 1); 5 drops to {4,5}=2. k=2: peel 5 (core 2); 4 drops
    # to 2: peel 4 (core 2); 0 and 1 drop to 3. k=3: peel K4 (core 3).
    ("kcore", "kcore.el", "", {"core": {0: 3, 1: 3, 2: 3, 3: 3, 4: 2, 5: 2, 6: 1, 9: 1}}),
    ("kcore", "path5.el", "", {"core": {i: 1 for i in range(5)}}),
    ("kcore", "cycle5.el", "", {"core": {i: 2 for i in range(5)}}),
    ("kcore", "star_sym.el", "", {"core": {i: 1 for i in range(5)}}),
    # selfloop: 0:{0,1}=2, 1:{0}=1. k=1: peel 1, then 0 has {0}=1: core 1 too.
    ("kcore", "selfloop.el", "", {"core": {0: 1, 1: 1}}),
    ("kcore", "selfloop_only.el", "", {"core": {7: 1}}),
    # components: the triangle is a 2-core; 10, 12 and 7 (self-loop) have degree 1.
    ("kcore", "components.el", "", {"core": {3: 2, 5: 2, 8: 2, 10: 1, 12: 1, 7: 1}}),
    # sym.mtx: a tree plus 4's self-loop: core 1; 6 has no neighbor: core 0.
    ("kcore", "sym.mtx", "", {"core": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 0}}),
    # general.mtx: triangle 1-2-3 (core 2), 4 hangs on 1 (core 1), 5 alone (0).
    ("kcore", "general.mtx", "", {"core": {1: 2, 2: 2, 3: 2, 4: 1, 5: 0}}),

    ("kcore", "empty.mtx", "", {"core": {1: 0, 2: 0, 3: 0}}),

    # ---- pagerank_gap: score = (1-d)/N + d * sum of in-neighbors' score/outdeg,
    # with the scores and the contributions score/outdeg rounded to binary32 (F)
    # when stored, as the example stores them in f32; the rest in double. A
    # contribution of a node with out-degree 1 or 4 is its score (divided by 4:
    # exact in binary32), so here F(score/outdeg) = score/outdeg.
    # cycle5: 1/5 is a fixed point of the exact recurrence: (1-d)/5 + d/5; in
    # binary32 F(0.2) = 0.20000000298...: b + d*F(0.2) = 0.20000000253... rounds
    # back to F(0.2), and err = 5 * 4.5e-10 < tol stops after one iteration.
    ("pagerank_gap", "cycle5.el", "", {"ranks": {i: F(0.2) for i in range(5)}}),
    # path3 (0->1->2): one iteration from F(1/3): 0 gets F(b), 1 and 2 get
    # F(b + d*F(1/3)).
    ("pagerank_gap", "path3.el", "--tol=0 --max_iter=1",
     {"ranks": {0: F(B3), 1: F(B3 + D * F(1 / 3)), 2: F(B3 + D * F(1 / 3))}}),
    # ... the fixed point after 3 iterations: F(b), F(b + d*F(b)) (from the
    # 2nd), F(b + d*F(b + d*F(b))) (from the 3rd); the 4th computes the same
    # values before rounding (err = the rounding errors, < tol) and stops.
    ("pagerank_gap", "path3.el", "",
     {"ranks": {0: F(B3), 1: F(B3 + D * F(B3)), 2: F(B3 + D * F(B3 + D * F(B3)))}}),
    # star_out: the center gets F(b), each leaf F(b + d*F(b)/4) (exact after 2
    # iterations).
    ("pagerank_gap", "star_out.el", "",
     {"ranks": {0: F(B5), 1: F(B5 + D * F(B5) / 4), 2: F(B5 + D * F(B5) / 4), 3: F(B5 + D * F(B5) / 4),
                4: F(B5 + D * F(B5) / 4)}}),
    # duplicate (no dangling node, so GAP = NetworkX): a = b + d(r1 + r2),
    # r1 = b + 2da/3, r2 = b + da/3 give a = (1+2d)/(3(1+d)), the exact fixed
    # point. Rounded to binary32 the iteration settles near it: each step adds
    # at most half an ulp (2^-26 below 1/2) per score, and the recurrence
    # shrinks an error by d (in L1), so the scores end within
    # 3 * 2^-26 / (1 - d) < 3e-7 of it.
    ("pagerank_gap", "duplicate.el", "--tol=0 --max_iter=300",
     {"ranks": {0: ((1 + 2 * D) / (3 * (1 + D)), 3e-7), 1: (B3 + 2 * D * (1 + 2 * D) / (9 * (1 + D)), 3e-7),
                2: (B3 + D * (1 + 2 * D) / (9 * (1 + D)), 3e-7)}}),

    # empty.mtx: no in-edges anywhere: F((1-d)/3) after the first iteration,
    # then no change.
    ("pagerank_gap", "empty.mtx", "", {"ranks": {1: F(B3), 2: F(B3), 3: F(B3)}}),

    # ---- ppr from source s: x = (1-d) e_s + d (P^T x + dangling mass * e_s).
    # star_sym from the center: c = (1-d) + d*4l and l = d*c/4 give c = 1/(1+d),
    # l = d/(4(1+d)).
    ("ppr", "star_sym.el", "--source=0 --tol=0 --max_iter=400",
     {"ranks": {0: 1 / (1 + D), 1: D / (4 + 4 * D), 2: D / (4 + 4 * D), 3: D / (4 + 4 * D),
                4: D / (4 + 4 * D)}}),
    # path3 from 0: r0 = (1-d) + d*r2 (2 is dangling), r1 = d r0, r2 = d r1:
    # r0 = (1-d)/(1-d^3).
    ("ppr", "path3.el", "--source=0 --tol=0 --max_iter=400",
     {"ranks": {0: (1 - D) / (1 - D ** 3), 1: D * (1 - D) / (1 - D ** 3),
                2: D * D * (1 - D) / (1 - D ** 3)}}),
    # ... one iteration from the teleport vector e_0: (1-d, d, 0).
    ("ppr", "path3.el", "--source=0 --tol=0 --max_iter=1", {"ranks": {0: 1 - D, 1: D, 2: 0.0}}),
    # cycle5 from 2: r(2+k) = (1-d) d^k / (1-d^5).
    ("ppr", "cycle5.el", "--source=2 --tol=0 --max_iter=400",
     {"ranks": {(2 + k) % 5: (1 - D) * D ** k / (1 - D ** 5) for k in range(5)}}),
    # star_out from leaf 1 (dangling): everything returns to 1 at once.
    ("ppr", "star_out.el", "--source=1", {"ranks": {0: 0.0, 1: 1.0, 2: 0.0, 3: 0.0, 4: 0.0}}),

    # empty.mtx from 1: 1 is dangling, its mass returns to itself: (1, 0, 0).
    ("ppr", "empty.mtx", "--source=1", {"ranks": {1: 1.0, 2: 0.0, 3: 0.0}}),

    # ---- hits (hub, auth).
    # hits3 (0->1, 0->2, 1->2): A A^T = [[2,1,0],[1,1,0],[0,0,0]], largest eigenvalue
    # phi^2 with eigenvector (1, 1/phi, 0); auth = A^T hub = (0, 1, phi) up to scale.
    # Normalized to sum 1: hub = (1/phi, 1/phi^2, 0), auth = (0, 1/phi^2, 1/phi).
    ("hits", "hits3.el", "--tol=0 --max_iter=100",
     {"hub": {0: 1 / PHI, 1: 1 / PHI ** 2, 2: 0.0}, "auth": {0: 0.0, 1: 1 / PHI ** 2, 2: 1 / PHI}}),
    # ... one iteration from hub = 1/3: auth = (0, 1/3, 2/3), hub = (1, 2/3, 0); after
    # dividing by the sums: hub (0.6, 0.4, 0), auth (0, 1/3, 2/3).
    ("hits", "hits3.el", "--max_iter=1",
     {"hub": {0: 0.6, 1: 0.4, 2: 0.0}, "auth": {0: 0.0, 1: 1 / 3, 2: 2 / 3}}),
    # star_out: the center is the only hub, the leaves equal authorities.
    ("hits", "star_out.el", "",
     {"hub": {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0},
      "auth": {0: 0.0, 1: 0.25, 2: 0.25, 3: 0.25, 4: 0.25}}),
    ("hits", "cycle5.el", "", {"hub": {i: 0.2 for i in range(5)}, "auth": {i: 0.2 for i in range(5)}}),
    # two_components: star 0<->{1,2,3} and 4<->5. After iteration k >= 1 (each vector
    # divided by its max) hub = (1,1,1,1,3^-k,3^-k) and auth = (1,1/3,1/3,1/3,3^-k,3^-k):
    # the star's eigenvalue 3 beats the 2-cycle's 1. The change of hub is
    # 2(3^-(k-1) - 3^-k) = 4*3^-k, first below 1e-8 at k = 19 (3^19 = 1162261467).
    ("hits", "two_components.el", "",
     {"hub": {0: 1 / (4 + 2 * E19), 1: 1 / (4 + 2 * E19), 2: 1 / (4 + 2 * E19),
              3: 1 / (4 + 2 * E19), 4: E19 / (4 + 2 * E19), 5: E19 / (4 + 2 * E19)},
      "auth": {0: 1 / (2 + 2 * E19), 1: 1 / (3 * (2 + 2 * E19)), 2: 1 / (3 * (2 + 2 * E19)),
               3: 1 / (3 * (2 + 2 * E19)), 4: E19 / (2 + 2 * E19), 5: E19 / (2 + 2 * E19)}}),

    # empty.mtx: hub and auth stay 0, and 0 divided by the largest value 0 is NaN
    # (IEEE 0/0), which every later iteration and the final division keep.
    ("hits", "empty.mtx", "", {"hub": {1: NAN, 2: NAN, 3: NAN}, "auth": {1: NAN, 2: NAN, 3: NAN}}),

    # ---- degree_stats (directed; counted by hand from the files).
    # duplicate: out 0:3 1:1 2:1, in 0:2 1:2 2:1.
    ("degree_stats", "duplicate.el", "",
     {"nodes": 3, "arcs": 5, "mean_out": 5 / 3, "max_out": 3, "top_node": 0, "sinks": 0,
      "sources": 0, "self_loops": 0}),
    # selfloop: 0->0, 0->1, 1->0.
    ("degree_stats", "selfloop.el", "",
     {"nodes": 2, "arcs": 3, "mean_out": 1.5, "max_out": 2, "top_node": 0, "sinks": 0,
      "sources": 0, "self_loops": 1}),
    # star_in: leaves 1..4 tie at out-degree 1: the smallest id, 1, is the top node.
    ("degree_stats", "star_in.el", "",
     {"nodes": 5, "arcs": 4, "mean_out": 0.8, "max_out": 1, "top_node": 1, "sinks": 1,
      "sources": 4, "self_loops": 0}),
    # ... undirected: 8 arcs, the center has 4.
    ("degree_stats", "star_in.el", "--undirected",
     {"nodes": 5, "arcs": 8, "mean_out": 1.6, "max_out": 4, "top_node": 0, "sinks": 0,
      "sources": 0, "self_loops": 0}),
    # components: out 3:1 5:1 7:2 8:1 10:0 12:1; in 3:1 5:1 7:2 8:1 10:1 12:0; the
    # self-loop 7->7 is listed twice.
    ("degree_stats", "components.el", "",
     {"nodes": 6, "arcs": 6, "mean_out": 1.0, "max_out": 2, "top_node": 7, "sinks": 1,
      "sources": 1, "self_loops": 2}),
    # ... undirected: the repeated self-loop is one arc; 3, 5, 8 have 2 arcs each.
    ("degree_stats", "components.el", "--undirected",
     {"nodes": 6, "arcs": 9, "mean_out": 1.5, "max_out": 2, "top_node": 3, "sinks": 0,
      "sources": 0, "self_loops": 1}),
    # sym.mtx: arcs 1<->2, 2<->3, 1<->5, 4->4; node 6 has none.
    ("degree_stats", "sym.mtx", "",
     {"nodes": 6, "arcs": 7, "mean_out": 7 / 6, "max_out": 2, "top_node": 1, "sinks": 1,
      "sources": 1, "self_loops": 1}),
    # empty.mtx: three nodes without arcs; the argmax tie goes to the smallest id, 1.
    ("degree_stats", "empty.mtx", "",
     {"nodes": 3, "arcs": 0, "mean_out": 0.0, "max_out": 0, "top_node": 1, "sinks": 3,
      "sources": 3, "self_loops": 0}),
    # general.mtx: out 1:2 2:1 4:1, in 1:1 2:1 3:2.
    ("degree_stats", "general.mtx", "",
     {"nodes": 5, "arcs": 4, "mean_out": 0.8, "max_out": 2, "top_node": 1, "sinks": 2,
      "sources": 2, "self_loops": 0}),
]


def ref_result(algo, graph, options=""):
    """{column: {id: value}} for vector results, {name: value} for scalars."""
    g, columns, _, _ = refs.evaluate([algo, os.path.join(GRAPHS, graph)] + options.split())
    res = {}
    for name, kind, v in columns:
        conv = (lambda x: g.ids[x]) if kind == "node" else (lambda x: x)
        res[name] = {x: conv(v[i]) for i, x in enumerate(g.ids)} if isinstance(v, list) else conv(v)
    return res


class HandDerived(unittest.TestCase):
    def test_every_example_and_every_graph_is_covered(self):
        examples = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "..", "..", "examples"))
                          if f.endswith(".galg"))
        self.assertEqual(sorted(refs.PROGRAMS), examples)
        covered = {a for a, _, _, _ in HAND} | {"pagerank"}
        self.assertEqual(covered, set(refs.PROGRAMS))
        graphs = {g for _, g, _, _ in HAND} | set(CLOSED_FORMS)
        self.assertEqual(graphs, set(os.listdir(GRAPHS)))

    def test_hand_values(self):
        for algo, graph, options, want in HAND:
            with self.subTest(algo=algo, graph=graph, options=options):
                got = ref_result(algo, graph, options)
                self.assertEqual(sorted(got), sorted(want))
                for col, exp in want.items():
                    if not isinstance(exp, dict):
                        self.check_value(exp, got[col], col)
                        continue
                    self.assertEqual(sorted(got[col]), sorted(exp), "node ids of " + col)
                    for x, e in exp.items():
                        self.check_value(e, got[col][x], "%s at node %d" % (col, x))

    def check_value(self, want, got, what):
        if isinstance(want, tuple):  # (value, delta)
            self.assertAlmostEqual(got, want[0], delta=want[1], msg=what)
        elif isinstance(want, float):
            if math.isnan(want):
                self.assertTrue(math.isnan(got), what)
            elif math.isinf(want):
                self.assertEqual(got, want, what)
            else:
                self.assertAlmostEqual(got, want, delta=1e-14, msg=what)
        else:
            self.assertIs(type(got), int, what)
            self.assertEqual(got, want, what)

    def test_lpa_stops_early(self):
        # lpa_triangles is stable after round 3: any max_iter >= 3 gives the same.
        for k in (3, 4, 1000):
            self.assertEqual(ref_result("lpa", "lpa_triangles.el", "--max_iter=%d" % k)["label"],
                             dict(enumerate((0, 0, 0, 2, 2, 2))))
        # max_iter = 0: every node keeps its own id.
        self.assertEqual(ref_result("lpa", "kcore.el", "--max_iter=0")["label"],
                         {x: x for x in (0, 1, 2, 3, 4, 5, 6, 9)})


def exact_ppr(g, s, d):
    """Exact fixed point of personalized PageRank: (I - d M) x = (1-d) e_s where
    M[v][u] = (number of arcs u->v)/outdeg(u) plus, for dangling u, M[s][u] = 1."""
    n = g.n
    d = Fraction(d)
    a = [[Fraction(int(i == j)) for j in range(n)] + [Fraction(0)] for i in range(n)]
    a[s][n] = 1 - d
    for u in range(n):
        k = len(g.out_nbrs[u])
        if k == 0:
            a[s][u] -= d
        for v in g.out_nbrs[u]:
            a[v][u] -= d / k
    for col in range(n):
        piv = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[piv] = a[piv], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


class ExactIterative(unittest.TestCase):
    def test_ppr_fixed_point_on_every_small_graph(self):
        for name in all_graphs():
            g = refgraph.load(os.path.join(GRAPHS, name))
            for s in (0, g.n - 1):
                with self.subTest(graph=name, source=g.ids[s]):
                    want = exact_ppr(g, s, 0.85)
                    self.assertEqual(sum(want), 1)
                    got = ref_result("ppr", name, "--source=%d --tol=0 --max_iter=400" % g.ids[s])
                    for i, x in enumerate(g.ids):
                        self.assertAlmostEqual(got["ranks"][x], float(want[i]), delta=1e-14)

    def test_pagerank_gap_exact_iterates(self):
        # Exact rational iterates of GAP's recurrence, rounded to binary32 where
        # the example stores values in f32 (the start 1/N, the contributions
        # x[u]/outdeg(u), the new scores; rf: the rational nearest to the
        # double, rounded to binary32), and the iteration at which err (exact,
        # between the unrounded new scores and the rounded old ones) < tol first
        # holds.
        def rf(q):
            return Fraction(refs.f32(float(q)))

        for name in all_graphs():
            g = refgraph.load(os.path.join(GRAPHS, name))
            n, d = g.n, Fraction(0.85)
            outdeg = [len(x) for x in g.out_nbrs]
            x = [rf(Fraction(1, n))] * n
            for k in range(1, 21):
                contrib = [rf(x[u] / outdeg[u]) if outdeg[u] else Fraction(0) for u in range(n)]
                y = [(1 - d) / n + d * sum((contrib[u] for u in g.in_nbrs[v]), Fraction(0))
                     for v in range(n)]
                err = sum(abs(a - b) for a, b in zip(x, y))
                x = [rf(v) for v in y]
                if k in (1, 2, 5) or err < Fraction(1e-4) or k == 20:
                    with self.subTest(graph=name, iterations=k):
                        opts = "--tol=0 --max_iter=%d" % k
                        if err < Fraction(1e-4) or k == 20:
                            opts = ""  # the default stopping rule must stop here
                            self.assertGreater(abs(err - Fraction(1e-4)), Fraction(1, 10 ** 12))
                        got = ref_result("pagerank_gap", name, opts)["ranks"]
                        for i, v in enumerate(g.ids):
                            self.assertAlmostEqual(got[v], float(x[i]), delta=1e-15)
                    if not opts:
                        break


class Reader(unittest.TestCase):
    def load(self, name, **kw):
        return refgraph.load(os.path.join(GRAPHS, name), **kw)

    def test_el_agrees_with_the_pagerank_reader(self):
        for name in all_graphs():
            for und in (False, True):
                with self.subTest(graph=name, undirected=und):
                    ids, edges = ref.load(os.path.join(GRAPHS, name), und)
                    g = self.load(name, undirected=und)
                    self.assertEqual(g.ids, ids)
                    self.assertEqual(sorted(g.id_pairs()), sorted(edges))

    def test_weighted_el(self):
        g = self.load("diamond.wel", weighted=True)
        self.assertEqual(g.ids, [0, 1, 2, 3, 4, 5])
        self.assertEqual([(g.ids[i], g.ids[j], w) for i, j, w in g.arcs],
                         [(0, 1, 1.0), (0, 2, 1.0), (1, 3, 1.0), (1, 3, 0.75), (2, 3, 5.0),
                          (0, 3, 10.0), (3, 4, 0.5), (5, 0, 1.0)])
        u = self.load("diamond.wel", weighted=True, undirected=True)
        w = {(u.ids[i], u.ids[j]): x for i, j, x in u.arcs}
        self.assertEqual(len(u.arcs), 14)  # 7 distinct edges, both ways
        self.assertEqual(w[(1, 3)], 0.75)
        self.assertEqual(w[(3, 1)], 0.75)
        # unweighted programs ignore the third column
        self.assertEqual(self.load("diamond.wel").arcs[3][2], None)

    def test_csv(self):
        g = self.load("diamond.csv", weighted=True)
        w = self.load("diamond.wel", weighted=True)
        self.assertEqual((g.ids, g.arcs), (w.ids, w.arcs))
        self.assertEqual(refgraph.format_for_path("g.CSV"), "csv")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "g.csv")
            for text, pairs in ((b'"a","b"\n1,2\n', [(1, 2)]), (b"1,2\n3 , 4\n", [(1, 2), (3, 4)]),
                                (b"% c\nsrc,dst\n\n5,6,0.5\n", [(5, 6)])):
                with open(path, "wb") as f:
                    f.write(text)
                self.assertEqual(refgraph.load(path).id_pairs(), pairs)
            for text in (b"1,2\nx,3\n", b"1;2\n", b"-1,2\n", b"1,2,3,4\n"):
                with open(path, "wb") as f:
                    f.write(text)
                with self.assertRaises(refgraph.InputError):
                    refgraph.load(path)

    def test_gr(self):
        g = self.load("diamond.gr", weighted=True)
        self.assertEqual(g.ids, [1, 2, 3, 4, 5, 6, 7])
        self.assertEqual([(g.ids[i], g.ids[j], w) for i, j, w in g.arcs],
                         [(1, 2, 1.0), (1, 3, 1.0), (2, 4, 1.0), (2, 4, 3.0), (3, 4, 5.0),
                          (1, 4, 10.0), (4, 5, 2.0), (6, 1, 1.0)])
        self.assertEqual(refgraph.format_for_path("x/rome99.gr"), "gr")

    def test_mtx(self):
        g = self.load("sym.mtx")
        self.assertEqual(g.ids, [1, 2, 3, 4, 5, 6])
        self.assertEqual(sorted(g.id_pairs()), [(1, 2), (1, 5), (2, 1), (2, 3), (3, 2), (4, 4), (5, 1)])
        g = self.load("general.mtx", weighted=True)
        self.assertEqual(g.ids, [1, 2, 3, 4, 5])
        self.assertEqual([(g.ids[i], g.ids[j], w) for i, j, w in g.arcs],
                         [(1, 2, 0.5), (2, 3, 1.5), (1, 3, 3.0), (4, 1, 2.0)])
        self.assertEqual(refgraph.format_for_path("Lederberg.mtx"), "mtx")
        self.assertEqual(refgraph.format_for_path("facebook_combined.txt"), "el")

    def test_errors(self):
        cases = [
            ("el", b"0 1\n1 x\n", False, ":2: error"),
            ("el", b"0 1\n1 -2\n", False, ":2: error"),
            ("el", b"0 1 2 3\n", False, ":1: error"),
            ("el", b"0 18446744073709551616\n", False, "64 bits"),
            ("el", b"0 1 abc\n", False, ":1: error"),
            ("el", b"0 1 2\n1 2\n", True, ":2: error: missing weight"),
            ("el", b"# nothing\n", False, "no edges"),
            ("gr", b"p sp 3 1\na 1 4 1\n", True, ":2: error"),
            ("gr", b"p sp 3 2\na 1 2 1\n", True, "1 arcs"),
            ("gr", b"a 1 2 1\np sp 3 1\n", True, ":1: error"),
            ("mtx", b"%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n", True,
             "pattern"),
            ("mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 3 1.0\n", False,
             ":3: error"),
            ("mtx", b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 2 1.0\n", False,
             "size line"),
            ("mtx", b"%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", False, ":1:"),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            for fmt, data, weighted, msg in cases:
                with self.subTest(fmt=fmt, data=data):
                    path = os.path.join(tmp, "g." + fmt)
                    with open(path, "wb") as f:
                        f.write(data)
                    with self.assertRaises(refgraph.InputError) as cm:
                        refgraph.load(path, weighted=weighted)
                    self.assertIn(msg, str(cm.exception))

    def test_bom_and_blanks(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "g.el")
            with open(path, "wb") as f:
                f.write(b"\xef\xbb\xbf0\t1\r\n\v1  2 \f\r\n%c\n\n2 0")
            g = refgraph.load(path)
            self.assertEqual(g.id_pairs(), [(0, 1), (1, 2), (2, 0)])


class Output(unittest.TestCase):
    def run_refs(self, *args):
        return subprocess.run([sys.executable, "-S", REFS] + list(args), capture_output=True,
                              text=True)

    def test_headers_and_ids(self):
        want = {"cc": "node\tcomp", "bfs": "node\tdepth", "sssp": "node\tdist",
                "lpa": "node\tlabel", "pagerank": "node\tranks", "pagerank_gap": "node\tranks",
                "ppr": "node\tranks", "kcore": "node\tcore", "hits": "node\thub\tauth",
                "degree_stats": "name\tvalue"}
        self.assertEqual(sorted(want), sorted(refs.PROGRAMS))
        for algo, header in want.items():
            graph = "general.mtx" if algo == "sssp" else "sym.mtx"
            with self.subTest(algo=algo):
                r = self.run_refs(algo, os.path.join(GRAPHS, graph), "--source=1")
                if algo not in ("bfs", "sssp", "ppr"):
                    r = self.run_refs(algo, os.path.join(GRAPHS, graph))
                self.assertEqual(r.returncode, 0, r.stderr)
                lines = r.stdout.split("\n")
                self.assertEqual(lines[0], header)
                self.assertEqual(lines[-1], "")
                if algo == "degree_stats":
                    self.assertEqual([ln.split("\t")[0] for ln in lines[1:-1]],
                                     ["nodes", "arcs", "mean_out", "max_out", "top_node", "sinks",
                                      "sources", "self_loops"])
                else:
                    self.assertEqual([ln.split("\t")[0] for ln in lines[1:-1]],
                                     [str(i) for i in range(1, 6 if algo == "sssp" else 7)])
        r = self.run_refs("cc", os.path.join(GRAPHS, "maxid.el"))
        self.assertEqual(r.stdout, "node\tcomp\n0\t0\n9223372036854775808\t0\n"
                                   "18446744073709551615\t0\n")
        r = self.run_refs("sssp", os.path.join(GRAPHS, "diamond.wel"), "--source", "3")
        self.assertEqual(r.stdout.split("\n")[1:3], ["0\tinf", "1\tinf"])

    def test_command_line_errors(self):
        g = os.path.join(GRAPHS, "path3.el")
        self.assertEqual(self.run_refs("nosuch", g).returncode, 2)
        self.assertEqual(self.run_refs("bfs", g, "--nope=1").returncode, 2)
        self.assertEqual(self.run_refs("lpa", g, "--max_iter=1.5").returncode, 2)
        self.assertEqual(self.run_refs("bfs").returncode, 2)
        r = self.run_refs("bfs", g, "--source=7")
        self.assertEqual(r.returncode, 1)
        self.assertIn("node 7 is not in the graph", r.stderr)
        self.assertEqual(self.run_refs("sssp", g).returncode, 1)  # no weights

    def test_jobs(self):
        with tempfile.TemporaryDirectory() as tmp:
            jobs = os.path.join(tmp, "jobs")
            with open(jobs, "w") as f:
                f.write("%s/a\tcc %s\n" % (tmp, os.path.join(GRAPHS, "components.el")))
                f.write("%s/b\tbfs %s --source=9\n" % (tmp, os.path.join(GRAPHS, "path3.el")))
                f.write("%s/c\tkcore %s\n" % (tmp, os.path.join(GRAPHS, "components.el")))
            r = self.run_refs("--jobs", jobs)
            self.assertEqual(r.returncode, 1)
            with open(os.path.join(tmp, "a")) as f:
                self.assertEqual(f.read(), "node\tcomp\n3\t3\n5\t3\n7\t7\n8\t3\n10\t10\n12\t10\n")
            self.assertFalse(os.path.exists(os.path.join(tmp, "b")))
            with open(os.path.join(tmp, "b.err")) as f:
                self.assertIn("node 9 is not in the graph", f.read())
            self.assertTrue(os.path.exists(os.path.join(tmp, "c")))


# --- real graphs: second implementations written differently, and NetworkX -------------

def shared(name):
    return os.path.join(os.environ.get("SHARED_DATA", os.path.join(HERE, "..", "..", "..",
                                                                    "shared", "data")), name)


def spfa(g, s, unit=False):
    """Label-correcting shortest paths (FIFO queue, re-inserting improved nodes)."""
    dist = [INF] * g.n
    dist[s] = 0.0
    queue = collections.deque([s])
    inq = [False] * g.n
    inq[s] = True
    while queue:
        v = queue.popleft()
        inq[v] = False
        for u, w in zip(g.out_nbrs[v], g.out_w[v] if not unit else [1.0] * len(g.out_nbrs[v])):
            if dist[v] + w < dist[u]:
                dist[u] = dist[v] + w
                if not inq[u]:
                    inq[u] = True
                    queue.append(u)
    return dist


def peel(g):
    """Core numbers by the definition: for k = 0, 1, ... delete every node with at
    most k remaining neighbors (a self-loop counting one while the node lives)."""
    nb = [set(x) for x in g.out_nbrs]
    deg = [len(x) for x in nb]
    alive = [True] * g.n
    core = [0] * g.n
    left, k = g.n, 0
    while left:
        stack = [v for v in range(g.n) if alive[v] and deg[v] <= k]
        while stack:
            v = stack.pop()
            if not alive[v]:
                continue
            alive[v] = False
            core[v] = k
            left -= 1
            for u in nb[v]:
                if alive[u]:
                    deg[u] -= 1
                    if deg[u] <= k:
                        stack.append(u)
        k += 1
    return core


def flood_components(g):
    comp = [-1] * g.n
    for s in range(g.n):  # ascending: the first node reached is the smallest id
        if comp[s] < 0:
            comp[s] = s
            stack = [s]
            while stack:
                v = stack.pop()
                for u in g.out_nbrs[v] + g.in_nbrs[v]:
                    if comp[u] < 0:
                        comp[u] = s
                        stack.append(u)
    return comp


def lpa_sorted(g, rounds):
    """Synchronous label propagation with the mode found by sorting."""
    label = list(range(g.n))
    for _ in range(rounds):
        new = []
        for v in range(g.n):
            ls = sorted(label[u] for u in g.out_nbrs[v])
            best, best_n, i = v, 0, 0
            while i < len(ls):
                j = i
                while j < len(ls) and ls[j] == ls[i]:
                    j += 1
                if j - i > best_n:  # strictly more: the smaller label keeps a tie
                    best, best_n = ls[i], j - i
                i = j
            new.append(best)
        if new == label:
            break
        label = new
    return label


class Grid(unittest.TestCase):
    """The 50 x 50 grid of run.sh, written again here: node (x, y) has id
    3(50y + x) + 1, edges both ways, horizontal weight 1, vertical 2."""

    def test_closed_forms(self):
        w = 50
        lines = []
        for y in range(w):
            for x in range(w):
                i = 3 * (w * y + x) + 1
                if x + 1 < w:
                    lines += ["%d %d 1" % (i, i + 3), "%d %d 1" % (i + 3, i)]
                if y + 1 < w:
                    lines += ["%d %d 2" % (i, i + 3 * w), "%d %d 2" % (i + 3 * w, i)]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "grid.wel")
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            g = refgraph.load(path, weighted=True)
            gu = refgraph.load(path, undirected=True)
        xy = [((x - 1) // 3 % w, (x - 1) // 3 // w) for x in g.ids]
        self.assertEqual(refs.bfs(g, 0)[0][0][2], [x + y for x, y in xy])
        self.assertEqual(refs.sssp(g, 0)[0][0][2], [float(x + 2 * y) for x, y in xy])
        # from (25, 25), id 3826: |dx| + 2|dy|
        s = g.index[3826]
        self.assertEqual(refs.sssp(g, s)[0][0][2],
                         [float(abs(x - 25) + 2 * abs(y - 25)) for x, y in xy])
        self.assertEqual(refs.cc(gu)[0][0][2], [0] * (w * w))
        # every node has 2 to 4 neighbors; peeling the degree-2 corners at k = 2
        # unravels the whole grid, border by border: core 2 everywhere
        self.assertEqual(refs.kcore(gu)[0][0][2], [2] * (w * w))


@unittest.skipUnless(os.path.exists(shared("rome99.gr")), "SHARED_DATA/rome99.gr not found")
class RealGraphs(unittest.TestCase):
    def test_rome99_bfs_sssp_cc(self):
        g = refgraph.load(shared("rome99.gr"), weighted=True)
        for s in (0, 1999):
            self.assertEqual(refs.sssp(g, s)[0][0][2], spfa(g, s))
            depth = refs.bfs(g, s)[0][0][2]
            self.assertEqual([-1 if x == INF else int(x) for x in spfa(g, s, unit=True)], depth)
        gu = refgraph.load(shared("rome99.gr"), undirected=True)
        self.assertEqual(refs.cc(gu)[0][0][2], flood_components(gu))
        self.assertEqual(refs.kcore(gu)[0][0][2], peel(gu))
        self.assertEqual(refs.lpa(gu, 20)[0][0][2], lpa_sorted(gu, 20))

    def test_lederberg_and_facebook(self):
        for name, fmt in (("Lederberg.mtx", "mtx"), ("facebook_combined.txt", "el")):
            if not os.path.exists(shared(name)):
                continue
            g = refgraph.load(shared(name), fmt, undirected=True)
            self.assertEqual(refs.cc(g)[0][0][2], flood_components(g))
            self.assertEqual(refs.kcore(g)[0][0][2], peel(g))
            if name == "Lederberg.mtx":
                self.assertEqual(refs.lpa(g, 20)[0][0][2], lpa_sorted(g, 20))


FULL = os.environ.get("GRAPHC_E2E_FULL") == "1"


def have_nx():
    try:
        import networkx  # noqa: F401
        from networkx.algorithms.link_analysis import hits_alg  # noqa: F401
        return hasattr(hits_alg, "_hits_python")
    except ImportError:
        return False


@unittest.skipUnless(have_nx(), "networkx is not installed (optional)")
class NetworkXDefinitions(unittest.TestCase):
    """The definitions' source, when it happens to be installed."""

    def graphs(self):
        """The small graphs; GRAPHC_E2E_FULL=1 adds rome99 and Lederberg (slow:
        networkx's pure-Python loops; about a minute)."""
        out = [(n, refgraph.load(os.path.join(GRAPHS, n))) for n in all_graphs()]
        real = ["rome99.gr", "Lederberg.mtx"] if FULL else []
        for name in real:
            if os.path.exists(shared(name)):
                out.append((name, refgraph.load(shared(name))))
        return out

    def test_core_number(self):
        import networkx as nx
        for name, g0 in self.graphs() + ([("facebook", None)] if FULL else []):
            path = shared("facebook_combined.txt") if g0 is None else None
            if g0 is None and not os.path.exists(path):
                continue
            g = refgraph.load(path) if g0 is None else g0
            if any(i == j for i, j, _ in g.arcs):
                continue  # networkx refuses self-loops
            with self.subTest(graph=name):
                h = nx.Graph()
                h.add_nodes_from(g.ids)
                h.add_edges_from(g.id_pairs())
                want = nx.core_number(h)
                gu = refgraph.Graph(g.ids, [(u, v, None) for u, v in g.id_pairs()], True)
                core = refs.kcore(gu)[0][0][2]
                self.assertEqual({x: core[i] for i, x in enumerate(gu.ids)}, want)

    def test_hits(self):
        from networkx.algorithms.link_analysis.hits_alg import _hits_python
        import networkx as nx
        for name, g in self.graphs():
            pairs = g.id_pairs()
            if len(set(pairs)) != len(pairs):
                continue  # networkx refuses multigraphs
            for max_iter, tol in ((100, 1e-8), (500, 1e-12))[:2 if g.n < 100 or FULL else 1]:
                h = nx.DiGraph()
                h.add_nodes_from(g.ids)
                h.add_edges_from(pairs)
                try:
                    want_h, want_a = _hits_python(h, max_iter=max_iter, tol=tol)
                except (nx.PowerIterationFailedConvergence, ZeroDivisionError):
                    continue
                with self.subTest(graph=name, tol=tol):
                    (_, _, hub), (_, _, auth) = refs.hits(g, max_iter, tol)[0]
                    for i, x in enumerate(g.ids):
                        self.assertAlmostEqual(hub[i], want_h[x], delta=1e-13)
                        self.assertAlmostEqual(auth[i], want_a[x], delta=1e-13)

    def test_personalized_pagerank(self):
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
        import networkx as nx
        for name, g in self.graphs():
            h = nx.MultiDiGraph()
            h.add_nodes_from(g.ids)
            h.add_edges_from(g.id_pairs())
            for s in (0, g.n // 2):
                src = g.ids[s]
                with self.subTest(graph=name, source=src):
                    # ppr.galg starts at the teleport vector: nstart = e_source
                    want = _pagerank_python(h, 0.85, {src: 1}, 100, 1e-6,
                                            nstart={x: float(x == src) for x in g.ids})
                    got = refs.ppr(g, s, 0.85, 100, 1e-6)[0][0][2]
                    for i, x in enumerate(g.ids):
                        self.assertAlmostEqual(got[i], want[x], delta=1e-13)

    def test_bfs_sssp_cc(self):
        import networkx as nx
        for name, g in self.graphs():
            h = nx.DiGraph()
            h.add_nodes_from(g.ids)
            h.add_edges_from(g.id_pairs())
            with self.subTest(graph=name):
                want = nx.single_source_shortest_path_length(h, g.ids[0])
                depth = refs.bfs(g, 0)[0][0][2]
                self.assertEqual({x: depth[i] for i, x in enumerate(g.ids) if depth[i] >= 0}, want)
                comps = nx.connected_components(h.to_undirected())
                want = {x: min(c) for c in comps for x in c}
                gu = refgraph.Graph(g.ids, [(u, v, None) for u, v in g.id_pairs()], True)
                comp = refs.cc(gu)[0][0][2]
                self.assertEqual({x: gu.ids[comp[i]] for i, x in enumerate(gu.ids)}, want)
        if os.path.exists(shared("rome99.gr")):
            g = refgraph.load(shared("rome99.gr"), weighted=True)
            h = nx.DiGraph()
            for i, j, w in g.arcs:
                if not h.has_edge(g.ids[i], g.ids[j]) or h[g.ids[i]][g.ids[j]]["weight"] > w:
                    h.add_edge(g.ids[i], g.ids[j], weight=w)
            want = nx.single_source_dijkstra_path_length(h, 1)
            dist = refs.sssp(g, 0)[0][0][2]
            self.assertEqual({x: dist[i] for i, x in enumerate(g.ids) if dist[i] < INF}, want)


if __name__ == "__main__":
    unittest.main()
