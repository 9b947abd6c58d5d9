#!/usr/bin/env python3
"""Checks the reference PageRank (pagerank_ref.py) before it judges anything.

    python3 tests/e2e/test_ref.py [-v]        (SHARED_DATA=... adds a real-graph check)

Three independent ways to know the right answer:

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
"""
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
    def test_every_graph_has_a_closed_form(self):
        self.assertEqual(sorted(CLOSED_FORMS), all_graphs())

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


if __name__ == "__main__":
    unittest.main()
