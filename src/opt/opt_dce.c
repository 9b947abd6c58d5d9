/* opt_dce.c - dead code elimination; see opt.h.
 *
 * Removed, at every level (top, loop and if bodies, kernel bodies, neighbor
 * regions):
 *   - an op without effects (opt_is_pure) whose result no operand anywhere
 *     reads, unless it can stop the program: that stop is what the program
 *     does (tests/difftest/regress/dead-code-drops-runtime-error);
 *   - a neighbor aggregation nothing reads whose region cannot stop it;
 *   - a store into a vector that nothing reads (as opt_dead_vectors, for
 *     the vectors the scalar passes left without readers);
 *   - `x = copy x`, and ifs with both branches empty, repeat loops with an
 *     empty body (a while loop without a break runs for ever: it stays), and
 *     kernels without reductions left with nothing but their node.
 * Blocks are swept backwards and a removed op's reads are uncounted at once,
 * so a chain of dead ops goes in one sweep; sweeps repeat to a fixpoint.
 * Other STOREs, ACC, YIELD, PRINT, BREAK, RETURN and PARAM (the code generator
 * assigns parameters by scanning for it) always stay. A kernel body keeps its
 * leading NODE_ID, which fusion and the code generator's readers expect. */
#include <stdlib.h>

#include "opt/opt.h"

typedef struct Dce {
    IrFunc *f;
    OptDefs defs;
    bool changed;
} Dce;

static void uncount_reads(Dce *dc, const IrBlock *b);

static void uncount_op(Dce *dc, const IrOp *op) {
    for (int s = 0; s < op->nsrc; s++)
        if (!(op->code == IR_STORE && s == 0)) dc->defs.nreads[op->src[s]]--;
    if (op->body) uncount_reads(dc, op->body);
    if (op->els) uncount_reads(dc, op->els);
}

static void uncount_reads(Dce *dc, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++) uncount_op(dc, b->ops[i]);
}

static bool empty(const IrBlock *b) { return !b || b->nops == 0; }

/* A kernel without reductions whose body is only its node and ops without
 * effects (whatever reads them) does nothing. */
static bool idle_kernel(const Dce *dc, const IrOp *k) {
    if (k->nreds) return false;
    for (int i = 0; i < k->body->nops; i++) {
        const IrOp *op = k->body->ops[i];
        if (opt_may_fail(dc->f, &dc->defs, op)) return false;
        if (!opt_is_pure(dc->f, op) && op->code != IR_NBR_AGG) return false;
    }
    return true;
}

static bool dead(const Dce *dc, const IrOp *op, bool kernel_node) {
    const IrFunc *f = dc->f;
    if (kernel_node) return false;
    if (op->code == IR_COPY && op->dst == op->src[0] && !ir_is_vector(f, op->dst)) return true;
    switch (op->code) {
    case IR_IF: return empty(op->body) && empty(op->els);
    case IR_LOOP: return op->nsrc == 1 && empty(op->body);
    case IR_KERNEL: return idle_kernel(dc, op);
    case IR_NBR_AGG:
        return dc->defs.nreads[op->dst] == 0 && !opt_block_may_fail(f, &dc->defs, op->body);
    case IR_STORE: /* into a vector nothing reads (cse or copy-prop took its last reader) */
        return ir_is_vector(f, op->src[0]) && dc->defs.nreads[op->src[0]] == 0;
    default:
        return opt_is_pure(f, op) && dc->defs.nreads[op->dst] == 0 && !opt_may_fail(f, &dc->defs, op);
    }
}

static void sweep(Dce *dc, IrBlock *b, bool kernel_body) {
    /* backwards: readers go before what they read */
    int keep = b->nops;
    for (int i = b->nops - 1; i >= 0; i--) {
        IrOp *op = b->ops[i];
        if (op->body) sweep(dc, op->body, op->code == IR_KERNEL);
        if (op->els) sweep(dc, op->els, false);
        if (dead(dc, op, kernel_body && i == 0 && op->code == IR_NODE_ID)) {
            uncount_op(dc, op);
            dc->changed = true;
            continue;
        }
        b->ops[--keep] = op;
    }
    /* the kept ops sit at the end, in order; move them to the front */
    int n = b->nops - keep;
    for (int i = 0; i < n; i++) b->ops[i] = b->ops[keep + i];
    b->nops = n;
}

bool opt_dce(IrFunc *f) {
    bool any = false;
    for (;;) {
        Dce dc = {f, {0}, false};
        opt_defs_init(&dc.defs, f);
        sweep(&dc, f->body, false);
        opt_defs_free(&dc.defs);
        if (!dc.changed) break;
        any = true;
    }
    return any;
}
