/* opt_licm.c - loop-invariant code motion; see opt.h.
 *
 * Three kinds of loop, innermost first:
 *   - a neighbor region runs once per edge of the node: its ops that read
 *     nothing the region defines (and are not the edge's NBR or EDGE_W) move
 *     into the kernel body, just before the region;
 *   - a kernel body runs once per node: its ops that read nothing the body
 *     defines or stores (and are not the node's NODE_ID) move to the top
 *     level, just before the kernel; a LOAD moves only when the kernel does
 *     not store into its vector (another node's store could come first);
 *   - a repeat/while body: its ops (also those in ifs inside it, and those
 *     just moved out of its kernels) that read nothing the loop assigns move
 *     before the loop, so an op invariant in a kernel inside a loop ends up
 *     before the loop.
 * An op moves only if it has no effect, cannot stop the program and its
 * result has one definition in the whole function: then that definition,
 * now before the loop, still comes before every read, and computes the same
 * value there since none of its operands changes in the loop. An op that can
 * stop the program never moves: the loop may run zero times (repeat 0, an
 * empty graph, a node without neighbors, an if that is not taken), and where
 * it runs, which error comes first must not change
 * (tests/difftest/regress/dead-code-drops-runtime-error and
 * fusion-reorders-runtime-errors). A pure op that moves out of a loop that
 * would not have run has no effect. */
#include <stdlib.h>
#include <string.h>

#include "opt/opt.h"

typedef struct Licm {
    IrFunc *f;
    OptDefs defs;
    int *inside; /* per variable: its definitions inside the loop being emptied */
    bool changed;
} Licm;

static void count_in(int v, void *ctx) { ((Licm *)ctx)->inside[v]++; }
static void uncount_in(int v, void *ctx) { ((Licm *)ctx)->inside[v]--; }

static void count_block(Licm *lm, const IrBlock *b, void (*fn)(int, void *)) {
    for (int i = 0; i < b->nops; i++) opt_for_each_def(b->ops[i], fn, lm);
}

/* Can op leave the loop whose definitions `inside` counts? `to_top`: to the
 * top level (out of a kernel or a repeat/while), else to node level. */
static bool movable(const Licm *lm, const IrOp *op, bool to_top) {
    const IrFunc *f = lm->f;
    if (!opt_is_pure(f, op) || opt_may_fail(f, &lm->defs, op)) return false;
    if (op->code == IR_NBR || op->code == IR_EDGE_W || (to_top && op->code == IR_NODE_ID)) return false;
    if (lm->defs.ndefs[op->dst] != 1) return false;
    for (int s = 0; s < op->nsrc; s++)
        if (lm->inside[op->src[s]]) return false;
    return true;
}

static void move_out(Licm *lm, IrOp *op, IrBlock *to) {
    ir_block_append(lm->f, to, op);
    lm->inside[op->dst]--;
    lm->changed = true;
}

/* Moves the edge-invariant ops of region r's body into `to` (the kernel body
 * being rebuilt, where r follows them). */
static void hoist_region(Licm *lm, IrOp *r, IrBlock *to) {
    IrBlock *b = r->body;
    count_block(lm, b, count_in);
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        if (op->code != IR_YIELD && movable(lm, op, false)) move_out(lm, op, to);
        else b->ops[n++] = op;
    }
    b->nops = n;
    count_block(lm, b, uncount_in);
}

/* Moves kernel k's node-invariant ops into `to` (the block being rebuilt,
 * where k follows them). */
static void hoist_kernel(Licm *lm, IrOp *k, IrBlock *to) {
    IrBlock body = {0};
    for (int i = 0; i < k->body->nops; i++) {
        IrOp *op = k->body->ops[i];
        if (op->code == IR_NBR_AGG) hoist_region(lm, op, &body);
        ir_block_append(lm->f, &body, op);
    }
    *k->body = body;
    count_block(lm, k->body, count_in);
    int n = 0;
    for (int i = 0; i < body.nops; i++) {
        IrOp *op = body.ops[i];
        if (movable(lm, op, true)) move_out(lm, op, to);
        else k->body->ops[n++] = op;
    }
    k->body->nops = n;
    count_block(lm, k->body, uncount_in);
}

/* Moves the loop-invariant ops of block b (a loop body, or an if inside one;
 * not inner loops or kernels, already emptied) into `to`. */
static void hoist_loop_block(Licm *lm, IrBlock *b, IrBlock *to) {
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        if (op->code == IR_IF) {
            hoist_loop_block(lm, op->body, to);
            if (op->els) hoist_loop_block(lm, op->els, to);
        }
        if (movable(lm, op, true)) move_out(lm, op, to);
        else b->ops[n++] = op;
    }
    b->nops = n;
}

static void process_block(Licm *lm, IrBlock *b) {
    IrBlock out = {0};
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        switch (op->code) {
        case IR_LOOP:
            process_block(lm, op->body);
            count_block(lm, op->body, count_in);
            hoist_loop_block(lm, op->body, &out);
            count_block(lm, op->body, uncount_in);
            break;
        case IR_IF:
            process_block(lm, op->body);
            if (op->els) process_block(lm, op->els);
            break;
        case IR_KERNEL:
            hoist_kernel(lm, op, &out);
            break;
        default:
            break;
        }
        ir_block_append(lm->f, &out, op);
    }
    *b = out;
}

bool opt_licm(IrFunc *f) {
    bool any = false;
    /* one walk moves chains (it goes innermost first, in program order);
     * repeat in case a move exposed more */
    for (int round = 0; round < 100; round++) {
        Licm lm = {f, {0}, calloc((size_t)f->nvars + 1, sizeof(int)), false};
        opt_defs_init(&lm.defs, f);
        process_block(&lm, f->body);
        opt_defs_free(&lm.defs);
        free(lm.inside);
        if (!lm.changed) break;
        any = true;
    }
    return any;
}
