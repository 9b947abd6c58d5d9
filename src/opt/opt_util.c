/* opt_util.c - what the scalar passes need to know about ops and variables:
 * definitions and reads, constants, purity, and which ops can stop the
 * program; see opt.h. */
#include <stdlib.h>

#include "opt/opt.h"

static void count_block(OptDefs *d, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        for (int s = 0; s < op->nsrc; s++) {
            if (op->code == IR_STORE && s == 0) continue; /* written, not read */
            d->nreads[op->src[s]]++;
        }
        if (op->dst >= 0) {
            d->ndefs[op->dst]++;
            d->def[op->dst] = op;
        }
        if (op->code == IR_STORE) d->ndefs[op->src[0]]++;
        for (int r = 0; r < op->nreds; r++) d->ndefs[op->reds[r].dst]++;
        if (op->body) count_block(d, op->body);
        if (op->els) count_block(d, op->els);
    }
}

void opt_defs_init(OptDefs *d, const IrFunc *f) {
    size_t n = (size_t)f->nvars + 1;
    d->nvars = f->nvars;
    d->ndefs = calloc(n, sizeof *d->ndefs);
    d->def = calloc(n, sizeof *d->def);
    d->nreads = calloc(n, sizeof *d->nreads);
    count_block(d, f->body);
    for (int v = 0; v < f->nvars; v++)
        if (d->ndefs[v] != 1) d->def[v] = NULL;
}

void opt_defs_free(OptDefs *d) {
    free(d->ndefs);
    free(d->def);
    free(d->nreads);
    d->ndefs = d->nreads = NULL;
    d->def = NULL;
}

const IrConst *opt_const_of(const OptDefs *d, int v) {
    if (!d || v < 0 || v >= d->nvars || !d->def[v] || d->def[v]->code != IR_CONST) return NULL;
    return &d->def[v]->c;
}

bool opt_is_pure(const IrFunc *f, const IrOp *op) {
    if (op->dst < 0 || ir_is_vector(f, op->dst)) return false;
    switch (op->code) {
    case IR_CONST: case IR_GRAPH_N: case IR_GRAPH_M: case IR_NODE_ID:
    case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE: case IR_NODE_FILE_ID:
    case IR_LOAD: case IR_NBR: case IR_EDGE_W:
        return true;
    case IR_BROADCAST:
        return false;
    default:
        return op->code >= IR_NEG && op->code <= IR_COPY;
    }
}

/* Does a float fit int64 (what int() accepts)? */
static bool fits_int(double x) { return x >= -9223372036854775808.0 && x < 9223372036854775808.0; }

bool opt_may_fail(const IrFunc *f, const OptDefs *d, const IrOp *op) {
    switch (op->code) {
    case IR_FLOORDIV: case IR_MOD: {
        if (ir_var_type(f, op->dst).dtype == DT_FLOAT) return false;
        const IrConst *b = opt_const_of(d, op->src[1]);
        return !b || b->i == 0;
    }
    case IR_CAST: {
        if (ir_var_type(f, op->dst).dtype != DT_INT || ir_var_type(f, op->src[0]).dtype != DT_FLOAT) return false;
        const IrConst *x = opt_const_of(d, op->src[0]);
        return !x || !fits_int(x->f);
    }
    case IR_KERNEL:
        /* argmin/argmax over values that are all NaN (or no node) stop it */
        for (int r = 0; r < op->nreds; r++)
            if (op->reds[r].agg == AGG_ARGMIN || op->reds[r].agg == AGG_ARGMAX) return true;
        return opt_block_may_fail(f, d, op->body);
    case IR_NBR_AGG: case IR_LOOP: case IR_IF:
        return (op->body && opt_block_may_fail(f, d, op->body)) || (op->els && opt_block_may_fail(f, d, op->els));
    default:
        return false;
    }
}

bool opt_block_may_fail(const IrFunc *f, const OptDefs *d, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++)
        if (opt_may_fail(f, d, b->ops[i])) return true;
    return false;
}

static void defs_in_block(const IrBlock *b, void (*fn)(int v, void *ctx), void *ctx) {
    for (int i = 0; i < b->nops; i++) opt_for_each_def(b->ops[i], fn, ctx);
}

void opt_for_each_def(const IrOp *op, void (*fn)(int v, void *ctx), void *ctx) {
    if (op->dst >= 0) fn(op->dst, ctx);
    if (op->code == IR_STORE) fn(op->src[0], ctx);
    for (int r = 0; r < op->nreds; r++) fn(op->reds[r].dst, ctx);
    if (op->body) defs_in_block(op->body, fn, ctx);
    if (op->els) defs_in_block(op->els, fn, ctx);
}
