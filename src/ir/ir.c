/* ir.c - construction helpers and names for the IR; see ir.h. */
#include "ir/ir.h"

#include <string.h>

IrFunc *ir_func_new(Arena *a, const char *name) {
    IrFunc *f = arena_alloc(a, sizeof *f);
    f->arena = a;
    f->name = name;
    f->body = ir_block_new(f);
    return f;
}

int ir_var_new(IrFunc *f, IrType ty, const char *name) {
    if (f->nvars == f->vars_cap) {
        int cap = f->vars_cap ? f->vars_cap * 2 : 32;
        IrVar *vars = arena_array(f->arena, (size_t)cap, sizeof *vars);
        if (f->nvars) memcpy(vars, f->vars, (size_t)f->nvars * sizeof *vars);
        f->vars = vars;
        f->vars_cap = cap;
    }
    f->vars[f->nvars].ty = ty;
    f->vars[f->nvars].name = name;
    return f->nvars++;
}

IrBlock *ir_block_new(IrFunc *f) { return arena_alloc(f->arena, sizeof(IrBlock)); }

IrOp *ir_op_new(IrFunc *f, IrOpcode code, int dst, int nsrc, const int *src, SrcLoc loc) {
    IrOp *op = arena_alloc(f->arena, sizeof *op);
    op->code = code;
    op->id = f->next_op_id++;
    op->dst = dst;
    op->nsrc = nsrc;
    if (nsrc) {
        op->src = arena_array(f->arena, (size_t)nsrc, sizeof(int));
        memcpy(op->src, src, (size_t)nsrc * sizeof(int));
    }
    op->loc = loc;
    return op;
}

void ir_block_append(IrFunc *f, IrBlock *b, IrOp *op) {
    if (b->nops == b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        IrOp **ops = arena_array(f->arena, (size_t)cap, sizeof *ops);
        if (b->nops) memcpy(ops, b->ops, (size_t)b->nops * sizeof *ops);
        b->ops = ops;
        b->cap = cap;
    }
    b->ops[b->nops++] = op;
}

static const char *const opcode_names[IR__COUNT] = {
    [IR_CONST] = "const", [IR_PARAM] = "param", [IR_GRAPH_N] = "graph.N", [IR_GRAPH_M] = "graph.M",
    [IR_NODE_ID] = "node_id", [IR_OUT_DEGREE] = "out_degree", [IR_IN_DEGREE] = "in_degree",
    [IR_DEGREE] = "degree", [IR_NODE_FILE_ID] = "file_id",
    [IR_NEG] = "neg", [IR_NOT] = "not", [IR_ABS] = "abs", [IR_SQRT] = "sqrt", [IR_EXP] = "exp",
    [IR_LOG] = "log", [IR_FLOOR] = "floor", [IR_CEIL] = "ceil", [IR_CAST] = "cast",
    [IR_ADD] = "add", [IR_SUB] = "sub", [IR_MUL] = "mul", [IR_DIV] = "div", [IR_FLOORDIV] = "floordiv",
    [IR_MOD] = "mod", [IR_POW] = "pow", [IR_MIN] = "min", [IR_MAX] = "max",
    [IR_EQ] = "eq", [IR_NE] = "ne", [IR_LT] = "lt", [IR_LE] = "le", [IR_GT] = "gt", [IR_GE] = "ge",
    [IR_AND] = "and", [IR_OR] = "or", [IR_WHERE] = "where", [IR_BROADCAST] = "broadcast",
    [IR_COPY] = "copy", [IR_GATHER] = "gather", [IR_LOAD] = "load", [IR_STORE] = "store",
    [IR_REDUCE] = "reduce", [IR_NBR_AGG] = "nbr_agg", [IR_NBR] = "nbr", [IR_EDGE_W] = "edge_w",
    [IR_YIELD] = "yield", [IR_LOOP] = "loop", [IR_IF] = "if", [IR_BREAK] = "break",
    [IR_PRINT] = "print", [IR_RETURN] = "return", [IR_KERNEL] = "kernel", [IR_ACC] = "acc",
};

const char *ir_opcode_name(IrOpcode code) {
    return code >= 0 && code < IR__COUNT && opcode_names[code] ? opcode_names[code] : "?";
}

const char *ir_agg_name(IrAgg agg) {
    static const char *const names[] = {"sum", "min", "max", "mean", "count", "any", "all",
                                        "argmin", "argmax", "mode"};
    return (unsigned)agg < sizeof names / sizeof names[0] ? names[agg] : "?";
}

bool ir_is_elementwise(IrOpcode code) {
    return (code >= IR_NEG && code <= IR_COPY) || code == IR_NODE_FILE_ID;
}
