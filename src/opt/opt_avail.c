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
 * subexpression elimination).
 *
 * Kept near linear for long programs: facts form a stack (what a branch or
 * a loop body learned is popped after it), a variable's assignment only
 * stamps it with the time (a fact recorded before a stamp on its result or
 * an operand is dead), and facts are found through a hash of the op (for
 * merging) or the copy's result (for copies), each entry remembering the one
 * it shadowed so popping restores them. A stamp made in one branch of an if
 * also hides facts from the other branch: a lost opportunity, never a wrong
 * one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opt/opt.h"

typedef struct Fact {
    IrOp *op;
    int64_t time;   /* when it was recorded */
    unsigned hash;  /* its bucket (merge facts) */
    int shadowed;   /* the bucket's or the copy's previous entry */
} Fact;

typedef struct Av {
    IrFunc *f;
    bool merge;
    bool changed;
    Fact *facts;
    int n, cap;
    int64_t clock;
    int64_t *stamp;   /* per variable: when it was last assigned */
    int *copy_of;     /* per variable v: the latest fact `v = copy s`, or -1 */
    int *bucket;      /* per hash bucket: the latest fact in it, or -1 */
    unsigned mask;    /* number of buckets - 1 */
} Av;

static void kill(int v, void *ctx) {
    Av *av = ctx;
    av->stamp[v] = ++av->clock;
}

/* Stamps everything assigned inside block b. */
static void kill_inside(Av *av, const IrBlock *b) {
    if (!b) return;
    for (int i = 0; i < b->nops; i++) opt_for_each_def(b->ops[i], kill, av);
}

/* Neither its result nor an operand has been assigned since it was recorded. */
static bool alive(const Av *av, const Fact *x) {
    if (av->stamp[x->op->dst] >= x->time) return false;
    for (int s = 0; s < x->op->nsrc; s++)
        if (av->stamp[x->op->src[s]] >= x->time) return false;
    return true;
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

static unsigned mix(unsigned h, uint64_t x) {
    h ^= (unsigned)(x ^ (x >> 32));
    return h * 0x9e3779b1u;
}

static unsigned hash_op(const Av *av, const IrOp *op) {
    unsigned h = mix(0x811c9dc5u, (uint64_t)op->code * 31 + ir_var_type(av->f, op->dst).dtype);
    if (op->code == IR_CONST) {
        uint64_t bits;
        memcpy(&bits, &op->c.f, sizeof bits);
        return mix(mix(h, (uint64_t)op->c.i), bits) & av->mask;
    }
    if (op->nsrc == 2 && commutes(av->f, op)) { /* the same for both orders */
        int a = op->src[0], b = op->src[1];
        return mix(mix(h, (uint64_t)(a < b ? a : b)), (uint64_t)(a < b ? b : a)) & av->mask;
    }
    for (int s = 0; s < op->nsrc; s++) h = mix(h, (uint64_t)op->src[s]);
    return h & av->mask;
}

static void record(Av *av, IrOp *op) {
    if (!opt_is_pure(av->f, op) || (!av->merge && op->code != IR_COPY)) return;
    for (int s = 0; s < op->nsrc; s++)
        if (op->src[s] == op->dst) return;
    if (av->n == av->cap) {
        av->cap = av->cap ? 2 * av->cap : 64;
        av->facts = realloc(av->facts, (size_t)av->cap * sizeof(Fact));
    }
    Fact *x = &av->facts[av->n];
    x->op = op;
    x->time = ++av->clock;
    if (op->code == IR_COPY) {
        x->shadowed = av->copy_of[op->dst];
        av->copy_of[op->dst] = av->n;
    } else {
        x->hash = hash_op(av, op);
        x->shadowed = av->bucket[x->hash];
        av->bucket[x->hash] = av->n;
    }
    av->n++;
}

/* Forgets the facts recorded after the first n. */
static void pop_to(Av *av, int n) {
    while (av->n > n) {
        const Fact *x = &av->facts[--av->n];
        if (x->op->code == IR_COPY) av->copy_of[x->op->dst] = x->shadowed;
        else av->bucket[x->hash] = x->shadowed;
    }
}

/* The variable whose value v holds through available copies (v itself if none). */
static int copy_root(const Av *av, int v) {
    for (int hops = 0; hops <= av->n; hops++) {
        int i = av->copy_of[v];
        /* a newer copy into v would be the entry, and its recording killed older ones */
        if (i < 0 || !alive(av, &av->facts[i])) return v;
        v = av->facts[i].op->src[0];
    }
    return v;
}

static bool same_const(IrConst a, IrConst b) {
    if (a.dtype != b.dtype) return false;
    if (a.dtype == DT_FLOAT) return !memcmp(&a.f, &b.f, sizeof a.f); /* -0.0 is not 0.0; NaN is itself */
    return a.i == b.i;
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
    for (int i = av->bucket[hash_op(av, op)]; i >= 0; i = av->facts[i].shadowed) {
        const Fact *x = &av->facts[i];
        if (!same_value(av->f, x->op, op) || !alive(av, x)) continue;
        become_copy(av->f, op, x->op->dst);
        av->changed = true;
        return;
    }
}

static void walk(Av *av, IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        visit(av, op);
        int n = av->n;
        switch (op->code) {
        case IR_LOOP:
            kill_inside(av, op->body);
            walk(av, op->body);
            pop_to(av, n);
            break;
        case IR_IF:
            walk(av, op->body);
            pop_to(av, n);
            if (op->els) {
                walk(av, op->els);
                pop_to(av, n);
            }
            /* what the branches assign was stamped as they were walked */
            break;
        case IR_KERNEL:
            kill_inside(av, op->body); /* the vectors it stores */
            walk(av, op->body);
            pop_to(av, n);
            for (int r = 0; r < op->nreds; r++) kill(op->reds[r].dst, av);
            break;
        case IR_NBR_AGG:
            walk(av, op->body);
            pop_to(av, n);
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
    unsigned nb = 1024;
    while (nb < 2u * (unsigned)f->nvars && nb < (1u << 24)) nb *= 2;
    /* a walk can expose more (a merged op's readers now read the same
     * operands as another op's); repeat until one changes nothing */
    for (int round = 0; round < 100; round++) {
        Av av = {f, merge, false, NULL, 0, 0, 0, NULL, NULL, NULL, nb - 1};
        av.stamp = calloc((size_t)f->nvars + 1, sizeof *av.stamp);
        av.copy_of = malloc(((size_t)f->nvars + 1) * sizeof *av.copy_of);
        av.bucket = malloc(nb * sizeof *av.bucket);
        for (int v = 0; v <= f->nvars; v++) av.copy_of[v] = -1;
        for (unsigned h = 0; h < nb; h++) av.bucket[h] = -1;
        walk(&av, f->body);
        free(av.facts);
        free(av.stamp);
        free(av.copy_of);
        free(av.bucket);
        if (!av.changed) break;
        any = true;
    }
    return any;
}
