#!/usr/bin/env python3
"""Graph reader for the independent references of the graphc end-to-end tests.

Plain Python 3, standard library only, no code shared with graphc. It reads the
formats of docs/runtime.md from their written rules, so that the references
and the compiled programs see the same graph:

el   (edge list; also weighted edge lists, `wel`)
     One edge `u v [w]` per line, fields separated by blanks (space, tab, \\r,
     \\v, \\f). A line whose first non-blank character is `#` or `%` is a
     comment; blank lines are skipped; a UTF-8 byte order mark is dropped.
     Ids are unsigned decimal integers below 2^64. A third column is a number:
     required in a weighted program, ignored otherwise. The nodes are the ids
     that appear in some edge.
csv  (comma-separated edge list)
     `u,v` or `u,v,w` per line, blanks allowed around the fields, `#` and `%`
     comment lines; the first other line is a header, skipped, when its first
     field (after an opening `"`) does not start like a number (a digit, `+`,
     `-` or `.`). Otherwise as el.
gr   (DIMACS shortest paths, 9th challenge)
     `c ...` comment lines, one `p sp N M` line before the arcs, then M lines
     `a u v w` with 1 <= u, v <= N. The nodes are 1..N (ids as written, so
     isolated nodes exist); w is the weight of a weighted program.
mtx  (Matrix Market, coordinate)
     First line `%%MatrixMarket matrix coordinate FIELD SYMMETRY` with FIELD
     pattern, real or integer and SYMMETRY general or symmetric; `%` comment
     lines; a size line `ROWS COLS NNZ`; NNZ entries `i j [value]`, 1-based,
     entry (i, j) is the arc i -> j. The nodes are 1..max(ROWS, COLS). In a
     symmetric file an off-diagonal entry stands for both i -> j and j -> i.
     The value is the weight of a weighted program (a pattern file has none).

Graph semantics (docs/runtime.md, "Nodes, ids and the graph"):
- directed (default): every input edge is an arc; repeated arcs and
  self-loops are kept;
- undirected (program declared `undirected`, or --undirected): an edge u-v is
  the arcs u->v and v->u, a self-loop u-u the single arc u->u, and repeats in
  either direction are dropped (a weighted graph keeps the smallest weight).
"""
import math
import re

MAX_ID = (1 << 64) - 1
_DIGITS = re.compile(r"[0-9]+\Z")
_BLANKS = " \t\r\v\f"


class InputError(Exception):
    pass


def _node_id(tok, where):
    if not _DIGITS.match(tok):
        raise InputError("%s: error: expected a node id, got %r" % (where, tok))
    x = int(tok, 10)
    if x > MAX_ID:
        raise InputError("%s: error: node id %s does not fit in 64 bits" % (where, tok))
    return x


def _number(tok, where):
    """A weight in strtod syntax (decimal, exponent, inf, nan, hex floats)."""
    t = tok.lower()
    try:
        if "_" in t:
            raise ValueError
        if t.lstrip("+-").startswith("0x"):
            return float.fromhex(t)
        return float(t)
    except ValueError:
        raise InputError("%s: error: expected a number, got %r" % (where, tok))


def _lines(data):
    """Decoded lines of a file's bytes (BOM dropped, \\r\\n or \\n ends)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("ascii").split("\n")


def read_el(data, name, weighted):
    """Returns (None, edges): edges are (u, v, w) with w None when unweighted."""
    edges = []
    append = edges.append
    for ln, line in enumerate(_lines(data), 1):
        tok = line.split()  # the text is ASCII: splits at runs of blanks (and \x1c-\x1f)
        if not tok or tok[0][0] in "#%":
            continue
        if len(tok) == 2 and not weighted and tok[0].isdigit() and tok[1].isdigit():
            u, v = int(tok[0]), int(tok[1])  # the common case, checked below
            if u <= MAX_ID and v <= MAX_ID:
                append((u, v, None))
                continue
        where = "%s:%d" % (name, ln)
        if len(tok) < 2 or len(tok) > 3:
            raise InputError("%s: error: expected 'u v' or 'u v weight', got %d fields"
                             % (where, len(tok)))
        u, v = _node_id(tok[0], where), _node_id(tok[1], where)
        w = _number(tok[2], where) if len(tok) == 3 else None
        if weighted and w is None:
            raise InputError("%s: error: missing weight (third column)" % where)
        append((u, v, w if weighted else None))
    return None, edges


def read_gr(data, name, weighted):
    n = m = None
    edges = []
    for ln, line in enumerate(_lines(data), 1):
        tok = line.split()
        where = "%s:%d" % (name, ln)
        if not tok or tok[0] == "c":
            continue
        if tok[0] == "p":
            if n is not None or len(tok) != 4 or tok[1] != "sp":
                raise InputError("%s: error: expected one 'p sp N M' line" % where)
            n, m = _node_id(tok[2], where), _node_id(tok[3], where)
        elif tok[0] == "a":
            if n is None:
                raise InputError("%s: error: arc before the 'p sp N M' line" % where)
            if len(tok) != 4:
                raise InputError("%s: error: expected 'a u v w'" % where)
            u, v = _node_id(tok[1], where), _node_id(tok[2], where)
            if not (1 <= u <= n and 1 <= v <= n):
                raise InputError("%s: error: node out of 1..%d" % (where, n))
            w = _number(tok[3], where)
            edges.append((u, v, w if weighted else None))
        else:
            raise InputError("%s: error: unknown line type %r" % (where, tok[0]))
    if n is None:
        raise InputError("%s: error: no 'p sp N M' line" % name)
    if len(edges) != m:
        raise InputError("%s: error: %d arcs, the 'p' line says %d" % (name, len(edges), m))
    return list(range(1, n + 1)), edges


def read_mtx(data, name, weighted):
    lines = _lines(data)
    head = lines[0].split() if lines else []
    if (len(head) != 5 or head[0] != "%%MatrixMarket" or head[1].lower() != "matrix"
            or head[2].lower() != "coordinate"
            or head[3].lower() not in ("pattern", "real", "integer")
            or head[4].lower() not in ("general", "symmetric")):
        raise InputError("%s:1: error: expected '%%%%MatrixMarket matrix coordinate "
                         "pattern|real|integer general|symmetric'" % name)
    field, symmetric = head[3].lower(), head[4].lower() == "symmetric"
    if weighted and field == "pattern":
        raise InputError("%s: error: a pattern matrix has no weights" % name)
    size = None
    edges = []
    entries = 0
    for ln, line in enumerate(lines[1:], 2):
        tok = line.split()
        where = "%s:%d" % (name, ln)
        if not tok or tok[0].startswith("%"):
            continue
        if size is None:
            if len(tok) != 3:
                raise InputError("%s: error: expected 'ROWS COLS NNZ'" % where)
            size = [_node_id(t, where) for t in tok]
            continue
        if len(tok) != (2 if field == "pattern" else 3):
            raise InputError("%s: error: wrong number of fields for a %s matrix" % (where, field))
        i, j = _node_id(tok[0], where), _node_id(tok[1], where)
        if not (1 <= i <= size[0] and 1 <= j <= size[1]):
            raise InputError("%s: error: entry outside the %dx%d matrix" % (where, size[0], size[1]))
        w = _number(tok[2], where) if weighted else None
        entries += 1
        edges.append((i, j, w))
        if symmetric and i != j:
            edges.append((j, i, w))
    if size is None:
        raise InputError("%s: error: no size line" % name)
    if entries != size[2]:
        raise InputError("%s: error: %d entries, the size line says %d" % (name, entries, size[2]))
    return list(range(1, max(size[0], size[1]) + 1)), edges


def read_csv(data, name, weighted):
    """Comma-separated `u,v` or `u,v,w`, blanks around fields; # and % comment
    lines; the first data line is a header (skipped) when its first field does
    not start like a number."""
    edges = []
    first = True
    for ln, line in enumerate(_lines(data), 1):
        s = line.strip(_BLANKS)
        if not s or s[0] in "#%":
            continue
        fields = [f.strip(_BLANKS) for f in s.split(",")]
        if first:
            first = False
            head = fields[0].lstrip('"')
            if head and head[0] not in "0123456789+-.":
                continue
        where = "%s:%d" % (name, ln)
        if len(fields) not in (2, 3):
            raise InputError("%s: error: expected 'u,v' or 'u,v,weight'" % where)
        u, v = _node_id(fields[0], where), _node_id(fields[1], where)
        w = _number(fields[2], where) if len(fields) == 3 else None
        if weighted and w is None:
            raise InputError("%s: error: missing weight (third field)" % where)
        edges.append((u, v, w if weighted else None))
    return None, edges


READERS = {"el": read_el, "wel": read_el, "gr": read_gr, "mtx": read_mtx, "csv": read_csv}


def format_for_path(path):
    """The format the runtime picks by extension: .gr, .mtx, .csv, else el
    (.wel files are el files with a weight on every line)."""
    low = path.lower()
    for ext, fmt in ((".gr", "gr"), (".mtx", "mtx"), (".csv", "csv")):
        if low.endswith(ext):
            return fmt
    return "el"


class Graph:
    """ids: the file ids in ascending order (node i has id ids[i]);
    arcs: (i, j, w) by dense index, w None when unweighted;
    out_nbrs / in_nbrs: per node, the dense indices of its out- / in-neighbors
    (one entry per arc, so repeated arcs repeat); out_w / in_w the weights."""

    def __init__(self, ids, edges, undirected=False, weighted=False):
        if undirected:
            best = {}
            for u, v, w in edges:
                key = (u, v) if u <= v else (v, u)
                if key not in best or (weighted and w < best[key]):
                    best[key] = w
            edges = []
            for (u, v), w in sorted(best.items()):
                edges.append((u, v, w))
                if u != v:
                    edges.append((v, u, w))
        if ids is None:
            ids = sorted({x for u, v, _ in edges for x in (u, v)})
        self.ids = ids
        self.n = len(ids)
        self.undirected = undirected
        self.weighted = weighted
        index = {x: i for i, x in enumerate(ids)}
        self.index = index
        self.arcs = [(index[u], index[v], w) for u, v, w in edges]
        n = self.n
        self.out_nbrs = [[] for _ in range(n)]
        self.in_nbrs = [[] for _ in range(n)]
        self.out_w = [[] for _ in range(n)]
        self.in_w = [[] for _ in range(n)]
        for i, j, w in self.arcs:
            self.out_nbrs[i].append(j)
            self.in_nbrs[j].append(i)
            self.out_w[i].append(w)
            self.in_w[j].append(w)
        self.m = len(self.arcs)

    def id_pairs(self):
        ids = self.ids
        return [(ids[i], ids[j]) for i, j, _ in self.arcs]


def load(path, fmt=None, undirected=False, weighted=False):
    fmt = fmt or format_for_path(path)
    if fmt not in READERS:
        raise InputError("%s: error: unknown format %r" % (path, fmt))
    with open(path, "rb") as f:
        data = f.read()
    try:
        ids, edges = READERS[fmt](data, path, weighted)
    except UnicodeDecodeError:
        raise InputError("%s: error: not an ASCII text file" % path)
    if not edges and ids is None:
        raise InputError("%s: error: no edges in file" % path)
    if not ids and ids is not None:
        raise InputError("%s: error: the file declares no nodes" % path)
    if weighted and any(math.isnan(w) for _, _, w in edges):
        raise InputError("%s: error: NaN weight" % path)
    return Graph(ids, edges, undirected, weighted)
