/* opt_avail.c - available values: the forward walk copy-prop and cse share;
 * see opt.h.
 *
 * The walk visits the ops in execution order and keeps facts "variable D
 * holds the value op X computed". A fact comes from an op that ran before
 * the current one on every path to it, and stays only while neither D nor
 * any operand of X is assigned again:
 *   - an op's fact is recorded after it runs, unless it overwrote one of its
 *     own operands (x = x + 1);
 *   - assigning a variable (an op's result, a store into a vector, a
 *     kernel's reduction) forgets every fact that mentions it;
 *   - a loop body starts without the facts on anything the loop assigns (the
 *     back edge brings those values round again), and what it learns is
 *     forgotten after it (it may have run zero times, or stopped at a break);
 *   - both branches of an if start from the facts before it; after it, those
 *     on anything either branch assigns are gone;
 *   - a kernel body runs once per node: it starts without the facts on the
 *     vectors it stores (another node may have stored them already) and its
 *     own facts end with it; then its reductions are assigned;
 *   - a neighbor region likewise runs once per edge of the node.
 * So an available fact's op has always run, with the same operand values,
 * before the current op: reading D instead of recomputing X is exact, and
 * safe even when X can stop the program (it did not, or we would not be
 * here).
 *
 * At each op, an operand D with an available `D = copy S` is replaced by S
 * (copy propagation); with `merge`, an op equal to an available X (same
 * opcode, attributes, result type and operands) becomes `copy D` (common
 * subexpression elimination). */
#include <stdlib.h>
#include <string.h>

#include "opt/opt.h"

typedef struct Fact {
    IrOp *op;
    int dst;
} Fact;

typedef struct Av {
    IrFunc *f;
    bool merge;
    bool changed;
    Fact *facts;
    int n, cap;
} Av;

typedef struct Snap {
    Fact *facts;
    int n;
} Snap;

static Snap snap(const Av *av) {
    Snap s = {malloc(((size_t)av->n + 1) * sizeof(Fact)), av->n};
    if (av->n) memcpy(s.facts, av->facts, (size_t)av->n * sizeof(Fact));
    return s;
}

/* The facts are back as they were at the snapshot (their number only shrinks
 * or grows from it, never past cap). */
static void restore(Av *av, const Snap *s) {
    if (s->n) memcpy(av->facts, s->facts, (size_t)s->n * sizeof(Fact));
    av->n = s->n;
}

static void kill(int v, void *ctx) {
    Av *av = ctx;
    int k = 0;
    for (int i = 0; i < av->n; i++) {
        const Fact *x = &av->facts[i];
        bool gone = x->dst == v;
        for (int s = 0; !gone && s < x->op->nsrc; s++) gone = x->op->src[s] == v;
        if (!gone) av->facts[k++] = *x;
    }
    av->n = k;
}

/* Forgets the facts on everything assigned inside block b. */
static void kill_inside(Av *av, const IrBlock *b) {
    if (!b) return;
    for (int i = 0; i < b->nops; i++) opt_for_each_def(b->ops[i], kill, av);
}

static void record(Av *av, IrOp *op) {
    if (!opt_is_pure(av->f, op) || (!av->merge && op->code != IR_COPY)) return;
    for (int s = 0; s < op->nsrc; s++)
        if (op->src[s] == op->dst) return;
    if (av->n == av->cap) {
        av->cap = av->cap ? 2 * av->cap : 64;
        av->facts = realloc(av->facts, (size_t)av->cap * sizeof(Fact));
    }
    av->facts[av->n++] = (Fact){op, op->dst};
}

/* The variable whose value v holds through available copies (v itself if none). */
static int copy_root(const Av *av, int v) {
    for (int hops = 0; hops <= av->n; hops++) {
        int next = -1;
        for (int i = 0; i < av->n && next < 0; i++)
            if (av->facts[i].dst == v && av->facts[i].op->code == IR_COPY) next = av->facts[i].op->src[0];
        if (next < 0) return v;
        v = next;
    }
    return v;
}

static bool same_const(IrConst a, IrConst b) {
    if (a.dtype != b.dtype) return false;
    if (a.dtype == DT_FLOAT) return !memcmp(&a.f, &b.f, sizeof a.f); /* -0.0 is not 0.0; NaN is itself */
    return a.i == b.i;
}

/* Operand order does not matter: exactly so on ints and bools, and for float
 * equality (a float sum's NaN payload could depend on the order). */
static bool commutes(const IrFunc *f, const IrOp *op) {
    switch (op->code) {
    case IR_EQ: case IR_NE:
        return true;
    case IR_ADD: case IR_MUL: case IR_AND: case IR_OR:
        return ir_var_type(f, op->dst).dtype != DT_FLOAT;
    default:
        return false;
    }
}

static bool same_value(const IrFunc *f, const IrOp *a, const IrOp *b) {
    if (a->code != b->code || a->nsrc != b->nsrc) return false;
    if (ir_var_type(f, a->dst).dtype != ir_var_type(f, b->dst).dtype) return false;
    if (a->code == IR_CONST) return same_const(a->c, b->c);
    bool same = true;
    for (int s = 0; s < a->nsrc; s++) same &= a->src[s] == b->src[s];
    if (!same && a->nsrc == 2 && commutes(f, a)) same = a->src[0] == b->src[1] && a->src[1] == b->src[0];
    return same;
}

static void become_copy(IrFunc *f, IrOp *op, int from) {
    if (op->nsrc < 1) op->src = arena_array(f->arena, 1, sizeof(int));
    op->code = IR_COPY;
    op->src[0] = from;
    op->nsrc = 1;
    op->c = (IrConst){0};
}

/* Rewrites op's reads through available copies and, with merge, op itself. */
static void visit(Av *av, IrOp *op) {
    for (int s = 0; s < op->nsrc; s++) {
        if (op->code == IR_STORE && s == 0) continue; /* the vector written */
        int r = copy_root(av, op->src[s]);
        if (r != op->src[s]) {
            op->src[s] = r;
            av->changed = true;
        }
    }
    if (!av->merge || op->code == IR_COPY || !opt_is_pure(av->f, op)) return;
    for (int i = 0; i < av->n; i++) {
        const Fact *x = &av->facts[i];
        if (x->op->code == IR_COPY || !same_value(av->f, x->op, op)) continue;
        become_copy(av->f, op, x->dst);
        av->changed = true;
        return;
    }
}

static void walk(Av *av, IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        visit(av, op);
        Snap s;
        switch (op->code) {
        case IR_LOOP:
            kill_inside(av, op->body);
            s = snap(av);
            walk(av, op->body);
            restore(av, &s);
            free(s.facts);
            break;
        case IR_IF:
            s = snap(av);
            walk(av, op->body);
            restore(av, &s);
            if (op->els) {
                walk(av, op->els);
                restore(av, &s);
            }
            free(s.facts);
            kill_inside(av, op->body);
            kill_inside(av, op->els);
            break;
        case IR_KERNEL:
            kill_inside(av, op->body); /* the vectors it stores */
            s = snap(av);
            walk(av, op->body);
            restore(av, &s);
            free(s.facts);
            for (int r = 0; r < op->nreds; r++) kill(op->reds[r].dst, av);
            break;
        case IR_NBR_AGG:
            s = snap(av);
            walk(av, op->body);
            restore(av, &s);
            free(s.facts);
            kill(op->dst, av);
            break;
        default:
            opt_for_each_def(op, kill, av);
            record(av, op);
            break;
        }
    }
}

bool opt_avail_run(IrFunc *f, bool merge) {
    bool any = false;
    /* a walk can expose more (a merged op's readers now read the same
     * operands as another op's); repeat until one changes nothing */
    for (int round = 0; round < 100; round++) {
        Av av = {f, merge, false, NULL, 0, 0};
        walk(&av, f->body);
        free(av.facts);
        if (!av.changed) break;
        any = true;
    }
    return any;
}
