/* plan.c - batch, parallel and memory plans; see plan.h. */
#include "plan/plan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* What one top-level op reads and writes, as a sparse list of variables
 * with flags. Kernels: the top-level variables their bodies read (captured
 * scalars, loaded vectors) and the vectors they store and scalars they
 * reduce into; LOOP/IF: the union over their contents. */
enum { A_READ = 1, A_WRITE = 2, A_FULL = 4, A_FOREIGN = 8 };
typedef struct Access {
    int *var;
    unsigned char *flag;
    int n;
} Access;

typedef struct Builder {
    Plan *p;
    const IrFunc *f;
    int nv;
    Access *acc;       /* per plan op */
    int *prev_sibling; /* per plan op: the op before it in its block, or -1 */
    int *op_at;        /* step -> plan op */
    /* scratch, all entries -1 / 0 between uses */
    int *pos_of;       /* var -> index in the list being built */
    unsigned char *mark;
    int *tmp_var; unsigned char *tmp_flag; int tmp_n;
} Builder;

/* Bytes per element of a node vector of d, as the code generator stores it
 * (f32 as C float). */
static int elem_bytes(DType d) { return d == DT_BOOL ? 1 : d == DT_NODE || d == DT_F32 ? 4 : 8; }

static void *zalloc(Arena *a, size_t n, size_t size) { return arena_array(a, n ? n : 1, size); }

static void tmp_add(Builder *B, int v, unsigned char fl) {
    if (v < 0) return;
    int i = B->pos_of[v];
    if (i < 0) {
        i = B->tmp_n++;
        B->pos_of[v] = i;
        B->tmp_var[i] = v;
        B->tmp_flag[i] = 0;
    }
    B->tmp_flag[i] |= fl;
}

/* Moves the list being built into the arena and resets the scratch. */
static Access tmp_take(Builder *B) {
    Access a;
    a.n = B->tmp_n;
    a.var = zalloc(B->p->arena, (size_t)a.n, sizeof(int));
    a.flag = zalloc(B->p->arena, (size_t)a.n, 1);
    for (int i = 0; i < a.n; i++) {
        a.var[i] = B->tmp_var[i];
        a.flag[i] = B->tmp_flag[i];
        B->pos_of[B->tmp_var[i]] = -1;
    }
    B->tmp_n = 0;
    return a;
}

static unsigned char acc_flags(const Access *a, int v) {
    for (int i = 0; i < a->n; i++)
        if (a->var[i] == v) return a->flag[i];
    return 0;
}

/* ---- walking the IR ------------------------------------------------------------------------ */

static int count_ops(const IrBlock *b) {
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        n++;
        if (op->code == IR_LOOP || op->code == IR_IF) {
            if (op->body) n += count_ops(op->body);
            if (op->els) n += count_ops(op->els);
        }
    }
    return n;
}

/* Marks (B->mark = 1) the variables defined inside a kernel body, or clears them. */
static void mark_defined(Builder *B, const IrBlock *b, unsigned char val) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst >= 0) B->mark[op->dst] = val;
        if (op->body) mark_defined(B, op->body, val);
        if (op->els) mark_defined(B, op->els, val);
    }
}

/* Is v one of the variables that hold the current node (NODE_ID results)? */
static bool is_self(const int *self, int nself, int v) {
    for (int i = 0; i < nself; i++)
        if (self[i] == v) return true;
    return false;
}

typedef struct KWalk {
    int self[8]; int nself;
    PlanSize cost, bytes;
} KWalk;

/* Kernel body accesses (B->mark holds the body's own variables). */
static void kernel_access(Builder *B, const IrBlock *b, KWalk *w, bool edge, NbrDir dir) {
    const IrFunc *f = B->f;
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        /* one arc of a `nbrs` aggregation on a directed graph is visited twice (in and out) */
        int64_t per = edge && dir == DIR_BOTH && !f->undirected ? 2 : 1;
        if (op->code != IR_NBR_AGG) {
            if (edge) w->cost.m += per;
            else w->cost.n += 1;
        }
        if (op->code == IR_NODE_ID && w->nself < 8) w->self[w->nself++] = op->dst;
        for (int s = 0; s < op->nsrc; s++) {
            int v = op->src[s];
            if (op->code == IR_STORE && s == 0) continue; /* the target of a store is written, not read */
            if (v >= 0 && !B->mark[v]) tmp_add(B, v, A_READ);
        }
        if (op->code == IR_OUT_DEGREE || op->code == IR_IN_DEGREE || op->code == IR_DEGREE) {
            /* offsets: one new 8-byte entry per node in order, two per arc (another node's) */
            int64_t dirs = op->code == IR_DEGREE && !f->undirected ? 2 : 1;
            if (edge) w->bytes.m += 16 * dirs * per;
            else w->bytes.n += 8 * dirs;
        } else if (op->code == IR_NODE_FILE_ID) {
            if (edge) w->bytes.m += 8 * per;
            else w->bytes.n += 8;
        }
        if (op->code == IR_LOAD) {
            int v = op->src[0];
            int eb = elem_bytes(ir_var_type(f, v).dtype);
            if (!is_self(w->self, w->nself, op->src[1])) tmp_add(B, v, A_FOREIGN);
            if (edge) w->bytes.m += eb * per;
            else w->bytes.n += eb;
        } else if (op->code == IR_STORE) {
            int v = op->src[0];
            tmp_add(B, v, is_self(w->self, w->nself, op->src[1]) ? A_WRITE | A_FULL : A_WRITE | A_READ);
            w->bytes.n += elem_bytes(ir_var_type(f, v).dtype);
        } else if (op->code == IR_NBR_AGG) {
            /* the adjacency: offsets per node, one index (and weight) per arc */
            int64_t per_dir = op->dir == DIR_BOTH && !f->undirected ? 2 : 1;
            w->bytes.n += 8 * per_dir;
            w->bytes.m += (4 + (op->weighted ? 8 : 0)) * per_dir;
            kernel_access(B, op->body, w, true, op->dir);
            continue;
        }
        if (op->body) kernel_access(B, op->body, w, edge, dir);
        if (op->els) kernel_access(B, op->els, w, edge, dir);
    }
}

/* Preorder walk: positions, parents, accesses. */
static void walk(Builder *B, const IrBlock *b, int parent, int which, int depth) {
    Plan *p = B->p;
    const IrFunc *f = B->f;
    int prev = -1;
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        int k = p->nops++;
        B->prev_sibling[k] = prev;
        prev = k;
        PlanOp *po = &p->ops[k];
        po->op = op;
        po->pos = k;
        po->end = k;
        po->depth = depth;
        po->parent = parent;
        po->which = which;
        po->group = -1;
        po->cost = (PlanSize){1, 0, 0};
        p->op_index[op->id] = k;
        if (op->code == IR_KERNEL) {
            mark_defined(B, op->body, 1);
            KWalk w = {.nself = 0};
            kernel_access(B, op->body, &w, false, DIR_IN);
            mark_defined(B, op->body, 0);
            po->cost = w.cost;
            po->bytes = w.bytes;
            po->edges = w.cost.m > 0 || w.bytes.m > 0;
            for (int r = 0; r < op->nreds; r++) tmp_add(B, op->reds[r].dst, A_WRITE | A_FULL);
            B->acc[k] = tmp_take(B);
        } else if (op->code == IR_LOOP || op->code == IR_IF) {
            for (int s = 0; s < op->nsrc; s++) tmp_add(B, op->src[s], A_READ);
            B->acc[k] = tmp_take(B);
            if (op->body) walk(B, op->body, k, 0, depth + 1);
            if (op->els) walk(B, op->els, k, 1, depth + 1);
            po->end = p->nops - 1;
            /* the whole construct reads and writes what its contents do */
            for (int s = 0; s < op->nsrc; s++) tmp_add(B, op->src[s], A_READ);
            for (int j = k + 1; j <= po->end; j++)
                if (p->ops[j].parent == k)
                    for (int e = 0; e < B->acc[j].n; e++)
                        tmp_add(B, B->acc[j].var[e], B->acc[j].flag[e] & (A_READ | A_WRITE));
            B->acc[k] = tmp_take(B);
        } else {
            for (int s = 0; s < op->nsrc; s++) tmp_add(B, op->src[s], A_READ);
            if (op->code == IR_STORE) tmp_add(B, op->src[0], A_WRITE); /* an element store: read and partial write */
            if (op->code == IR_LOAD) tmp_add(B, op->src[0], A_FOREIGN);
            if (op->dst >= 0) tmp_add(B, op->dst, ir_is_vector(f, op->dst) ? A_WRITE | A_FULL : A_WRITE);
            B->acc[k] = tmp_take(B);
        }
    }
}

/* Does the block of op d enclose (or equal) the block of op u? */
static bool block_encloses(const Plan *p, int d, int u) {
    int dp = p->ops[d].parent, dw = p->ops[d].which;
    int up = p->ops[u].parent, uw = p->ops[u].which;
    for (;;) {
        if (up == dp && uw == dw) return true;
        if (up < 0) return false;
        uw = p->ops[up].which;
        up = p->ops[up].parent;
    }
}

/* ---- live ranges and slots ----------------------------------------------------------------- */

static bool is_leaf(const PlanOp *po) { return po->op->code != IR_LOOP && po->op->code != IR_IF; }

/* Leaf references of each vector variable, as steps in execution order (CSR by variable). */
typedef struct Refs {
    int *off;   /* [nv + 1] */
    int *op;    /* the step of the op */
    int *lo, *hi; /* the steps of the parallel region the op runs in (lo = hi = op alone) */
    unsigned char *flag;
} Refs;

/* The first and last step of the region op k runs in: its kernels run at the
 * same time, so a vector one of them reads is live until the region ends,
 * and one they write is live from its start. */
static void region_steps(const Plan *p, int k, int *lo, int *hi) {
    const PlanOp *po = &p->ops[k];
    *lo = *hi = po->step;
    if (po->op->code != IR_KERNEL) return;
    int h = po->region, last = p->ops[h].region_last;
    if (h == last) return;
    /* the head comes first and the last kernel last, in steps too: a reordered
     * run orders a level's kernels by position */
    *lo = p->ops[h].step;
    *hi = p->ops[last].step;
}

static Refs vector_refs(Builder *B) {
    Plan *p = B->p;
    Refs r;
    r.off = zalloc(p->arena, (size_t)B->nv + 1, sizeof(int));
    for (int k = 0; k < p->nops; k++)
        if (is_leaf(&p->ops[k]))
            for (int e = 0; e < B->acc[k].n; e++)
                if (ir_is_vector(B->f, B->acc[k].var[e])) r.off[B->acc[k].var[e] + 1]++;
    for (int v = 0; v < B->nv; v++) r.off[v + 1] += r.off[v];
    int total = r.off[B->nv];
    r.op = zalloc(p->arena, (size_t)total, sizeof(int));
    r.lo = zalloc(p->arena, (size_t)total, sizeof(int));
    r.hi = zalloc(p->arena, (size_t)total, sizeof(int));
    r.flag = zalloc(p->arena, (size_t)total, 1);
    int *fill = zalloc(p->arena, (size_t)B->nv, sizeof(int));
    for (int k = 0; k < p->nops; k++)
        if (is_leaf(&p->ops[k]))
            for (int e = 0; e < B->acc[k].n; e++) {
                int v = B->acc[k].var[e];
                if (!ir_is_vector(B->f, v)) continue;
                int at = r.off[v] + fill[v]++;
                r.op[at] = p->ops[k].step;
                region_steps(p, k, &r.lo[at], &r.hi[at]);
                r.flag[at] = B->acc[k].flag[e];
            }
    /* in execution order (a reordered run permutes its ops) */
    for (int v = 0; v < B->nv; v++)
        for (int i = r.off[v] + 1; i < r.off[v + 1]; i++)
            for (int j = i; j > r.off[v] && r.op[j - 1] > r.op[j]; j--) {
                int t = r.op[j]; r.op[j] = r.op[j - 1]; r.op[j - 1] = t;
                t = r.lo[j]; r.lo[j] = r.lo[j - 1]; r.lo[j - 1] = t;
                t = r.hi[j]; r.hi[j] = r.hi[j - 1]; r.hi[j - 1] = t;
                unsigned char f = r.flag[j]; r.flag[j] = r.flag[j - 1]; r.flag[j - 1] = f;
            }
    return r;
}

static void live_ranges(Builder *B) {
    Plan *p = B->p;
    const IrFunc *f = B->f;
    Refs R = vector_refs(B);
    p->var_index = zalloc(p->arena, (size_t)B->nv, sizeof(int));
    for (int v = 0; v < B->nv; v++) p->var_index[v] = -1;
    int nvec = 0;
    for (int v = 0; v < B->nv; v++) nvec += R.off[v + 1] > R.off[v];
    p->vars = zalloc(p->arena, (size_t)nvec, sizeof(PlanVar));
    const IrOp *ret = f->body->nops ? f->body->ops[f->body->nops - 1] : NULL;
    for (int v = 0; v < B->nv; v++) {
        if (R.off[v + 1] == R.off[v]) continue;
        PlanVar *pv = &p->vars[p->nvars];
        p->var_index[v] = p->nvars++;
        pv->var = v;
        pv->elem_bytes = elem_bytes(ir_var_type(f, v).dtype);
        pv->start = INT32_MAX;
        pv->end = -1;
        for (int i = R.off[v]; i < R.off[v + 1]; i++) {
            int a = R.flag[i] & A_WRITE ? R.lo[i] : R.op[i];
            int b = R.flag[i] & (A_READ | A_FOREIGN) ? R.hi[i] : R.op[i];
            if (a < pv->start) pv->start = a;
            if (b > pv->end) pv->end = b;
        }
        pv->slot = -1;
        pv->prev_tenant = -1;
        /* a returned vector is live until the end */
        if (ret && ret->code == IR_RETURN)
            for (int s = 0; s < ret->nsrc; s++)
                if (ret->src[s] == v && p->ops[p->op_index[ret->id]].step > pv->end)
                    pv->end = p->ops[p->op_index[ret->id]].step;
    }
    /* Loops, innermost first (an inner loop comes after its outer loop in
     * preorder, so going backwards visits it first): a vector whose value
     * flows around the loop (read in the loop before any full definition that
     * dominates the read, defined before the loop and used in it, or defined
     * in it and used after it) is live through the whole loop. */
    for (int L = p->nops - 1; L >= 0; L--) {
        if (p->ops[L].op->code != IR_LOOP) continue;
        int ls = p->ops[L].pos, le = p->ops[L].end;
        for (int e = 0; e < B->acc[L].n; e++) {
            int v = B->acc[L].var[e];
            int i = p->var_index[v];
            if (i < 0) continue;
            PlanVar *pv = &p->vars[i];
            bool carried = pv->start < ls || pv->end > le;
            /* the references inside the loop, in order */
            int a = R.off[v], b = R.off[v + 1];
            while (a < b && R.op[a] <= ls) a++;
            int first_def = -1;
            for (int r = a; r < b && R.op[r] <= le && !carried; r++) {
                int u = R.op[r];
                unsigned char fl = R.flag[r];
                if (fl & A_READ) {
                    bool dominated = false;
                    for (int d = a; d < r && !dominated; d++)
                        if ((R.flag[d] & A_FULL) && R.op[d] < u && block_encloses(p, B->op_at[R.op[d]], B->op_at[u]))
                            dominated = true;
                    if (!dominated) carried = true;
                }
                if ((fl & A_FULL) && first_def < 0) first_def = u;
            }
            if (carried) {
                if (pv->start > ls) pv->start = ls;
                if (pv->end < le) pv->end = le;
                pv->loop_carried = true;
            }
        }
    }
}

/* Preorder position of the last load of `v` and the first store of `w` in a kernel body. */
static void body_scan(const IrBlock *b, int v, int w, int *counter, int *last_load, int *first_store) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        int here = (*counter)++;
        if (op->code == IR_LOAD && op->src[0] == v) *last_load = here;
        if (op->code == IR_STORE && op->src[0] == w && *first_store < 0) *first_store = here;
        if (op->body) body_scan(op->body, v, w, counter, last_load, first_store);
        if (op->els) body_scan(op->els, v, w, counter, last_load, first_store);
    }
}

/* May var `nu` (starting at kernel k) take the slot of `old` (ending at k)?
 * Only when k reads old at its own node only and never writes it, defines nu
 * at every node, and loads old only before its first store of nu. */
static bool in_place_ok(const Builder *B, int k, int old, int nu) {
    const Plan *p = B->p;
    if (p->ops[k].op->code != IR_KERNEL) return false;
    unsigned char fo = acc_flags(&B->acc[k], old), fn = acc_flags(&B->acc[k], nu);
    if ((fo & (A_FOREIGN | A_WRITE)) || !(fn & A_FULL) || (fn & A_READ)) return false;
    int counter = 0, last_load = -1, first_store = -1;
    body_scan(p->ops[k].op->body, old, nu, &counter, &last_load, &first_store);
    return first_store >= 0 && last_load < first_store;
}

static int cmp_start(const void *x, const void *y) {
    const PlanVar *a = x, *b = y;
    if (a->start != b->start) return (a->start > b->start) - (a->start < b->start);
    return (a->var > b->var) - (a->var < b->var);
}

static void allocate_slots(Builder *B) {
    Plan *p = B->p;
    qsort(p->vars, (size_t)p->nvars, sizeof *p->vars, cmp_start);
    for (int i = 0; i < p->nvars; i++) p->var_index[p->vars[i].var] = i;
    p->slots = zalloc(p->arena, (size_t)p->nvars, sizeof(PlanSlot));
    int *tenant = zalloc(p->arena, (size_t)p->nvars, sizeof(int)); /* current tenant of each slot */
    int *ntenants = zalloc(p->arena, (size_t)p->nvars, sizeof(int));
    for (int i = 0; i < p->nvars; i++) {
        PlanVar *pv = &p->vars[i];
        int pick = -1;
        bool inplace = false;
        /* the lowest free slot of the same element size: its tenant ended before
         * this range starts, or ends exactly here and allows an in-place update */
        for (int s = 0; s < p->nslots && pick < 0; s++) {
            if (p->slots[s].elem_bytes != pv->elem_bytes) continue;
            const PlanVar *t = &p->vars[tenant[s]];
            if (t->end < pv->start) pick = s;
            else if (t->end == pv->start && !t->loop_carried && !pv->loop_carried &&
                     in_place_ok(B, B->op_at[pv->start], t->var, pv->var)) {
                pick = s;
                inplace = true;
            }
        }
        if (pick < 0) {
            pick = p->nslots++;
            p->slots[pick].elem_bytes = pv->elem_bytes;
        } else {
            pv->prev_tenant = tenant[pick];
        }
        pv->slot = pick;
        pv->in_place = inplace;
        tenant[pick] = i;
        ntenants[pick]++;
    }
    /* the tenant lists, in order */
    for (int s = 0; s < p->nslots; s++) p->slots[s].tenants = zalloc(p->arena, (size_t)ntenants[s], sizeof(int));
    for (int i = 0; i < p->nvars; i++) {
        PlanSlot *sl = &p->slots[p->vars[i].slot];
        sl->tenants[sl->ntenants++] = i;
    }
}

/* ---- parallel plan ------------------------------------------------------------------------- */

static double op_cost(const PlanOp *po, double n, double m) {
    return po->op->code == IR_KERNEL ? plan_eval(po->cost, n, m) : 1.0;
}

typedef struct IntList { int *v; int n, cap; } IntList;
static void il_push(IntList *l, int x) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        int *nv = realloc(l->v, (size_t)l->cap * sizeof *nv);
        if (!nv) { fprintf(stderr, "graphc: error: out of memory while planning\n"); exit(1); }
        l->v = nv;
    }
    l->v[l->n++] = x;
}

/* Straight-line runs: the ops of one block between two LOOP/IF ops (which are
 * runs of their own, barriers). Dependencies: read after write, write after
 * read, write after write, within a run. Level: longest chain of dependencies. */
static void parallel_plan(Builder *B) {
    Plan *p = B->p;
    double n = 1e6, m = n * PLAN_DEFAULT_DEGREE;
    int run = 0;
    for (int k = 0; k < p->nops; k++) {
        PlanOp *po = &p->ops[k];
        int prev = B->prev_sibling[k];
        if (!is_leaf(po) || prev < 0 || !is_leaf(&p->ops[prev])) run++;
        po->run = run - 1;
    }
    p->nruns = run;
    int *last_writer = malloc(((size_t)B->nv + 1) * sizeof(int));
    IntList *readers = calloc((size_t)B->nv + 1, sizeof *readers);
    int *stamp = malloc(((size_t)p->nops + 1) * sizeof(int));
    IntList touched = {0}, deps = {0};
    if (!last_writer || !readers || !stamp) { fprintf(stderr, "graphc: error: out of memory while planning\n"); exit(1); }
    for (int v = 0; v < B->nv; v++) last_writer[v] = -1;
    for (int k = 0; k < p->nops; k++) stamp[k] = -1;
    int cur_run = -1;
    for (int k = 0; k < p->nops; k++) {
        PlanOp *po = &p->ops[k];
        if (po->run != cur_run) {
            for (int t = 0; t < touched.n; t++) {
                last_writer[touched.v[t]] = -1;
                readers[touched.v[t]].n = 0;
            }
            touched.n = 0;
            cur_run = po->run;
        }
        deps.n = 0;
        const Access *a = &B->acc[k];
        for (int e = 0; e < a->n; e++) {
            int v = a->var[e];
            unsigned char fl = a->flag[e];
            int w = last_writer[v];
            if (w >= 0 && stamp[w] != k) { stamp[w] = k; il_push(&deps, w); }
            if (fl & A_WRITE)
                for (int r = 0; r < readers[v].n; r++) {
                    int x = readers[v].v[r];
                    if (x != k && stamp[x] != k) { stamp[x] = k; il_push(&deps, x); }
                }
        }
        for (int e = 0; e < a->n; e++) {
            int v = a->var[e];
            unsigned char fl = a->flag[e];
            if (last_writer[v] < 0 && readers[v].n == 0) il_push(&touched, v);
            if (fl & A_WRITE) { last_writer[v] = k; readers[v].n = 0; }
            else if (fl & (A_READ | A_FOREIGN)) il_push(&readers[v], k);
        }
        po->level = 1;
        po->ndeps = deps.n;
        po->deps = zalloc(p->arena, (size_t)deps.n, sizeof(int));
        for (int d = 0; d < deps.n; d++) {
            po->deps[d] = deps.v[d];
            if (p->ops[deps.v[d]].level + 1 > po->level) po->level = p->ops[deps.v[d]].level + 1;
        }
    }
    for (int v = 0; v < B->nv; v++) free(readers[v].v);
    free(readers);
    free(last_writer);
    free(stamp);
    free(touched.v);
    free(deps.v);

    /* levels and groups, run by run */
    p->levels = zalloc(p->arena, (size_t)p->nops, sizeof(PlanLevel));
    p->groups = zalloc(p->arena, (size_t)p->nops, sizeof(PlanGroup));
    for (int k0 = 0; k0 < p->nops;) {
        int r = p->ops[k0].run, k1 = k0, maxlevel = 0;
        while (k1 < p->nops && p->ops[k1].run == r) {
            if (p->ops[k1].level > maxlevel) maxlevel = p->ops[k1].level;
            k1++;
        }
        /* ops of one run are contiguous except for the contents of a LOOP/IF,
         * which are runs of their own; count per level */
        int *cnt = calloc((size_t)maxlevel + 2, sizeof(int)), *kcnt = calloc((size_t)maxlevel + 2, sizeof(int));
        for (int k = k0; k < k1; k++) {
            const PlanOp *po = &p->ops[k];
            cnt[po->level]++;
            kcnt[po->level] += po->op->code == IR_KERNEL;
        }
        int lbase = p->nlevels;
        int *gidx = calloc((size_t)maxlevel + 2, sizeof(int));
        for (int lv = 1; lv <= maxlevel; lv++) {
            PlanLevel *L = &p->levels[p->nlevels++];
            L->run = r;
            L->level = lv;
            L->ops = zalloc(p->arena, (size_t)cnt[lv], sizeof(int));
            gidx[lv] = -1;
            if (kcnt[lv]) {
                PlanGroup *g = &p->groups[p->ngroups];
                gidx[lv] = p->ngroups++;
                g->run = r;
                g->level = lv;
                g->ops = zalloc(p->arena, (size_t)kcnt[lv], sizeof(int));
            }
        }
        for (int k = k0; k < k1; k++) {
            PlanOp *po = &p->ops[k];
            PlanLevel *L = &p->levels[lbase + po->level - 1];
            L->ops[L->nops++] = k;
            if (po->op->code == IR_KERNEL) {
                PlanGroup *g = &p->groups[gidx[po->level]];
                g->ops[g->nops++] = k;
                po->group = gidx[po->level];
            }
        }
        free(cnt);
        free(kcnt);
        free(gidx);
        k0 = k1;
    }
    plan_estimate(p, n, m);
    /* decided for the default graph shape: the code is generated before the graph is known */
    p->use_parallel = p->est_speedup >= PLAN_USE_PARALLEL_THRESHOLD;
}

void plan_estimate(Plan *p, double n, double m) {
    /* every op costs its estimate; a level costs its most expensive op (its
     * ops run side by side); the program, the sum of its levels */
    double total = 0, crit = 0;
    for (int i = 0; i < p->nlevels; i++) {
        const PlanLevel *L = &p->levels[i];
        double lmax = 0;
        for (int j = 0; j < L->nops; j++) {
            const PlanOp *po = &p->ops[L->ops[j]];
            double c = is_leaf(po) ? op_cost(po, n, m) : 0;
            total += c;
            if (c > lmax) lmax = c;
        }
        crit += lmax;
    }
    for (int g = 0; g < p->ngroups; g++) {
        PlanGroup *gr = &p->groups[g];
        double sum = 0, mx = 0;
        for (int i = 0; i < gr->nops; i++) {
            double c = op_cost(&p->ops[gr->ops[i]], n, m);
            sum += c;
            if (c > mx) mx = c;
        }
        gr->factor = mx > 0 ? sum / mx : 1;
    }
    p->total_cost = total;
    p->critical_path = crit;
    p->est_speedup = crit > 0 ? total / crit : 1;
}

/* ---- parallel regions ----------------------------------------------------------------------- */

/* Can this scalar op stop the program or be seen (print)? Such ops keep their
 * place: the kernels of a region never move across them. */
static bool may_fail_or_show(const Builder *B, const IrOp *op) {
    const IrFunc *f = B->f;
    switch (op->code) {
    case IR_CONST: case IR_PARAM: case IR_GRAPH_N: case IR_GRAPH_M: case IR_NODE_FILE_ID:
    case IR_NEG: case IR_NOT: case IR_ABS: case IR_SQRT: case IR_EXP: case IR_LOG: case IR_FLOOR: case IR_CEIL:
    case IR_ADD: case IR_SUB: case IR_MUL: case IR_POW: case IR_MIN: case IR_MAX:
    case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_AND: case IR_OR:
    case IR_WHERE: case IR_COPY:
        return op->dst < 0 || ir_is_vector(f, op->dst);
    case IR_DIV: case IR_FLOORDIV: case IR_MOD:
        return op->dst < 0 || ir_is_vector(f, op->dst) || ir_var_type(f, op->dst).dtype != DT_FLOAT;
    case IR_CAST:
        /* float to int can fail (NaN, out of range) */
        return op->dst < 0 || ir_is_vector(f, op->dst) || ir_var_type(f, op->dst).dtype == DT_INT ||
               ir_var_type(f, op->dst).dtype == DT_NODE;
    default:
        return true;
    }
}

static bool ops_conflict(const Access *x, const Access *y) {
    for (int i = 0; i < x->n; i++)
        for (int j = 0; j < y->n; j++) {
            if (x->var[i] != y->var[j]) continue;
            unsigned char a = x->flag[i], b = y->flag[j];
            if ((a & A_WRITE) || (b & A_WRITE)) return true;
        }
    return false;
}

/* Can a kernel body stop the program or print? */
static bool body_may_fail(const Builder *B, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        switch (op->code) {
        case IR_NODE_ID: case IR_NBR: case IR_EDGE_W: case IR_YIELD: case IR_ACC: case IR_LOAD: case IR_STORE:
        case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE:
            break;
        case IR_NBR_AGG:
            if (op->agg == AGG_MODE) return true; /* allocates: may run out of memory */
            break;
        case IR_DIV: case IR_FLOORDIV: case IR_MOD:
            if (ir_var_type(B->f, op->dst).dtype != DT_FLOAT) return true;
            break;
        case IR_CAST: {
            DType to = ir_var_type(B->f, op->dst).dtype;
            if (to == DT_INT || to == DT_NODE) return true;
            break;
        }
        default:
            if (op->code == IR_PRINT || op->code == IR_BREAK || op->code == IR_RETURN || op->code == IR_LOOP ||
                op->code == IR_IF || op->code == IR_KERNEL)
                return true;
            /* elementwise ops that cannot fail (as in may_fail_or_show) */
            break;
        }
        if (op->body && body_may_fail(B, op->body)) return true;
        if (op->els && body_may_fail(B, op->els)) return true;
    }
    return false;
}

static bool op_may_fail(const Builder *B, const IrOp *op) {
    if (op->code == IR_KERNEL) {
        /* argmin/argmax of NaNs only stop the program after the kernel */
        for (int r = 0; r < op->nreds; r++)
            if (op->reds[r].agg == AGG_ARGMIN || op->reds[r].agg == AGG_ARGMAX) return true;
        return body_may_fail(B, op->body);
    }
    if (op->code == IR_RETURN) return false; /* scheduled last */
    return may_fail_or_show(B, op);
}

static int cmp_sched(const void *x, const void *y, void *ctx) {
    const Plan *p = ctx;
    const PlanOp *a = &p->ops[*(const int *)x], *b = &p->ops[*(const int *)y];
    bool ra = a->op->code == IR_RETURN, rb = b->op->code == IR_RETURN;
    if (ra != rb) return ra - rb;
    if (a->level != b->level) return a->level - b->level;
    bool ka = a->op->code == IR_KERNEL, kb = b->op->code == IR_KERNEL;
    if (ka != kb) return ka - kb; /* a level's scalar ops before its kernels */
    return a->pos - b->pos;
}

/* Parallel regions. A run where no op can fail or print executes level by
 * level (any order that respects the dependencies gives the same results,
 * and there is no first error to keep): each level's scalar ops, then all
 * its kernels in one region. Elsewhere ops keep program order, and kernels
 * of one group share a region only when the ops between them cannot fail,
 * do not conflict with the later kernels, and so can wait until after it. */
static void parallel_regions(Builder *B) {
    Plan *p = B->p;
    for (int k = 0; k < p->nops; k++) {
        p->ops[k].region = p->ops[k].region_last = k;
        p->ops[k].sched = -1;
    }
    p->reordered = zalloc(p->arena, (size_t)p->nruns, sizeof(bool));
    int *order = zalloc(p->arena, (size_t)p->nops, sizeof(int));
    for (int k0 = 0; k0 < p->nops;) {
        int r = p->ops[k0].run, k1 = k0;
        bool safe = true;
        while (k1 < p->nops && p->ops[k1].run == r) {
            if (!is_leaf(&p->ops[k1]) || op_may_fail(B, p->ops[k1].op)) safe = false;
            k1++;
        }
        int n = 0;
        for (int k = k0; k < k1; k++) order[n++] = k;
        if (safe && n > 1) qsort_r(order, (size_t)n, sizeof(int), cmp_sched, p);
        for (int i = 0; i < n; i++) {
            p->ops[order[i]].sched = i;
            p->ops[order[i]].step = k0 + i;
            B->op_at[k0 + i] = order[i];
        }
        p->reordered[r] = safe && n > 1;
        k0 = k1;
    }
    for (int g = 0; g < p->ngroups; g++) {
        PlanGroup *gr = &p->groups[g];
        if (!p->use_parallel) {
            /* not worth it (estimated speedup below the threshold): each kernel alone */
            gr->nregions = gr->nops;
            continue;
        }
        if (p->reordered[gr->run]) {
            /* the group's kernels are adjacent in the schedule, in program order */
            int head = gr->ops[0];
            for (int i = 0; i < gr->nops; i++) p->ops[gr->ops[i]].region = head;
            p->ops[head].region_last = gr->ops[gr->nops - 1];
            gr->nregions = 1;
            continue;
        }
        int head = -1;
        for (int i = 0; i < gr->nops; i++) {
            int k = gr->ops[i];
            bool join = head >= 0 && p->ops[k].parent == p->ops[head].parent && p->ops[k].which == p->ops[head].which;
            for (int j = head + 1; join && j < k; j++) {
                if (p->ops[j].op->code == IR_KERNEL && p->ops[j].region == head) continue;
                if (!is_leaf(&p->ops[j]) || p->ops[j].parent != p->ops[k].parent ||
                    may_fail_or_show(B, p->ops[j].op) || ops_conflict(&B->acc[j], &B->acc[k]))
                    join = false;
            }
            if (join) {
                p->ops[k].region = head;
                p->ops[head].region_last = k;
                for (int j = head + 1; j < k; j++)
                    if (p->ops[j].op->code != IR_KERNEL) p->ops[j].deferred = true;
            } else {
                head = k;
                gr->nregions++;
            }
        }
    }
}

/* ---- memory plan --------------------------------------------------------------------------- */

static PlanSize ps_add(PlanSize a, PlanSize b) { return (PlanSize){a.c + b.c, a.n + b.n, a.m + b.m}; }

static void add_alloc(Plan *p, const char *what, const char *dtype, PlanSize elems, int elem_bytes, int var) {
    PlanAlloc *a = &p->allocs[p->nallocs++];
    a->what = what;
    a->dtype = dtype;
    a->elems = elems;
    a->bytes = (PlanSize){elems.c * elem_bytes, elems.n * elem_bytes, elems.m * elem_bytes};
    a->var = var;
}

/* Which neighbor lists the program reads (directed: `nbrs` reads both). */
static void scan_directions(const IrBlock *b, bool *out, bool *in) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->code == IR_NBR_AGG) {
            if (op->dir == DIR_OUT || op->dir == DIR_BOTH) *out = true;
            if (op->dir == DIR_IN || op->dir == DIR_BOTH) *in = true;
        }
        if (op->body) scan_directions(op->body, out, in);
        if (op->els) scan_directions(op->els, out, in);
    }
}

static void memory_plan(Builder *B) {
    Plan *p = B->p;
    const IrFunc *f = B->f;
    p->allocs = zalloc(p->arena, (size_t)p->nvars + 16 + (size_t)(f->nouts > 0 ? f->nouts : 0) + 1, sizeof(PlanAlloc));
    for (int i = 0; i < p->nvars; i++) {
        const PlanVar *pv = &p->vars[i];
        const IrVar *v = &f->vars[pv->var];
        const char *name = v->name ? v->name : arena_printf(p->arena, "%%%d", pv->var);
        add_alloc(p, name, dtype_name(v->ty.dtype), (PlanSize){0, 1, 0}, pv->elem_bytes, pv->var);
        p->vec_unshared = ps_add(p->vec_unshared, p->allocs[p->nallocs - 1].bytes);
    }
    for (int s = 0; s < p->nslots; s++) p->vec_slots = ps_add(p->vec_slots, (PlanSize){0, p->slots[s].elem_bytes, 0});
    /* the graph as the runtime holds it (rt_graph.h): file ids, CSR and CSC
     * offsets, 32-bit neighbor lists (and weights) of the directions the
     * program reads (rt_program_adjacency: the in-lists when it reads none);
     * an undirected graph shares one set of arrays (M counts both arcs of
     * every edge) */
    bool out = false, in = false;
    scan_directions(f->body, &out, &in);
    if (!out && !in) in = true;
    p->need_out_lists = f->undirected || out;
    p->need_in_lists = f->undirected || in;
    add_alloc(p, "graph: node ids", "uint64", (PlanSize){0, 1, 0}, 8, -1);
    add_alloc(p, "graph: out offsets", "int64", (PlanSize){1, 1, 0}, 8, -1);
    if (p->need_out_lists) {
        add_alloc(p, "graph: out neighbors", "uint32", (PlanSize){0, 0, 1}, 4, -1);
        if (f->weighted) add_alloc(p, "graph: out weights", "float", (PlanSize){0, 0, 1}, 8, -1);
    }
    if (!f->undirected) {
        add_alloc(p, "graph: in offsets", "int64", (PlanSize){1, 1, 0}, 8, -1);
        if (p->need_in_lists) {
            add_alloc(p, "graph: in neighbors", "uint32", (PlanSize){0, 0, 1}, 4, -1);
            if (f->weighted) add_alloc(p, "graph: in weights", "float", (PlanSize){0, 0, 1}, 8, -1);
        }
    }
    int ngraph_start = p->nvars;
    for (int i = ngraph_start; i < p->nallocs; i++) p->graph = ps_add(p->graph, p->allocs[i].bytes);
    /* a vector returned twice: the second column is a copy (its slot went to the first) */
    PlanSize copies = {0, 0, 0};
    const IrOp *ret = f->body->nops ? f->body->ops[f->body->nops - 1] : NULL;
    if (ret && ret->code == IR_RETURN)
        for (int k = 0; k < ret->nsrc; k++) {
            int v = ret->src[k];
            bool again = false;
            for (int j = 0; j < k; j++) again |= ret->src[j] == v;
            if (!ir_is_vector(f, v) || p->var_index[v] < 0) continue;
            if (!again) continue;
            const char *nm = f->vars[v].name ? f->vars[v].name : "temporary";
            add_alloc(p, arena_printf(p->arena, "output copy: %s", nm), dtype_name(f->vars[v].ty.dtype),
                      (PlanSize){0, 1, 0}, p->vars[p->var_index[v]].elem_bytes, -1);
            copies = ps_add(copies, p->allocs[p->nallocs - 1].bytes);
        }
    p->peak_unshared = ps_add(ps_add(p->graph, p->vec_unshared), copies);
    p->peak_reuse = ps_add(ps_add(p->graph, p->vec_slots), copies);
}

/* Kernels in the innermost loop that holds kernels (per iteration). */
static void count_kernels(Plan *p) {
    int best_depth = -1, count = 0;
    for (int k = 0; k < p->nops; k++) {
        const PlanOp *po = &p->ops[k];
        if (po->op->code != IR_LOOP) continue;
        int nk = 0;
        for (int j = k + 1; j <= po->end; j++)
            if (p->ops[j].op->code == IR_KERNEL && p->ops[j].parent >= 0) {
                /* only kernels directly in this loop (or its ifs), not in an inner loop */
                int a = p->ops[j].parent;
                while (a != k && p->ops[a].op->code != IR_LOOP) a = p->ops[a].parent;
                if (a == k) nk++;
            }
        if (nk > 0 && po->depth > best_depth) {
            best_depth = po->depth;
            count = nk;
        }
    }
    if (best_depth < 0)
        for (int k = 0; k < p->nops; k++) count += p->ops[k].op->code == IR_KERNEL;
    p->kernels_per_iteration = count;
}

Plan *plan_build(const IrFunc *f) {
    Arena *ar = malloc(sizeof *ar);
    if (!ar) return NULL;
    arena_init(ar);
    Plan *p = arena_alloc(ar, sizeof *p);
    p->arena = ar;
    p->f = f;
    Builder B = {.p = p, .f = f, .nv = f->nvars};
    int n = count_ops(f->body);
    p->ops = zalloc(ar, (size_t)n, sizeof(PlanOp));
    B.acc = zalloc(ar, (size_t)n, sizeof(Access));
    B.prev_sibling = zalloc(ar, (size_t)n, sizeof(int));
    B.op_at = zalloc(ar, (size_t)n, sizeof(int));
    p->op_at = B.op_at;
    B.pos_of = zalloc(ar, (size_t)f->nvars, sizeof(int));
    for (int v = 0; v < f->nvars; v++) B.pos_of[v] = -1;
    B.mark = zalloc(ar, (size_t)f->nvars, 1);
    B.tmp_var = zalloc(ar, (size_t)f->nvars, sizeof(int));
    B.tmp_flag = zalloc(ar, (size_t)f->nvars, 1);
    p->op_index = zalloc(ar, (size_t)f->next_op_id + 1, sizeof(int));
    for (int i = 0; i <= f->next_op_id; i++) p->op_index[i] = -1;
    walk(&B, f->body, -1, 0, 0);
    parallel_plan(&B);
    parallel_regions(&B); /* the execution order: live ranges count in its steps */
    live_ranges(&B);
    allocate_slots(&B);
    memory_plan(&B);
    count_kernels(p);
    return p;
}

void plan_free(Plan *p) {
    if (!p) return;
    Arena *ar = p->arena;
    arena_free(ar);
    free(ar);
}

const char *plan_size_str(PlanSize s, char *buf, size_t len) {
    size_t o = 0;
    buf[0] = '\0';
    struct { int64_t k; const char *sym; } t[3] = {{s.n, "N"}, {s.m, "M"}, {s.c, ""}};
    for (int i = 0; i < 3; i++) {
        if (!t[i].k) continue;
        int w;
        if (*t[i].sym)
            w = t[i].k == 1 ? snprintf(buf + o, len - o, "%s%s", o ? " + " : "", t[i].sym)
                            : snprintf(buf + o, len - o, "%s%" PRId64 "*%s", o ? " + " : "", t[i].k, t[i].sym);
        else
            w = snprintf(buf + o, len - o, "%s%" PRId64, o ? " + " : "", t[i].k);
        if (w < 0 || (size_t)w >= len - o) break;
        o += (size_t)w;
    }
    if (!o) snprintf(buf, len, "0");
    return buf;
}
