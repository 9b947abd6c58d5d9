/* check.c - name resolution and type/shape checking (see check.h and
 * docs/language.md, which states the rules this file implements).
 *
 * One pass over the tree. Names live in one hash table: each distinct name has
 * one entry that says what the name means right now (a variable or parameter,
 * a neighbor bound by the aggregation being checked, a built-in), plus what it
 * meant before, for better messages (a variable whose block has ended, a
 * neighbor bound by an earlier aggregation). A variable is visible from its
 * first assignment to the end of its block; blocks record which names they
 * defined in a log and clear them at their end, so scoping costs O(1) per name.
 *
 * An expression with an error gets the type DT_VOID; operations on a DT_VOID
 * operand quietly give DT_VOID too, so every mistake is reported once. */
#include "frontend/check.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- built-in names ----------------------------------------------------- */

typedef enum BuiltinKind { BK_VALUE, BK_FUNC, BK_DIR } BuiltinKind;

typedef struct BuiltinDef {
    const char *name;
    BuiltinKind kind;
    Builtin bi;     /* BK_VALUE, BK_FUNC */
    Type ty;        /* BK_VALUE */
    NbrDir dir;     /* BK_DIR */
    bool weighted;  /* BK_DIR: an _edges neighborhood */
} BuiltinDef;

#define SCALAR(t) {t, SH_SCALAR}
#define VECTOR(t) {t, SH_VECTOR}
#define VALUE(n, b, t) {n, BK_VALUE, b, t, DIR_IN, false}
#define FUNC(n, b) {n, BK_FUNC, b, SCALAR(DT_VOID), DIR_IN, false}
#define DIR(n, d, w) {n, BK_DIR, BI_NONE, SCALAR(DT_VOID), d, w}

static const BuiltinDef builtins[] = {
    VALUE("N", BI_N, SCALAR(DT_INT)),
    VALUE("M", BI_M, SCALAR(DT_INT)),
    VALUE("node_id", BI_NODE_ID, VECTOR(DT_NODE)),
    VALUE("out_degree", BI_OUT_DEGREE, VECTOR(DT_INT)),
    VALUE("in_degree", BI_IN_DEGREE, VECTOR(DT_INT)),
    VALUE("degree", BI_DEGREE, VECTOR(DT_INT)),
    VALUE("inf", BI_INF, SCALAR(DT_FLOAT)),
    FUNC("init_nodes", BI_INIT_NODES), FUNC("where", BI_WHERE), FUNC("abs", BI_ABS),
    FUNC("sqrt", BI_SQRT), FUNC("exp", BI_EXP), FUNC("log", BI_LOG), FUNC("pow", BI_POW),
    FUNC("floor", BI_FLOOR), FUNC("ceil", BI_CEIL), FUNC("float", BI_FLOAT), FUNC("int", BI_INT),
    FUNC("bool", BI_BOOL), FUNC("min", BI_MIN), FUNC("max", BI_MAX), FUNC("print", BI_PRINT),
    FUNC("sum", BI_SUM), FUNC("mean", BI_MEAN), FUNC("count", BI_COUNT), FUNC("any", BI_ANY),
    FUNC("all", BI_ALL), FUNC("argmin", BI_ARGMIN), FUNC("argmax", BI_ARGMAX), FUNC("mode", BI_MODE),
    DIR("in_nbrs", DIR_IN, false), DIR("out_nbrs", DIR_OUT, false), DIR("nbrs", DIR_BOTH, false),
    DIR("in_edges", DIR_IN, true), DIR("out_edges", DIR_OUT, true), DIR("edges", DIR_BOTH, true),
};

/* ---- the name table ----------------------------------------------------- */

typedef struct Name Name;
struct Name {
    Name *next;           /* hash chain */
    const char *name;
    uint32_t hash;
    const BuiltinDef *bi; /* a built-in: never anything else */
    Symbol *sym;          /* the visible variable or parameter */
    Symbol *ended;        /* the last variable of this name whose block has ended */
    Symbol *bound;        /* bound by the aggregation being checked (u or w) */
    SrcLoc bound_at;      /* the last aggregation that bound it (line 0: none) */
    bool misused;         /* a built-in that the program tried to redefine: stay quiet about it */
};

typedef struct Checker {
    Arena *a;
    Diag *d;
    Program *p;
    Name **buckets;
    uint32_t nbuckets, nnames;
    PtrVec defined;       /* names defined in the open blocks, innermost last */
    PtrVec vars;          /* every SYM_VAR, by index */
    Expr *agg;            /* the aggregation whose body is being checked */
    int loops;            /* enclosing repeat/while statements */
    Symbol *builtin_syms[BI__COUNT];
} Checker;

static const Type VOID_TYPE = {DT_VOID, SH_SCALAR};

static uint32_t hash_name(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static Name *find(Checker *c, const char *name) {
    uint32_t h = hash_name(name);
    for (Name *n = c->buckets[h & (c->nbuckets - 1)]; n; n = n->next)
        if (n->hash == h && !strcmp(n->name, name)) return n;
    return NULL;
}

static void grow(Checker *c) {
    uint32_t nb = c->nbuckets * 2;
    Name **b = arena_array(c->a, nb, sizeof *b);
    for (uint32_t i = 0; i < c->nbuckets; i++) {
        for (Name *n = c->buckets[i], *next; n; n = next) {
            next = n->next;
            n->next = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
        }
    }
    c->buckets = b;
    c->nbuckets = nb;
}

static Name *intern(Checker *c, const char *name) {
    Name *n = find(c, name);
    if (n) return n;
    if (c->nnames >= c->nbuckets) grow(c);
    n = arena_alloc(c->a, sizeof *n);
    n->name = name;
    n->hash = hash_name(name);
    n->next = c->buckets[n->hash & (c->nbuckets - 1)];
    c->buckets[n->hash & (c->nbuckets - 1)] = n;
    c->nnames++;
    return n;
}

static Symbol *new_symbol(Checker *c, SymKind kind, const char *name, Type ty, SrcLoc loc) {
    Symbol *s = arena_alloc(c->a, sizeof *s);
    s->kind = kind;
    s->name = name;
    s->ty = ty;
    s->def_loc = loc;
    return s;
}

static Symbol *builtin_symbol(Checker *c, const BuiltinDef *bd) {
    if (!c->builtin_syms[bd->bi]) {
        Symbol *s = new_symbol(c, SYM_BUILTIN, bd->name, bd->ty, (SrcLoc){0, 0});
        s->builtin = bd->bi;
        c->builtin_syms[bd->bi] = s;
    }
    return c->builtin_syms[bd->bi];
}

/* ---- types -------------------------------------------------------------- */

static bool is_num(DType t) { return t == DT_INT || t == DT_FLOAT; }
/* What reading a variable of dtype t gives: an f32 variable reads as a float. */
static DType read_dtype(DType t) { return t == DT_F32 ? DT_FLOAT : t; }
static Type read_type(Type t) { return (Type){read_dtype(t.dtype), t.shape}; }
/* May a value of dtype `from` be assigned or stored into a variable of dtype
 * `to`? The same dtype; int into float; int or float into f32 (rounded). */
static bool assignable(DType from, DType to) {
    return from == to || (from == DT_INT && (to == DT_FLOAT || to == DT_F32)) || (from == DT_FLOAT && to == DT_F32);
}
static bool is_void(Type t) { return t.dtype == DT_VOID; }
static Type scalar(DType t) { return (Type){t, SH_SCALAR}; }
static Type typed(DType t, Shape s) { return (Type){t, s}; }
static Shape widest(Shape a, Shape b) { return a == SH_VECTOR || b == SH_VECTOR ? SH_VECTOR : SH_SCALAR; }

/* int and float meet at float; bool and node only meet themselves */
static DType unify(DType a, DType b) {
    if (is_num(a) && is_num(b)) return a == DT_INT && b == DT_INT ? DT_INT : DT_FLOAT;
    if (a == b && (a == DT_BOOL || a == DT_NODE)) return a;
    return DT_VOID;
}

/* "an int scalar", "a node vector of float" */
static const char *describe(Type t) {
    static char bufs[4][48];
    static int next;
    char *buf = bufs[next];
    next = (next + 1) % 4;
    if (t.shape == SH_VECTOR) snprintf(buf, sizeof bufs[0], "a node vector of %s", dtype_name(t.dtype));
    else snprintf(buf, sizeof bufs[0], "%s %s scalar", t.dtype == DT_INT || t.dtype == DT_F32 ? "an" : "a",
                  dtype_name(t.dtype));
    return buf;
}

/* ---- names -------------------------------------------------------------- */

/* Edit distance (insert, delete, replace, swap of neighbors), for "did you mean". */
static int distance(const char *a, const char *b) {
    enum { MAXLEN = 32 };
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > MAXLEN || lb > MAXLEN) return MAXLEN;
    int d[MAXLEN + 1][MAXLEN + 1];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++) {
        for (int j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* The visible name closest to a misspelled one (functions or values), or NULL.
 * Only worth the scan when the message will be printed. */
static const char *suggest(Checker *c, const char *name, bool function) {
    int max = c->d->max_errors > 0 ? c->d->max_errors : 20;
    if (c->d->nerrors >= max) return NULL;
    int len = (int)strlen(name);
    int limit = len <= 3 ? 1 : 2;
    const char *best = NULL;
    int best_d = limit + 1;
    for (uint32_t i = 0; i < c->nbuckets; i++) {
        for (Name *n = c->buckets[i]; n; n = n->next) {
            bool fits = function ? n->bi && n->bi->kind == BK_FUNC
                                 : n->sym || n->bound || (n->bi && n->bi->kind == BK_VALUE);
            if (!fits) continue;
            int dist = distance(name, n->name);
            if (dist < best_d || (dist == best_d && best && strcmp(n->name, best) < 0)) {
                best = n->name;
                best_d = dist;
            }
        }
    }
    return best_d <= limit && best_d < len ? best : NULL;
}

static void unknown_name(Checker *c, const char *name, SrcLoc loc) {
    Name *n = find(c, name);
    if (n && n->bound_at.line) {
        diag_error(c->d, loc, "'%s' is only bound inside the comprehension at %d:%d", name, n->bound_at.line,
                   n->bound_at.col);
        return;
    }
    const char *near = n && n->ended ? NULL : suggest(c, name, false);
    if (near) diag_error(c->d, loc, "unknown name '%s' (did you mean '%s'?)", name, near);
    else diag_error(c->d, loc, "unknown name '%s'", name);
    if (n && n->ended)
        diag_note(c->d, n->ended->def_loc, "'%s' was defined here, but only inside its block, which has ended",
                  name);
}

/* What a plain name means. Sets e->sym; the type is the symbol's own (a vector
 * stays a vector: the caller decides what it means in element context). */
static Type resolve(Checker *c, Expr *e) {
    Name *n = find(c, e->str);
    Symbol *s = NULL;
    if (n && n->bound) s = n->bound;
    else if (n && n->sym) s = n->sym;
    else if (n && n->bi) {
        switch (n->bi->kind) {
        case BK_VALUE: s = builtin_symbol(c, n->bi); break;
        case BK_FUNC:
            if (!n->misused) diag_error(c->d, e->loc, "'%s' is a function: call it, as in %s(...)", e->str, e->str);
            return VOID_TYPE;
        case BK_DIR:
            if (n->misused) return VOID_TYPE;
            diag_error(c->d, e->loc, "'%s' is a neighborhood: use it in an aggregation, as in sum(x[u] for u in %s)",
                       e->str, e->str);
            return VOID_TYPE;
        }
    }
    if (!s) {
        unknown_name(c, e->str, e->loc);
        return VOID_TYPE;
    }
    e->sym = s;
    return s->ty;
}

/* May `name` be given to a new variable, parameter, neighbor or weight? */
static bool name_free(Checker *c, Name *n, SrcLoc loc, const char *what) {
    if (n->bi) {
        diag_error(c->d, loc, "'%s' is a built-in and cannot be redefined", n->name);
        n->misused = true;
        return false;
    }
    Symbol *s = n->bound ? n->bound : n->sym;
    if (s) {
        diag_error(c->d, loc, "'%s' is already %s (defined at %d:%d); the %s needs another name", n->name,
                   s->kind == SYM_PARAM ? "a parameter" : s->kind == SYM_VAR ? "a variable" : "bound here",
                   s->def_loc.line, s->def_loc.col, what);
        return false;
    }
    return true;
}

/* ---- expressions -------------------------------------------------------- */

static Type check_expr(Checker *c, Expr *e);

/* An expression used as a value: anything but a string. */
static Type check_value(Checker *c, Expr *e) {
    if (e->kind == EX_STRING) {
        e->elem = c->agg != NULL;
        diag_error(c->d, e->loc, "a string can only be printed, as in print(\"...\")");
        return VOID_TYPE;
    }
    return check_expr(c, e);
}

static const char *conversion_hint(DType t) {
    return t == DT_NODE ? " (int(x) gives a node's id)" : t == DT_BOOL ? " (int(x) turns a bool into 0 or 1)" : "";
}

static Type check_unary(Checker *c, Expr *e) {
    Type t = check_value(c, e->lhs);
    if (is_void(t)) return t;
    if (e->op == OP_NOT) {
        if (t.dtype == DT_BOOL) return t;
        diag_error(c->d, e->loc, "'not' needs a bool, got %s", dtype_name(t.dtype));
        return VOID_TYPE;
    }
    if (is_num(t.dtype)) return t;
    diag_error(c->d, e->loc, "unary '%s' needs an int or float, got %s%s", ast_op_text(e->op), dtype_name(t.dtype),
               conversion_hint(t.dtype));
    return VOID_TYPE;
}

static Type check_binary(Checker *c, Expr *e) {
    Type l = check_value(c, e->lhs), r = check_value(c, e->rhs);
    if (is_void(l) || is_void(r)) return VOID_TYPE;
    Shape sh = widest(l.shape, r.shape);
    DType a = l.dtype, b = r.dtype;
    const char *op = ast_op_text(e->op);
    switch (e->op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_FLOORDIV: case OP_MOD: {
        if (!is_num(a) || !is_num(b)) {
            DType bad = is_num(a) ? b : a;
            diag_error(c->d, e->loc, "'%s' needs int or float operands, got %s%s", op, dtype_name(bad),
                       conversion_hint(bad));
            return VOID_TYPE;
        }
        if (e->op == OP_DIV) return typed(DT_FLOAT, sh); /* true division */
        return typed(unify(a, b), sh);
    }
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        bool ordered = e->op != OP_EQ && e->op != OP_NE;
        if (ordered && (a == DT_BOOL || b == DT_BOOL)) {
            diag_error(c->d, e->loc, "'%s' needs numbers or nodes, got bool", op);
            return VOID_TYPE;
        }
        if (unify(a, b) == DT_VOID) {
            bool node_num = (a == DT_NODE && is_num(b)) || (b == DT_NODE && is_num(a));
            diag_error(c->d, e->loc, "cannot compare %s with %s%s", dtype_name(a), dtype_name(b),
                       node_num ? " (use int(x) to compare a node's id with a number)" : "");
            return VOID_TYPE;
        }
        return typed(DT_BOOL, sh);
    }
    case OP_AND: case OP_OR:
        if (a != DT_BOOL || b != DT_BOOL) {
            diag_error(c->d, e->loc, "'%s' needs bool operands, got %s", op, dtype_name(a != DT_BOOL ? a : b));
            return VOID_TYPE;
        }
        return typed(DT_BOOL, sh);
    default:
        return VOID_TYPE;
    }
}

/* The element type a name has here: inside an aggregation a vector names the
 * current node's element. */
static Type here(Checker *c, Type t) {
    if (c->agg && t.shape == SH_VECTOR) t.shape = SH_SCALAR;
    return t;
}

static Type check_index(Checker *c, Expr *e) {
    Expr *base = e->lhs;
    Type bt;
    if (c->agg) {
        /* in element context only a named vector can be read at another node */
        if (base->kind != EX_NAME) {
            bt = check_value(c, base);
            if (!is_void(bt))
                diag_error(c->d, e->loc, "inside an aggregation only a vector variable can be indexed, as in x[u]");
            check_value(c, e->rhs);
            return VOID_TYPE;
        }
        base->elem = true;
        bt = base->ty = resolve(c, base);
    } else {
        bt = check_value(c, base);
    }
    Type it = check_value(c, e->rhs);
    if (is_void(bt) || is_void(it)) return VOID_TYPE;
    if (bt.shape != SH_VECTOR) {
        if (base->kind == EX_NAME)
            diag_error(c->d, base->loc, "cannot index '%s', %s (only node vectors have elements)", base->str,
                       describe(bt));
        else
            diag_error(c->d, e->loc, "cannot index %s (only node vectors have elements)", describe(bt));
        return VOID_TYPE;
    }
    if (it.dtype != DT_NODE) {
        diag_error(c->d, e->rhs->loc, "index must be a node, got %s", type_name(it));
        return VOID_TYPE;
    }
    return typed(read_dtype(bt.dtype), it.shape); /* an element, or a gather (f32 reads as float) */
}

static bool arity(Checker *c, Expr *e, int want) {
    if (e->nargs == want) return true;
    diag_error(c->d, e->loc, "'%s' takes %d argument%s, got %d", e->str, want, want == 1 ? "" : "s", e->nargs);
    return false;
}

/* sum / min / max / mean / count / any / all / argmin / argmax of a vector or
 * of an aggregation body (elem type t): the result dtype, or DT_VOID. */
static DType reduce_type(Checker *c, Builtin bi, const char *name, DType t, SrcLoc loc) {
    switch (bi) {
    case BI_SUM:
        if (is_num(t)) return t;
        if (t == DT_BOOL) return DT_INT; /* counts the trues */
        break;
    case BI_MIN: case BI_MAX:
        if (is_num(t) || t == DT_NODE) return t;
        break;
    case BI_MEAN:
        if (is_num(t)) return DT_FLOAT;
        break;
    case BI_COUNT:
        if (t == DT_BOOL) return DT_INT;
        diag_error(c->d, loc, "'count' counts trues and needs bool values, got %s (as in count(x > 0))",
                   dtype_name(t));
        return DT_VOID;
    case BI_ANY: case BI_ALL:
        if (t == DT_BOOL) return DT_BOOL;
        break;
    case BI_ARGMIN: case BI_ARGMAX:
        if (is_num(t)) return DT_NODE;
        break;
    case BI_MODE:
        if (t == DT_INT || t == DT_NODE || t == DT_BOOL) return t;
        break;
    default:
        break;
    }
    const char *want = bi == BI_SUM ? "int, float or bool" : bi == BI_MIN || bi == BI_MAX ? "int, float or node"
                     : bi == BI_ANY || bi == BI_ALL ? "bool" : bi == BI_MODE ? "int, node or bool" : "int or float";
    diag_error(c->d, loc, "'%s' needs %s values, got %s", name, want, dtype_name(t));
    return DT_VOID;
}

static Type check_call(Checker *c, Expr *e) {
    Name *n = find(c, e->str);
    const BuiltinDef *bd = n ? n->bi : NULL;
    if (!bd || bd->kind != BK_FUNC) {
        const char *near = NULL;
        if (n && (n->bound || n->sym || bd))
            diag_error(c->d, e->loc, "'%s' is not a function", e->str);
        else if ((near = suggest(c, e->str, true)))
            diag_error(c->d, e->loc, "unknown function '%s' (did you mean '%s'?)", e->str, near);
        else
            diag_error(c->d, e->loc, "unknown function '%s'", e->str);
        for (int i = 0; i < e->nargs; i++) check_value(c, e->args[i]);
        return VOID_TYPE;
    }
    Builtin bi = e->builtin = bd->bi;
    bool reduction = bi == BI_SUM || bi == BI_MEAN || bi == BI_COUNT || bi == BI_ANY || bi == BI_ALL ||
                     bi == BI_ARGMIN || bi == BI_ARGMAX || ((bi == BI_MIN || bi == BI_MAX) && e->nargs == 1);
    if (bi == BI_PRINT) {
        diag_error(c->d, e->loc, "'print' gives no value; use it as a statement");
        return VOID_TYPE;
    }
    if (bi == BI_MODE) {
        diag_error(c->d, e->loc, "'mode' is only a neighbor aggregation, as in mode(x[u] for u in nbrs)");
        return VOID_TYPE;
    }

    /* the argument count, then the arguments (each checked even after an error) */
    int want = bi == BI_WHERE ? 3 : bi == BI_POW ? 2 : bi == BI_MIN || bi == BI_MAX ? -1 : 1;
    bool ok = true;
    if (want < 0 && e->nargs != 1 && e->nargs != 2) {
        diag_error(c->d, e->loc, "'%s' takes 1 argument (a vector to reduce) or 2 (compared element-wise), got %d",
                   e->str, e->nargs);
        ok = false;
    } else if (want > 0) {
        ok = arity(c, e, want);
    }
    Type t[3] = {VOID_TYPE, VOID_TYPE, VOID_TYPE};
    for (int i = 0; i < e->nargs; i++) {
        Type ti = check_value(c, e->args[i]);
        if (i < 3) t[i] = ti;
        if (is_void(ti)) ok = false;
    }
    if (!ok) return VOID_TYPE;

    if (reduction) {
        if (c->agg) {
            diag_error(c->d, e->loc, "'%s' of a whole vector cannot be used inside an aggregation; compute it "
                                     "into a variable first", e->str);
            return VOID_TYPE;
        }
        if (t[0].shape != SH_VECTOR) {
            diag_error(c->d, e->loc, "aggregation over a scalar: '%s' needs a node vector, got %s", e->str,
                       describe(t[0]));
            return VOID_TYPE;
        }
        DType r = reduce_type(c, bi, e->str, t[0].dtype, e->args[0]->loc);
        return r == DT_VOID ? VOID_TYPE : scalar(r);
    }

    DType a = t[0].dtype;
    switch (bi) {
    case BI_INIT_NODES:
        if (c->agg) {
            diag_error(c->d, e->loc, "'init_nodes' cannot be used inside an aggregation");
            return VOID_TYPE;
        }
        if (t[0].shape != SH_SCALAR) {
            diag_error(c->d, e->args[0]->loc, "'init_nodes' needs a scalar, got %s", describe(t[0]));
            return VOID_TYPE;
        }
        return typed(a, SH_VECTOR);
    case BI_WHERE: {
        if (a != DT_BOOL) {
            diag_error(c->d, e->args[0]->loc, "the condition of 'where' must be bool, got %s", dtype_name(a));
            return VOID_TYPE;
        }
        DType r = unify(t[1].dtype, t[2].dtype);
        if (r == DT_VOID) {
            diag_error(c->d, e->args[2]->loc, "the two values of 'where' do not match: %s and %s",
                       dtype_name(t[1].dtype), dtype_name(t[2].dtype));
            return VOID_TYPE;
        }
        return typed(r, widest(t[0].shape, widest(t[1].shape, t[2].shape)));
    }
    case BI_MIN: case BI_MAX: { /* two arguments: element-wise */
        DType r = unify(a, t[1].dtype);
        if (r == DT_VOID || r == DT_BOOL) {
            diag_error(c->d, e->loc, "'%s' needs two numbers or two nodes, got %s and %s", e->str, dtype_name(a),
                       dtype_name(t[1].dtype));
            return VOID_TYPE;
        }
        return typed(r, widest(t[0].shape, t[1].shape));
    }
    case BI_ABS: case BI_SQRT: case BI_EXP: case BI_LOG: case BI_FLOOR: case BI_CEIL: case BI_POW:
        for (int i = 0; i < e->nargs; i++) {
            if (!is_num(t[i].dtype)) {
                diag_error(c->d, e->args[i]->loc, "'%s' needs an int or float, got %s%s", e->str,
                           dtype_name(t[i].dtype), conversion_hint(t[i].dtype));
                return VOID_TYPE;
            }
        }
        if (bi == BI_ABS) return t[0];
        return typed(DT_FLOAT, bi == BI_POW ? widest(t[0].shape, t[1].shape) : t[0].shape);
    case BI_FLOAT:
        if (a == DT_NODE) {
            diag_error(c->d, e->args[0]->loc, "'float' of a node is not defined; float(int(x)) is its id as a float");
            return VOID_TYPE;
        }
        return typed(DT_FLOAT, t[0].shape);
    case BI_INT:
        return typed(DT_INT, t[0].shape); /* truncates a float; a node's id; a bool's 0 or 1 */
    case BI_BOOL:
        if (a == DT_NODE) {
            diag_error(c->d, e->args[0]->loc, "'bool' of a node is not defined");
            return VOID_TYPE;
        }
        return typed(DT_BOOL, t[0].shape);
    default:
        return VOID_TYPE;
    }
}

/* Binds the neighbor (or the weight) of an aggregation. When the name is
 * taken (reported, *ok cleared) it is still bound, with no type, so that its
 * uses in the body stay quiet. */
static Symbol *bind(Checker *c, const char *name, SrcLoc loc, SymKind kind, Expr *agg, bool *ok) {
    Name *n = intern(c, name);
    Type ty = scalar(kind == SYM_NBR ? DT_NODE : DT_FLOAT);
    if (!name_free(c, n, loc, kind == SYM_NBR ? "neighbor" : "weight")) {
        ty = VOID_TYPE;
        *ok = false;
    }
    Symbol *s = new_symbol(c, kind, name, ty, loc);
    n->bound = s;
    n->bound_at = agg->loc;
    return s;
}

static const char *edges_name(NbrDir d) { return d == DIR_IN ? "in_edges" : d == DIR_OUT ? "out_edges" : "edges"; }

/* AGG(body for u[, w] in DIR [if cond]) */
static Type check_agg(Checker *c, Expr *e) {
    if (c->agg) {
        diag_error(c->d, e->loc, "nested neighbor aggregation is not supported; compute the inner one into a "
                                 "variable first");
        return VOID_TYPE;
    }
    bool ok = true;
    Name *n = find(c, e->str);
    const BuiltinDef *bd = n ? n->bi : NULL;
    Builtin bi = bd && bd->kind == BK_FUNC ? bd->bi : BI_NONE;
    if (bi != BI_SUM && bi != BI_MIN && bi != BI_MAX && bi != BI_MEAN && bi != BI_COUNT && bi != BI_ANY &&
        bi != BI_ALL && bi != BI_MODE) {
        if (!n || (!n->bi && !n->sym))
            diag_error(c->d, e->loc, "unknown aggregation '%s' (sum, min, max, mean, count, any, all, mode)",
                       e->str);
        else
            diag_error(c->d, e->loc, "'%s' is not an aggregation (sum, min, max, mean, count, any, all, mode)",
                       e->str);
        ok = false;
    }
    e->builtin = bi;

    /* the neighborhood */
    Name *dn = find(c, e->dir_name);
    const BuiltinDef *dir = dn && dn->bi && dn->bi->kind == BK_DIR ? dn->bi : NULL;
    if (!dir) {
        diag_error(c->d, e->dir_loc, "unknown neighborhood '%s' (in_nbrs, out_nbrs, nbrs; in_edges, out_edges, "
                                     "edges with a weight)", e->dir_name);
        ok = false;
    } else {
        e->dir = dir->dir;
        e->weighted = dir->weighted || e->wvar != NULL;
        if (e->wvar && !dir->weighted) {
            diag_error(c->d, e->wvar_loc, "a weight needs an edge neighborhood: 'for %s, %s in %s'", e->var, e->wvar,
                       edges_name(dir->dir));
            ok = false;
        } else if (e->weighted && !c->p->weighted) {
            if (e->wvar)
                diag_error(c->d, e->wvar_loc, "the edge weight '%s' needs a weighted graph: add 'weighted' to the "
                                              "header of algorithm '%s'", e->wvar, c->p->name);
            else
                diag_error(c->d, e->dir_loc, "'%s' needs a weighted graph: add 'weighted' to the header of "
                                             "algorithm '%s' (or use %s)", e->dir_name, c->p->name,
                           dir->dir == DIR_IN ? "in_nbrs" : dir->dir == DIR_OUT ? "out_nbrs" : "nbrs");
            ok = false;
        }
    }

    /* the body, with u (and w) bound */
    bind(c, e->var, e->var_loc, SYM_NBR, e, &ok);
    if (e->wvar) {
        if (!strcmp(e->wvar, e->var)) {
            diag_error(c->d, e->wvar_loc, "the neighbor and the weight need different names");
            ok = false;
        } else {
            bind(c, e->wvar, e->wvar_loc, SYM_WEIGHT, e, &ok);
        }
    }
    c->agg = e;
    Type bt = check_value(c, e->body);
    Type ct = e->cond ? check_value(c, e->cond) : scalar(DT_BOOL);
    c->agg = NULL;
    find(c, e->var)->bound = NULL;
    if (e->wvar) find(c, e->wvar)->bound = NULL;

    if (!is_void(ct) && ct.dtype != DT_BOOL) {
        diag_error(c->d, e->cond->loc, "the condition of an aggregation must be bool, got %s", dtype_name(ct.dtype));
        ok = false;
    }
    if (!ok || is_void(bt) || is_void(ct)) return VOID_TYPE;
    DType r = reduce_type(c, bi, e->str, bt.dtype, e->body->loc);
    return r == DT_VOID ? VOID_TYPE : typed(r, SH_VECTOR);
}

static Type check_expr(Checker *c, Expr *e) {
    Type t = VOID_TYPE;
    e->elem = c->agg != NULL;
    switch (e->kind) {
    case EX_INT: t = scalar(DT_INT); break;
    case EX_FLOAT: t = scalar(DT_FLOAT); break;
    case EX_BOOL: t = scalar(DT_BOOL); break;
    case EX_STRING: return check_value(c, e);
    case EX_NAME: t = here(c, read_type(resolve(c, e))); break;
    case EX_UNARY: t = check_unary(c, e); break;
    case EX_BINARY: t = check_binary(c, e); break;
    case EX_CALL: t = check_call(c, e); break;
    case EX_INDEX: t = check_index(c, e); break;
    case EX_COMPR: t = check_agg(c, e); break;
    }
    e->ty = t;
    return t;
}

/* ---- statements --------------------------------------------------------- */

static void check_block(Checker *c, Block *b, bool top);

/* The variable a statement writes, or NULL (reported) when it cannot be written. */
static Symbol *target(Checker *c, Stmt *s, Name *n) {
    if (n->bi) {
        diag_error(c->d, s->name_loc, "'%s' is a built-in and cannot be redefined", s->name);
        n->misused = true;
        return NULL;
    }
    if (n->sym && n->sym->kind == SYM_PARAM) {
        diag_error(c->d, s->name_loc, "cannot assign to parameter '%s' (parameters are read-only; copy it into "
                                      "a variable)", s->name);
        return NULL;
    }
    return n->sym;
}

/* The first assignment defines the variable, with type t. */
static void define_var(Checker *c, Stmt *s, Name *n, Type t) {
    Symbol *v = new_symbol(c, SYM_VAR, s->name, t, s->name_loc);
    v->index = c->vars.len;
    ptrvec_push(c->a, &c->vars, v);
    n->sym = v;
    ptrvec_push(c->a, &c->defined, n);
    s->sym = v;
    s->defines = true;
}

/* name: TYPE = value, which must be a first assignment. The variable gets
 * TYPE and the value's shape; the value must convert to TYPE as it would in a
 * later assignment. */
static void check_typed_assign(Checker *c, Stmt *s, Name *n, Type t) {
    static const struct { const char *name; DType t; } types[] = {
        {"int", DT_INT}, {"float", DT_FLOAT}, {"bool", DT_BOOL}, {"node", DT_NODE}, {"f32", DT_F32},
    };
    DType decl = DT_VOID;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(s->type_name, types[i].name)) decl = types[i].t;
    if (decl == DT_VOID)
        diag_error(c->d, s->type_loc, "unknown type '%s' (a variable's type is int, float, bool, node or f32)",
                   s->type_name);
    if (n->bi || (n->sym && n->sym->kind == SYM_PARAM)) {
        target(c, s, n); /* reports it */
        return;
    }
    if (n->sym) {
        diag_error(c->d, s->name_loc, "'%s' is already defined at %d:%d; a type goes on the first assignment only",
                   s->name, n->sym->def_loc.line, n->sym->def_loc.col);
        return;
    }
    Type vt = typed(decl, t.shape);
    if (decl != DT_VOID && !is_void(t) && !assignable(t.dtype, decl)) {
        diag_error(c->d, s->name_loc, "cannot assign %s to '%s', %s", describe(t), s->name, describe(vt));
    }
    define_var(c, s, n, decl == DT_VOID || is_void(t) ? VOID_TYPE : vt);
}

static void check_assign(Checker *c, Stmt *s) {
    Type t = check_value(c, s->value);
    Name *n = intern(c, s->name);
    if (s->type_name) {
        check_typed_assign(c, s, n, t);
        return;
    }
    if (n->sym == NULL && !n->bi) {
        define_var(c, s, n, t);
        return;
    }
    Symbol *v = target(c, s, n);
    if (!v) return;
    s->sym = v;
    Type vt = v->ty;
    if (is_void(t) || is_void(vt)) return;
    if (t.shape != vt.shape || !assignable(t.dtype, vt.dtype))
        diag_error(c->d, s->name_loc, "cannot assign %s to '%s', %s (defined at %d:%d)", describe(t), s->name,
                   describe(vt), v->def_loc.line, v->def_loc.col);
}

static void check_store(Checker *c, Stmt *s) {
    Type it = check_value(c, s->index);
    Type t = check_value(c, s->value);
    Name *n = find(c, s->name);
    if (!n || (!n->bi && !n->sym)) {
        unknown_name(c, s->name, s->name_loc);
        return;
    }
    Symbol *v = target(c, s, n);
    if (!v) return;
    s->sym = v;
    if (is_void(v->ty)) return;
    if (v->ty.shape != SH_VECTOR) {
        diag_error(c->d, s->name_loc, "cannot index '%s', %s (only node vectors have elements)", s->name,
                   describe(v->ty));
        return;
    }
    if (!is_void(it) && it.dtype != DT_NODE) {
        diag_error(c->d, s->index->loc, "index must be a node, got %s", type_name(it));
    } else if (!is_void(it) && it.shape != SH_SCALAR) {
        diag_error(c->d, s->index->loc, "an element store needs a single node as index, got %s", describe(it));
    }
    if (is_void(t)) return;
    if (t.shape != SH_SCALAR)
        diag_error(c->d, s->value->loc, "cannot store %s into one element of '%s'", describe(t), s->name);
    else if (!assignable(t.dtype, v->ty.dtype))
        diag_error(c->d, s->value->loc, "cannot store %s into '%s', %s (defined at %d:%d)", describe(t), s->name,
                   describe(v->ty), v->def_loc.line, v->def_loc.col);
}

static void check_cond(Checker *c, Expr *e, const char *what) {
    Type t = check_value(c, e);
    if (is_void(t)) return;
    if (t.dtype != DT_BOOL || t.shape != SH_SCALAR)
        diag_error(c->d, e->loc, "%s must be a bool scalar, got %s%s", what, describe(t),
                   t.dtype == DT_BOOL ? " (any(...) or all(...) make one)" : "");
}

static void check_print(Checker *c, Expr *call) {
    call->builtin = BI_PRINT;
    call->ty = VOID_TYPE;
    for (int i = 0; i < call->nargs; i++) {
        Expr *a = call->args[i];
        if (a->kind == EX_STRING) {
            a->ty = scalar(DT_STRING);
            continue;
        }
        Type t = check_value(c, a);
        if (!is_void(t) && t.shape == SH_VECTOR)
            diag_error(c->d, a->loc, "print cannot print %s; print an element x[v] or a reduction such as sum(x)",
                       describe(t));
    }
}

static void check_stmt(Checker *c, Stmt *s) {
    switch (s->kind) {
    case ST_ASSIGN: check_assign(c, s); break;
    case ST_STORE: check_store(c, s); break;
    case ST_REPEAT: {
        Type t = check_value(c, s->value);
        if (!is_void(t) && (t.dtype != DT_INT || t.shape != SH_SCALAR))
            diag_error(c->d, s->value->loc, "the count of 'repeat' must be an int scalar, got %s", describe(t));
        c->loops++;
        check_block(c, s->body, false);
        c->loops--;
        break;
    }
    case ST_WHILE:
        check_cond(c, s->value, "condition");
        c->loops++;
        check_block(c, s->body, false);
        c->loops--;
        break;
    case ST_IF:
        check_cond(c, s->value, "condition");
        check_block(c, s->body, false);
        if (s->els) check_block(c, s->els, false);
        break;
    case ST_BREAK:
        if (c->loops == 0) diag_error(c->d, s->loc, "'break' outside of a loop (repeat or while)");
        break;
    case ST_RETURN:
        for (int i = 0; i < s->nvalues; i++) check_value(c, s->values[i]);
        break;
    case ST_CALL: {
        Expr *e = s->value;
        if (e->kind == EX_CALL && !strcmp(e->str, "print")) {
            Name *n = find(c, "print");
            if (n && n->bi) {
                check_print(c, e);
                break;
            }
        }
        Type t = check_expr(c, e);
        if (!is_void(t))
            diag_error(c->d, e->loc, "the value of '%s' is not used; assign it to a variable", e->str);
        break;
    }
    }
}

static void check_block(Checker *c, Block *b, bool top) {
    int mark = c->defined.len;
    for (int i = 0; i < b->nstmts; i++) {
        Stmt *s = b->stmts[i];
        if (s->kind == ST_RETURN && !(top && i == b->nstmts - 1))
            diag_error(c->d, s->loc, "'return' must be the last statement of the algorithm");
        check_stmt(c, s);
    }
    /* the variables defined in this block end here */
    for (int i = c->defined.len - 1; i >= mark; i--) {
        Name *n = c->defined.items[i];
        n->ended = n->sym;
        n->sym = NULL;
    }
    c->defined.len = mark;
}

/* ---- parameters --------------------------------------------------------- */

/* A default's value: a literal, inf, or + - * / div % and unary -/+ on those. */
typedef struct Const {
    DType t;  /* DT_VOID: not a constant (reported) */
    int64_t i;
    double f;
    bool b;
} Const;

static Const const_error(Checker *c, Expr *e, const char *msg) {
    diag_error(c->d, e->loc, "%s", msg);
    return (Const){DT_VOID, 0, 0, false};
}

static double as_float(Const v) { return v.t == DT_INT ? (double)v.i : v.f; }

static Const eval_const(Checker *c, Expr *e) {
    Const v = {DT_VOID, 0, 0, false};
    switch (e->kind) {
    case EX_INT: v = (Const){DT_INT, e->ival, 0, false}; break;
    case EX_FLOAT: v = (Const){DT_FLOAT, 0, e->fval, false}; break;
    case EX_BOOL: v = (Const){DT_BOOL, 0, 0, e->bval}; break;
    case EX_NAME:
        if (!strcmp(e->str, "inf")) {
            v = (Const){DT_FLOAT, 0, INFINITY, false};
            e->sym = builtin_symbol(c, find(c, "inf")->bi);
            break;
        }
        return const_error(c, e, "a default value must be a constant (literals and arithmetic on them)");
    case EX_UNARY: {
        Const a = eval_const(c, e->lhs);
        if (a.t == DT_VOID) return a;
        if (e->op == OP_NOT) {
            if (a.t != DT_BOOL) return const_error(c, e, "'not' needs a bool");
            v = a;
            v.b = !a.b;
            break;
        }
        if (a.t == DT_BOOL) return const_error(c, e, "unary minus or plus needs a number");
        v = a;
        if (e->op == OP_NEG) {
            if (a.t == DT_INT && a.i == INT64_MIN) return const_error(c, e, "integer overflow in a default value");
            v.i = -a.i;
            v.f = -a.f;
        }
        break;
    }
    case EX_BINARY: {
        Const a = eval_const(c, e->lhs);
        Const b = eval_const(c, e->rhs);
        if (a.t == DT_VOID || b.t == DT_VOID) return (Const){DT_VOID, 0, 0, false};
        if (e->op > OP_MOD)
            return const_error(c, e, "a default value must be a constant (literals and arithmetic on them)");
        if (!is_num(a.t) || !is_num(b.t)) return const_error(c, e, "arithmetic needs numbers");
        if (a.t == DT_INT && b.t == DT_INT && e->op != OP_DIV) {
            int64_t r = 0;
            bool over = false;
            switch (e->op) {
            case OP_ADD: over = __builtin_add_overflow(a.i, b.i, &r); break;
            case OP_SUB: over = __builtin_sub_overflow(a.i, b.i, &r); break;
            case OP_MUL: over = __builtin_mul_overflow(a.i, b.i, &r); break;
            default: /* div, %: floored, like Python */
                if (b.i == 0) return const_error(c, e, "division by zero in a default value");
                if (a.i == INT64_MIN && b.i == -1) {
                    over = true;
                    break;
                }
                r = a.i / b.i;
                if (a.i % b.i != 0 && ((a.i < 0) != (b.i < 0))) r--;
                if (e->op == OP_MOD) r = a.i - r * b.i;
                break;
            }
            if (over) return const_error(c, e, "integer overflow in a default value");
            v = (Const){DT_INT, r, 0, false};
        } else {
            double x = as_float(a), y = as_float(b), r = 0;
            switch (e->op) {
            case OP_ADD: r = x + y; break;
            case OP_SUB: r = x - y; break;
            case OP_MUL: r = x * y; break;
            case OP_DIV: r = x / y; break;
            case OP_FLOORDIV: r = floor(x / y); break;
            default: r = fmod(x, y); if (r != 0 && ((r < 0) != (y < 0))) r += y; break;
            }
            v = (Const){DT_FLOAT, 0, r, false};
        }
        break;
    }
    default:
        return const_error(c, e, "a default value must be a constant (literals and arithmetic on them)");
    }
    e->ty = scalar(v.t);
    return v;
}

static void check_param(Checker *c, Param *q, int index) {
    static const struct { const char *name; DType t; } types[] = {
        {"float", DT_FLOAT}, {"int", DT_INT}, {"bool", DT_BOOL}, {"node", DT_NODE},
    };
    q->dtype = DT_VOID;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(q->type_name, types[i].name)) q->dtype = types[i].t;
    if (q->dtype == DT_VOID)
        diag_error(c->d, q->type_loc, "unknown type '%s' (a parameter is a float, int, bool or node)", q->type_name);

    /* The compiled program's own options share the --NAME=VALUE namespace. */
    static const char *const reserved[] = {"output", "threads", "format", "undirected", "dense_ids", "time", "help"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcmp(q->name, reserved[i]))
            diag_error(c->d, q->loc, "a parameter cannot be named '%s': --%s is an option of every compiled program",
                       q->name, q->name);

    Name *n = intern(c, q->name);
    if (name_free(c, n, q->loc, "parameter")) {
        Symbol *s = new_symbol(c, SYM_PARAM, q->name, scalar(q->dtype), q->loc);
        s->index = index;
        n->sym = s; /* parameters never go out of scope */
        q->sym = s;
    }

    if (!q->deflt) return;
    Const v = eval_const(c, q->deflt);
    if (v.t == DT_VOID || q->dtype == DT_VOID) return;
    const char *bad = NULL;
    switch (q->dtype) {
    case DT_FLOAT:
        if (!is_num(v.t)) bad = "a number";
        else q->fdefault = as_float(v);
        break;
    case DT_INT:
        if (v.t != DT_INT) bad = "an int";
        else q->idefault = v.i;
        break;
    case DT_BOOL:
        if (v.t != DT_BOOL) bad = "true or false";
        else q->idefault = v.b;
        break;
    case DT_NODE:
        if (v.t != DT_INT || v.i < 0) bad = "a node id (an int >= 0, the node's number in the graph file)";
        else q->idefault = v.i;
        break;
    default:
        break;
    }
    if (bad) {
        if (v.t == DT_INT)
            diag_error(c->d, q->deflt->loc, "the default of %s parameter '%s' must be %s, got %" PRId64,
                       dtype_name(q->dtype), q->name, bad, v.i);
        else
            diag_error(c->d, q->deflt->loc, "the default of %s parameter '%s' must be %s, got %s",
                       dtype_name(q->dtype), q->name, bad, dtype_name(v.t));
        return;
    }
    q->has_default = true;
}

/* ---- program ------------------------------------------------------------ */

bool check_program(Program *p, Arena *a, Diag *d) {
    Checker c = {.a = a, .d = d, .p = p};
    c.nbuckets = 256;
    c.buckets = arena_array(a, c.nbuckets, sizeof *c.buckets);
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) intern(&c, builtins[i].name)->bi = &builtins[i];

    for (int i = 0; i < p->nparams; i++) check_param(&c, p->params[i], i);

    Block *body = p->body;
    check_block(&c, body, true);
    Stmt *last = body->nstmts > 0 ? body->stmts[body->nstmts - 1] : NULL;
    if (!last || last->kind != ST_RETURN) {
        diag_error(d, body->end_loc, "missing return at the end of algorithm '%s'", p->name);
    } else {
        p->out_names = arena_array(a, (size_t)last->nvalues, sizeof *p->out_names);
        for (int i = 0; i < last->nvalues; i++) {
            Expr *e = last->values[i];
            p->out_names[i] = e->kind == EX_NAME ? e->str : arena_printf(a, "value%d", i + 1);
        }
    }
    p->vars = (Symbol **)c.vars.items;
    p->nvars = c.vars.len;
    return d->nerrors == 0;
}
