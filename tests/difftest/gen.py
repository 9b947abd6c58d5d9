#!/usr/bin/env python3
"""Random well-typed .galg programs and random small graphs, for differential
testing of compiled programs against the reference interpreter (run.py).

Deterministic: everything is drawn from one random.Random(seed); there is no
global state, so `make_case(seed)` gives the same program, graphs and
arguments on every run and every machine (Python 3 stdlib only).

    python3 gen.py --seed 7                 # print the program of case 7
    python3 gen.py --seed 7 --out DIR       # write DIR/prog.galg, graphK.el, argsK
    python3 gen.py --stats 1000 [--seed S]  # construct coverage over 1000 cases

What a case exercises (docs/language.md): int/float/bool/node values;
+ - * / div %; comparisons; and/or/not; where abs sqrt exp log pow floor ceil
min max; float() int() bool() casts; init_nodes node_id N M degrees inf;
neighbor aggregations sum min max mean count any all mode over
in_nbrs/out_nbrs/nbrs (and in_edges/out_edges/edges with a weight in weighted
programs), with and without `if` filters; whole-vector reductions sum min max
mean count any all argmin argmax; gathers x[y]; element loads x[i] and stores
x[i] = e; repeat / while / if / else if / else / break; print; several return
columns (vectors and scalars, or only scalars); parameters of every type with
and without defaults; the undirected / weighted / nonnegative attributes;
typed first assignments `x: T = e`, in particular f32 variables (scalars and
vectors: every write rounds to binary32, every read is a float), which the
program then reads, assigns, stores into and returns like float variables.

Values stay well defined: an int div/% has a divisor that cannot be zero, and
int() of a float is clamped first (int(min(1e6, max(-1e6, x))): with the
constant first, min/max also map NaN to the constant). A small fraction of
cases (`risky`) contain exactly ONE unguarded div/%/int() or a bad node
argument, so that both sides must fail with the same message; one risky op per
program keeps the message deterministic at any thread count.
"""
import argparse
import collections
import os
import random
import sys

TYPES = ("int", "float", "bool", "node")

FLOAT_LITS = ["0.0", "1.0", "0.5", "2.5", "-1.25", "1e-3", "3.0e2", "0.1", "7.", ".25", "-0.0",
              "1e300", "1e-300", "2.5E+3", "4.9e-324", "1e308", "0.3333333333333333", "-7.5", "1e16"]
INT_LITS = ["0", "1", "2", "3", "7", "-1", "-5", "10", "100", "1000000007", "9223372036854775807",
            "(-9223372036854775807 - 1)", "4611686018427387904", "-3037000500", "65536"]
FLOAT_SMALL = ["0.5", "1.0", "2.0", "0.25", "1.5", "-0.5", "3.0", "0.1", "2.5", "0.0"]
INT_SMALL = ["0", "1", "2", "3", "5", "7", "10", "-1", "-2", "4"]
DIVISOR_LITS = ["1", "2", "3", "7", "-1", "-2", "-3", "-7", "1000", "9223372036854775807"]
WEIGHTS_POS = ["1", "2", "3", "0.5", "0.25", "1.5", "10", "0", "1e-3", "7.25", "100", "0.1", "3e2", "1e-300"]
WEIGHTS_ODD = ["inf", "1e308", "0x1.8p1", "-0", "4.9e-324"]
WEIGHTS_NEG = ["-1", "-0.5", "-2.25", "-1e-3", "-7", "-inf"]

RUNTIME_MSGS = ("integer division by zero", "integer modulo by zero", "int(): value is NaN or out of the int range")


class Var:
    """A variable: dt is the type its reads have (an f32 variable reads as
    float, so its dt is "float" and f32 is True: everything that reads or
    writes a float variable works on it too)."""
    __slots__ = ("name", "dt", "vec", "mutable", "f32")

    def __init__(self, name, dt, vec, mutable=True, f32=False):
        self.name, self.dt, self.vec, self.mutable, self.f32 = name, dt, vec, mutable, f32


class ProgGen:
    """One program. Expressions are generated for a wanted (dtype, shape);
    inside an aggregation body (self.ectx set) every value is a scalar and a
    vector variable named plainly is the current node's element."""

    def __init__(self, r, weighted, nonneg, undirected, anchors, risky, size_mean=7, nrisky=(1, 1, 2)):
        self.r = r
        self.weighted, self.nonneg, self.undirected = weighted, nonneg, undirected
        self.anchors = anchors          # node ids present in every graph of the case
        self.risky = risky              # may place one unguarded op
        self.risky_left = r.choice(nrisky) if risky else 0
        self.feat = collections.Counter()
        self.scopes = [[]]
        self.params = []                # (name, dt, default-text or None)
        self.ectx = None                # {'u': name, 'w': name or None}
        self.loops = 0
        self.nvar = 0
        self.budget = 0
        self.lines = []
        self.size_mean = size_mean

    # ---- helpers -------------------------------------------------------------
    def f(self, name):
        self.feat[name] += 1

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def visible(self):
        seen = {}
        for p in self.params:
            seen[p[0]] = Var(p[0], p[1], False, False)
        for sc in self.scopes:
            for v in sc:
                seen[v.name] = v
        return list(seen.values())

    def vars_of(self, dt, vec):
        out = []
        for v in self.visible():
            if v.dt != dt:
                continue
            if self.ectx is not None:
                out.append(v)          # vector vars name the current node's element
            elif v.vec == vec:
                out.append(v)
        return out

    def vec_vars(self, dt):
        return [v for v in self.visible() if v.dt == dt and v.vec]

    def new_name(self, prefix="x"):
        self.nvar += 1
        return "%s%d" % (prefix, self.nvar)

    def shapes(self, vec, k):
        """k operand shapes: all scalar, or (for a vector) at least one vector."""
        if not vec or self.ectx is not None:
            return [False] * k
        s = [self.chance(0.5) for _ in range(k)]
        s[self.r.randrange(k)] = True
        return s

    # ---- leaves --------------------------------------------------------------
    def lit(self, dt):
        """A literal; mostly small ones (extreme values saturate everything)."""
        if dt == "bool":
            self.f("lit:bool")
            return self.pick(["true", "false"])
        extreme = self.chance(0.2)
        if dt == "float":
            self.f("lit:float")
            if extreme and self.chance(0.3):
                self.f("builtin:inf")
                return self.pick(["inf", "(-inf)"])
            lit = self.pick(FLOAT_LITS if extreme else FLOAT_SMALL)
        else:
            self.f("lit:int")
            lit = self.pick(INT_LITS if extreme else INT_SMALL)
        return "(%s)" % lit if lit.startswith("-") else lit

    def leaf(self, dt, vec):
        if self.ectx is not None:
            return self.elem_leaf(dt)
        cands = self.vars_of(dt, vec)
        if vec:
            c = self.r.random()
            if cands and c < 0.7:
                self.f("leaf:var")
                return self.pick(cands).name
            if c < 0.9:
                if dt == "int":
                    b = self.pick(["out_degree", "in_degree", "degree", "(int(node_id) % 7)", "int(node_id)"])
                    self.f("builtin:" + b.replace(" ", "").strip("()") if "%" in b else "builtin:" + b)
                    return b
                if dt == "node":
                    self.f("builtin:node_id")
                    return "node_id"
                if dt == "float":
                    self.f("leaf:float(id)")
                    return "(float(int(node_id) % 9) / 4)"
                self.f("leaf:bool(id)")
                return "((int(node_id) %% %d) == %d)" % (self.r.randint(2, 4), self.r.randint(0, 1))
            self.f("init_nodes")
            return "init_nodes(%s)" % self.leaf(dt, False)
        # a scalar at top level
        c = self.r.random()
        if cands and c < 0.4:
            self.f("leaf:var")
            return self.pick(cands).name
        vecs = self.vec_vars(dt)
        if vecs and c < 0.55:
            self.f("leaf:load")
            return "%s[%s]" % (self.pick(vecs).name, self.leaf("node", False))
        if dt == "int" and c < 0.65:
            b = self.pick(["N", "M"])
            self.f("builtin:" + b)
            return b
        if dt == "node":
            nums = [v.name for v in self.visible() if v.vec and v.dt in ("int", "float")]
            c = self.r.random()
            if c < 0.5:
                fn = self.pick(["argmax", "argmin"])
                self.f("reduce:%s" % fn)
                return "%s(%s)" % (fn, self.pick(nums) if nums else self.pick(["out_degree", "in_degree", "degree"]))
            fn = self.pick(["min", "max"])
            self.f("reduce:%s:node" % fn)
            return "%s(%s)" % (fn, self.pick(self.vec_vars("node") + [Var("node_id", "node", True)]).name)
        return self.lit(dt)

    def elem_leaf(self, dt):
        """A scalar inside an aggregation body: mostly the neighbor's or the
        node's own values."""
        u, w = self.ectx["u"], self.ectx.get("w")
        c = self.r.random()
        vecs = self.vec_vars(dt)
        if vecs and c < 0.4:
            self.f("elem:x[u]")
            return "%s[%s]" % (self.pick(vecs).name, u)
        if vecs and c < 0.55:
            self.f("elem:x")
            return self.pick(vecs).name
        if w and c < 0.7 and dt != "node":
            self.f("weight")
            if dt == "float":
                return w
            if dt == "int":
                return "int(min(1e6, max(-1e6, %s)))" % w
            return "(%s %s %s)" % (w, self.pick(["<", ">", "==", ">="]), self.pick(["1.0", "0.5", "0", "2"]))
        if dt == "node":
            if c < 0.8:
                self.f("nbr")
                return u
            self.f("builtin:node_id")
            return "node_id"
        if dt == "int" and c < 0.8:
            b = self.pick(["out_degree", "in_degree", "degree"])
            self.f("builtin:" + b)
            if self.chance(0.4):
                return b
            return "%s[%s]" % (b, u)
        if dt == "int" and c < 0.85:
            self.f("cast:int(node)")
            return "(int(%s) %% %d)" % (u, self.r.randint(2, 9))
        scal = [v for v in self.visible() if v.dt == dt and not v.vec]
        if scal and c < 0.9:
            self.f("leaf:var")
            return self.pick(scal).name
        return self.lit(dt)

    # ---- expressions ---------------------------------------------------------
    def e(self, dt, vec, d):
        """An expression of dtype dt, a node vector when vec (never inside an
        aggregation body), of depth at most about d."""
        if self.ectx is not None:
            vec = False
        if d <= 0 or self.chance(0.22):
            return self.leaf(dt, vec)
        prods = getattr(self, "p_" + dt)(vec)
        total = sum(w for w, _ in prods)
        x = self.r.random() * total
        for w, fn in prods:
            x -= w
            if x <= 0:
                return fn(vec, d - 1)
        return prods[-1][1](vec, d - 1)

    def top(self):
        return self.ectx is None

    # common productions
    def _where(self, dt):
        def g(vec, d):
            self.f("where")
            s = self.shapes(vec, 3)
            a, b = dt, dt
            if dt == "float":
                a, b = self.pick([("float", "float"), ("int", "float"), ("float", "int")])
            return "where(%s, %s, %s)" % (self.e("bool", s[0], d), self.e(a, s[1], d), self.e(b, s[2], d))
        return g

    def _minmax2(self, dt):
        def g(vec, d):
            fn = self.pick(["min", "max"])
            self.f("func2:" + fn)
            s = self.shapes(vec, 2)
            a, b = dt, dt
            if dt == "float":
                a, b = self.pick([("float", "float"), ("int", "float"), ("float", "int")])
            return "%s(%s, %s)" % (fn, self.e(a, s[0], d), self.e(b, s[1], d))
        return g

    def _index(self, dt):
        def g(vec, d):
            if self.ectx is not None:
                names = [v.name for v in self.vec_vars(dt)]
                if dt == "int":
                    names += ["out_degree", "in_degree", "degree"]
                if dt == "node":
                    names += ["node_id"]
                if not names:
                    return self.leaf(dt, False)
                self.f("index:elem")
                idx = self.ectx["u"] if self.chance(0.6) else self.e("node", False, d)
                return "%s[%s]" % (self.pick(names), idx)
            if vec:
                self.f("gather")
                base = self.vec_base(dt, d)
                return "%s[%s]" % (base, self.e("node", True, d))
            self.f("index:load")
            return "%s[%s]" % (self.vec_base(dt, d), self.e("node", False, d))
        return g

    def vec_base(self, dt, d):
        names = [v.name for v in self.vec_vars(dt)]
        if names and self.chance(0.8):
            return self.pick(names)
        self.f("index:expr-base")
        return "(%s)" % self.e(dt, True, min(d, 1))

    def _reduce(self, dt):
        """whole-vector reduction giving a dt scalar (top level, scalar only)."""
        opts = {"float": [("sum", "float"), ("min", "float"), ("max", "float"), ("mean", "float"), ("mean", "int")],
                "int": [("sum", "int"), ("sum", "bool"), ("min", "int"), ("max", "int"), ("count", "bool")],
                "bool": [("any", "bool"), ("all", "bool")],
                "node": [("argmin", "int"), ("argmax", "int"), ("argmin", "float"), ("argmax", "float"),
                         ("min", "node"), ("max", "node")]}[dt]

        def g(vec, d):
            fn, adt = self.pick(opts)
            self.f("reduce:%s:%s" % (fn, adt))
            return "%s(%s)" % (fn, self.e(adt, True, d))
        return g

    def _nbr(self, dt):
        """neighbor aggregation giving a dt node vector (top level only)."""
        opts = {"float": [("sum", "float"), ("min", "float"), ("max", "float"), ("mean", "float"), ("mean", "int")],
                "int": [("sum", "int"), ("sum", "bool"), ("min", "int"), ("max", "int"), ("count", "bool"),
                        ("mode", "int")],
                "bool": [("any", "bool"), ("all", "bool"), ("mode", "bool")],
                "node": [("min", "node"), ("max", "node"), ("mode", "node")]}[dt]

        def g(vec, d):
            fn, bdt = self.pick(opts)
            return self.nbr_agg(fn, bdt, d)
        return g

    def nbr_agg(self, fn, bdt, d):
        taken = {v.name for v in self.visible()}
        u = self.pick([n for n in ("u", "nb", "j") if n not in taken])
        edges = self.weighted and self.chance(0.5)
        if edges:
            wname = self.pick([n for n in ("w", "wt") if n not in taken])
            dirn = self.pick(["in_edges", "out_edges", "edges"])
            head = "%s, %s in %s" % (u, wname, dirn)
        else:
            wname = None
            dirn = self.pick(["in_nbrs", "out_nbrs", "nbrs"])
            head = "%s in %s" % (u, dirn)
        self.ectx = {"u": u, "w": wname}
        body = self.e(bdt, False, max(d, 1))
        cond = ""
        if self.chance(0.35):
            cond = " if " + self.e("bool", False, max(d - 1, 1))
            self.f("nbr:filter")
        self.ectx = None
        self.f("nbr:%s:%s" % (fn, bdt))
        self.f("dir:" + dirn)
        return "%s(%s for %s%s)" % (fn, body, head, cond)

    def _arith(self, dt):
        def g(vec, d):
            s = self.shapes(vec, 2)
            if dt == "float":
                op = self.pick(["+", "-", "*", "/", "div", "%", "/"])
                if op == "/":
                    a, b = self.pick([("float", "float"), ("int", "float"), ("float", "int"), ("int", "int")])
                else:
                    a, b = self.pick([("float", "float"), ("int", "float"), ("float", "int")])
                self.f("op:%s:float" % op)
                return "(%s %s %s)" % (self.e(a, s[0], d), op, self.e(b, s[1], d))
            op = self.pick(["+", "-", "*", "div", "%", "+", "-"])
            self.f("op:%s:int" % op)
            if op in ("div", "%"):
                return "(%s %s %s)" % (self.e("int", s[0], d), op, self.divisor(s[1], d))
            return "(%s %s %s)" % (self.e("int", s[0], d), op, self.e("int", s[1], d))
        return g

    def divisor(self, vec, d):
        if self.risky_left and self.chance(0.3):
            self.risky_left -= 1
            self.f("risky:div")
            return self.e("int", vec, d)
        c = self.r.random()
        if c < 0.35:
            self.f("divisor:lit")
            lit = self.pick(DIVISOR_LITS)
            lit = "(%s)" % lit if lit.startswith("-") else lit
            return "init_nodes(%s)" % lit if vec else lit
        if c < 0.6:
            k = self.r.randint(2, 9)
            self.f("divisor:mod")
            x = "(%s %% %d + 1)" % (self.e("int", vec, d - 1), k)
            return "(-%s)" % x if self.chance(0.3) else x
        if c < 0.8:
            self.f("divisor:max")
            return "max(%s, 1)" % self.e("int", vec, d - 1)
        self.f("divisor:where")
        x = self.e("int", vec, d - 1)
        return "where(%s == 0, 3, %s)" % (x, x)

    def _neg(self, dt):
        def g(vec, d):
            self.f("op:neg:" + dt)
            return "(%s%s)" % (self.pick(["-", "-", "+"]), self.e(dt, vec, d))
        return g

    def _abs(self, dt):
        def g(vec, d):
            self.f("func:abs:" + dt)
            return "abs(%s)" % self.e(dt, vec, d)
        return g

    def p_float(self, vec):
        top = self.top()
        prods = [(5, self._arith("float")), (1, self._neg("float")), (1, self._abs("float")),
                 (2, self._func1), (1, self._pow), (1, self._minmax2("float")), (1, self._where("float")),
                 (2, self._cast_float), (1.5, self._index("float"))]
        if top and not vec:
            prods.append((2.5, self._reduce("float")))
        if top and vec:
            prods.append((3, self._nbr("float")))
        return prods

    def _func1(self, vec, d):
        fn = self.pick(["sqrt", "exp", "log", "floor", "ceil"])
        self.f("func:" + fn)
        return "%s(%s)" % (fn, self.e(self.pick(["float", "float", "int"]), vec, d))

    def _pow(self, vec, d):
        self.f("func:pow")
        s = self.shapes(vec, 2)
        base = self.e(self.pick(["float", "int"]), s[0], d)
        if not s[1] and self.chance(0.3):  # exponents compilers like to rewrite
            self.f("func:pow-const-exp")
            return "pow(%s, %s)" % (base, self.pick(["2", "2.0", "0.5", "(-1.0)", "3", "1", "0", "(-2)", "0.25"]))
        return "pow(%s, %s)" % (base, self.e(self.pick(["float", "int", "float"]), s[1], d))

    def _cast_float(self, vec, d):
        src = self.pick(["int", "bool", "float", "int"])
        self.f("cast:float(%s)" % src)
        return "float(%s)" % self.e(src, vec, d)

    def p_int(self, vec):
        top = self.top()
        prods = [(5, self._arith("int")), (1, self._neg("int")), (1, self._abs("int")),
                 (1, self._minmax2("int")), (1, self._where("int")), (2.5, self._cast_int),
                 (1.5, self._index("int"))]
        if top and not vec:
            prods.append((2.5, self._reduce("int")))
        if top and vec:
            prods.append((3, self._nbr("int")))
        return prods

    def _cast_int(self, vec, d):
        src = self.pick(["float", "float", "bool", "node", "int"])
        self.f("cast:int(%s)" % src)
        x = self.e(src, vec, d)
        if src != "float":
            return "int(%s)" % x
        if self.risky_left and self.chance(0.3):
            self.risky_left -= 1
            self.f("risky:int")
            return "int(%s)" % x
        inner = "min(1e6, max(-1e6, %s))" % x
        if self.chance(0.4):
            inner = "%s(%s)" % (self.pick(["floor", "ceil"]), inner)
        return "int(%s)" % inner

    def p_bool(self, vec):
        top = self.top()
        prods = [(5, self._cmp), (3, self._logic), (1, self._not), (1, self._cast_bool),
                 (1, self._where("bool")), (1, self._index("bool"))]
        if top and not vec:
            prods.append((2, self._reduce("bool")))
        if top and vec:
            prods.append((2.5, self._nbr("bool")))
        return prods

    def _cmp(self, vec, d):
        s = self.shapes(vec, 2)
        a, b = self.pick([("int", "int"), ("float", "float"), ("int", "float"), ("float", "int"),
                          ("node", "node"), ("bool", "bool"), ("int", "int"), ("float", "float")])
        ops = ["==", "!="] if a == "bool" else ["==", "!=", "<", "<=", ">", ">="]
        op = self.pick(ops)
        self.f("cmp:%s:%s" % (op, a if a == b else "mixed"))
        return "(%s %s %s)" % (self.e(a, s[0], d), op, self.e(b, s[1], d))

    def _logic(self, vec, d):
        s = self.shapes(vec, 2)
        op = self.pick(["and", "or"])
        self.f("op:" + op)
        return "(%s %s %s)" % (self.e("bool", s[0], d), op, self.e("bool", s[1], d))

    def _not(self, vec, d):
        self.f("op:not")
        return "(not %s)" % self.e("bool", vec, d)

    def _cast_bool(self, vec, d):
        src = self.pick(["int", "float", "bool"])
        self.f("cast:bool(%s)" % src)
        return "bool(%s)" % self.e(src, vec, d)

    def p_node(self, vec):
        top = self.top()
        prods = [(2, self._minmax2("node")), (2, self._where("node")), (2, self._index("node"))]
        if top and not vec:
            prods.append((3, self._reduce("node")))
        if top and vec:
            prods.append((4, self._nbr("node")))
            prods.append((1, lambda v, d: "init_nodes(%s)" % self.e("node", False, d)))
        return prods

    # ---- statements ----------------------------------------------------------
    def emit(self, ind, text):
        self.lines.append("    " * ind + text)
        self.budget -= 1

    def depth(self):
        return self.pick([1, 1, 2, 2, 2, 3, 3, 4])

    def rand_type(self):
        return self.pick(["int", "float", "float", "bool", "node", "int"])

    def st_define(self, ind):
        dt = self.rand_type()
        vec = self.chance(0.65)
        name = self.new_name("s" if not vec else "x")
        if self.chance(0.2):
            return self.typed_define(ind, name, dt, vec)
        self.emit(ind, "%s = %s" % (name, self.e(dt, vec, self.depth())))
        self.scopes[-1].append(Var(name, dt, vec))
        self.f("stmt:define")

    def typed_define(self, ind, name, dt, vec, text=None):
        """name: T = e. A float variable is mostly declared f32 (rounded
        storage); the other types just check. An int value converts to float
        and to f32."""
        f32 = dt == "float" and self.chance(0.75)
        edt = dt
        if dt == "float" and text is None and self.chance(0.2):
            edt = "int"
            self.f("typed:int-value")
        if text is None:
            text = self.e(edt, vec, self.depth())
        tname = "f32" if f32 else dt
        self.emit(ind, "%s: %s = %s" % (name, tname, text))
        self.scopes[-1].append(Var(name, dt, vec, f32=f32))
        self.f("stmt:typed-define")
        self.f("typed:%s:%s" % (tname, "vector" if vec else "scalar"))

    PRELUDE = [
        ("float", "float(int(node_id) %% %(k)d) / 4 + 0.5 * out_degree"),
        ("int", "in_degree * %(k)d - out_degree"),
        ("bool", "(int(node_id) %% %(k)d) == 0"),
        ("float", "sum(float(int(%(u)s) %% 11) for %(u)s in %(dir)s)"),
        ("node", "max(%(u)s for %(u)s in %(dir)s)"),
        ("node", "min(%(u)s for %(u)s in %(dir)s)"),
        ("int", "mode(int(%(u)s) %% %(k)d for %(u)s in %(dir)s)"),
        ("int", "count(int(%(u)s) %% %(k)d == 1 for %(u)s in %(dir)s)"),
        ("float", "mean(float(degree[%(u)s]) for %(u)s in %(dir)s)"),
        ("node", "node_id"),
        ("float", "sqrt(float(degree)) + float(int(node_id) %% %(k)d)"),
    ]
    PRELUDE_W = [
        ("float", "sum(%(w)s for %(u)s, %(w)s in %(edir)s)"),
        ("float", "min(%(w)s for %(u)s, %(w)s in %(edir)s)"),
        ("float", "max(%(w)s * float(int(%(u)s) %% 5) for %(u)s, %(w)s in %(edir)s)"),
        ("int", "count(%(w)s > 1 for %(u)s, %(w)s in %(edir)s)"),
    ]

    def st_prelude(self, ind):
        pool = self.PRELUDE + (self.PRELUDE_W * 2 if self.weighted else [])
        dt, tmpl = self.pick(pool)
        text = tmpl % {"k": self.r.randint(2, 9), "u": "u", "w": "w",
                       "dir": self.pick(["in_nbrs", "out_nbrs", "nbrs"]),
                       "edir": self.pick(["in_edges", "out_edges", "edges"])}
        name = self.new_name("x")
        self.f("stmt:prelude")
        if dt == "float" and self.chance(0.3):
            return self.typed_define(ind, name, dt, True, text)
        self.emit(ind, "%s = %s" % (name, text))
        self.scopes[-1].append(Var(name, dt, True))

    def st_assign(self, ind):
        cands = [v for v in self.visible() if v.mutable]
        if not cands:
            return self.st_define(ind)
        v = self.pick(cands)
        dt = v.dt
        if dt == "float" and self.chance(0.2):
            dt = "int"
            self.f("assign:int-to-float")
        self.emit(ind, "%s = %s" % (v.name, self.e(dt, v.vec, self.depth())))
        self.f("stmt:assign")
        if v.f32:
            self.f("assign:f32")

    def st_store(self, ind):
        cands = [v for v in self.visible() if v.mutable and v.vec]
        if not cands:
            return self.st_define(ind)
        v = self.pick(cands)
        dt = v.dt
        if dt == "float" and self.chance(0.2):
            dt = "int"
        idx = self.e("node", False, self.r.randint(0, 2))
        self.emit(ind, "%s[%s] = %s" % (v.name, idx, self.e(dt, False, self.r.randint(1, 3))))
        self.f("stmt:store")
        if v.f32:
            self.f("store:f32")

    def st_if(self, ind):
        self.f("stmt:if")
        self.emit(ind, "if %s {" % self.e("bool", False, self.r.randint(1, 3)))
        self.block(ind + 1, self.r.randint(1, 4))
        while self.chance(0.25) and self.budget > 0:
            self.f("stmt:else-if")
            self.lines.append("    " * ind + "} else if %s {" % self.e("bool", False, self.r.randint(1, 2)))
            self.block(ind + 1, self.r.randint(1, 3))
        if self.chance(0.4):
            self.f("stmt:else")
            self.lines.append("    " * ind + "} else {")
            self.block(ind + 1, self.r.randint(1, 3))
        self.lines.append("    " * ind + "}")

    def st_repeat(self, ind):
        self.f("stmt:repeat")
        c = self.r.random()
        if c < 0.4:
            cnt = str(self.r.randint(-1, 4))
        elif c < 0.6:
            ints = [v.name for v in self.visible() if v.dt == "int" and not v.vec]
            cnt = "min(%s, 3)" % (self.pick(ints) if ints else "N")
        else:
            cnt = "(%s %% %d)" % (self.e("int", False, 2), self.r.randint(2, 5))
        self.emit(ind, "repeat %s {" % cnt)
        self.loops += 1
        self.block(ind + 1, self.r.randint(1, 5))
        self.loops -= 1
        self.lines.append("    " * ind + "}")

    def st_while(self, ind):
        self.f("stmt:while")
        ctr = self.new_name("c")
        bound = self.r.randint(1, 4)
        self.emit(ind, "%s = 0" % ctr)
        self.scopes[-1].append(Var(ctr, "int", False, mutable=False))
        form = self.r.random()
        if form < 0.4:
            cond = "%s < %d" % (ctr, bound)
        elif form < 0.7:
            cond = self.e("bool", False, 2)
        else:
            cond = "true"
        self.emit(ind, "while %s {" % cond)
        self.loops += 1
        self.scopes.append([])
        self.emit(ind + 1, "%s = %s + 1" % (ctr, ctr))
        self.emit(ind + 1, "if %s > %d { break }" % (ctr, bound))
        self.block(ind + 1, self.r.randint(1, 5), new_scope=False)
        self.scopes.pop()
        self.loops -= 1
        self.lines.append("    " * ind + "}")

    def st_break(self, ind):
        self.f("stmt:break")
        if self.chance(0.1):  # statements after it in the block are unreachable
            self.f("stmt:break-bare")
            self.emit(ind, "break")
            return
        self.emit(ind, "if %s { break }" % self.e("bool", False, 2))

    def st_risky(self, ind):
        """A definition that may stop the program (int div/% by zero, int()
        of NaN or of a huge float) at some nodes; used later or not."""
        self.risky_left -= 1
        vec = self.chance(0.8)
        c = self.r.random()
        if c < 0.5:
            op = self.pick(["div", "%"])
            self.f("risky:stmt:" + op)
            if vec:
                den = self.pick(["(int(node_id) % 3)", "(out_degree - 1)", "in_degree", "(degree - 2)",
                                 "(int(node_id) % 5 - 2)"])
            else:
                den = self.pick(["(N - M)", "(count(out_degree == 0) - 1)", "(N % 2)", "(M - N)"])
            text = "(%s %s %s)" % (self.e("int", vec, 1), op, den)
            dt = "int"
        else:
            self.f("risky:stmt:int")
            if vec:
                x = self.pick(["float(in_degree) / float(out_degree)", "log(float(in_degree))",
                               "(float(int(node_id) %% 4) - 1.5) * %s" % self.pick(["1e300", "1e18", "inf"]),
                               "sqrt(float(out_degree) - 1.5)"])
            else:
                x = self.pick(["log(float(N - N))", "float(M) * 1e300", "sqrt(float(N) - 2.5)"])
            text = "int(%s)" % x
            dt = "int"
        name = self.new_name("r")
        self.emit(ind, "%s = %s" % (name, text))
        if self.chance(0.5):
            self.scopes[-1].append(Var(name, dt, vec))

    def st_print(self, ind):
        self.f("stmt:print")
        items = [self.pick(['"p%d"' % self.r.randint(0, 99), '"p%d"' % self.r.randint(0, 99), '"tab\\there"',
                            '"q\\"uote\\\\"', '""'])]
        for _ in range(self.r.randint(1, 3)):
            items.append(self.e(self.rand_type(), False, 2))
        self.emit(ind, "print(%s)" % ", ".join(items))

    def stmt(self, ind):
        nest = ind < 3 and self.budget > 3
        kinds = [(36, self.st_define), (20, self.st_assign), (10, self.st_store)]
        if nest:
            kinds += [(9, self.st_if), (8, self.st_repeat), (6, self.st_while)]
        if self.loops:
            kinds.append((6, self.st_break))
        kinds.append((1.2, self.st_print))
        if self.risky_left:
            kinds.append((15, self.st_risky))
        x = self.r.random() * sum(w for w, _ in kinds)
        for w, fn in kinds:
            x -= w
            if x <= 0:
                return fn(ind)
        return self.st_define(ind)

    def block(self, ind, n, new_scope=True):
        if new_scope:
            self.scopes.append([])
        before = len(self.lines)
        for _ in range(n):
            if self.budget <= 0:
                break
            self.stmt(ind)
        if len(self.lines) == before:  # never leave a block empty
            self.emit(ind, "%s = %s" % (self.new_name("t"), self.e("int", False, 1)))
        if new_scope:
            self.scopes.pop()

    # ---- params, program -----------------------------------------------------
    def gen_params(self):
        out = []
        for i in range(self.r.choice([0, 1, 1, 2, 2, 3, 4])):
            dt = self.pick(TYPES)
            name = "p%d" % i
            dflt = None
            if self.chance(0.8):
                if dt == "int":
                    dflt = self.pick(["0", "1", "3", "-2", "10", "2 * 3", "7 div 2", "-7 % 3", "100", "9223372036854775807"])
                elif dt == "float":
                    dflt = self.pick(["0.5", "1", "-2.5", "inf", "-inf", "1e-6", "1.0 / 3", "2 * 0.25", "0.0", "1e300"])
                elif dt == "bool":
                    dflt = self.pick(["true", "false", "not true"])
                else:
                    dflt = str(self.pick(self.anchors))
                self.f("param:%s:default" % dt)
            else:
                self.f("param:%s:required" % dt)
            out.append((name, dt, dflt))
        self.params = out

    def program(self, name):
        r = self.r
        self.gen_params()
        attrs = []
        if self.undirected:
            attrs.append("undirected")
            self.f("header:undirected")
        if self.weighted:
            attrs.append("weighted")
            self.f("header:weighted")
            if self.nonneg:
                attrs.append("nonnegative")
                self.f("header:nonnegative")
        ps = ", ".join("%s: %s%s" % (n, t, "" if d is None else " = " + d) for n, t, d in self.params)
        head = "algorithm %s(%s)%s {" % (name, ps, "".join(" " + a for a in attrs))
        self.budget = 5 + min(35, int(r.expovariate(1.0 / self.size_mean)))
        # values that differ from node to node and depend on the graph
        for _ in range(r.randint(1, 3)):
            self.st_prelude(1)
        for _ in range(r.randint(0, 2)):
            self.st_define(1)
        while self.budget > 0:
            self.stmt(1)
        ret = self.gen_return()
        return "\n".join([head] + self.lines + ["    return " + ret, "}", ""])

    def gen_return(self):
        top = self.scopes[0]
        k = self.r.randint(1, 4)
        only_scalar = self.chance(0.2)
        items, used = [], set()
        for _ in range(k):
            cands = [v for v in top if v.name not in used and (not only_scalar or not v.vec)]
            if self.params and self.chance(0.08):
                p = self.pick(self.params)
                if p[0] not in used:
                    used.add(p[0])
                    items.append(p[0])
                    self.f("return:param")
                    continue
            if cands and self.chance(0.7):
                v = self.pick(cands)
                used.add(v.name)
                items.append(v.name)
            else:
                items.append(self.e(self.rand_type(), (not only_scalar) and self.chance(0.5), 2))
        if only_scalar:
            self.f("return:scalars")
        else:
            self.f("return:mixed")
        self.f("return:%d" % k)
        return ", ".join(items)


# ---- graphs --------------------------------------------------------------------

def id_scheme(r, dense):
    if dense:
        return "dense"
    return r.choice(["small", "small", "sparse", "big", "huge", "mixed"])


def make_ids(r, n, scheme):
    if scheme in ("small", "dense"):
        ids = list(range(n))
        if r.random() < 0.3:
            ids = sorted(r.sample(range(3 * n + 5), n))
        return ids
    if scheme == "sparse":
        return sorted(r.sample(range(10000), n))
    if scheme == "big":
        return sorted(10 ** 12 + k for k in r.sample(range(5 * n + 5), n))
    if scheme == "huge":
        return sorted(2 ** 64 - 1 - k for k in r.sample(range(5 * n + 5), n))
    # mixed: small, big and huge ids together
    pool = set()
    while len(pool) < n:
        k = 50 + 2 * n
        pool.add(r.choice([r.randrange(k), 10 ** 12 + r.randrange(k), 2 ** 64 - 1 - r.randrange(k),
                           2 ** 63 + r.randrange(5), 2 ** 32 + r.randrange(5)]))
    return sorted(pool)


def weight(r, nonneg):
    c = r.random()
    if c < 0.05:
        return r.choice(WEIGHTS_ODD)
    if not nonneg and c < 0.3:
        return r.choice(WEIGHTS_NEG)
    if c < 0.5:
        return str(round(r.uniform(0, 10), r.randint(0, 3)))
    return r.choice(WEIGHTS_POS)


def gen_graph(r, weighted, nonneg, dense, must_have=(), bad_weight=False):
    """An edge list: returns (text, ids present as nodes, extra runtime flags)."""
    flags = []
    n = r.choice([1, 2, 3, r.randint(2, 8), r.randint(4, 20), r.randint(10, 60)])
    if not dense and r.random() < 0.04:  # several 1024-node chunks with real edges
        n = r.randint(1025, 2600)
    scheme = id_scheme(r, dense)
    ids = make_ids(r, n, scheme)
    for a in must_have:
        if a not in ids:
            ids.append(a)
    if dense:
        flags.append("--dense-ids")
        if r.random() < 0.35:  # more than one 1024-node chunk: chunked reductions, parallel kernels
            ids.append(r.randint(1025, 3000))
    edges = []
    m = r.randint(max(1, n // 2), 3 * n + 2) if n <= 100 else r.randint(n // 2, 2 * n)
    for _ in range(m):
        a, b = r.choice(ids), r.choice(ids)
        edges.append([a, b])
    for _ in range(r.randint(0, 3)):  # self-loops
        a = r.choice(ids)
        edges.append([a, a])
    for _ in range(r.randint(0, 3)):  # repeated edges
        if edges:
            edges.append(list(r.choice(edges)))
    if r.random() < 0.12:  # a hub with more than 64 neighbors (mode's heap path)
        h = r.choice(ids)
        for _ in range(r.randint(60, 90)):
            edges.append([h, r.choice(ids)] if r.random() < 0.5 else [r.choice(ids), h])
    # every required id appears in some edge
    present = {x for e in edges for x in e}
    for a in ids:
        if a not in present and (not dense or a in must_have or a == max(ids)):
            edges.append([a, r.choice(ids)])
    r.shuffle(edges)
    lines = []
    if r.random() < 0.2:
        lines.append("# generated graph")
    crlf = r.random() < 0.05
    for a, b in edges:
        sep = "\t" if r.random() < 0.1 else " "
        if weighted:
            wt = weight(r, nonneg)
            lines.append("%d%s%d%s%s" % (a, sep, b, sep, wt))
        elif r.random() < 0.1:
            lines.append("%d %d %s" % (a, b, weight(r, False)))
        else:
            lines.append("%d%s%d" % (a, sep, b))
        if r.random() < 0.03:
            lines.append(r.choice(["", "% comment", "#"]))
    if bad_weight:
        i = r.randrange(len(lines))
        while not lines[i] or lines[i][0] in "#%":
            i = r.randrange(len(lines))
        parts = lines[i].split()
        lines[i] = "%s %s -1.5" % (parts[0], parts[1])
    if dense:
        nodes = list(range(max(ids) + 1))
    else:
        nodes = sorted({x for line in lines if line and line[0] not in "#%" for x in map(int, line.split()[:2])})
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    return text, nodes, flags


def param_value(r, dt, nodes):
    if dt == "int":
        return r.choice(["0", "1", "2", "-1", "5", "-4", "1000", "9223372036854775807", "-9223372036854775808"])
    if dt == "float":
        return r.choice(["0", "0.5", "-1.5", "1e-9", "inf", "-inf", "3", "1e300", "-0.0", "2.5e-3"])
    if dt == "bool":
        return r.choice(["true", "false", "1", "0"])
    return str(r.choice(nodes))


PROFILES = {
    "default": {"risky": 0.08, "size": 7, "nrisky": (1, 1, 2)},
    "errors": {"risky": 0.6, "size": 7, "nrisky": (1, 2, 2, 3)},  # programs that may stop with a run-time error
    "big": {"risky": 0.08, "size": 20, "nrisky": (1, 1, 2)},      # longer programs (slower to compile)
}


def make_case(seed, ngraphs=None, profile="default"):
    """The whole test case for a seed: program text, features, and a list of
    runs, each (graph text, argument list)."""
    prof = PROFILES[profile]
    r = random.Random(seed)
    weighted = r.random() < 0.35
    nonneg = weighted and r.random() < 0.5
    undirected = r.random() < 0.3
    risky = r.random() < prof["risky"]
    if ngraphs is None:
        ngraphs = r.choice([1, 2])
    dense_first = r.random() < 0.25
    bad_weight = nonneg and r.random() < 0.03
    # the first graph fixes the anchor ids (node parameter defaults)
    g0 = gen_graph(r, weighted, nonneg, dense_first, bad_weight=bad_weight)
    # a node parameter's default is an int literal: ids below 2^63 only
    small = [x for x in g0[1] if x < 2 ** 63]
    if not small:
        g0 = gen_graph(r, weighted, nonneg, dense_first, must_have=[10 ** 12 + r.randrange(9)], bad_weight=bad_weight)
        small = [x for x in g0[1] if x < 2 ** 63]
    anchors = r.sample(small, min(3, len(small)))
    pg = ProgGen(r, weighted, nonneg, undirected, anchors, risky, prof["size"], prof["nrisky"])
    text = pg.program("prog%d" % (seed % 1000))
    text = "// difftest case, seed %d\n" % seed + text
    graphs = [g0]
    for _ in range(ngraphs - 1):
        dense = r.random() < 0.25 and max(anchors) < 3000
        graphs.append(gen_graph(r, weighted, nonneg, dense, must_have=anchors))
    runs = []
    for gtext, nodes, flags in graphs:
        args = list(flags)
        for name, dt, dflt in pg.params:
            if dflt is None or r.random() < 0.4:
                v = param_value(r, dt, nodes)
                if dt == "node" and risky and r.random() < 0.3:
                    v = str(max(nodes) + 1)  # not a node: both sides fail alike
                    pg.f("risky:bad-node")
                args.append("--%s=%s" % (name, v))
        if not undirected and r.random() < 0.1:
            args.append("--undirected")
            pg.f("flag:--undirected")
        if flags:
            pg.f("flag:--dense-ids")
        runs.append((gtext, args))
    if weighted:
        pg.f("graph:weights")
    return {"seed": seed, "text": text, "features": pg.feat, "runs": runs, "risky": risky}


def write_case(case, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "prog.galg"), "w") as fh:
        fh.write(case["text"])
    for k, (gtext, args) in enumerate(case["runs"]):
        with open(os.path.join(out, "graph%d.el" % k), "w", newline="") as fh:
            fh.write(gtext)
        with open(os.path.join(out, "args%d" % k), "w") as fh:
            fh.write(" ".join(args) + "\n")


def coverage(seed, n, profile="default"):
    total = collections.Counter()
    progs = collections.Counter()
    for i in range(n):
        c = make_case(seed * 1000003 + i, None, profile)
        total.update(c["features"])
        progs.update(set(c["features"]))
    return total, progs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write prog.galg, graphK.el and argsK into this directory")
    ap.add_argument("--graphs", type=int, default=None)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="default")
    ap.add_argument("--stats", type=int, metavar="N", help="print construct coverage over N cases")
    a = ap.parse_args()
    if a.stats:
        total, progs = coverage(a.seed, a.stats, a.profile)
        for k in sorted(total):
            print("%-28s %7d uses  in %5.1f%% of programs" % (k, total[k], 100.0 * progs[k] / a.stats))
        return 0
    case = make_case(a.seed, a.graphs, a.profile)
    if a.out:
        write_case(case, a.out)
    else:
        sys.stdout.write(case["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
