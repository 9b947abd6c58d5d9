/* ir_kernelize.c - every top-level vector op becomes a KERNEL; see ir.h.
 *
 * A KERNEL is a loop over nodes whose body computes one node's values with
 * scalar ops: vector operands are LOADed at the node, results are STOREd, and
 * whole-vector reductions ACCumulate. This is the one form of vector work the
 * code generator lowers, and the unit the optimizer fuses (several ops in one
 * body) and the planner schedules. Without fusion each vector op is one kernel. */
#include "ir/ir.h"

typedef struct Kz {
    IrFunc *f;
    IrBlock *body; /* the kernel body being filled */
    int node;      /* the current node inside it */
} Kz;

static int kz_emit(Kz *k, IrOpcode code, DType dt, int nsrc, const int *src, SrcLoc loc) {
    int dst = dt == DT_VOID ? -1 : ir_var_new(k->f, (IrType){dt, SH_SCALAR}, NULL);
    ir_block_append(k->f, k->body, ir_op_new(k->f, code, dst, nsrc, src, loc));
    return dst;
}

/* The value of variable x at the current node: a LOAD for vectors, the
 * (captured, read-only) variable itself for scalars. An f32 vector is loaded
 * as an f32 scalar: its only readers are a CAST to float and a COPY (ir.h),
 * so its kernel LOADs the f32 element and CASTs it, and a CAST to f32 (or a
 * COPY) into an f32 vector STOREs an f32 value; nothing here is f32-specific. */
static int elem(Kz *k, int x, SrcLoc loc) {
    if (!ir_is_vector(k->f, x)) return x;
    int src[2] = {x, k->node};
    return kz_emit(k, IR_LOAD, ir_var_type(k->f, x).dtype, 2, src, loc);
}

static IrOp *kernelize_op(IrFunc *f, IrOp *op) {
    IrOp *kern = ir_op_new(f, IR_KERNEL, -1, 0, NULL, op->loc);
    kern->body = ir_block_new(f);
    kern->members = arena_array(f->arena, 1, sizeof *kern->members);
    kern->members[0] = op;
    kern->nmembers = 1;
    Kz k = {f, kern->body, -1};
    k.node = kz_emit(&k, IR_NODE_ID, DT_NODE, 0, NULL, op->loc);
    DType dt = op->dst >= 0 ? ir_var_type(f, op->dst).dtype : DT_VOID;
    int val = -1;

    switch (op->code) {
    case IR_NODE_ID:
        val = k.node;
        break;
    case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE: {
        int n = op->nsrc ? elem(&k, op->src[0], op->loc) : k.node;
        val = kz_emit(&k, op->code, DT_INT, 1, &n, op->loc);
        break;
    }
    case IR_BROADCAST: case IR_COPY:
        val = elem(&k, op->src[0], op->loc);
        break;
    case IR_GATHER: {
        int src[2] = {op->src[0], elem(&k, op->src[1], op->loc)};
        val = kz_emit(&k, IR_LOAD, dt, 2, src, op->loc);
        break;
    }
    case IR_NBR_AGG: {
        int e = ir_var_new(f, (IrType){dt, SH_SCALAR}, NULL);
        IrOp *agg = ir_op_new(f, IR_NBR_AGG, e, 0, NULL, op->loc);
        agg->agg = op->agg;
        agg->dir = op->dir;
        agg->weighted = op->weighted;
        agg->body = op->body; /* its NODE_ID ops now name the kernel's node */
        ir_block_append(f, k.body, agg);
        val = e;
        break;
    }
    case IR_REDUCE: {
        int src[2] = {elem(&k, op->src[0], op->loc), k.node};
        bool arg = op->agg == AGG_ARGMIN || op->agg == AGG_ARGMAX;
        IrOp *acc = ir_op_new(f, IR_ACC, -1, arg ? 2 : 1, src, op->loc);
        acc->index = 0;
        ir_block_append(f, k.body, acc);
        kern->nreds = 1;
        kern->reds = arena_alloc(f->arena, sizeof *kern->reds);
        kern->reds[0] = (IrKernelRed){op->dst, op->agg, ir_var_type(f, op->src[0]).dtype};
        return kern;
    }
    default: { /* element-wise */
        int *src = arena_array(f->arena, (size_t)op->nsrc + 1, sizeof(int));
        for (int i = 0; i < op->nsrc; i++) src[i] = elem(&k, op->src[i], op->loc);
        val = kz_emit(&k, op->code, dt, op->nsrc, src, op->loc);
        break;
    }
    }
    int st[3] = {op->dst, k.node, val};
    kz_emit(&k, IR_STORE, DT_VOID, 3, st, op->loc);
    return kern;
}

static bool needs_kernel(const IrFunc *f, const IrOp *op) {
    if (op->code == IR_REDUCE) return true;
    if (op->dst < 0 || !ir_is_vector(f, op->dst)) return false;
    return op->code != IR_PARAM; /* every vector-producing op */
}

static void kernelize_block(IrFunc *f, IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        if (op->code == IR_LOOP || op->code == IR_IF) {
            if (op->body) kernelize_block(f, op->body);
            if (op->els) kernelize_block(f, op->els);
        } else if (needs_kernel(f, op)) {
            b->ops[i] = kernelize_op(f, op);
        }
    }
}

void ir_kernelize(IrFunc *f) {
    if (f->kernelized) return;
    kernelize_block(f, f->body);
    f->kernelized = true;
}
