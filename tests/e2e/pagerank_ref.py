#!/usr/bin/env python3
"""Independent reference PageRank for the graphc end-to-end tests.

Plain Python 3, standard library only, and no code shared with graphc: this is
the yardstick the compiled examples/pagerank.galg is measured against.

    pagerank_ref.py GRAPH [--damping=X] [--max_iter=N] [--tol=X] [-o FILE]
                          [--undirected] [--format=el] [--stats]

Input: an edge list, `u v` per line (any whitespace), lines starting with `#`
or `%` are comments, blank lines are ignored. Node ids are non-negative
integers; the nodes are the ids that appear, in ascending numeric order.
Duplicate edges and self-loops are kept: an edge listed twice counts twice in
the out-degree and in the sums. --undirected reads each line as an undirected
edge (u v and v u are the same edge), drops repeated edges and makes each edge
the arcs u->v and v->u (a self-loop one arc), as the graphc runtime does.

PageRank, the NetworkX definition (networkx.pagerank with uniform
personalization and uniform dangling weights, on a multigraph):

    ranks = 1/N for every node
    repeat max_iter times:
        dangling = sum of ranks[u] over nodes u with out_degree 0
        next[v]  = (1-d)/N + d * (sum over edges u->v of ranks[u]/out_degree[u]
                                  + dangling/N)
        err      = sum over v of |next[v] - ranks[v]|
        ranks    = next
        if err < N*tol: stop

With tol=0 the test `err < 0` never holds, so exactly max_iter iterations run.
Sums use math.fsum (exactly rounded), so the reference does not depend on an
order of summation.

Output: `node<TAB>ranks`, then one line per node in ascending id order, floats
in shortest round-trip form (Python's repr). --stats prints to stderr the
graph counts (nodes, edges, self-loops, duplicate edges) and the number of
iterations run with the last err; it also warns when the stopping decision was
within rounding error of the threshold (where an implementation summing in a
different order could legitimately run one iteration more or less).
Exit status: 0 ok, 1 input error, 2 bad command line.
"""
import math
import sys


class InputError(Exception):
    pass


def parse_edges(text, name="<input>", undirected=False):
    """Returns (ids, edges): ids sorted ascending, edges as (u_id, v_id) pairs."""
    edges = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s[0] in "#%":
            continue
        tok = s.split()
        if len(tok) != 2:
            raise InputError("%s:%d: error: expected two node ids, got %d fields"
                             % (name, lineno, len(tok)))
        try:
            u, v = int(tok[0], 10), int(tok[1], 10)
        except ValueError:
            raise InputError("%s:%d: error: node ids must be integers" % (name, lineno))
        if not tok[0].isdigit() or not tok[1].isdigit() or u >= 1 << 64 or v >= 1 << 64:
            raise InputError("%s:%d: error: node ids must be integers in 0..2^64-1"
                             % (name, lineno))
        edges.append((u, v))
    if undirected:
        # u v and v u name one undirected edge; repeats are dropped, and each
        # edge becomes the arcs u->v and v->u (a self-loop one arc).
        pairs = sorted({(min(u, v), max(u, v)) for u, v in edges})
        edges = [a for u, v in pairs for a in (((u, v),) if u == v else ((u, v), (v, u)))]
    ids = sorted({x for e in edges for x in e})
    return ids, edges


def load(path, undirected=False):
    with open(path, "r", encoding="ascii", newline=None) as f:
        return parse_edges(f.read(), path, undirected)


def graph_stats(ids, edges):
    seen = set()
    dup = 0
    for e in edges:
        if e in seen:
            dup += 1
        else:
            seen.add(e)
    return {"nodes": len(ids), "edges": len(edges),
            "self_loops": sum(1 for u, v in edges if u == v),
            "duplicate_edges": dup}


def pagerank(ids, edges, damping=0.85, max_iter=100, tol=1e-6):
    """Returns (ranks, iterations, last_err, margin).

    ranks[i] belongs to ids[i]. margin is the smallest |err - N*tol| over the
    iterations run (None when tol == 0, where the test cannot flip)."""
    n = len(ids)
    if n == 0:
        return [], 0, 0.0, None
    index = {x: i for i, x in enumerate(ids)}
    outdeg = [0] * n
    in_nbrs = [[] for _ in range(n)]
    for u, v in edges:
        iu, iv = index[u], index[v]
        outdeg[iu] += 1
        in_nbrs[iv].append(iu)
    dangling_nodes = [i for i in range(n) if outdeg[i] == 0]
    d = float(damping)
    ranks = [1.0 / n] * n
    it = 0
    err = 0.0
    margin = None
    closest = math.inf
    threshold = n * tol
    while it < max_iter:
        share = [ranks[u] / outdeg[u] if outdeg[u] else 0.0 for u in range(n)]
        dangling = math.fsum(ranks[u] for u in dangling_nodes)
        base = (1.0 - d) / n
        nxt = [base + d * (math.fsum([share[u] for u in in_nbrs[v]]) + dangling / n)
               for v in range(n)]
        err = math.fsum(abs(a - b) for a, b in zip(nxt, ranks))
        ranks = nxt
        it += 1
        if tol > 0:
            closest = min(closest, abs(err - threshold))
        if err < threshold:
            break
    if tol > 0:
        margin = closest
    return ranks, it, err, margin


def format_float(x):
    return repr(float(x))


def write_tsv(out, ids, columns):
    """columns: list of (name, values)."""
    out.write("node" + "".join("\t" + name for name, _ in columns) + "\n")
    for i, x in enumerate(ids):
        out.write(str(x) + "".join("\t" + format_float(vals[i]) for _, vals in columns) + "\n")


USAGE = ("usage: pagerank_ref.py GRAPH [--damping=X] [--max_iter=N] [--tol=X] "
         "[-o FILE] [--undirected] [--format=el] [--stats]\n")


def parse_args(argv):
    opts = {"damping": 0.85, "max_iter": 100, "tol": 1e-6, "out": None,
            "undirected": False, "stats": False, "graph": None}
    conv = {"damping": float, "max_iter": int, "tol": float}
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if a == "--undirected":
            opts["undirected"] = True
            continue
        if a == "--stats":
            opts["stats"] = True
            continue
        if a.startswith("--") or a == "-o":
            key, eq, val = a[2:].partition("=") if a != "-o" else ("o", "", "")
            if key not in ("damping", "max_iter", "tol", "o", "format"):
                raise ValueError("unknown option " + a)
            if not eq:
                if i >= len(argv):
                    raise ValueError("option %s needs a value" % a)
                val = argv[i]
                i += 1
            if key == "o":
                opts["out"] = val
            elif key == "format":
                if val != "el":
                    raise ValueError("only --format=el is supported")
            else:
                opts[key] = conv[key](val)
            continue
        if a.startswith("-") and a != "-":
            raise ValueError("unknown option " + a)
        if opts["graph"] is not None:
            raise ValueError("more than one graph file")
        opts["graph"] = a
    if opts["graph"] is None:
        raise ValueError("no graph file")
    if opts["max_iter"] < 0 or opts["tol"] < 0 or math.isnan(opts["tol"]):
        raise ValueError("max_iter and tol must be >= 0")
    return opts


def main(argv):
    try:
        o = parse_args(argv)
    except ValueError as e:
        sys.stderr.write("pagerank_ref.py: %s\n%s" % (e, USAGE))
        return 2
    try:
        ids, edges = load(o["graph"], o["undirected"])
    except (OSError, InputError, UnicodeDecodeError) as e:
        sys.stderr.write("pagerank_ref.py: %s\n" % e)
        return 1
    if not ids:
        sys.stderr.write("pagerank_ref.py: %s: error: the graph has no edges\n" % o["graph"])
        return 1
    ranks, it, err, margin = pagerank(ids, edges, o["damping"], o["max_iter"], o["tol"])
    if o["stats"]:
        st = graph_stats(ids, edges)
        for k in ("nodes", "edges", "self_loops", "duplicate_edges"):
            sys.stderr.write("graph.%s %d\n" % (k, st[k]))
        sys.stderr.write("ref.iterations %d\nref.last_err %r\n" % (it, err))
    # err sums N terms, each known to a few ulps of a rank: an implementation
    # summing in another order may see an err that differs by ~1e-15.
    if margin is not None and margin < 1e-12 + 1e-9 * len(ids) * o["tol"]:
        sys.stderr.write("pagerank_ref.py: warning: err came within %.3g of N*tol; "
                         "the iteration count is sensitive to rounding\n" % margin)
    if o["out"] is None or o["out"] == "-":
        write_tsv(sys.stdout, ids, [("ranks", ranks)])
    else:
        with open(o["out"], "w") as f:
            write_tsv(f, ids, [("ranks", ranks)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
