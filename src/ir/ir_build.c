/* ir_build.c - lowers a checked AST to the IR; see ir_build.h.
 *
 * The checker has already resolved every name and given every expression a
 * type, so this walk only decides which ops to emit: implicit int -> float
 * promotions become CASTs, and so do reads of f32 variables (to float) and
 * values assigned or stored into them (to f32; ir.h states the invariant),
 * `while c {..}` becomes a LOOP that starts with `if not c { break }`, and a
 * comprehension becomes an NBR_AGG whose region computes the value for one
 * (node, neighbor) pair. */
#include "ir/ir_build.h"

#include <math.h>
#include <string.h>

typedef struct Builder {
    IrFunc *f;
    Diag *diag;
    const Program *prog;
    int *var_of_sym;  /* Symbol.index (SYM_VAR) -> IR variable */
    int *var_of_param;
    IrBlock *cur;
    /* element context (inside a comprehension) */
    bool elem;
    int elem_node, elem_nbr, elem_w;
} Builder;

static IrType scalar(DType t) { return (IrType){t, SH_SCALAR}; }

static int emit(Builder *b, IrOpcode code, IrType ty, int nsrc, const int *src, SrcLoc loc) {
    int dst = ty.dtype == DT_VOID ? -1 : ir_var_new(b->f, ty, NULL);
    ir_block_append(b->f, b->cur, ir_op_new(b->f, code, dst, nsrc, src, loc));
    return dst;
}

static IrOp *last_op(Builder *b) { return b->cur->ops[b->cur->nops - 1]; }

static int emit_const(Builder *b, DType dt, int64_t i, double x, SrcLoc loc) {
    int dst = emit(b, IR_CONST, scalar(dt), 0, NULL, loc);
    IrOp *op = last_op(b);
    op->c.dtype = dt;
    op->c.i = i;
    op->c.f = x;
    return dst;
}

/* The shape a value computed here has: always scalar in element context. */
static Shape shape_here(Builder *b, Shape s) { return b->elem ? SH_SCALAR : s; }

/* Converts variable v to dtype dt (int -> float, bool -> int, ...) if needed.
 * f32 converts only to and from float: an int becomes f32 through float (one
 * rounding to double, then one to binary32, as the language defines it). */
static int coerce(Builder *b, int v, DType dt, SrcLoc loc) {
    IrType t = ir_var_type(b->f, v);
    if (t.dtype == dt) return v;
    if ((dt == DT_F32 && t.dtype != DT_FLOAT) || (t.dtype == DT_F32 && dt != DT_FLOAT)) {
        v = coerce(b, v, DT_FLOAT, loc);
        t = ir_var_type(b->f, v);
        if (t.dtype == dt) return v;
    }
    return emit(b, IR_CAST, (IrType){dt, t.shape}, 1, &v, loc);
}

/* The value of variable v as an expression has it: an f32 variable (scalar or
 * vector) reads as float, through a CAST (exact). */
static int read_var(Builder *b, int v, SrcLoc loc) {
    return ir_var_type(b->f, v).dtype == DT_F32 ? coerce(b, v, DT_FLOAT, loc) : v;
}

static int build_expr(Builder *b, const Expr *e);

static IrOpcode binop_code(AstOp op) {
    switch (op) {
    case OP_ADD: return IR_ADD;
    case OP_SUB: return IR_SUB;
    case OP_MUL: return IR_MUL;
    case OP_DIV: return IR_DIV;
    case OP_FLOORDIV: return IR_FLOORDIV;
    case OP_MOD: return IR_MOD;
    case OP_EQ: return IR_EQ;
    case OP_NE: return IR_NE;
    case OP_LT: return IR_LT;
    case OP_LE: return IR_LE;
    case OP_GT: return IR_GT;
    case OP_GE: return IR_GE;
    case OP_AND: return IR_AND;
    case OP_OR: return IR_OR;
    default: return IR__COUNT;
    }
}

/* The dtype both operands are brought to before a binary op. */
static DType operand_dtype(const Expr *e) {
    DType l = e->lhs->ty.dtype, r = e->rhs->ty.dtype;
    switch (e->op) {
    case OP_DIV: return DT_FLOAT;
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        return (l == DT_FLOAT || r == DT_FLOAT) ? DT_FLOAT : l;
    default: return e->ty.dtype;
    }
}

static int build_binary(Builder *b, const Expr *e) {
    int l = build_expr(b, e->lhs), r = build_expr(b, e->rhs);
    DType dt = operand_dtype(e);
    int src[2] = {coerce(b, l, dt, e->loc), coerce(b, r, dt, e->loc)};
    return emit(b, binop_code(e->op), (IrType){e->ty.dtype, shape_here(b, e->ty.shape)}, 2, src, e->loc);
}

static int build_unary(Builder *b, const Expr *e) {
    int x = build_expr(b, e->lhs);
    if (e->op == OP_POS) return x;
    x = coerce(b, x, e->ty.dtype, e->loc);
    return emit(b, e->op == OP_NOT ? IR_NOT : IR_NEG, (IrType){e->ty.dtype, shape_here(b, e->ty.shape)}, 1, &x,
                e->loc);
}

/* A built-in value used plainly: N, M, inf, node_id, degrees. */
static int build_builtin_value(Builder *b, Builtin bi, SrcLoc loc) {
    switch (bi) {
    case BI_N: return emit(b, IR_GRAPH_N, scalar(DT_INT), 0, NULL, loc);
    case BI_M: return emit(b, IR_GRAPH_M, scalar(DT_INT), 0, NULL, loc);
    case BI_INF: return emit_const(b, DT_FLOAT, 0, INFINITY, loc);
    case BI_NODE_ID:
        if (b->elem) return b->elem_node;
        return emit(b, IR_NODE_ID, (IrType){DT_NODE, SH_VECTOR}, 0, NULL, loc);
    case BI_OUT_DEGREE: case BI_IN_DEGREE: case BI_DEGREE: {
        IrOpcode code = bi == BI_OUT_DEGREE ? IR_OUT_DEGREE : bi == BI_IN_DEGREE ? IR_IN_DEGREE : IR_DEGREE;
        if (b->elem) return emit(b, code, scalar(DT_INT), 1, &b->elem_node, loc);
        return emit(b, code, (IrType){DT_INT, SH_VECTOR}, 0, NULL, loc);
    }
    default: return -1;
    }
}

static int build_name(Builder *b, const Expr *e) {
    const Symbol *s = e->sym;
    switch (s->kind) {
    case SYM_VAR: {
        int v = b->var_of_sym[s->index];
        if (b->elem && ir_is_vector(b->f, v)) { /* the current node's value */
            int src[2] = {v, b->elem_node};
            return read_var(b, emit(b, IR_LOAD, scalar(s->ty.dtype), 2, src, e->loc), e->loc);
        }
        return read_var(b, v, e->loc);
    }
    case SYM_PARAM: return b->var_of_param[s->index];
    case SYM_BUILTIN: return build_builtin_value(b, s->builtin, e->loc);
    case SYM_NBR: return b->elem_nbr;
    case SYM_WEIGHT: return b->elem_w;
    }
    return -1;
}

/* x[i]: an element (i a node scalar) or a gather (i a node vector). */
static int build_index(Builder *b, const Expr *e) {
    int idx = build_expr(b, e->rhs);
    const Expr *base = e->lhs;
    if (base->kind == EX_NAME && base->sym->kind == SYM_BUILTIN) {
        Builtin bi = base->sym->builtin;
        if (bi == BI_NODE_ID) return idx;
        IrOpcode code = bi == BI_OUT_DEGREE ? IR_OUT_DEGREE : bi == BI_IN_DEGREE ? IR_IN_DEGREE : IR_DEGREE;
        return emit(b, code, (IrType){DT_INT, ir_var_type(b->f, idx).shape}, 1, &idx, e->loc);
    }
    /* The base is a vector variable; in element context name it directly
     * instead of loading the current node's value. */
    int x;
    if (base->kind == EX_NAME && base->sym->kind == SYM_VAR) x = b->var_of_sym[base->sym->index];
    else x = build_expr(b, base);
    if (ir_is_vector(b->f, idx)) { /* a gather reads a float copy of an f32 vector */
        int src[2] = {read_var(b, x, e->loc), idx};
        return emit(b, IR_GATHER, (IrType){e->ty.dtype, SH_VECTOR}, 2, src, e->loc);
    }
    int src[2] = {x, idx}; /* an element: loaded as stored, then read */
    return read_var(b, emit(b, IR_LOAD, scalar(ir_var_type(b->f, x).dtype), 2, src, e->loc), e->loc);
}

static IrAgg agg_of(Builtin bi) {
    switch (bi) {
    case BI_SUM: return AGG_SUM;
    case BI_MIN: return AGG_MIN;
    case BI_MAX: return AGG_MAX;
    case BI_MEAN: return AGG_MEAN;
    case BI_COUNT: return AGG_COUNT;
    case BI_ANY: return AGG_ANY;
    case BI_ALL: return AGG_ALL;
    case BI_ARGMIN: return AGG_ARGMIN;
    case BI_ARGMAX: return AGG_ARGMAX;
    default: return AGG_MODE;
    }
}

/* AGG(body for u[, w] in DIR [if cond]) -> NBR_AGG with an edge-level region. */
static int build_compr(Builder *b, const Expr *e) {
    IrAgg agg = agg_of(e->builtin);
    IrType ty = {e->ty.dtype, shape_here(b, e->ty.shape)};
    int dst = ir_var_new(b->f, ty, NULL);
    IrOp *op = ir_op_new(b->f, IR_NBR_AGG, dst, 0, NULL, e->loc);
    op->agg = agg;
    op->dir = e->dir;
    op->weighted = e->weighted;
    op->body = ir_block_new(b->f);
    ir_block_append(b->f, b->cur, op);

    Builder saved = *b;
    b->cur = op->body;
    b->elem = true;
    b->elem_node = emit(b, IR_NODE_ID, scalar(DT_NODE), 0, NULL, e->loc);
    b->elem_nbr = emit(b, IR_NBR, scalar(DT_NODE), 0, NULL, e->var_loc);
    b->elem_w = e->weighted ? emit(b, IR_EDGE_W, scalar(DT_FLOAT), 0, NULL, e->wvar_loc) : -1;
    int val = build_expr(b, e->body);
    /* sum of bools counts; mean averages floats; other aggregations keep the type */
    DType want = agg == AGG_COUNT || agg == AGG_ANY || agg == AGG_ALL ? DT_BOOL
               : agg == AGG_MEAN ? DT_FLOAT : e->ty.dtype;
    val = coerce(b, val, want, e->body->loc);
    int ysrc[2] = {val, -1};
    int ny = 1;
    if (e->cond) ysrc[ny++] = build_expr(b, e->cond);
    emit(b, IR_YIELD, scalar(DT_VOID), ny, ysrc, e->loc);
    b->cur = saved.cur;
    b->elem = saved.elem;
    b->elem_node = saved.elem_node;
    b->elem_nbr = saved.elem_nbr;
    b->elem_w = saved.elem_w;
    return dst;
}

static int build_call(Builder *b, const Expr *e) {
    IrType ty = {e->ty.dtype, shape_here(b, e->ty.shape)};
    int a[3];
    for (int i = 0; i < e->nargs && i < 3; i++) a[i] = build_expr(b, e->args[i]);
    switch (e->builtin) {
    case BI_INIT_NODES: {
        int s = coerce(b, a[0], e->ty.dtype, e->loc);
        if (b->elem) return s;
        return emit(b, IR_BROADCAST, ty, 1, &s, e->loc);
    }
    case BI_WHERE: {
        a[1] = coerce(b, a[1], e->ty.dtype, e->loc);
        a[2] = coerce(b, a[2], e->ty.dtype, e->loc);
        return emit(b, IR_WHERE, ty, 3, a, e->loc);
    }
    case BI_ABS: return emit(b, IR_ABS, ty, 1, a, e->loc);
    case BI_SQRT: case BI_EXP: case BI_LOG: case BI_FLOOR: case BI_CEIL: {
        IrOpcode code = e->builtin == BI_SQRT ? IR_SQRT : e->builtin == BI_EXP ? IR_EXP
                      : e->builtin == BI_LOG ? IR_LOG : e->builtin == BI_FLOOR ? IR_FLOOR : IR_CEIL;
        a[0] = coerce(b, a[0], DT_FLOAT, e->loc);
        return emit(b, code, ty, 1, a, e->loc);
    }
    case BI_POW:
        a[0] = coerce(b, a[0], DT_FLOAT, e->loc);
        a[1] = coerce(b, a[1], DT_FLOAT, e->loc);
        return emit(b, IR_POW, ty, 2, a, e->loc);
    case BI_FLOAT: case BI_INT: case BI_BOOL:
        if (e->builtin == BI_INT && ir_var_type(b->f, a[0]).dtype == DT_NODE)
            return emit(b, IR_NODE_FILE_ID, ty, 1, a, e->loc);
        return coerce(b, a[0], e->ty.dtype, e->loc);
    case BI_MIN: case BI_MAX:
        if (e->nargs == 2) {
            a[0] = coerce(b, a[0], e->ty.dtype, e->loc);
            a[1] = coerce(b, a[1], e->ty.dtype, e->loc);
            return emit(b, e->builtin == BI_MIN ? IR_MIN : IR_MAX, ty, 2, a, e->loc);
        }
        /* one vector argument: a reduction */
        /* fall through */
    case BI_SUM: case BI_MEAN: case BI_COUNT: case BI_ANY: case BI_ALL: case BI_ARGMIN: case BI_ARGMAX: {
        int dst = emit(b, IR_REDUCE, ty, 1, a, e->loc);
        last_op(b)->agg = agg_of(e->builtin);
        return dst;
    }
    default:
        diag_error(b->diag, e->loc, "'%s' cannot be compiled yet", builtin_name(e->builtin));
        return emit_const(b, DT_INT, 0, 0, e->loc);
    }
}

static int build_expr(Builder *b, const Expr *e) {
    switch (e->kind) {
    case EX_INT: return emit_const(b, DT_INT, e->ival, 0, e->loc);
    case EX_FLOAT: return emit_const(b, DT_FLOAT, 0, e->fval, e->loc);
    case EX_BOOL: return emit_const(b, DT_BOOL, e->bval, 0, e->loc);
    case EX_NAME: return build_name(b, e);
    case EX_UNARY: return build_unary(b, e);
    case EX_BINARY: return build_binary(b, e);
    case EX_CALL: return build_call(b, e);
    case EX_INDEX: return build_index(b, e);
    case EX_COMPR: return build_compr(b, e);
    case EX_STRING: break;
    }
    diag_error(b->diag, e->loc, "internal error: unexpected expression in IR builder");
    return emit_const(b, DT_INT, 0, 0, e->loc);
}

static void build_block(Builder *b, const Block *blk, IrBlock *into);

/* name = value. A fresh temporary computed element-wise is retargeted to write
 * the variable directly (reading x[v] and then writing x[v] is safe); anything
 * that reads other nodes' values (a gather, an aggregation) goes through a copy. */
static void build_assign(Builder *b, const Stmt *s) {
    int nops_before = b->cur->nops;
    int v;
    if (s->defines) {
        v = ir_var_new(b->f, s->sym->ty, s->name);
        b->var_of_sym[s->sym->index] = v;
    } else {
        v = b->var_of_sym[s->sym->index];
    }
    int nvars_before = b->f->nvars;
    int val = build_expr(b, s->value);
    val = coerce(b, val, ir_var_type(b->f, v).dtype, s->loc);
    bool fresh = val >= nvars_before && b->cur->nops > nops_before && last_op(b)->dst == val;
    if (fresh && (ir_is_elementwise(last_op(b)->code) || !ir_is_vector(b->f, v))) {
        last_op(b)->dst = v;
        return;
    }
    emit(b, IR_COPY, scalar(DT_VOID), 1, &val, s->loc);
    last_op(b)->dst = v;
}

static void build_stmt(Builder *b, const Stmt *s) {
    switch (s->kind) {
    case ST_ASSIGN: build_assign(b, s); break;
    case ST_STORE: {
        int x = b->var_of_sym[s->sym->index];
        int src[3] = {x, build_expr(b, s->index), build_expr(b, s->value)};
        src[2] = coerce(b, src[2], ir_var_type(b->f, x).dtype, s->loc);
        emit(b, IR_STORE, scalar(DT_VOID), 3, src, s->loc);
        break;
    }
    case ST_REPEAT: {
        int n = build_expr(b, s->value);
        IrOp *op = ir_op_new(b->f, IR_LOOP, -1, 1, &n, s->loc);
        op->body = ir_block_new(b->f);
        ir_block_append(b->f, b->cur, op);
        build_block(b, s->body, op->body);
        break;
    }
    case ST_WHILE: {
        IrOp *op = ir_op_new(b->f, IR_LOOP, -1, 0, NULL, s->loc);
        op->body = ir_block_new(b->f);
        ir_block_append(b->f, b->cur, op);
        IrBlock *saved = b->cur;
        b->cur = op->body;
        int c = build_expr(b, s->value);
        int nc = emit(b, IR_NOT, scalar(DT_BOOL), 1, &c, s->value->loc);
        IrOp *exit_if = ir_op_new(b->f, IR_IF, -1, 1, &nc, s->loc);
        exit_if->body = ir_block_new(b->f);
        exit_if->els = ir_block_new(b->f);
        ir_block_append(b->f, exit_if->body, ir_op_new(b->f, IR_BREAK, -1, 0, NULL, s->loc));
        ir_block_append(b->f, b->cur, exit_if);
        b->cur = saved;
        build_block(b, s->body, op->body);
        break;
    }
    case ST_IF: {
        int c = build_expr(b, s->value);
        IrOp *op = ir_op_new(b->f, IR_IF, -1, 1, &c, s->loc);
        op->body = ir_block_new(b->f);
        op->els = ir_block_new(b->f);
        ir_block_append(b->f, b->cur, op);
        build_block(b, s->body, op->body);
        if (s->els) build_block(b, s->els, op->els);
        break;
    }
    case ST_BREAK: emit(b, IR_BREAK, scalar(DT_VOID), 0, NULL, s->loc); break;
    case ST_RETURN: {
        /* a returned f32 variable is named as it is: the output converts it
         * to a float column (no whole-vector CAST before it) */
        int *src = arena_array(b->f->arena, (size_t)s->nvalues, sizeof(int));
        for (int i = 0; i < s->nvalues; i++) {
            const Expr *e = s->values[i];
            if (e->kind == EX_NAME && e->sym->kind == SYM_VAR) src[i] = b->var_of_sym[e->sym->index];
            else src[i] = build_expr(b, e);
        }
        ir_block_append(b->f, b->cur, ir_op_new(b->f, IR_RETURN, -1, s->nvalues, src, s->loc));
        break;
    }
    case ST_CALL: {
        const Expr *call = s->value;
        int *src = arena_array(b->f->arena, (size_t)call->nargs + 1, sizeof(int));
        IrPrintItem *items = arena_array(b->f->arena, (size_t)call->nargs + 1, sizeof *items);
        int nsrc = 0;
        for (int i = 0; i < call->nargs; i++) {
            if (call->args[i]->kind == EX_STRING) {
                items[i].str = call->args[i]->str;
            } else {
                items[i].src_index = nsrc;
                src[nsrc++] = build_expr(b, call->args[i]);
            }
        }
        IrOp *op = ir_op_new(b->f, IR_PRINT, -1, nsrc, src, s->loc);
        op->items = items;
        op->nitems = call->nargs;
        ir_block_append(b->f, b->cur, op);
        break;
    }
    }
}

static void build_block(Builder *b, const Block *blk, IrBlock *into) {
    IrBlock *saved = b->cur;
    b->cur = into;
    for (int i = 0; i < blk->nstmts; i++) build_stmt(b, blk->stmts[i]);
    b->cur = saved;
}

IrFunc *ir_build(const Program *p, Arena *a, Diag *d) {
    Builder b = {0};
    b.f = ir_func_new(a, p->name);
    b.diag = d;
    b.prog = p;
    b.cur = b.f->body;
    b.f->undirected = p->undirected;
    b.f->weighted = p->weighted;
    b.f->nonnegative = p->nonnegative;
    b.var_of_sym = arena_array(a, (size_t)p->nvars + 1, sizeof(int));
    b.var_of_param = arena_array(a, (size_t)p->nparams + 1, sizeof(int));
    for (int i = 0; i < p->nvars; i++) b.var_of_sym[i] = -1;

    b.f->nparams = p->nparams;
    b.f->params = arena_array(a, (size_t)p->nparams + 1, sizeof(IrParam));
    for (int i = 0; i < p->nparams; i++) {
        const Param *pa = p->params[i];
        b.f->params[i] = (IrParam){pa->name, pa->dtype, pa->has_default, pa->idefault, pa->fdefault};
        int v = ir_var_new(b.f, scalar(pa->dtype), pa->name);
        IrOp *op = ir_op_new(b.f, IR_PARAM, v, 0, NULL, pa->loc);
        op->index = i;
        ir_block_append(b.f, b.cur, op);
        b.var_of_param[i] = v;
    }
    build_block(&b, p->body, b.f->body);

    /* output column names come from the checker */
    const Stmt *ret = p->body->nstmts ? p->body->stmts[p->body->nstmts - 1] : NULL;
    if (ret && ret->kind == ST_RETURN) {
        b.f->nouts = ret->nvalues;
        b.f->out_names = p->out_names;
    }
    return d->nerrors ? NULL : b.f;
}
