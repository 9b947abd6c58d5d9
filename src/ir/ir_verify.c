/* ir_verify.c - structural and type invariants of the IR; see ir.h.
 *
 * Run after every stage in debug builds (and with `graphc --verify-ir`): a pass
 * that breaks an invariant is caught where it happened, not in the generated
 * program. Checks: operands exist and are defined before use (in program
 * order), each op's operand and result types and shapes, that only the ops
 * ir.h names touch f32 values, which ops may appear at which level (top,
 * node, edge), that element-level variables are scalars that never escape
 * their region, and where BREAK, YIELD, ACC and RETURN may stand. */
#include "ir/ir.h"

#include <stdarg.h>
#include <stdlib.h>

enum Level { LV_TOP, LV_NODE, LV_EDGE };

typedef struct Verifier {
    const IrFunc *f;
    const char *stage;
    FILE *out;
    int errors;
    signed char *def_level; /* per variable: -1 undefined, else the Level of its definitions */
    int loop_depth;
    const IrOp *kernel;     /* enclosing KERNEL, if any */
} Verifier;

static void fail(Verifier *v, const IrOp *op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(Verifier *v, const IrOp *op, const char *fmt, ...) {
    v->errors++;
    if (v->errors > 20) return;
    fprintf(v->out, "ir-verify: %s: op #%d (%s): ", v->stage, op ? op->id : -1, op ? ir_opcode_name(op->code) : "-");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(v->out, fmt, ap);
    va_end(ap);
    fputc('\n', v->out);
}

static bool valid_var(const Verifier *v, int x) { return x >= 0 && x < v->f->nvars; }
static IrType ty(const Verifier *v, int x) { return v->f->vars[x].ty; }
static bool is_vec(const Verifier *v, int x) { return ty(v, x).shape == SH_VECTOR; }
static bool is_num(DType d) { return d == DT_INT || d == DT_FLOAT; }

static void check_use(Verifier *v, const IrOp *op, int x, enum Level lv) {
    if (!valid_var(v, x)) { fail(v, op, "operand %d is not a variable", x); return; }
    int d = v->def_level[x];
    if (d < 0) fail(v, op, "operand %%%d is used before it is defined", x);
    else if (d > (int)lv) fail(v, op, "operand %%%d is defined inside another region", x);
}

static void check_def(Verifier *v, const IrOp *op, enum Level lv) {
    int x = op->dst;
    if (!valid_var(v, x)) { fail(v, op, "result %d is not a variable", x); return; }
    if (v->def_level[x] >= 0 && v->def_level[x] != (int)lv)
        fail(v, op, "%%%d is assigned at two different levels", x);
    if (lv != LV_TOP && is_vec(v, x)) fail(v, op, "element-level result %%%d is a vector", x);
    v->def_level[x] = (signed char)lv;
}

/* The result shape of an element-wise op: a vector iff some operand is. */
static void check_map_shape(Verifier *v, const IrOp *op, enum Level lv) {
    bool any_vec = false;
    for (int i = 0; i < op->nsrc; i++)
        if (valid_var(v, op->src[i]) && is_vec(v, op->src[i])) any_vec = true;
    if (lv != LV_TOP && any_vec) fail(v, op, "vector operand at element level");
    if (op->code == IR_BROADCAST) {
        if (any_vec || !is_vec(v, op->dst)) fail(v, op, "broadcast takes a scalar and makes a vector");
    } else if (any_vec != is_vec(v, op->dst)) {
        fail(v, op, "result shape does not follow the operands");
    }
}

static void check_block(Verifier *v, const IrBlock *b, enum Level lv, bool is_func_body);

static void check_types(Verifier *v, const IrOp *op, enum Level lv) {
    const IrFunc *f = v->f;
    DType d = op->dst >= 0 && valid_var(v, op->dst) ? ty(v, op->dst).dtype : DT_VOID;
    DType s0 = op->nsrc > 0 && valid_var(v, op->src[0]) ? ty(v, op->src[0]).dtype : DT_VOID;
    DType s1 = op->nsrc > 1 && valid_var(v, op->src[1]) ? ty(v, op->src[1]).dtype : DT_VOID;
    switch (op->code) {
    case IR_CONST:
        if (d != op->c.dtype) fail(v, op, "constant of type %s in a %s variable", dtype_name(op->c.dtype), dtype_name(d));
        break;
    case IR_PARAM:
        if (op->index < 0 || op->index >= f->nparams) fail(v, op, "no parameter %d", op->index);
        else if (d != f->params[op->index].dtype) fail(v, op, "parameter type mismatch");
        break;
    case IR_GRAPH_N: case IR_GRAPH_M:
        if (d != DT_INT) fail(v, op, "N and M are int");
        break;
    case IR_NODE_ID:
        if (d != DT_NODE || is_vec(v, op->dst) != (lv == LV_TOP)) fail(v, op, "bad node_id result");
        break;
    case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE:
        if (d != DT_INT) fail(v, op, "degrees are int");
        if (op->nsrc == 0 && lv != LV_TOP) fail(v, op, "degree without a node at element level");
        if (op->nsrc == 1 && (s0 != DT_NODE || is_vec(v, op->src[0]) != is_vec(v, op->dst)))
            fail(v, op, "degree of a non-node or shape mismatch");
        break;
    case IR_NODE_FILE_ID:
        if (s0 != DT_NODE || d != DT_INT) fail(v, op, "file_id maps node to int");
        check_map_shape(v, op, lv);
        break;
    case IR_NEG: case IR_ABS:
        if (!is_num(d) || s0 != d) fail(v, op, "numeric operand of the result type expected");
        check_map_shape(v, op, lv);
        break;
    case IR_NOT:
        if (d != DT_BOOL || s0 != DT_BOOL) fail(v, op, "not takes and gives bool");
        check_map_shape(v, op, lv);
        break;
    case IR_SQRT: case IR_EXP: case IR_LOG: case IR_FLOOR: case IR_CEIL:
        if (d != DT_FLOAT || s0 != DT_FLOAT) fail(v, op, "float operand and result expected");
        check_map_shape(v, op, lv);
        break;
    case IR_CAST: case IR_COPY: case IR_BROADCAST:
        if (op->code != IR_CAST && s0 != d) fail(v, op, "operand and result types differ");
        if (op->code == IR_CAST && (d == DT_F32 || s0 == DT_F32) && d != s0 && d != DT_FLOAT && s0 != DT_FLOAT)
            fail(v, op, "f32 converts only to and from float (%s -> %s)", dtype_name(s0), dtype_name(d));
        check_map_shape(v, op, lv);
        break;
    case IR_ADD: case IR_SUB: case IR_MUL: case IR_FLOORDIV: case IR_MOD: case IR_MIN: case IR_MAX:
        if (!(is_num(d) || ((op->code == IR_MIN || op->code == IR_MAX) && d == DT_NODE)) || s0 != d || s1 != d)
            fail(v, op, "operands must have the result's numeric type (%s, %s -> %s)", dtype_name(s0),
                 dtype_name(s1), dtype_name(d));
        check_map_shape(v, op, lv);
        break;
    case IR_DIV: case IR_POW:
        if (d != DT_FLOAT || s0 != DT_FLOAT || s1 != DT_FLOAT) fail(v, op, "float operands and result expected");
        check_map_shape(v, op, lv);
        break;
    case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE:
        if (d != DT_BOOL || s0 != s1 || s0 == DT_VOID) fail(v, op, "comparison of %s and %s", dtype_name(s0), dtype_name(s1));
        check_map_shape(v, op, lv);
        break;
    case IR_AND: case IR_OR:
        if (d != DT_BOOL || s0 != DT_BOOL || s1 != DT_BOOL) fail(v, op, "and/or take and give bool");
        check_map_shape(v, op, lv);
        break;
    case IR_WHERE: {
        DType s2 = op->nsrc > 2 && valid_var(v, op->src[2]) ? ty(v, op->src[2]).dtype : DT_VOID;
        if (s0 != DT_BOOL || s1 != d || s2 != d) fail(v, op, "where(bool, T, T) -> T expected");
        check_map_shape(v, op, lv);
        break;
    }
    case IR_GATHER:
        if (lv != LV_TOP) fail(v, op, "gather at element level (use load)");
        if (!is_vec(v, op->src[0]) || !is_vec(v, op->src[1]) || s1 != DT_NODE || s0 != d || !is_vec(v, op->dst))
            fail(v, op, "gather(vector T, node vector) -> vector T expected");
        break;
    case IR_LOAD:
        if (!is_vec(v, op->src[0]) || is_vec(v, op->src[1]) || s1 != DT_NODE || s0 != d || is_vec(v, op->dst))
            fail(v, op, "load(vector T, node) -> T expected");
        break;
    case IR_STORE: {
        DType s2 = op->nsrc > 2 && valid_var(v, op->src[2]) ? ty(v, op->src[2]).dtype : DT_VOID;
        if (!is_vec(v, op->src[0]) || is_vec(v, op->src[1]) || s1 != DT_NODE || s2 != s0 || is_vec(v, op->src[2]))
            fail(v, op, "store(vector T, node, T) expected");
        break;
    }
    case IR_REDUCE:
        if (lv != LV_TOP || !is_vec(v, op->src[0]) || is_vec(v, op->dst)) fail(v, op, "reduce takes a vector to a scalar");
        break;
    case IR_NBR_AGG:
        if (lv == LV_EDGE) fail(v, op, "nested neighbor aggregation");
        if (is_vec(v, op->dst) != (lv == LV_TOP)) fail(v, op, "aggregation result shape");
        if (op->weighted && !f->weighted) fail(v, op, "weighted aggregation in an unweighted function");
        break;
    case IR_NBR:
        if (lv != LV_EDGE || d != DT_NODE) fail(v, op, "nbr outside a neighbor region");
        break;
    case IR_EDGE_W:
        if (lv != LV_EDGE || d != DT_FLOAT) fail(v, op, "edge_w outside a neighbor region");
        break;
    case IR_YIELD:
        if (lv != LV_EDGE) fail(v, op, "yield outside a neighbor region");
        if (op->nsrc < 1 || op->nsrc > 2) fail(v, op, "yield takes a value and an optional filter");
        else if (op->nsrc == 2 && s1 != DT_BOOL) fail(v, op, "filter must be bool");
        break;
    case IR_LOOP:
        if (lv != LV_TOP) fail(v, op, "loop inside a region");
        if (op->nsrc > 1 || (op->nsrc == 1 && (s0 != DT_INT || is_vec(v, op->src[0])))) fail(v, op, "bad trip count");
        break;
    case IR_IF:
        if (lv != LV_TOP) fail(v, op, "if inside a region");
        if (op->nsrc != 1 || s0 != DT_BOOL || is_vec(v, op->src[0])) fail(v, op, "condition must be a bool scalar");
        break;
    case IR_BREAK:
        if (v->loop_depth == 0) fail(v, op, "break outside a loop");
        break;
    case IR_PRINT: case IR_RETURN:
        if (lv != LV_TOP) fail(v, op, "%s inside a region", ir_opcode_name(op->code));
        break;
    case IR_KERNEL:
        if (lv != LV_TOP) fail(v, op, "kernel inside a region");
        for (int i = 0; i < op->nreds; i++)
            if (!valid_var(v, op->reds[i].dst) || is_vec(v, op->reds[i].dst)) fail(v, op, "reduction %d result", i);
        break;
    case IR_ACC:
        if (lv != LV_NODE || !v->kernel || op->index < 0 || op->index >= v->kernel->nreds)
            fail(v, op, "acc outside its kernel or bad reduction index");
        break;
    case IR__COUNT:
        fail(v, op, "bad opcode");
        break;
    }
}

static bool has_dst(IrOpcode c) {
    switch (c) {
    case IR_STORE: case IR_YIELD: case IR_LOOP: case IR_IF: case IR_BREAK: case IR_PRINT:
    case IR_RETURN: case IR_KERNEL: case IR_ACC:
        return false;
    default:
        return true;
    }
}

/* Only CAST, LOAD, STORE, COPY and RETURN touch f32 values (ir.h). */
static void check_f32(Verifier *v, const IrOp *op) {
    switch (op->code) {
    case IR_CAST: case IR_LOAD: case IR_STORE: case IR_COPY: case IR_RETURN:
        return;
    default:
        break;
    }
    bool f32 = op->dst >= 0 && valid_var(v, op->dst) && ty(v, op->dst).dtype == DT_F32;
    for (int i = 0; i < op->nsrc; i++) f32 |= valid_var(v, op->src[i]) && ty(v, op->src[i]).dtype == DT_F32;
    for (int i = 0; i < op->nreds; i++) f32 |= valid_var(v, op->reds[i].dst) && ty(v, op->reds[i].dst).dtype == DT_F32;
    if (f32) fail(v, op, "f32 operand or result (only cast, load, store, copy and return may have one)");
}

static void check_op(Verifier *v, const IrOp *op, enum Level lv) {
    check_f32(v, op);
    for (int i = 0; i < op->nsrc; i++) {
        /* a kernel's store defines the top-level vector it writes */
        if (op->code == IR_STORE && i == 0 && lv == LV_NODE && valid_var(v, op->src[0])) {
            if (v->def_level[op->src[0]] < 0) v->def_level[op->src[0]] = LV_TOP;
            continue;
        }
        check_use(v, op, op->src[i], lv);
    }
    if (has_dst(op->code)) {
        if (op->code != IR_NBR_AGG) check_def(v, op, lv);
    } else if (op->dst != -1) {
        fail(v, op, "has a result but should not");
    }
    bool srcs_ok = true;
    for (int i = 0; i < op->nsrc; i++) srcs_ok &= valid_var(v, op->src[i]);
    if (srcs_ok && (op->dst < 0 || valid_var(v, op->dst))) check_types(v, op, lv);

    switch (op->code) {
    case IR_LOOP:
        if (!op->body) { fail(v, op, "loop without body"); break; }
        v->loop_depth++;
        check_block(v, op->body, lv, false);
        v->loop_depth--;
        break;
    case IR_IF:
        if (op->body) check_block(v, op->body, lv, false);
        if (op->els) check_block(v, op->els, lv, false);
        break;
    case IR_NBR_AGG: {
        if (!op->body || !op->body->nops || op->body->ops[op->body->nops - 1]->code != IR_YIELD) {
            fail(v, op, "neighbor region must end with yield");
        }
        if (op->body) check_block(v, op->body, LV_EDGE, false);
        check_def(v, op, lv);
        break;
    }
    case IR_KERNEL: {
        const IrOp *saved = v->kernel;
        v->kernel = op;
        if (!op->body) fail(v, op, "kernel without body");
        else check_block(v, op->body, LV_NODE, false);
        v->kernel = saved;
        for (int i = 0; i < op->nreds; i++)
            if (valid_var(v, op->reds[i].dst)) v->def_level[op->reds[i].dst] = LV_TOP;
        break;
    }
    default:
        if (op->body || op->els) fail(v, op, "unexpected region");
        break;
    }
}

static void check_block(Verifier *v, const IrBlock *b, enum Level lv, bool is_func_body) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (!op) { fail(v, NULL, "null op in block"); continue; }
        if (op->code == IR_YIELD && i != b->nops - 1) fail(v, op, "yield must be the last op of its region");
        if (op->code == IR_RETURN && !(is_func_body && i == b->nops - 1))
            fail(v, op, "return must be the last op of the function");
        check_op(v, op, lv);
    }
    /* element-level definitions are local to their region */
    if (lv != LV_TOP)
        for (int i = 0; i < b->nops; i++)
            if (b->ops[i] && b->ops[i]->dst >= 0 && valid_var(v, b->ops[i]->dst) && v->def_level[b->ops[i]->dst] == (int)lv)
                v->def_level[b->ops[i]->dst] = -1;
}

bool ir_verify(const IrFunc *f, const char *stage, FILE *out) {
    Verifier v = {.f = f, .stage = stage, .out = out};
    v.def_level = malloc((size_t)f->nvars + 1);
    if (!v.def_level) { fprintf(out, "ir-verify: out of memory\n"); return false; }
    for (int i = 0; i < f->nvars; i++) v.def_level[i] = -1;
    const IrBlock *b = f->body;
    check_block(&v, b, LV_TOP, true);
    if (!b->nops || b->ops[b->nops - 1]->code != IR_RETURN) fail(&v, NULL, "function does not end with return");
    else if (b->ops[b->nops - 1]->nsrc != f->nouts) fail(&v, b->ops[b->nops - 1], "return arity differs from the outputs");
    if (v.errors > 20) fprintf(out, "ir-verify: %s: %d more errors\n", stage, v.errors - 20);
    free(v.def_level);
    return v.errors == 0;
}
