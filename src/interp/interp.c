/* interp.c - the reference interpreter; see interp.h.
 *
 * Written to be read against docs/language.md, not to be fast: values live in
 * one slot per IR variable (a scalar, or a buffer of N elements for a
 * vector); a vector op is a loop over nodes calling the same scalar
 * semantics (`apply`) that element-level ops use. */
#include "interp/interp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Sc {
    int64_t i; /* bool (0/1), int, node (dense index) */
    double f;  /* float, and f32: a double holding a binary32 value */
} Sc;

typedef struct Interp {
    const IrFunc *f;
    const rt_graph *g;
    int64_t n;
    Sc *sc;     /* per variable: its scalar value */
    void **vec; /* per variable: its vector buffer (allocated at first write) */
    const rt_value *params;
    bool brk;   /* a BREAK is unwinding to its loop */
    int64_t cur, nbr; /* element context: the node, the neighbor */
    double w;         /* the edge weight */
} Interp;

/* ---- vector elements ------------------------------------------------------ */

static DType dt(const Interp *in, int v) { return in->f->vars[v].ty.dtype; }
static bool is_vec(const Interp *in, int v) { return in->f->vars[v].ty.shape == SH_VECTOR; }

static void *vec_of(Interp *in, int v) {
    if (!in->vec[v]) in->vec[v] = rt_alloc(in->n, dt(in, v) == DT_BOOL ? 1 : 8, "interpreter vector");
    return in->vec[v];
}

static Sc get(Interp *in, int v, int64_t i) {
    Sc s = {0, 0};
    void *b = vec_of(in, v);
    switch (dt(in, v)) {
    case DT_BOOL: s.i = ((uint8_t *)b)[i]; break;
    case DT_FLOAT: case DT_F32: s.f = ((double *)b)[i]; break;
    default: s.i = ((int64_t *)b)[i]; break;
    }
    return s;
}

static void set(Interp *in, int v, int64_t i, Sc s) {
    void *b = vec_of(in, v);
    switch (dt(in, v)) {
    case DT_BOOL: ((uint8_t *)b)[i] = s.i != 0; break;
    case DT_FLOAT: case DT_F32: ((double *)b)[i] = s.f; break;
    default: ((int64_t *)b)[i] = s.i; break;
    }
}

/* The value of operand v at node i: its element for a vector, else the scalar. */
static Sc at(Interp *in, int v, int64_t i) { return is_vec(in, v) ? get(in, v, i) : in->sc[v]; }

/* ---- scalar semantics (docs/language.md §5, docs/design.md) ------------------ */

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static int64_t degree_of(const Interp *in, IrOpcode code, int64_t v) {
    const rt_graph *g = in->g;
    int64_t out = g->out_off[v + 1] - g->out_off[v], inn = g->in_off[v + 1] - g->in_off[v];
    if (code == IR_OUT_DEGREE) return out;
    if (code == IR_IN_DEGREE) return inn;
    return in->f->undirected ? out : out + inn;
}

/* Floor division and floored modulo on ints, as Python defines them. */
static int64_t int_floordiv(int64_t a, int64_t b, bool mod) {
    if (b == 0) rt_fail(mod ? "integer modulo by zero" : "integer division by zero");
    if (b == -1) return mod ? 0 : wrap_sub(0, a);
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) { q -= 1; r += b; }
    return mod ? r : q;
}

static double float_mod(double a, double b) {
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

/* f32 values are doubles rounded to binary32 with (double)(float)x where the
 * program converts to f32 (C's conversion: nearest even, overflow to inf); an
 * int goes through double first, as the compiled program does. */
static Sc convert(Sc x, DType from, DType to) {
    Sc r = {0, 0};
    if (from == to) return x;
    switch (to) {
    case DT_BOOL: r.i = from == DT_FLOAT || from == DT_F32 ? x.f != 0 : x.i != 0; break;
    case DT_FLOAT: r.f = from == DT_F32 ? x.f : (double)x.i; break;
    case DT_F32: r.f = (double)(float)(from == DT_FLOAT || from == DT_F32 ? x.f : (double)x.i); break;
    default:
        if (from == DT_FLOAT) {
            if (!(x.f >= -9223372036854775808.0 && x.f < 9223372036854775808.0))
                rt_fail("int(): value is NaN or out of the int range");
            r.i = (int64_t)x.f;
        } else {
            r.i = x.i;
        }
    }
    return r;
}

/* Element-wise op `code` on scalar operands a[] of dtypes sd[], result dtype d. */
static Sc apply(const Interp *in, IrOpcode code, DType d, const DType *sd, const Sc *a) {
    Sc r = {0, 0};
    bool fl = d == DT_FLOAT;
    bool fcmp = sd[0] == DT_FLOAT;
    switch (code) {
    case IR_NEG: if (fl) r.f = -a[0].f; else r.i = wrap_sub(0, a[0].i); break;
    case IR_NOT: r.i = !a[0].i; break;
    case IR_ABS: if (fl) r.f = fabs(a[0].f); else r.i = a[0].i < 0 ? wrap_sub(0, a[0].i) : a[0].i; break;
    case IR_SQRT: r.f = sqrt(a[0].f); break;
    case IR_EXP: r.f = exp(a[0].f); break;
    case IR_LOG: r.f = log(a[0].f); break;
    case IR_FLOOR: r.f = floor(a[0].f); break;
    case IR_CEIL: r.f = ceil(a[0].f); break;
    case IR_CAST: r = convert(a[0], sd[0], d); break;
    case IR_COPY: case IR_BROADCAST: r = a[0]; break;
    case IR_NODE_FILE_ID: r.i = (int64_t)in->g->ids[a[0].i]; break;
    case IR_ADD: if (fl) r.f = a[0].f + a[1].f; else r.i = wrap_add(a[0].i, a[1].i); break;
    case IR_SUB: if (fl) r.f = a[0].f - a[1].f; else r.i = wrap_sub(a[0].i, a[1].i); break;
    case IR_MUL: if (fl) r.f = a[0].f * a[1].f; else r.i = wrap_mul(a[0].i, a[1].i); break;
    case IR_DIV: r.f = a[0].f / a[1].f; break;
    case IR_FLOORDIV: if (fl) r.f = floor(a[0].f / a[1].f); else r.i = int_floordiv(a[0].i, a[1].i, false); break;
    case IR_MOD: if (fl) r.f = float_mod(a[0].f, a[1].f); else r.i = int_floordiv(a[0].i, a[1].i, true); break;
    case IR_POW: r.f = pow(a[0].f, a[1].f); break;
    /* min(a, b) is b only when b < a: on ties and NaNs it is a */
    case IR_MIN: if (fl) r.f = a[1].f < a[0].f ? a[1].f : a[0].f; else r.i = a[1].i < a[0].i ? a[1].i : a[0].i; break;
    case IR_MAX: if (fl) r.f = a[1].f > a[0].f ? a[1].f : a[0].f; else r.i = a[1].i > a[0].i ? a[1].i : a[0].i; break;
    case IR_EQ: r.i = fcmp ? a[0].f == a[1].f : a[0].i == a[1].i; break;
    case IR_NE: r.i = fcmp ? a[0].f != a[1].f : a[0].i != a[1].i; break;
    case IR_LT: r.i = fcmp ? a[0].f < a[1].f : a[0].i < a[1].i; break;
    case IR_LE: r.i = fcmp ? a[0].f <= a[1].f : a[0].i <= a[1].i; break;
    case IR_GT: r.i = fcmp ? a[0].f > a[1].f : a[0].i > a[1].i; break;
    case IR_GE: r.i = fcmp ? a[0].f >= a[1].f : a[0].i >= a[1].i; break;
    case IR_AND: r.i = a[0].i && a[1].i; break;
    case IR_OR: r.i = a[0].i || a[1].i; break;
    case IR_WHERE: r = a[0].i ? a[1] : a[2]; break;
    default: rt_fail("internal error: the interpreter met an unexpected op");
    }
    return r;
}

/* ---- aggregations ------------------------------------------------------------ */

typedef struct Acc {
    Sc v;
    int64_t idx;   /* argmin/argmax: the node, -1 none yet */
    int64_t count; /* values taken */
} Acc;

static Acc acc_init(IrAgg agg, DType d) {
    Acc a = {{0, 0}, -1, 0};
    switch (agg) {
    case AGG_MIN: case AGG_ARGMIN: if (d == DT_FLOAT) a.v.f = INFINITY; else a.v.i = INT64_MAX; break;
    case AGG_MAX: case AGG_ARGMAX: if (d == DT_FLOAT) a.v.f = -INFINITY; else a.v.i = INT64_MIN; break;
    case AGG_ALL: a.v.i = 1; break;
    default: break;
    }
    return a;
}

/* acc = combine(acc, x) where x has dtype d (sum/count/mean of bools count). */
static void acc_take(Acc *a, IrAgg agg, DType d, Sc x, int64_t node) {
    bool fl = d == DT_FLOAT;
    switch (agg) {
    case AGG_SUM: case AGG_MEAN:
        if (fl) a->v.f += x.f; else a->v.i = wrap_add(a->v.i, x.i);
        break;
    case AGG_COUNT: a->v.i += x.i != 0; break;
    case AGG_MIN: if (fl ? x.f < a->v.f : x.i < a->v.i) a->v = x; break;
    case AGG_MAX: if (fl ? x.f > a->v.f : x.i > a->v.i) a->v = x; break;
    case AGG_ANY: a->v.i = a->v.i || x.i; break;
    case AGG_ALL: a->v.i = a->v.i && x.i; break;
    /* argmin/argmax skip NaN values, as min and max do */
    case AGG_ARGMIN:
        if (fl && isnan(x.f)) break;
        if (a->idx < 0 || (fl ? x.f < a->v.f : x.i < a->v.i)) { a->v = x; a->idx = node; }
        break;
    case AGG_ARGMAX:
        if (fl && isnan(x.f)) break;
        if (a->idx < 0 || (fl ? x.f > a->v.f : x.i > a->v.i)) { a->v = x; a->idx = node; }
        break;
    case AGG_MODE: break;
    }
    a->count++;
}

/* Whole-vector reduction in the documented order: blocks of INTERP_BLOCK
 * nodes left to right, then the block results left to right. */
static Sc reduce(Interp *in, const IrOp *op) {
    int src = op->src[0];
    DType sd = dt(in, src);
    IrAgg agg = op->agg;
    /* sums of bools count; a mean is a sum divided by N afterwards */
    IrAgg step = sd == DT_BOOL && (agg == AGG_SUM || agg == AGG_MEAN) ? AGG_COUNT : agg;
    DType accd = step == AGG_COUNT ? DT_INT : sd;
    Acc total = acc_init(step, accd);
    for (int64_t lo = 0; lo < in->n; lo += INTERP_BLOCK) {
        int64_t hi = lo + INTERP_BLOCK < in->n ? lo + INTERP_BLOCK : in->n;
        Acc block = acc_init(step, accd);
        for (int64_t i = lo; i < hi; i++) acc_take(&block, step, sd, get(in, src, i), i);
        if (agg == AGG_ARGMIN || agg == AGG_ARGMAX) {
            if (block.idx >= 0) {
                bool fl = sd == DT_FLOAT;
                bool better = agg == AGG_ARGMIN ? (fl ? block.v.f < total.v.f : block.v.i < total.v.i)
                                                : (fl ? block.v.f > total.v.f : block.v.i > total.v.i);
                if (total.idx < 0 || better) total = block;
            }
        } else {
            acc_take(&total, step == AGG_COUNT ? AGG_SUM : step, accd, block.v, lo);
        }
    }
    Sc r = total.v;
    DType d = dt(in, op->dst);
    if (agg == AGG_ARGMIN || agg == AGG_ARGMAX) {
        if (total.idx < 0) rt_fail(agg == AGG_ARGMIN ? "argmin: every value is NaN" : "argmax: every value is NaN");
        r.i = total.idx;
    }
    else if (agg == AGG_MEAN) r.f = (accd == DT_FLOAT ? total.v.f : (double)total.v.i) / (double)in->n;
    else if (accd != d) r = convert(r, accd, d);
    return r;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void exec_block(Interp *in, const IrBlock *b);
static void exec_elem(Interp *in, const IrOp *op);

/* One node's aggregation over its neighbors: in-list then out-list for `nbrs`
 * on a directed graph, each in neighbor order. */
static Sc nbr_agg_at(Interp *in, const IrOp *op, int64_t v) {
    const rt_graph *g = in->g;
    const IrBlock *body = op->body;
    const IrOp *yield = body->ops[body->nops - 1];
    DType d = dt(in, op->dst), vd = dt(in, yield->src[0]);
    bool use_in[2] = {op->dir == DIR_IN || (op->dir == DIR_BOTH && !in->f->undirected),
                      op->dir == DIR_OUT || op->dir == DIR_BOTH};
    Acc acc = acc_init(op->agg, vd);
    int64_t *vals = NULL, nvals = 0, cap = 0;
    for (int list = 0; list < 2; list++) {
        if (!use_in[list]) continue;
        bool incoming = list == 0;
        const int64_t *off = incoming ? g->in_off : g->out_off;
        const uint32_t *adj = incoming ? g->in_adj : g->out_adj;
        const double *wts = incoming ? g->in_w : g->out_w;
        for (int64_t e = off[v]; e < off[v + 1]; e++) {
            in->cur = v;
            in->nbr = adj[e];
            in->w = wts ? wts[e] : 0.0;
            for (int i = 0; i < body->nops - 1; i++) exec_elem(in, body->ops[i]);
            if (yield->nsrc == 2 && !in->sc[yield->src[1]].i) continue;
            Sc x = in->sc[yield->src[0]];
            if (op->agg == AGG_MODE) {
                if (nvals == cap) {
                    cap = cap ? 2 * cap : 16;
                    int64_t *nv = rt_alloc(cap, 8, "interpreter mode values");
                    if (nvals) memcpy(nv, vals, (size_t)nvals * 8);
                    rt_free(vals);
                    vals = nv;
                }
                vals[nvals++] = x.i;
            } else if (d == DT_NODE && (op->agg == AGG_MIN || op->agg == AGG_MAX)) {
                /* node labels: the first value, then strictly smaller/larger ones */
                if (acc.count == 0 || (op->agg == AGG_MIN ? x.i < acc.v.i : x.i > acc.v.i)) acc.v = x;
                acc.count++;
            } else {
                acc_take(&acc, op->agg, vd, x, in->nbr);
            }
        }
    }
    Sc r = acc.v;
    switch (op->agg) {
    case AGG_MEAN:
        r.f = acc.count ? (vd == DT_FLOAT ? acc.v.f : (double)acc.v.i) / (double)acc.count : 0.0;
        break;
    case AGG_MODE:
        if (nvals == 0) {
            r.i = d == DT_NODE ? v : 0;
        } else { /* the most frequent value; ties to the smallest */
            qsort(vals, (size_t)nvals, sizeof *vals, cmp_i64);
            int64_t best = vals[0], best_len = 0;
            for (int64_t i = 0; i < nvals;) {
                int64_t j = i;
                while (j < nvals && vals[j] == vals[i]) j++;
                if (j - i > best_len) { best = vals[i]; best_len = j - i; }
                i = j;
            }
            r.i = best;
        }
        break;
    case AGG_MIN: case AGG_MAX:
        if (d == DT_NODE && acc.count == 0) r.i = v; /* an empty neighborhood keeps the node */
        break;
    default: break;
    }
    rt_free(vals);
    return r;
}

/* An op inside a neighbor region: scalars only. */
static void exec_elem(Interp *in, const IrOp *op) {
    Sc r = {0, 0};
    switch (op->code) {
    case IR_NODE_ID: r.i = in->cur; break;
    case IR_NBR: r.i = in->nbr; break;
    case IR_EDGE_W: r.f = in->w; break;
    case IR_CONST: r.i = op->c.i; r.f = op->c.f; break;
    case IR_GRAPH_N: r.i = in->n; break;
    case IR_GRAPH_M: r.i = in->g->m; break;
    case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE:
        r.i = degree_of(in, op->code, op->nsrc ? in->sc[op->src[0]].i : in->cur);
        break;
    case IR_LOAD: r = get(in, op->src[0], in->sc[op->src[1]].i); break;
    default: {
        Sc a[3];
        DType sd[3] = {DT_VOID, DT_VOID, DT_VOID};
        for (int i = 0; i < op->nsrc && i < 3; i++) {
            a[i] = in->sc[op->src[i]];
            sd[i] = dt(in, op->src[i]);
        }
        r = apply(in, op->code, dt(in, op->dst), sd, a);
    }
    }
    in->sc[op->dst] = r;
}

static void output(Interp *in, const IrOp *ret, rt_output *out) {
    for (int k = 0; k < ret->nsrc; k++) {
        int v = ret->src[k];
        if (is_vec(in, v)) {
            int64_t size = dt(in, v) == DT_BOOL ? 1 : dt(in, v) == DT_NODE ? 4 : 8;
            void *copy = rt_alloc(in->n, size, "output column");
            if (dt(in, v) == DT_NODE) { /* node columns are 32-bit indices (rt_abi.h) */
                const int64_t *src = vec_of(in, v);
                for (int64_t i = 0; i < in->n; i++) ((uint32_t *)copy)[i] = (uint32_t)src[i];
            } else if (dt(in, v) == DT_F32) { /* an f32 vector becomes a float (double) column */
                for (int64_t i = 0; i < in->n; i++) ((double *)copy)[i] = get(in, v, i).f;
            } else {
                memcpy(copy, vec_of(in, v), (size_t)(in->n * size));
            }
            rt_output_vector(out, k, copy);
        } else if (dt(in, v) == DT_FLOAT || dt(in, v) == DT_F32) {
            rt_output_scalar_float(out, k, in->sc[v].f);
        } else {
            rt_output_scalar_int(out, k, in->sc[v].i);
        }
    }
}

/* A top-level op. */
static void exec_op(Interp *in, const IrOp *op) {
    const IrFunc *f = in->f;
    const rt_value *params = in->params;
    switch (op->code) {
    case IR_PARAM: {
        DType d = f->params[op->index].dtype;
        if (d == DT_FLOAT) in->sc[op->dst].f = params[op->index].f;
        else in->sc[op->dst].i = d == DT_BOOL ? params[op->index].i != 0 : params[op->index].i;
        return;
    }
    case IR_LOOP: {
        int64_t count = op->nsrc ? in->sc[op->src[0]].i : 0;
        for (int64_t i = 0; !op->nsrc || i < count; i++) {
            exec_block(in, op->body);
            if (in->brk) { in->brk = false; break; }
        }
        return;
    }
    case IR_IF:
        exec_block(in, in->sc[op->src[0]].i ? op->body : op->els);
        return;
    case IR_BREAK: in->brk = true; return;
    case IR_PRINT:
        rt_print_begin();
        for (int i = 0; i < op->nitems; i++) {
            if (op->items[i].str) { rt_print_str(op->items[i].str); continue; }
            int v = op->src[op->items[i].src_index];
            switch (dt(in, v)) {
            case DT_FLOAT: rt_print_float(in->sc[v].f); break;
            case DT_BOOL: rt_print_bool((int32_t)in->sc[v].i); break;
            case DT_NODE: rt_print_node(in->g, in->sc[v].i); break;
            default: rt_print_int(in->sc[v].i); break;
            }
        }
        rt_print_end();
        return;
    case IR_RETURN: return; /* the caller writes the results */
    case IR_STORE: set(in, op->src[0], in->sc[op->src[1]].i, in->sc[op->src[2]]); return;
    case IR_REDUCE: in->sc[op->dst] = reduce(in, op); return;
    case IR_NBR_AGG:
        for (int64_t v = 0; v < in->n; v++) set(in, op->dst, v, nbr_agg_at(in, op, v));
        return;
    case IR_GATHER:
        for (int64_t v = 0; v < in->n; v++) set(in, op->dst, v, get(in, op->src[0], get(in, op->src[1], v).i));
        return;
    case IR_LOAD: in->sc[op->dst] = get(in, op->src[0], in->sc[op->src[1]].i); return;
    default: break;
    }
    if (!is_vec(in, op->dst)) { /* scalar ops read like element ops */
        in->cur = 0;
        exec_elem(in, op);
        return;
    }
    /* a vector op: the same scalar semantics at every node */
    DType d = dt(in, op->dst);
    DType sd[3] = {DT_VOID, DT_VOID, DT_VOID};
    for (int i = 0; i < op->nsrc && i < 3; i++) sd[i] = dt(in, op->src[i]);
    if (op->code == IR_COPY && op->dst == op->src[0]) return;
    for (int64_t v = 0; v < in->n; v++) {
        Sc r = {0, 0};
        switch (op->code) {
        case IR_NODE_ID: r.i = v; break;
        case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE:
            r.i = degree_of(in, op->code, op->nsrc ? at(in, op->src[0], v).i : v);
            break;
        default: {
            Sc a[3];
            for (int i = 0; i < op->nsrc && i < 3; i++) a[i] = at(in, op->src[i], v);
            r = apply(in, op->code, d, sd, a);
        }
        }
        set(in, op->dst, v, r);
    }
}

static void exec_block(Interp *in, const IrBlock *b) {
    for (int i = 0; i < b->nops && !in->brk; i++) exec_op(in, b->ops[i]);
}

void interp_describe(const IrFunc *f, rt_program *p) {
    rt_program_set(p, f->name, f->undirected, f->weighted ? (f->nonnegative ? 2 : 1) : 0);
    for (int i = 0; i < f->nparams; i++) {
        const IrParam *q = &f->params[i];
        rt_program_param(p, q->name, q->dtype, q->has_default, q->idefault, q->fdefault);
    }
    const IrOp *ret = f->body->ops[f->body->nops - 1];
    for (int k = 0; k < f->nouts; k++) {
        IrType t = f->vars[ret->src[k]].ty;
        rt_program_output(p, f->out_names[k], t.dtype == DT_F32 ? DT_FLOAT : t.dtype, t.shape == SH_VECTOR);
    }
}

void interp_run(const IrFunc *f, const rt_graph *g, const rt_value *params, rt_output *out) {
    Interp in = {.f = f, .g = g, .n = g->n, .params = params};
    in.sc = calloc((size_t)f->nvars + 1, sizeof *in.sc);
    in.vec = calloc((size_t)f->nvars + 1, sizeof *in.vec);
    if (!in.sc || !in.vec) rt_fail("out of memory in the interpreter");
    exec_block(&in, f->body);
    output(&in, f->body->ops[f->body->nops - 1], out);
    for (int v = 0; v < f->nvars; v++) rt_free(in.vec[v]);
    free(in.vec);
    free(in.sc);
}
