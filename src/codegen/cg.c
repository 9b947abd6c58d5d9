/* cg.c - kernelized IR to a native program through libgccjit; see cg.h.
 *
 * The program defines galg_describe (parameters and output columns for the
 * runtime's command line) and galg_run. galg_run holds the top-level ops as
 * straight code on locals: scalars are locals, every vector variable is a
 * buffer of N elements allocated at entry. Each KERNEL becomes an outlined
 * chunk function `void kN(void *ctx, int64 lo, int64 hi, int64 chunk)` over
 * nodes [lo, hi); galg_run packs the variables it uses into a context struct
 * and hands it to rt_parallel_for. A kernel's reductions write one partial
 * per chunk, and galg_run combines the partials in chunk order, so results do
 * not depend on the number of threads.
 *
 * libgccjit has no conditional expression, so where(), min/max and friends
 * become small if/else diamonds; GCC's if-conversion turns them back into
 * branch-free code. */
#include "codegen/cg.h"

#include <libgccjit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>

#include "plan/plan.h"
#include "runtime/rt_abi.h"

enum { G_N, G_M, G_IDS, G_OUT_OFF, G_OUT_ADJ, G_OUT_W, G_IN_OFF, G_IN_ADJ, G_IN_W, G__COUNT };

typedef struct Cg {
    gcc_jit_context *ctx;
    IrFunc *f;
    /* types, built once per context */
    gcc_jit_type *t_void, *t_voidp, *t_bool, *t_u8, *t_i32, *t_i64, *t_u64, *t_u32, *t_double, *t_float, *t_cstr;
    gcc_jit_type *t_graph_p, *t_value_p, *t_program_p, *t_output_p, *t_chunk_fn;
    gcc_jit_field *g_field[G__COUNT];
    gcc_jit_type *g_field_type[G__COUNT];
    gcc_jit_field *v_i, *v_f;
    /* runtime functions */
    gcc_jit_function *rt_program_set, *rt_program_adjacency, *rt_program_param, *rt_program_output, *rt_alloc, *rt_free,
        *rt_parallel_for, *rt_parallel_for_even, *rt_parallel_group, *rt_output_vector, *rt_output_scalar_int, *rt_output_scalar_float, *rt_print_begin,
        *rt_print_str, *rt_print_int, *rt_print_float, *rt_print_bool, *rt_print_node, *rt_print_end, *rt_fail,
        *rt_mode_i64;
    gcc_jit_function *b_sqrt, *b_exp, *b_log, *b_floor, *b_ceil, *b_pow, *b_fabs, *b_fmod, *b_memcpy;
    /* the function being generated */
    gcc_jit_function *fn;
    gcc_jit_block *blk;
    gcc_jit_lvalue **lv;      /* IR variable -> local in fn */
    gcc_jit_lvalue *graph[G__COUNT];
    gcc_jit_rvalue *g;        /* const rt_graph * */
    gcc_jit_lvalue *cur_node; /* the node of a kernel's loop */
    gcc_jit_block *break_to[64];
    int nbreak;
    int nblocks, nkernels;
    /* per variable: defined at top level (a galg_run local) */
    bool *top;
    /* per kernel reduction: partial buffers (value, index) as galg_run locals */
    gcc_jit_lvalue *nchunks;
    const IrOp *kernel;             /* the KERNEL being lowered */
    const Plan *plan;               /* galg_run's plan: slots and parallel regions */
    struct KernelRed *kernel_reds;  /* its reductions' accumulators */
    bool failed;
} Cg;

/* --- types and declarations -------------------------------------------------- */

static gcc_jit_type *elem_type(Cg *c, DType d) {
    switch (d) {
    case DT_BOOL: return c->t_bool;
    case DT_FLOAT: return c->t_double;
    case DT_F32: return c->t_float; /* a storage type: only casts, loads, stores and copies see it (ir.h) */
    default: return c->t_i64; /* int, node */
    }
}

/* What a vector of d is stored as: bools as bytes, nodes as 32-bit indices
 * (the runtime's limit, RT_MAX_NODES, makes every node index fit), f32 as
 * float. */
static gcc_jit_type *store_type(Cg *c, DType d) {
    return d == DT_BOOL ? c->t_u8 : d == DT_NODE ? c->t_u32 : elem_type(c, d);
}

static gcc_jit_type *var_type(Cg *c, int v) {
    IrType t = ir_var_type(c->f, v);
    if (t.shape == SH_VECTOR) return gcc_jit_type_get_pointer(store_type(c, t.dtype));
    return elem_type(c, t.dtype);
}

static gcc_jit_function *import(Cg *c, const char *name, gcc_jit_type *ret, int n, gcc_jit_type **types) {
    gcc_jit_param *ps[8];
    for (int i = 0; i < n; i++) ps[i] = gcc_jit_context_new_param(c->ctx, NULL, types[i], "a");
    return gcc_jit_context_new_function(c->ctx, NULL, GCC_JIT_FUNCTION_IMPORTED, ret, name, n, ps, 0);
}

static void build_types(Cg *c) {
    gcc_jit_context *x = c->ctx;
    c->t_void = gcc_jit_context_get_type(x, GCC_JIT_TYPE_VOID);
    c->t_voidp = gcc_jit_context_get_type(x, GCC_JIT_TYPE_VOID_PTR);
    c->t_bool = gcc_jit_context_get_type(x, GCC_JIT_TYPE_BOOL);
    c->t_u8 = gcc_jit_context_get_type(x, GCC_JIT_TYPE_UNSIGNED_CHAR);
    c->t_i32 = gcc_jit_context_get_int_type(x, 4, 1);
    c->t_i64 = gcc_jit_context_get_int_type(x, 8, 1);
    c->t_u64 = gcc_jit_context_get_int_type(x, 8, 0);
    c->t_u32 = gcc_jit_context_get_int_type(x, 4, 0);
    c->t_double = gcc_jit_context_get_type(x, GCC_JIT_TYPE_DOUBLE);
    c->t_float = gcc_jit_context_get_type(x, GCC_JIT_TYPE_FLOAT);
    c->t_cstr = gcc_jit_context_get_type(x, GCC_JIT_TYPE_CONST_CHAR_PTR);

    /* struct rt_graph, field for field as in rt_abi.h */
    gcc_jit_type *ft[G__COUNT] = {
        c->t_i64, c->t_i64, gcc_jit_type_get_pointer(c->t_u64),
        gcc_jit_type_get_pointer(c->t_i64), gcc_jit_type_get_pointer(c->t_u32), gcc_jit_type_get_pointer(c->t_double),
        gcc_jit_type_get_pointer(c->t_i64), gcc_jit_type_get_pointer(c->t_u32), gcc_jit_type_get_pointer(c->t_double),
    };
    const char *fname[G__COUNT] = {"n", "m", "ids", "out_off", "out_adj", "out_w", "in_off", "in_adj", "in_w"};
    for (int i = 0; i < G__COUNT; i++) {
        c->g_field[i] = gcc_jit_context_new_field(x, NULL, ft[i], fname[i]);
        c->g_field_type[i] = ft[i];
    }
    gcc_jit_struct *gs = gcc_jit_context_new_struct_type(x, NULL, "rt_graph", G__COUNT, c->g_field);
    c->t_graph_p = gcc_jit_type_get_pointer(gcc_jit_type_get_const(gcc_jit_struct_as_type(gs)));

    c->v_i = gcc_jit_context_new_field(x, NULL, c->t_i64, "i");
    c->v_f = gcc_jit_context_new_field(x, NULL, c->t_double, "f");
    gcc_jit_field *vf[2] = {c->v_i, c->v_f};
    gcc_jit_type *vt = gcc_jit_context_new_union_type(x, NULL, "rt_value", 2, vf);
    c->t_value_p = gcc_jit_type_get_pointer(gcc_jit_type_get_const(vt));
    c->t_program_p = gcc_jit_struct_as_type(gcc_jit_context_new_opaque_struct(x, NULL, "rt_program"));
    c->t_program_p = gcc_jit_type_get_pointer(c->t_program_p);
    c->t_output_p = gcc_jit_type_get_pointer(gcc_jit_struct_as_type(gcc_jit_context_new_opaque_struct(x, NULL, "rt_output")));
    gcc_jit_type *chunk_params[4] = {c->t_voidp, c->t_i64, c->t_i64, c->t_i64};
    c->t_chunk_fn = gcc_jit_context_new_function_ptr_type(x, NULL, c->t_void, 4, chunk_params, 0);

    gcc_jit_type *T;
    c->rt_program_set = import(c, "rt_program_set", c->t_void, 4, (gcc_jit_type *[]){c->t_program_p, c->t_cstr, c->t_i32, c->t_i32});
    c->rt_program_adjacency = import(c, "rt_program_adjacency", c->t_void, 3, (gcc_jit_type *[]){c->t_program_p, c->t_i32, c->t_i32});
    c->rt_program_param = import(c, "rt_program_param", c->t_void, 6,
        (gcc_jit_type *[]){c->t_program_p, c->t_cstr, c->t_i32, c->t_i32, c->t_i64, c->t_double});
    c->rt_program_output = import(c, "rt_program_output", c->t_void, 4, (gcc_jit_type *[]){c->t_program_p, c->t_cstr, c->t_i32, c->t_i32});
    c->rt_alloc = import(c, "rt_alloc", c->t_voidp, 3, (gcc_jit_type *[]){c->t_i64, c->t_i64, c->t_cstr});
    c->rt_free = import(c, "rt_free", c->t_void, 1, (gcc_jit_type *[]){c->t_voidp});
    c->rt_parallel_for = import(c, "rt_parallel_for", c->t_void, 4, (gcc_jit_type *[]){c->t_i64, c->t_i64, c->t_chunk_fn, c->t_voidp});
    c->rt_parallel_for_even =
        import(c, "rt_parallel_for_even", c->t_void, 4, (gcc_jit_type *[]){c->t_i64, c->t_i64, c->t_chunk_fn, c->t_voidp});
    c->rt_parallel_group = import(c, "rt_parallel_group", c->t_void, 5,
                                  (gcc_jit_type *[]){c->t_i64, c->t_i64, c->t_i32, gcc_jit_type_get_pointer(c->t_chunk_fn),
                                                     gcc_jit_type_get_pointer(c->t_voidp)});
    c->rt_output_vector = import(c, "rt_output_vector", c->t_void, 3, (gcc_jit_type *[]){c->t_output_p, c->t_i32, c->t_voidp});
    c->rt_output_scalar_int = import(c, "rt_output_scalar_int", c->t_void, 3, (gcc_jit_type *[]){c->t_output_p, c->t_i32, c->t_i64});
    c->rt_output_scalar_float = import(c, "rt_output_scalar_float", c->t_void, 3, (gcc_jit_type *[]){c->t_output_p, c->t_i32, c->t_double});
    c->rt_print_begin = import(c, "rt_print_begin", c->t_void, 0, NULL);
    c->rt_print_end = import(c, "rt_print_end", c->t_void, 0, NULL);
    T = c->t_cstr; c->rt_print_str = import(c, "rt_print_str", c->t_void, 1, &T);
    T = c->t_i64; c->rt_print_int = import(c, "rt_print_int", c->t_void, 1, &T);
    T = c->t_double; c->rt_print_float = import(c, "rt_print_float", c->t_void, 1, &T);
    T = c->t_i32; c->rt_print_bool = import(c, "rt_print_bool", c->t_void, 1, &T);
    c->rt_print_node = import(c, "rt_print_node", c->t_void, 2, (gcc_jit_type *[]){c->t_graph_p, c->t_i64});
    T = c->t_cstr; c->rt_fail = import(c, "rt_fail", c->t_void, 1, &T);
    c->rt_mode_i64 = import(c, "rt_mode_i64", c->t_i64, 2, (gcc_jit_type *[]){gcc_jit_type_get_pointer(c->t_i64), c->t_i64});

    c->b_sqrt = gcc_jit_context_get_builtin_function(x, "__builtin_sqrt");
    /* exp, log and pow are libm's, called as plain functions: GCC would fold
     * the builtins on constants with correctly rounded MPFR results and turn
     * pow(x, 2) into x*x, both of which can differ from libm in the last bit,
     * and the interpreter (and the language) use libm's. sqrt, floor, ceil,
     * fabs and fmod are exact, so their builtins are safe. */
    T = c->t_double;
    c->b_exp = import(c, "exp", c->t_double, 1, &T);
    c->b_log = import(c, "log", c->t_double, 1, &T);
    c->b_floor = gcc_jit_context_get_builtin_function(x, "__builtin_floor");
    c->b_ceil = gcc_jit_context_get_builtin_function(x, "__builtin_ceil");
    c->b_pow = import(c, "pow", c->t_double, 2, (gcc_jit_type *[]){c->t_double, c->t_double});
    c->b_fabs = gcc_jit_context_get_builtin_function(x, "__builtin_fabs");
    c->b_fmod = gcc_jit_context_get_builtin_function(x, "__builtin_fmod");
    c->b_memcpy = gcc_jit_context_get_builtin_function(x, "__builtin_memcpy");
}

/* --- small builders ------------------------------------------------------------ */

static gcc_jit_rvalue *rv(gcc_jit_lvalue *l) { return gcc_jit_lvalue_as_rvalue(l); }
static gcc_jit_rvalue *i64c(Cg *c, int64_t v) { return gcc_jit_context_new_rvalue_from_long(c->ctx, c->t_i64, v); }
static gcc_jit_rvalue *i32c(Cg *c, int v) { return gcc_jit_context_new_rvalue_from_int(c->ctx, c->t_i32, v); }
static gcc_jit_rvalue *dblc(Cg *c, double v) { return gcc_jit_context_new_rvalue_from_double(c->ctx, c->t_double, v); }
static gcc_jit_rvalue *boolc(Cg *c, bool v) { return gcc_jit_context_new_rvalue_from_int(c->ctx, c->t_bool, v); }
static gcc_jit_rvalue *cast(Cg *c, gcc_jit_rvalue *v, gcc_jit_type *t) { return gcc_jit_context_new_cast(c->ctx, NULL, v, t); }
static gcc_jit_rvalue *str(Cg *c, const char *s) { return gcc_jit_context_new_string_literal(c->ctx, s); }

static gcc_jit_rvalue *bin(Cg *c, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a, gcc_jit_rvalue *b) {
    return gcc_jit_context_new_binary_op(c->ctx, NULL, op, t, a, b);
}
static gcc_jit_rvalue *cmp(Cg *c, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b) {
    return gcc_jit_context_new_comparison(c->ctx, NULL, op, a, b);
}
static gcc_jit_rvalue *call(Cg *c, gcc_jit_function *fn, int n, gcc_jit_rvalue **args) {
    return gcc_jit_context_new_call(c->ctx, NULL, fn, n, args);
}
static void eval(Cg *c, gcc_jit_rvalue *v) { gcc_jit_block_add_eval(c->blk, NULL, v); }
static void assign(Cg *c, gcc_jit_lvalue *l, gcc_jit_rvalue *v) { gcc_jit_block_add_assignment(c->blk, NULL, l, v); }

static gcc_jit_block *new_block(Cg *c, const char *what) {
    char name[48];
    snprintf(name, sizeof name, "%s%d", what, c->nblocks++);
    return gcc_jit_function_new_block(c->fn, name);
}

static gcc_jit_lvalue *new_local(Cg *c, gcc_jit_type *t, const char *what) {
    char name[64];
    snprintf(name, sizeof name, "%s_%d", what, c->nblocks++);
    return gcc_jit_function_new_local(c->fn, NULL, t, name);
}

static void jump(Cg *c, gcc_jit_block *to) { gcc_jit_block_end_with_jump(c->blk, NULL, to); }

/* Wrapping int64 arithmetic (documented: int overflow wraps around) through
 * uint64, where overflow is defined. */
static gcc_jit_rvalue *wrap(Cg *c, enum gcc_jit_binary_op op, gcc_jit_rvalue *a, gcc_jit_rvalue *b) {
    return cast(c, bin(c, op, c->t_u64, cast(c, a, c->t_u64), cast(c, b, c->t_u64)), c->t_i64);
}

/* cond ? a : b, as a diamond. */
static gcc_jit_rvalue *cg_select(Cg *c, gcc_jit_rvalue *cond, gcc_jit_rvalue *a, gcc_jit_rvalue *b, gcc_jit_type *t) {
    gcc_jit_lvalue *tmp = new_local(c, t, "sel");
    gcc_jit_block *bt = new_block(c, "sel_t"), *bf = new_block(c, "sel_f"), *bj = new_block(c, "sel_j");
    gcc_jit_block_end_with_conditional(c->blk, NULL, cond, bt, bf);
    gcc_jit_block_add_assignment(bt, NULL, tmp, a);
    gcc_jit_block_end_with_jump(bt, NULL, bj);
    gcc_jit_block_add_assignment(bf, NULL, tmp, b);
    gcc_jit_block_end_with_jump(bf, NULL, bj);
    c->blk = bj;
    return rv(tmp);
}

/* if (cond) rt_fail(msg); */
static void fail_if(Cg *c, gcc_jit_rvalue *cond, const char *msg) {
    gcc_jit_block *bad = new_block(c, "fail"), *ok = new_block(c, "ok");
    gcc_jit_block_end_with_conditional(c->blk, NULL, cond, bad, ok);
    gcc_jit_rvalue *m = str(c, msg);
    gcc_jit_block_add_eval(bad, NULL, call(c, c->rt_fail, 1, &m));
    gcc_jit_block_end_with_jump(bad, NULL, ok); /* rt_fail does not return */
    c->blk = ok;
}

static gcc_jit_lvalue *var_lv(Cg *c, int v) {
    if (!c->lv[v]) {
        const char *name = c->f->vars[v].name;
        char buf[96];
        snprintf(buf, sizeof buf, "%s_%d", name ? name : "t", v);
        c->lv[v] = gcc_jit_function_new_local(c->fn, NULL, var_type(c, v), buf);
    }
    return c->lv[v];
}
static gcc_jit_rvalue *var_rv(Cg *c, int v) { return rv(var_lv(c, v)); }
static DType dt_of(Cg *c, int v) { return ir_var_type(c->f, v).dtype; }

/* Loads the graph's fields into locals of the current function. */
static void load_graph(Cg *c, gcc_jit_rvalue *g) {
    c->g = g;
    static const char *const names[G__COUNT] = {"n", "m", "ids", "out_off", "out_adj", "out_w", "in_off", "in_adj", "in_w"};
    for (int i = 0; i < G__COUNT; i++) {
        c->graph[i] = gcc_jit_function_new_local(c->fn, NULL, c->g_field_type[i], names[i]);
        assign(c, c->graph[i], rv(gcc_jit_rvalue_dereference_field(g, NULL, c->g_field[i])));
    }
}

static gcc_jit_lvalue *elem_at(Cg *c, gcc_jit_rvalue *base, gcc_jit_rvalue *index) {
    return gcc_jit_context_new_array_access(c->ctx, NULL, base, index);
}

/* vector element as a value of its element type (bytes -> bool) */
static gcc_jit_rvalue *load_elem(Cg *c, int vec, gcc_jit_rvalue *index) {
    gcc_jit_rvalue *x = rv(elem_at(c, var_rv(c, vec), index));
    if (dt_of(c, vec) == DT_BOOL) return cmp(c, GCC_JIT_COMPARISON_NE, x, gcc_jit_context_zero(c->ctx, c->t_u8));
    if (dt_of(c, vec) == DT_NODE) return cast(c, x, c->t_i64);
    return x;
}

static void store_elem(Cg *c, int vec, gcc_jit_rvalue *index, gcc_jit_rvalue *val) {
    if (dt_of(c, vec) == DT_BOOL) val = cast(c, val, c->t_u8);
    if (dt_of(c, vec) == DT_NODE) val = cast(c, val, c->t_u32);
    assign(c, elem_at(c, var_rv(c, vec), index), val);
}

static gcc_jit_rvalue *degree(Cg *c, IrOpcode code, gcc_jit_rvalue *node) {
    gcc_jit_rvalue *one = i64c(c, 1);
    gcc_jit_rvalue *next = bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, node, one);
    gcc_jit_rvalue *out = bin(c, GCC_JIT_BINARY_OP_MINUS, c->t_i64, rv(elem_at(c, rv(c->graph[G_OUT_OFF]), next)),
                              rv(elem_at(c, rv(c->graph[G_OUT_OFF]), node)));
    gcc_jit_rvalue *in = bin(c, GCC_JIT_BINARY_OP_MINUS, c->t_i64, rv(elem_at(c, rv(c->graph[G_IN_OFF]), next)),
                             rv(elem_at(c, rv(c->graph[G_IN_OFF]), node)));
    if (code == IR_OUT_DEGREE) return out;
    if (code == IR_IN_DEGREE) return in;
    /* degree: in an undirected graph the out-list already holds every edge once */
    return c->f->undirected ? out : bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, in, out);
}

/* --- scalar ops (at any level) ---------------------------------------------------- */

static gcc_jit_rvalue *convert(Cg *c, gcc_jit_rvalue *x, DType from, DType to) {
    if (from == to) return x;
    /* f32 <-> float are C's conversions: (float)x rounds to nearest even
     * (overflow to inf), (double)x is exact; anything else goes through float */
    if (to == DT_F32) return cast(c, convert(c, x, from, DT_FLOAT), c->t_float);
    if (from == DT_F32) return convert(c, cast(c, x, c->t_double), DT_FLOAT, to);
    if (to == DT_BOOL) {
        gcc_jit_rvalue *zero = from == DT_FLOAT ? dblc(c, 0.0) : i64c(c, 0);
        return cmp(c, GCC_JIT_COMPARISON_NE, x, zero);
    }
    if (to == DT_FLOAT) return cast(c, from == DT_BOOL ? cast(c, x, c->t_i32) : x, c->t_double);
    if (from == DT_BOOL) return cast(c, cast(c, x, c->t_i32), c->t_i64);
    if (from == DT_FLOAT) {
        /* float -> int truncates; NaN and out-of-range values are an error
         * rather than undefined behaviour */
        gcc_jit_rvalue *ok = bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool,
                                 cmp(c, GCC_JIT_COMPARISON_GE, x, dblc(c, -9223372036854775808.0)),
                                 cmp(c, GCC_JIT_COMPARISON_LT, x, dblc(c, 9223372036854775808.0)));
        fail_if(c, gcc_jit_context_new_unary_op(c->ctx, NULL, GCC_JIT_UNARY_OP_LOGICAL_NEGATE, c->t_bool, ok),
                "int(): value is NaN or out of the int range");
        return cast(c, x, c->t_i64);
    }
    return cast(c, x, elem_type(c, to));
}

static gcc_jit_rvalue *floordiv_int(Cg *c, gcc_jit_rvalue *a, gcc_jit_rvalue *b, bool want_mod) {
    fail_if(c, cmp(c, GCC_JIT_COMPARISON_EQ, b, i64c(c, 0)), want_mod ? "integer modulo by zero" : "integer division by zero");
    gcc_jit_lvalue *la = new_local(c, c->t_i64, "a"), *lb = new_local(c, c->t_i64, "b");
    assign(c, la, a);
    assign(c, lb, b);
    /* b == -1 is special-cased: INT64_MIN / -1 traps on x86 */
    gcc_jit_rvalue *minus1 = cmp(c, GCC_JIT_COMPARISON_EQ, rv(lb), i64c(c, -1));
    gcc_jit_rvalue *safe_b = cg_select(c, minus1, i64c(c, 1), rv(lb), c->t_i64);
    gcc_jit_lvalue *q = new_local(c, c->t_i64, "q"), *r = new_local(c, c->t_i64, "r");
    assign(c, q, bin(c, GCC_JIT_BINARY_OP_DIVIDE, c->t_i64, rv(la), safe_b));
    assign(c, r, bin(c, GCC_JIT_BINARY_OP_MODULO, c->t_i64, rv(la), safe_b));
    /* floor: when the remainder is nonzero and its sign differs from b's */
    gcc_jit_rvalue *adjust = bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool,
                                 cmp(c, GCC_JIT_COMPARISON_NE, rv(r), i64c(c, 0)),
                                 cmp(c, GCC_JIT_COMPARISON_NE, cmp(c, GCC_JIT_COMPARISON_LT, rv(r), i64c(c, 0)),
                                     cmp(c, GCC_JIT_COMPARISON_LT, rv(lb), i64c(c, 0))));
    gcc_jit_rvalue *res;
    if (want_mod) {
        res = cg_select(c, adjust, wrap(c, GCC_JIT_BINARY_OP_PLUS, rv(r), rv(lb)), rv(r), c->t_i64);
        res = cg_select(c, minus1, i64c(c, 0), res, c->t_i64);
    } else {
        res = cg_select(c, adjust, wrap(c, GCC_JIT_BINARY_OP_MINUS, rv(q), i64c(c, 1)), rv(q), c->t_i64);
        res = cg_select(c, minus1, wrap(c, GCC_JIT_BINARY_OP_MINUS, i64c(c, 0), rv(la)), res, c->t_i64);
    }
    return res;
}

static gcc_jit_rvalue *mod_float(Cg *c, gcc_jit_rvalue *a, gcc_jit_rvalue *b) {
    gcc_jit_rvalue *args[2] = {a, b};
    gcc_jit_lvalue *r = new_local(c, c->t_double, "fm");
    assign(c, r, call(c, c->b_fmod, 2, args));
    gcc_jit_rvalue *adjust = bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool,
                                 cmp(c, GCC_JIT_COMPARISON_NE, rv(r), dblc(c, 0.0)),
                                 cmp(c, GCC_JIT_COMPARISON_NE, cmp(c, GCC_JIT_COMPARISON_LT, rv(r), dblc(c, 0.0)),
                                     cmp(c, GCC_JIT_COMPARISON_LT, b, dblc(c, 0.0))));
    return cg_select(c, adjust, bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_double, rv(r), b), rv(r), c->t_double);
}

static gcc_jit_rvalue *call1(Cg *c, gcc_jit_function *fn, gcc_jit_rvalue *a) { return call(c, fn, 1, &a); }

/* The value of a scalar element-wise op on scalar operands. */
static gcc_jit_rvalue *scalar_op(Cg *c, const IrOp *op, gcc_jit_rvalue **s) {
    DType d = dt_of(c, op->dst);
    DType s0 = op->nsrc ? dt_of(c, op->src[0]) : DT_VOID;
    gcc_jit_type *t = elem_type(c, d);
    bool fl = d == DT_FLOAT;
    switch (op->code) {
    case IR_NEG: return fl ? gcc_jit_context_new_unary_op(c->ctx, NULL, GCC_JIT_UNARY_OP_MINUS, t, s[0])
                           : wrap(c, GCC_JIT_BINARY_OP_MINUS, i64c(c, 0), s[0]);
    case IR_NOT: return gcc_jit_context_new_unary_op(c->ctx, NULL, GCC_JIT_UNARY_OP_LOGICAL_NEGATE, t, s[0]);
    case IR_ABS:
        if (fl) return call1(c, c->b_fabs, s[0]);
        return cg_select(c, cmp(c, GCC_JIT_COMPARISON_LT, s[0], i64c(c, 0)), wrap(c, GCC_JIT_BINARY_OP_MINUS, i64c(c, 0), s[0]), s[0], t);
    case IR_SQRT: return call1(c, c->b_sqrt, s[0]);
    case IR_EXP: return call1(c, c->b_exp, s[0]);
    case IR_LOG: return call1(c, c->b_log, s[0]);
    case IR_FLOOR: return call1(c, c->b_floor, s[0]);
    case IR_CEIL: return call1(c, c->b_ceil, s[0]);
    case IR_CAST: return convert(c, s[0], s0, d);
    case IR_COPY: case IR_BROADCAST: return s[0];
    case IR_NODE_FILE_ID: return cast(c, rv(elem_at(c, rv(c->graph[G_IDS]), s[0])), c->t_i64);
    case IR_ADD: return fl ? bin(c, GCC_JIT_BINARY_OP_PLUS, t, s[0], s[1]) : wrap(c, GCC_JIT_BINARY_OP_PLUS, s[0], s[1]);
    case IR_SUB: return fl ? bin(c, GCC_JIT_BINARY_OP_MINUS, t, s[0], s[1]) : wrap(c, GCC_JIT_BINARY_OP_MINUS, s[0], s[1]);
    case IR_MUL: return fl ? bin(c, GCC_JIT_BINARY_OP_MULT, t, s[0], s[1]) : wrap(c, GCC_JIT_BINARY_OP_MULT, s[0], s[1]);
    case IR_DIV: return bin(c, GCC_JIT_BINARY_OP_DIVIDE, t, s[0], s[1]);
    case IR_FLOORDIV:
        if (fl) return call1(c, c->b_floor, bin(c, GCC_JIT_BINARY_OP_DIVIDE, t, s[0], s[1]));
        return floordiv_int(c, s[0], s[1], false);
    case IR_MOD: return fl ? mod_float(c, s[0], s[1]) : floordiv_int(c, s[0], s[1], true);
    case IR_POW: return call(c, c->b_pow, 2, s);
    case IR_MIN: return cg_select(c, cmp(c, GCC_JIT_COMPARISON_LT, s[1], s[0]), s[1], s[0], t);
    case IR_MAX: return cg_select(c, cmp(c, GCC_JIT_COMPARISON_GT, s[1], s[0]), s[1], s[0], t);
    case IR_EQ: return cmp(c, GCC_JIT_COMPARISON_EQ, s[0], s[1]);
    case IR_NE: return cmp(c, GCC_JIT_COMPARISON_NE, s[0], s[1]);
    case IR_LT: return cmp(c, GCC_JIT_COMPARISON_LT, s[0], s[1]);
    case IR_LE: return cmp(c, GCC_JIT_COMPARISON_LE, s[0], s[1]);
    case IR_GT: return cmp(c, GCC_JIT_COMPARISON_GT, s[0], s[1]);
    case IR_GE: return cmp(c, GCC_JIT_COMPARISON_GE, s[0], s[1]);
    case IR_AND: return bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool, s[0], s[1]);
    case IR_OR: return bin(c, GCC_JIT_BINARY_OP_LOGICAL_OR, c->t_bool, s[0], s[1]);
    case IR_WHERE: return cg_select(c, s[0], s[1], s[2], t);
    default: return NULL;
    }
}

/* --- aggregation helpers ------------------------------------------------------------ */

/* The value an aggregation starts from (and gives for an empty neighborhood). */
static gcc_jit_rvalue *agg_identity(Cg *c, IrAgg agg, DType d) {
    switch (agg) {
    case AGG_SUM: case AGG_COUNT: return d == DT_FLOAT ? dblc(c, 0.0) : i64c(c, 0);
    case AGG_MEAN: return dblc(c, 0.0);
    case AGG_MIN: case AGG_ARGMIN:
        return d == DT_FLOAT ? dblc(c, INFINITY) : i64c(c, INT64_MAX);
    case AGG_MAX: case AGG_ARGMAX:
        return d == DT_FLOAT ? dblc(c, -INFINITY) : i64c(c, INT64_MIN);
    case AGG_ANY: return boolc(c, false);
    case AGG_ALL: return boolc(c, true);
    default: return i64c(c, 0);
    }
}

/* acc = combine(acc, val) for the associative aggregations. */
static void agg_combine(Cg *c, IrAgg agg, DType d, gcc_jit_lvalue *acc, gcc_jit_rvalue *val) {
    gcc_jit_type *t = elem_type(c, d);
    switch (agg) {
    case AGG_SUM: case AGG_MEAN:
        assign(c, acc, d == DT_FLOAT ? bin(c, GCC_JIT_BINARY_OP_PLUS, t, rv(acc), val) : wrap(c, GCC_JIT_BINARY_OP_PLUS, rv(acc), val));
        break;
    case AGG_COUNT:
        assign(c, acc, bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, rv(acc), cast(c, cast(c, val, c->t_i32), c->t_i64)));
        break;
    case AGG_MIN: assign(c, acc, cg_select(c, cmp(c, GCC_JIT_COMPARISON_LT, val, rv(acc)), val, rv(acc), t)); break;
    case AGG_MAX: assign(c, acc, cg_select(c, cmp(c, GCC_JIT_COMPARISON_GT, val, rv(acc)), val, rv(acc), t)); break;
    case AGG_ANY: assign(c, acc, bin(c, GCC_JIT_BINARY_OP_LOGICAL_OR, c->t_bool, rv(acc), val)); break;
    case AGG_ALL: assign(c, acc, bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool, rv(acc), val)); break;
    default: break;
    }
}

static void lower_block(Cg *c, const IrBlock *b);
static void lower_op(Cg *c, const IrOp *op);

/* NBR_AGG at node level: loops over the current node's adjacency lists. */
static void lower_nbr_agg(Cg *c, const IrOp *op) {
    DType d = dt_of(c, op->dst);
    const IrBlock *body = op->body;
    const IrOp *yield = body->ops[body->nops - 1];
    DType vd = dt_of(c, yield->src[0]);
    if (op->agg == AGG_ARGMIN || op->agg == AGG_ARGMAX) {
        fprintf(stderr, "graphc: internal error: %d:%d: '%s' over neighbors (the checker refuses it)\n",
                op->loc.line, op->loc.col, ir_agg_name(op->agg));
        c->failed = true;
        return;
    }
    /* node-valued min/max keep the node itself for an empty neighborhood */
    bool node_minmax = d == DT_NODE && (op->agg == AGG_MIN || op->agg == AGG_MAX);
    DType acc_dt = d == DT_NODE || op->agg == AGG_MODE ? DT_INT : op->agg == AGG_MEAN ? DT_FLOAT : d;
    gcc_jit_lvalue *acc = new_local(c, elem_type(c, acc_dt), "acc");
    gcc_jit_lvalue *cnt = new_local(c, c->t_i64, "cnt");
    assign(c, acc, node_minmax ? rv(c->cur_node)
                   : op->agg == AGG_MODE ? i64c(c, 0)
                   : agg_identity(c, op->agg, op->agg == AGG_COUNT ? DT_INT : vd));
    assign(c, cnt, i64c(c, 0));

    int lists[2], nlists = 0;
    if (op->dir == DIR_IN) lists[nlists++] = 0;
    else if (op->dir == DIR_OUT || c->f->undirected) lists[nlists++] = 1;
    else { lists[nlists++] = 0; lists[nlists++] = 1; }

    /* mode collects the values: on the stack for up to 64 neighbors, else on the heap */
    enum { MODE_STACK = 64 };
    gcc_jit_lvalue *mbuf = NULL, *mheap = NULL;
    if (op->agg == AGG_MODE) {
        gcc_jit_rvalue *total = i64c(c, 0);
        for (int li = 0; li < nlists; li++)
            total = bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, total,
                        degree(c, lists[li] == 0 ? IR_IN_DEGREE : IR_OUT_DEGREE, rv(c->cur_node)));
        gcc_jit_lvalue *stack = new_local(c, gcc_jit_context_new_array_type(c->ctx, NULL, c->t_i64, MODE_STACK), "mstack");
        gcc_jit_type *pi64 = gcc_jit_type_get_pointer(c->t_i64);
        mbuf = new_local(c, pi64, "mbuf");
        mheap = new_local(c, c->t_bool, "mheap");
        gcc_jit_lvalue *tot = new_local(c, c->t_i64, "mtotal");
        assign(c, tot, total);
        assign(c, mheap, cmp(c, GCC_JIT_COMPARISON_GT, rv(tot), i64c(c, MODE_STACK)));
        gcc_jit_rvalue *aargs[3] = {rv(tot), i64c(c, 8), str(c, "mode scratch")};
        assign(c, mbuf, cg_select(c, rv(mheap), cast(c, call(c, c->rt_alloc, 3, aargs), pi64),
                                  gcc_jit_lvalue_get_address(elem_at(c, rv(stack), i64c(c, 0)), NULL), pi64));
    }

    for (int li = 0; li < nlists; li++) {
        bool in = lists[li] == 0;
        gcc_jit_rvalue *off = rv(c->graph[in ? G_IN_OFF : G_OUT_OFF]);
        gcc_jit_rvalue *adj = rv(c->graph[in ? G_IN_ADJ : G_OUT_ADJ]);
        gcc_jit_rvalue *wts = rv(c->graph[in ? G_IN_W : G_OUT_W]);
        gcc_jit_lvalue *e = new_local(c, c->t_i64, "e"), *end = new_local(c, c->t_i64, "end");
        assign(c, e, rv(elem_at(c, off, rv(c->cur_node))));
        assign(c, end, rv(elem_at(c, off, bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, rv(c->cur_node), i64c(c, 1)))));
        gcc_jit_block *head = new_block(c, "nbr_head"), *loop = new_block(c, "nbr_body"), *done = new_block(c, "nbr_done");
        jump(c, head);
        c->blk = head;
        gcc_jit_block_end_with_conditional(head, NULL, cmp(c, GCC_JIT_COMPARISON_LT, rv(e), rv(end)), loop, done);
        c->blk = loop;
        /* the region's NBR / EDGE_W / NODE_ID ops read these */
        for (int i = 0; i < body->nops - 1; i++) {
            const IrOp *r = body->ops[i];
            if (r->code == IR_NBR) assign(c, var_lv(c, r->dst), cast(c, rv(elem_at(c, adj, rv(e))), c->t_i64));
            else if (r->code == IR_EDGE_W) assign(c, var_lv(c, r->dst), rv(elem_at(c, wts, rv(e))));
        }
        /* everything but NBR / EDGE_W (done above) and the final YIELD */
        for (int i = 0; i < body->nops - 1 && !c->failed; i++)
            if (body->ops[i]->code != IR_NBR && body->ops[i]->code != IR_EDGE_W) lower_op(c, body->ops[i]);
        gcc_jit_rvalue *val = var_rv(c, yield->src[0]);
        gcc_jit_block *take = NULL, *after = NULL;
        if (yield->nsrc == 2) {
            take = new_block(c, "nbr_take");
            after = new_block(c, "nbr_next");
            gcc_jit_block_end_with_conditional(c->blk, NULL, var_rv(c, yield->src[1]), take, after);
            c->blk = take;
        }
        if (op->agg == AGG_MODE) {
            gcc_jit_rvalue *as_int = vd == DT_BOOL ? cast(c, cast(c, val, c->t_i32), c->t_i64) : val;
            assign(c, elem_at(c, rv(mbuf), rv(cnt)), as_int);
        } else if (node_minmax) {
            gcc_jit_rvalue *better = cmp(c, op->agg == AGG_MIN ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, val, rv(acc));
            gcc_jit_rvalue *first = cmp(c, GCC_JIT_COMPARISON_EQ, rv(cnt), i64c(c, 0));
            assign(c, acc, cg_select(c, bin(c, GCC_JIT_BINARY_OP_LOGICAL_OR, c->t_bool, first, better), val, rv(acc), c->t_i64));
        } else {
            agg_combine(c, op->agg, op->agg == AGG_COUNT ? DT_INT : vd, acc, val);
        }
        assign(c, cnt, bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, rv(cnt), i64c(c, 1)));
        if (take) {
            jump(c, after);
            c->blk = after;
        }
        gcc_jit_block_add_assignment_op(c->blk, NULL, e, GCC_JIT_BINARY_OP_PLUS, i64c(c, 1));
        jump(c, head);
        c->blk = done;
    }
    gcc_jit_rvalue *res = rv(acc);
    if (op->agg == AGG_MODE) {
        /* empty: the node itself for node labels, else 0 / false (docs/language.md) */
        gcc_jit_rvalue *margs[2] = {rv(mbuf), rv(cnt)};
        gcc_jit_lvalue *m = new_local(c, c->t_i64, "mode");
        gcc_jit_rvalue *empty = d == DT_NODE ? rv(c->cur_node) : i64c(c, 0);
        gcc_jit_block *some = new_block(c, "mode_some"), *none = new_block(c, "mode_none"), *join = new_block(c, "mode_join");
        gcc_jit_block_end_with_conditional(c->blk, NULL, cmp(c, GCC_JIT_COMPARISON_GT, rv(cnt), i64c(c, 0)), some, none);
        gcc_jit_block_add_assignment(some, NULL, m, call(c, c->rt_mode_i64, 2, margs));
        gcc_jit_block_end_with_jump(some, NULL, join);
        gcc_jit_block_add_assignment(none, NULL, m, empty);
        gcc_jit_block_end_with_jump(none, NULL, join);
        c->blk = join;
        gcc_jit_block *fr = new_block(c, "mode_free"), *done2 = new_block(c, "mode_done");
        gcc_jit_block_end_with_conditional(c->blk, NULL, rv(mheap), fr, done2);
        gcc_jit_rvalue *fp = cast(c, rv(mbuf), c->t_voidp);
        gcc_jit_block_add_eval(fr, NULL, call(c, c->rt_free, 1, &fp));
        gcc_jit_block_end_with_jump(fr, NULL, done2);
        c->blk = done2;
        res = d == DT_BOOL ? cmp(c, GCC_JIT_COMPARISON_NE, rv(m), i64c(c, 0)) : rv(m);
    } else if (op->agg == AGG_MEAN)
        res = cg_select(c, cmp(c, GCC_JIT_COMPARISON_GT, rv(cnt), i64c(c, 0)),
                     bin(c, GCC_JIT_BINARY_OP_DIVIDE, c->t_double, rv(acc), cast(c, rv(cnt), c->t_double)), dblc(c, 0.0),
                     c->t_double);
    assign(c, var_lv(c, op->dst), res);
}

/* --- kernels -------------------------------------------------------------------------- */

struct KernelRed {
    gcc_jit_lvalue *part_val, *part_idx; /* galg_run locals: partial buffers */
    gcc_jit_lvalue *acc, *idx;           /* chunk function locals */
    DType acc_dt;
};
typedef struct KernelRed KernelRed;


static DType red_acc_dtype(const IrKernelRed *r) {
    switch (r->agg) {
    case AGG_COUNT: return DT_INT;
    case AGG_MEAN: return r->in_dtype == DT_FLOAT ? DT_FLOAT : DT_INT; /* sum first, divide by N after */
    case AGG_SUM: return r->in_dtype == DT_BOOL ? DT_INT : r->in_dtype;
    case AGG_ANY: case AGG_ALL: return DT_BOOL;
    default: return r->in_dtype == DT_NODE ? DT_INT : r->in_dtype;
    }
}

static void collect_captures(Cg *c, const IrBlock *b, bool *mark, int *list, int *n) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        for (int k = 0; k < op->nsrc; k++) {
            int v = op->src[k];
            if (v >= 0 && c->top[v] && !mark[v]) { mark[v] = true; list[(*n)++] = v; }
        }
        if (op->body) collect_captures(c, op->body, mark, list, n);
    }
}

static void lower_acc(Cg *c, const IrOp *op, const IrKernelRed *red, KernelRed *kr) {
    gcc_jit_rvalue *val = var_rv(c, op->src[0]);
    if (red->agg == AGG_ARGMIN || red->agg == AGG_ARGMAX) {
        /* strict comparison keeps the first (smallest) node on ties; idx < 0: none yet;
         * NaN is never better and never first (skipped, as by min and max) */
        gcc_jit_rvalue *better = cmp(c, red->agg == AGG_ARGMIN ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, val, rv(kr->acc));
        gcc_jit_rvalue *first = cmp(c, GCC_JIT_COMPARISON_LT, rv(kr->idx), i64c(c, 0));
        if (red->in_dtype == DT_FLOAT)
            first = bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool, first, cmp(c, GCC_JIT_COMPARISON_EQ, val, val));
        gcc_jit_block *take = new_block(c, "arg_take"), *next = new_block(c, "arg_next");
        gcc_jit_block_end_with_conditional(c->blk, NULL, bin(c, GCC_JIT_BINARY_OP_LOGICAL_OR, c->t_bool, first, better), take, next);
        gcc_jit_block_add_assignment(take, NULL, kr->acc, val);
        gcc_jit_block_add_assignment(take, NULL, kr->idx, var_rv(c, op->src[1]));
        gcc_jit_block_end_with_jump(take, NULL, next);
        c->blk = next;
        return;
    }
    if (red->in_dtype == DT_BOOL && (red->agg == AGG_SUM || red->agg == AGG_MEAN)) {
        agg_combine(c, AGG_COUNT, DT_INT, kr->acc, val);
        return;
    }
    agg_combine(c, red->agg, kr->acc_dt, kr->acc, val);
}

/* A kernel between its chunk function and its launch: what the launch and
 * the combination of its partial reductions need. */
typedef struct KLaunch {
    const IrOp *k;
    gcc_jit_function *kf;
    gcc_jit_lvalue *ctxv;
    KernelRed *reds;
    gcc_jit_field **fields;
    int *caps;
} KLaunch;

/* Builds the kernel's chunk function and, in galg_run, its context. */
static void kernel_prepare(Cg *c, const IrOp *k, gcc_jit_lvalue **top_lv, KLaunch *out) {
    IrFunc *f = c->f;
    int kid = c->nkernels++;
    /* 1. the variables of galg_run the kernel uses */
    bool *mark = calloc((size_t)f->nvars + 1, 1);
    int *caps = malloc(((size_t)f->nvars + 1) * sizeof(int));
    int ncaps = 0;
    collect_captures(c, k->body, mark, caps, &ncaps);
    free(mark);

    /* 2. the context struct: graph, captured variables, partial buffers */
    int nfields = 1 + ncaps + 2 * k->nreds;
    gcc_jit_field **fields = calloc((size_t)nfields, sizeof *fields);
    char name[64];
    fields[0] = gcc_jit_context_new_field(c->ctx, NULL, c->t_graph_p, "g");
    for (int i = 0; i < ncaps; i++) {
        snprintf(name, sizeof name, "v%d", caps[i]);
        fields[1 + i] = gcc_jit_context_new_field(c->ctx, NULL, var_type(c, caps[i]), name);
    }
    KernelRed *reds = calloc((size_t)k->nreds + 1, sizeof *reds);
    for (int r = 0; r < k->nreds; r++) {
        reds[r].acc_dt = red_acc_dtype(&k->reds[r]);
        gcc_jit_type *pt = gcc_jit_type_get_pointer(elem_type(c, reds[r].acc_dt));
        snprintf(name, sizeof name, "part%d", r);
        fields[1 + ncaps + 2 * r] = gcc_jit_context_new_field(c->ctx, NULL, pt, name);
        snprintf(name, sizeof name, "part%d_idx", r);
        fields[2 + ncaps + 2 * r] = gcc_jit_context_new_field(c->ctx, NULL, gcc_jit_type_get_pointer(c->t_i64), name);
    }
    snprintf(name, sizeof name, "k%d_ctx", kid);
    gcc_jit_struct *st = gcc_jit_context_new_struct_type(c->ctx, NULL, name, nfields, fields);
    gcc_jit_type *stp = gcc_jit_type_get_pointer(gcc_jit_struct_as_type(st));

    /* 3. galg_run: partial buffers (allocated at this point, freed after), fill the context, run */
    gcc_jit_function *saved_fn = c->fn;
    gcc_jit_block *saved_blk = c->blk;
    gcc_jit_lvalue **saved_lv = c->lv;
    for (int r = 0; r < k->nreds; r++) {
        gcc_jit_type *et = elem_type(c, reds[r].acc_dt);
        reds[r].part_val = new_local(c, gcc_jit_type_get_pointer(et), "part");
        reds[r].part_idx = new_local(c, gcc_jit_type_get_pointer(c->t_i64), "part_idx");
        gcc_jit_rvalue *args[3] = {rv(c->nchunks), gcc_jit_context_new_rvalue_from_long(c->ctx, c->t_i64, 8),
                                   str(c, "partial reductions")};
        assign(c, reds[r].part_val, cast(c, call(c, c->rt_alloc, 3, args), gcc_jit_type_get_pointer(et)));
        assign(c, reds[r].part_idx, cast(c, call(c, c->rt_alloc, 3, args), gcc_jit_type_get_pointer(c->t_i64)));
    }
    gcc_jit_lvalue *ctxv = new_local(c, gcc_jit_struct_as_type(st), "kctx");
    assign(c, gcc_jit_lvalue_access_field(ctxv, NULL, fields[0]), c->g);
    for (int i = 0; i < ncaps; i++) assign(c, gcc_jit_lvalue_access_field(ctxv, NULL, fields[1 + i]), rv(top_lv[caps[i]]));
    for (int r = 0; r < k->nreds; r++) {
        assign(c, gcc_jit_lvalue_access_field(ctxv, NULL, fields[1 + ncaps + 2 * r]), rv(reds[r].part_val));
        assign(c, gcc_jit_lvalue_access_field(ctxv, NULL, fields[2 + ncaps + 2 * r]), rv(reds[r].part_idx));
    }

    /* 4. the chunk function */
    gcc_jit_param *ps[4] = {
        gcc_jit_context_new_param(c->ctx, NULL, c->t_voidp, "vctx"),
        gcc_jit_context_new_param(c->ctx, NULL, c->t_i64, "lo"),
        gcc_jit_context_new_param(c->ctx, NULL, c->t_i64, "hi"),
        gcc_jit_context_new_param(c->ctx, NULL, c->t_i64, "chunk"),
    };
    snprintf(name, sizeof name, "galg_kernel%d", kid);
    gcc_jit_function *kf = gcc_jit_context_new_function(c->ctx, NULL, GCC_JIT_FUNCTION_INTERNAL, c->t_void, name, 4, ps, 0);
    c->fn = kf;
    c->lv = calloc((size_t)f->nvars + 1, sizeof *c->lv);
    c->blk = new_block(c, "entry");
    gcc_jit_lvalue *kc = gcc_jit_function_new_local(kf, NULL, stp, "ctx");
    assign(c, kc, cast(c, gcc_jit_param_as_rvalue(ps[0]), stp));
    gcc_jit_rvalue *saved_g = c->g;
    gcc_jit_lvalue *saved_graph[G__COUNT];
    memcpy(saved_graph, c->graph, sizeof saved_graph);
    load_graph(c, rv(gcc_jit_rvalue_dereference_field(rv(kc), NULL, fields[0])));
    for (int i = 0; i < ncaps; i++) {
        gcc_jit_lvalue *l = var_lv(c, caps[i]);
        assign(c, l, rv(gcc_jit_rvalue_dereference_field(rv(kc), NULL, fields[1 + i])));
    }
    for (int r = 0; r < k->nreds; r++) {
        reds[r].acc = new_local(c, elem_type(c, reds[r].acc_dt), "acc");
        reds[r].idx = new_local(c, c->t_i64, "acc_idx");
        IrAgg a = k->reds[r].agg;
        assign(c, reds[r].acc, agg_identity(c, a == AGG_MEAN ? AGG_SUM : a, reds[r].acc_dt));
        assign(c, reds[r].idx, i64c(c, -1));
    }
    gcc_jit_lvalue *node = gcc_jit_function_new_local(kf, NULL, c->t_i64, "v");
    assign(c, node, gcc_jit_param_as_rvalue(ps[1]));
    gcc_jit_block *head = new_block(c, "k_head"), *body = new_block(c, "k_body"), *done = new_block(c, "k_done");
    jump(c, head);
    gcc_jit_block_end_with_conditional(head, NULL, cmp(c, GCC_JIT_COMPARISON_LT, rv(node), gcc_jit_param_as_rvalue(ps[2])), body, done);
    c->blk = body;
    gcc_jit_lvalue *saved_node = c->cur_node;
    c->cur_node = node;
    c->kernel = k;
    c->kernel_reds = reds;
    lower_block(c, k->body);
    c->kernel = NULL;
    c->kernel_reds = NULL;
    c->cur_node = saved_node;
    gcc_jit_block_add_assignment_op(c->blk, NULL, node, GCC_JIT_BINARY_OP_PLUS, i64c(c, 1));
    jump(c, head);
    c->blk = done;
    for (int r = 0; r < k->nreds; r++) {
        gcc_jit_rvalue *ch = gcc_jit_param_as_rvalue(ps[3]);
        assign(c, elem_at(c, rv(gcc_jit_rvalue_dereference_field(rv(kc), NULL, fields[1 + ncaps + 2 * r])), ch), rv(reds[r].acc));
        assign(c, elem_at(c, rv(gcc_jit_rvalue_dereference_field(rv(kc), NULL, fields[2 + ncaps + 2 * r])), ch), rv(reds[r].idx));
    }
    gcc_jit_block_end_with_void_return(c->blk, NULL);
    free(c->lv);

    /* 5. back in galg_run */
    c->fn = saved_fn;
    c->blk = saved_blk;
    c->lv = saved_lv;
    c->g = saved_g;
    memcpy(c->graph, saved_graph, sizeof saved_graph);
    out->k = k;
    out->kf = kf;
    out->ctxv = ctxv;
    out->reds = reds;
    out->fields = fields;
    out->caps = caps;
}

/* After the launch: combine the partials in chunk order. */
static void kernel_finish(Cg *c, KLaunch *L, gcc_jit_lvalue **top_lv) {
    const IrOp *k = L->k;
    KernelRed *reds = L->reds;
    for (int r = 0; r < k->nreds; r++) {
        const IrKernelRed *red = &k->reds[r];
        DType adt = reds[r].acc_dt;
        gcc_jit_lvalue *acc = new_local(c, elem_type(c, adt), "red"), *idx = new_local(c, c->t_i64, "red_idx");
        gcc_jit_lvalue *i = new_local(c, c->t_i64, "ci");
        assign(c, acc, agg_identity(c, red->agg == AGG_MEAN ? AGG_SUM : red->agg, adt));
        assign(c, idx, i64c(c, -1));
        assign(c, i, i64c(c, 0));
        gcc_jit_block *h = new_block(c, "comb_head"), *bd = new_block(c, "comb_body"), *dn = new_block(c, "comb_done");
        jump(c, h);
        gcc_jit_block_end_with_conditional(h, NULL, cmp(c, GCC_JIT_COMPARISON_LT, rv(i), rv(c->nchunks)), bd, dn);
        c->blk = bd;
        gcc_jit_rvalue *pv = rv(elem_at(c, rv(reds[r].part_val), rv(i)));
        gcc_jit_rvalue *pi = rv(elem_at(c, rv(reds[r].part_idx), rv(i)));
        if (red->agg == AGG_ARGMIN || red->agg == AGG_ARGMAX) {
            gcc_jit_rvalue *better = cmp(c, red->agg == AGG_ARGMIN ? GCC_JIT_COMPARISON_LT : GCC_JIT_COMPARISON_GT, pv, rv(acc));
            gcc_jit_rvalue *take = bin(c, GCC_JIT_BINARY_OP_LOGICAL_AND, c->t_bool, cmp(c, GCC_JIT_COMPARISON_GE, pi, i64c(c, 0)),
                                       bin(c, GCC_JIT_BINARY_OP_LOGICAL_OR, c->t_bool, cmp(c, GCC_JIT_COMPARISON_LT, rv(idx), i64c(c, 0)), better));
            gcc_jit_block *tk = new_block(c, "comb_take"), *nx = new_block(c, "comb_next");
            gcc_jit_block_end_with_conditional(c->blk, NULL, take, tk, nx);
            gcc_jit_block_add_assignment(tk, NULL, acc, pv);
            gcc_jit_block_add_assignment(tk, NULL, idx, pi);
            gcc_jit_block_end_with_jump(tk, NULL, nx);
            c->blk = nx;
        } else {
            agg_combine(c, red->agg == AGG_MEAN || red->agg == AGG_COUNT ? AGG_SUM : red->agg, adt, acc, pv);
        }
        gcc_jit_block_add_assignment_op(c->blk, NULL, i, GCC_JIT_BINARY_OP_PLUS, i64c(c, 1));
        jump(c, h);
        c->blk = dn;
        gcc_jit_rvalue *res = rv(acc);
        DType dd = dt_of(c, red->dst);
        if (red->agg == AGG_ARGMIN || red->agg == AGG_ARGMAX) {
            fail_if(c, cmp(c, GCC_JIT_COMPARISON_LT, rv(idx), i64c(c, 0)),
                    red->agg == AGG_ARGMIN ? "argmin: every value is NaN" : "argmax: every value is NaN");
            res = rv(idx);
        }
        else if (red->agg == AGG_MEAN)
            res = bin(c, GCC_JIT_BINARY_OP_DIVIDE, c->t_double, cast(c, res, c->t_double), cast(c, rv(c->graph[G_N]), c->t_double));
        else if (adt != dd) res = convert(c, res, adt, dd);
        assign(c, top_lv[red->dst], res);
        gcc_jit_rvalue *p1 = cast(c, rv(reds[r].part_val), c->t_voidp), *p2 = cast(c, rv(reds[r].part_idx), c->t_voidp);
        eval(c, call(c, c->rt_free, 1, &p1));
        eval(c, call(c, c->rt_free, 1, &p2));
    }
    free(reds);
    free(L->fields);
    free(L->caps);
}

/* Does the block loop over neighbors? (Then its nodes' costs follow their
 * degrees, which are skewed: chunks are handed out one at a time.) */
static bool has_nbr_loop(const IrBlock *b) {
    for (int i = 0; i < b->nops; i++)
        if (b->ops[i]->code == IR_NBR_AGG || (b->ops[i]->body && has_nbr_loop(b->ops[i]->body))) return true;
    return false;
}

static void lower_kernel(Cg *c, const IrOp *k, gcc_jit_lvalue **top_lv) {
    KLaunch L;
    kernel_prepare(c, k, top_lv, &L);
    gcc_jit_rvalue *args[4] = {rv(c->graph[G_N]), i64c(c, CG_CHUNK), gcc_jit_function_get_address(L.kf, NULL),
                               gcc_jit_lvalue_get_address(L.ctxv, NULL)};
    /* a kernel of even per-node cost runs statically: one contiguous range of
     * chunks per thread, as a hand-written streaming loop would */
    eval(c, call(c, has_nbr_loop(k->body) ? c->rt_parallel_for : c->rt_parallel_for_even, 4, args));
    kernel_finish(c, &L, top_lv);
}

/* --- ops ---------------------------------------------------------------------------------- */

static void lower_op(Cg *c, const IrOp *op) {
    IrFunc *f = c->f;
    switch (op->code) {
    case IR_CONST: {
        gcc_jit_rvalue *v = op->c.dtype == DT_FLOAT ? dblc(c, op->c.f)
                          : op->c.dtype == DT_BOOL ? boolc(c, op->c.i != 0) : i64c(c, op->c.i);
        assign(c, var_lv(c, op->dst), v);
        return;
    }
    case IR_PARAM: return; /* assigned at entry */
    case IR_GRAPH_N: assign(c, var_lv(c, op->dst), rv(c->graph[G_N])); return;
    case IR_GRAPH_M: assign(c, var_lv(c, op->dst), rv(c->graph[G_M])); return;
    case IR_NODE_ID: assign(c, var_lv(c, op->dst), rv(c->cur_node)); return;
    case IR_OUT_DEGREE: case IR_IN_DEGREE: case IR_DEGREE:
        assign(c, var_lv(c, op->dst), degree(c, op->code, op->nsrc ? var_rv(c, op->src[0]) : rv(c->cur_node)));
        return;
    case IR_LOAD: assign(c, var_lv(c, op->dst), load_elem(c, op->src[0], var_rv(c, op->src[1]))); return;
    case IR_STORE: store_elem(c, op->src[0], var_rv(c, op->src[1]), var_rv(c, op->src[2])); return;
    case IR_NBR_AGG: lower_nbr_agg(c, op); return;
    case IR_ACC: lower_acc(c, op, &c->kernel->reds[op->index], &c->kernel_reds[op->index]); return;
    case IR_LOOP: {
        gcc_jit_lvalue *i = NULL, *n = NULL;
        if (op->nsrc) {
            i = new_local(c, c->t_i64, "iter");
            n = new_local(c, c->t_i64, "count");
            assign(c, i, i64c(c, 0));
            assign(c, n, var_rv(c, op->src[0]));
        }
        gcc_jit_block *head = new_block(c, "loop_head"), *body = new_block(c, "loop_body"), *exit = new_block(c, "loop_exit");
        jump(c, head);
        c->blk = head;
        if (op->nsrc) gcc_jit_block_end_with_conditional(head, NULL, cmp(c, GCC_JIT_COMPARISON_LT, rv(i), rv(n)), body, exit);
        else jump(c, body);
        c->blk = body;
        if (c->nbreak >= (int)(sizeof c->break_to / sizeof c->break_to[0])) {
            fprintf(stderr, "graphc: error: loops nested too deeply\n");
            c->failed = true;
            return;
        }
        c->break_to[c->nbreak++] = exit;
        lower_block(c, op->body);
        c->nbreak--;
        if (op->nsrc) gcc_jit_block_add_assignment_op(c->blk, NULL, i, GCC_JIT_BINARY_OP_PLUS, i64c(c, 1));
        jump(c, head);
        c->blk = exit;
        return;
    }
    case IR_IF: {
        gcc_jit_block *bt = new_block(c, "then"), *bf = new_block(c, "else"), *bj = new_block(c, "endif");
        gcc_jit_block_end_with_conditional(c->blk, NULL, var_rv(c, op->src[0]), bt, bf);
        c->blk = bt;
        lower_block(c, op->body);
        jump(c, bj);
        c->blk = bf;
        if (op->els) lower_block(c, op->els);
        jump(c, bj);
        c->blk = bj;
        return;
    }
    case IR_BREAK:
        jump(c, c->break_to[c->nbreak - 1]);
        c->blk = new_block(c, "after_break"); /* unreachable; allowed by the context option */
        return;
    case IR_PRINT: {
        eval(c, call(c, c->rt_print_begin, 0, NULL));
        for (int i = 0; i < op->nitems; i++) {
            gcc_jit_rvalue *a[2];
            if (op->items[i].str) {
                a[0] = str(c, op->items[i].str);
                eval(c, call(c, c->rt_print_str, 1, a));
                continue;
            }
            int v = op->src[op->items[i].src_index];
            switch (dt_of(c, v)) {
            case DT_FLOAT: a[0] = var_rv(c, v); eval(c, call(c, c->rt_print_float, 1, a)); break;
            case DT_BOOL: a[0] = cast(c, var_rv(c, v), c->t_i32); eval(c, call(c, c->rt_print_bool, 1, a)); break;
            case DT_NODE: a[0] = c->g; a[1] = var_rv(c, v); eval(c, call(c, c->rt_print_node, 2, a)); break;
            default: a[0] = var_rv(c, v); eval(c, call(c, c->rt_print_int, 1, a)); break;
            }
        }
        eval(c, call(c, c->rt_print_end, 0, NULL));
        return;
    }
    case IR_RETURN: return; /* lowered by the caller, after the body */
    case IR_KERNEL:
        lower_kernel(c, op, c->lv);
        return;
    case IR_GATHER: case IR_REDUCE: case IR_NBR: case IR_EDGE_W: case IR_YIELD:
        break; /* handled inside kernels and regions */
    default: {
        if (ir_is_vector(f, op->dst)) break; /* kernelize leaves none */
        gcc_jit_rvalue *s[3] = {0};
        for (int i = 0; i < op->nsrc && i < 3; i++) s[i] = var_rv(c, op->src[i]);
        gcc_jit_rvalue *v = scalar_op(c, op, s);
        if (v) { assign(c, var_lv(c, op->dst), v); return; }
        break;
    }
    }
    fprintf(stderr, "graphc: internal error: cannot lower '%s' here\n", ir_opcode_name(op->code));
    c->failed = true;
}

/* One parallel region (plan.h): ops[0..n) are its kernels and, in a region
 * that keeps program order, the scalar ops that stood between them. Every
 * chunk function and context first, one rt_parallel_group, the partial
 * reductions, then the scalar ops. */
static void lower_region(Cg *c, const IrOp **ops, int n) {
    int nk = 0;
    for (int i = 0; i < n; i++) nk += ops[i]->code == IR_KERNEL;
    KLaunch *L = calloc((size_t)nk, sizeof *L);
    gcc_jit_type *fa = gcc_jit_context_new_array_type(c->ctx, NULL, c->t_chunk_fn, nk);
    gcc_jit_type *ca = gcc_jit_context_new_array_type(c->ctx, NULL, c->t_voidp, nk);
    gcc_jit_lvalue *fns = new_local(c, fa, "group_fns"), *ctxs = new_local(c, ca, "group_ctxs");
    int j = 0;
    for (int i = 0; i < n; i++) {
        if (ops[i]->code != IR_KERNEL) continue;
        kernel_prepare(c, ops[i], c->lv, &L[j]);
        assign(c, gcc_jit_context_new_array_access(c->ctx, NULL, rv(fns), i32c(c, j)), gcc_jit_function_get_address(L[j].kf, NULL));
        assign(c, gcc_jit_context_new_array_access(c->ctx, NULL, rv(ctxs), i32c(c, j)),
               cast(c, gcc_jit_lvalue_get_address(L[j].ctxv, NULL), c->t_voidp));
        j++;
    }
    gcc_jit_rvalue *args[5] = {
        rv(c->graph[G_N]), i64c(c, CG_CHUNK), i32c(c, nk),
        gcc_jit_lvalue_get_address(gcc_jit_context_new_array_access(c->ctx, NULL, rv(fns), i32c(c, 0)), NULL),
        gcc_jit_lvalue_get_address(gcc_jit_context_new_array_access(c->ctx, NULL, rv(ctxs), i32c(c, 0)), NULL)};
    eval(c, call(c, c->rt_parallel_group, 5, args));
    for (j = 0; j < nk; j++) kernel_finish(c, &L[j], c->lv);
    free(L);
    for (int i = 0; i < n && !c->failed; i++)
        if (ops[i]->code != IR_KERNEL) lower_op(c, ops[i]);
}

/* Lowers ops[0..n) (siblings, in the order they execute): a kernel that
 * heads a region takes the region's ops with it. */
static void lower_seq(Cg *c, const IrOp **ops, int n) {
    const Plan *P = c->plan;
    for (int i = 0; i < n && !c->failed; i++) {
        const IrOp *op = ops[i];
        if (op->code == IR_KERNEL && P && !c->kernel) {
            int k = P->op_index[op->id];
            if (P->ops[k].region == k && P->ops[k].region_last != k) {
                int last = i;
                while (last + 1 < n && P->op_index[ops[last]->id] != P->ops[k].region_last) last++;
                lower_region(c, ops + i, last - i + 1);
                i = last;
                continue;
            }
        }
        lower_op(c, op);
    }
}

static int cmp_sched_ops(const void *x, const void *y, void *ctx) {
    const Plan *P = ctx;
    const IrOp *a = *(const IrOp *const *)x, *b = *(const IrOp *const *)y;
    return P->ops[P->op_index[a->id]].sched - P->ops[P->op_index[b->id]].sched;
}

static void lower_block(Cg *c, const IrBlock *b) {
    const Plan *P = c->plan;
    if (!P || c->kernel) {
        for (int i = 0; i < b->nops && !c->failed; i++) lower_op(c, b->ops[i]);
        return;
    }
    /* run by run: a reordered run in its schedule (level by level) */
    for (int i = 0; i < b->nops && !c->failed;) {
        int r = P->ops[P->op_index[b->ops[i]->id]].run, j = i;
        while (j < b->nops && P->ops[P->op_index[b->ops[j]->id]].run == r) j++;
        const IrOp **ops = malloc((size_t)(j - i) * sizeof *ops);
        for (int k = i; k < j; k++) ops[k - i] = b->ops[k];
        if (P->reordered[r]) qsort_r(ops, (size_t)(j - i), sizeof *ops, cmp_sched_ops, (void *)P);
        lower_seq(c, ops, j - i);
        free(ops);
        i = j;
    }
}

/* --- the exported functions -------------------------------------------------------------- */

static void mark_top(Cg *c, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst >= 0) c->top[op->dst] = true;
        for (int r = 0; r < op->nreds; r++) c->top[op->reds[r].dst] = true;
        if (op->code == IR_LOOP || op->code == IR_IF) {
            if (op->body) mark_top(c, op->body);
            if (op->els) mark_top(c, op->els);
        }
    }
}

static void mark_named(const IrBlock *b, bool *named) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst >= 0) named[op->dst] = true;
        for (int k = 0; k < op->nsrc; k++) named[op->src[k]] = true;
        for (int r = 0; r < op->nreds; r++) named[op->reds[r].dst] = true;
        if (op->body) mark_named(op->body, named);
        if (op->els) mark_named(op->els, named);
    }
}

static int64_t store_size(DType d) { return d == DT_BOOL ? 1 : d == DT_NODE || d == DT_F32 ? 4 : 8; }

static void gen_run(Cg *c) {
    IrFunc *f = c->f;
    gcc_jit_param *ps[3] = {
        gcc_jit_context_new_param(c->ctx, NULL, c->t_graph_p, "g"),
        gcc_jit_context_new_param(c->ctx, NULL, c->t_value_p, "params"),
        gcc_jit_context_new_param(c->ctx, NULL, c->t_output_p, "out"),
    };
    c->fn = gcc_jit_context_new_function(c->ctx, NULL, GCC_JIT_FUNCTION_EXPORTED, c->t_void, "galg_run", 3, ps, 0);
    c->lv = calloc((size_t)f->nvars + 1, sizeof *c->lv);
    c->blk = new_block(c, "entry");
    load_graph(c, gcc_jit_param_as_rvalue(ps[0]));
    c->nchunks = gcc_jit_function_new_local(c->fn, NULL, c->t_i64, "nchunks");
    assign(c, c->nchunks, bin(c, GCC_JIT_BINARY_OP_DIVIDE, c->t_i64,
                              bin(c, GCC_JIT_BINARY_OP_PLUS, c->t_i64, rv(c->graph[G_N]), i64c(c, CG_CHUNK - 1)),
                              i64c(c, CG_CHUNK)));
    /* The batch plan's slots: num_slots buffers of N elements for the whole
     * run; every vector variable lives in the slot the plan gives it. */
    Plan *plan = plan_build(f);
    if (!plan) {
        fprintf(stderr, "graphc: error: out of memory while planning\n");
        c->failed = true;
        free(c->lv);
        c->lv = NULL;
        return;
    }
    c->plan = plan;
    gcc_jit_lvalue **slot = calloc((size_t)plan->nslots + 1, sizeof *slot);
    for (int s = 0; s < plan->nslots; s++) {
        char what[32];
        snprintf(what, sizeof what, "vector slot %d", s);
        slot[s] = new_local(c, c->t_voidp, "slot");
        gcc_jit_rvalue *args[3] = {rv(c->graph[G_N]), i64c(c, plan->slots[s].elem_bytes), str(c, what)};
        assign(c, slot[s], call(c, c->rt_alloc, 3, args));
    }
    for (int v = 0; v < f->nvars; v++) {
        if (!c->top[v]) continue;
        gcc_jit_lvalue *l = var_lv(c, v);
        if (!ir_is_vector(f, v)) continue;
        int k = plan->var_index[v];
        if (k < 0) {
            assign(c, l, gcc_jit_context_null(c->ctx, var_type(c, v))); /* never read or written */
            continue;
        }
        if (plan->vars[k].elem_bytes != store_size(dt_of(c, v))) {
            fprintf(stderr, "graphc: internal error: slot of the wrong element size\n");
            c->failed = true;
        }
        assign(c, l, cast(c, rv(slot[plan->vars[k].slot]), var_type(c, v)));
    }
    /* parameters */
    for (int i = 0; i < f->body->nops; i++) {
        const IrOp *op = f->body->ops[i];
        if (op->code != IR_PARAM) continue;
        gcc_jit_lvalue *pv = gcc_jit_context_new_array_access(c->ctx, NULL, gcc_jit_param_as_rvalue(ps[1]), i32c(c, op->index));
        DType d = f->params[op->index].dtype;
        gcc_jit_rvalue *val = d == DT_FLOAT ? rv(gcc_jit_lvalue_access_field(pv, NULL, c->v_f))
                                            : rv(gcc_jit_lvalue_access_field(pv, NULL, c->v_i));
        if (d == DT_BOOL) val = cmp(c, GCC_JIT_COMPARISON_NE, val, i64c(c, 0));
        assign(c, var_lv(c, op->dst), val);
    }
    lower_block(c, f->body);
    c->plan = NULL;
    if (c->failed) {
        free(slot);
        plan_free(plan);
        free(c->lv);
        c->lv = NULL;
        return;
    }
    /* results: the runtime takes over a returned vector's slot (nothing runs
     * after the return; an f32 vector is an RT_F32 column, as it is); a
     * vector returned twice is copied the second time */
    const IrOp *ret = f->body->ops[f->body->nops - 1];
    gcc_jit_rvalue *out = gcc_jit_param_as_rvalue(ps[2]);
    bool *given = calloc((size_t)plan->nslots + 1, sizeof *given);
    for (int k = 0; k < ret->nsrc; k++) {
        int v = ret->src[k];
        DType d = dt_of(c, v);
        int pk = ir_is_vector(f, v) ? plan->var_index[v] : -1;
        if (pk >= 0 && !given[plan->vars[pk].slot]) {
            int s = plan->vars[pk].slot;
            given[s] = true;
            gcc_jit_rvalue *oargs[3] = {out, i32c(c, k), rv(slot[s])};
            eval(c, call(c, c->rt_output_vector, 3, oargs));
        } else if (ir_is_vector(f, v)) {
            gcc_jit_rvalue *bytes = bin(c, GCC_JIT_BINARY_OP_MULT, c->t_i64, rv(c->graph[G_N]), i64c(c, store_size(d)));
            gcc_jit_rvalue *aargs[3] = {rv(c->graph[G_N]), i64c(c, store_size(d)), str(c, "output column")};
            gcc_jit_lvalue *copy = new_local(c, c->t_voidp, "outcol");
            assign(c, copy, call(c, c->rt_alloc, 3, aargs));
            gcc_jit_rvalue *margs[3] = {rv(copy), cast(c, var_rv(c, v), c->t_voidp),
                                        cast(c, bytes, gcc_jit_context_get_type(c->ctx, GCC_JIT_TYPE_SIZE_T))};
            eval(c, call(c, c->b_memcpy, 3, margs));
            gcc_jit_rvalue *oargs[3] = {out, i32c(c, k), rv(copy)};
            eval(c, call(c, c->rt_output_vector, 3, oargs));
        } else if (d == DT_FLOAT || d == DT_F32) {
            gcc_jit_rvalue *oargs[3] = {out, i32c(c, k), convert(c, var_rv(c, v), d, DT_FLOAT)};
            eval(c, call(c, c->rt_output_scalar_float, 3, oargs));
        } else {
            gcc_jit_rvalue *val = d == DT_BOOL ? cast(c, cast(c, var_rv(c, v), c->t_i32), c->t_i64) : var_rv(c, v);
            gcc_jit_rvalue *oargs[3] = {out, i32c(c, k), val};
            eval(c, call(c, c->rt_output_scalar_int, 3, oargs));
        }
    }
    for (int s = 0; s < plan->nslots; s++) {
        if (given[s]) continue;
        gcc_jit_rvalue *p = rv(slot[s]);
        eval(c, call(c, c->rt_free, 1, &p));
    }
    free(given);
    free(slot);
    plan_free(plan);
    gcc_jit_block_end_with_void_return(c->blk, NULL);
    free(c->lv);
    c->lv = NULL;
}

static void gen_describe(Cg *c) {
    IrFunc *f = c->f;
    gcc_jit_param *p = gcc_jit_context_new_param(c->ctx, NULL, c->t_program_p, "p");
    c->fn = gcc_jit_context_new_function(c->ctx, NULL, GCC_JIT_FUNCTION_EXPORTED, c->t_void, "galg_describe", 1, &p, 0);
    c->blk = new_block(c, "entry");
    gcc_jit_rvalue *pr = gcc_jit_param_as_rvalue(p);
    gcc_jit_rvalue *a[6] = {pr, str(c, f->name), i32c(c, f->undirected),
                            i32c(c, f->weighted ? (f->nonnegative ? 2 : 1) : 0)};
    eval(c, call(c, c->rt_program_set, 4, a));
    /* the neighbor lists to build, as the memory plan counts them */
    Plan *plan = plan_build(f);
    if (plan && !f->undirected) {
        gcc_jit_rvalue *b[3] = {pr, i32c(c, plan->need_out_lists), i32c(c, plan->need_in_lists)};
        eval(c, call(c, c->rt_program_adjacency, 3, b));
    }
    plan_free(plan);
    for (int i = 0; i < f->nparams; i++) {
        const IrParam *q = &f->params[i];
        gcc_jit_rvalue *b[6] = {pr, str(c, q->name), i32c(c, q->dtype), i32c(c, q->has_default), i64c(c, q->idefault),
                                dblc(c, q->fdefault)};
        eval(c, call(c, c->rt_program_param, 6, b));
    }
    const IrOp *ret = f->body->ops[f->body->nops - 1];
    for (int k = 0; k < f->nouts; k++) {
        int v = ret->src[k];
        /* an f32 vector is an RT_F32 column (handed over as it is), an f32 scalar a float */
        DType d = dt_of(c, v) == DT_F32 && !ir_is_vector(f, v) ? DT_FLOAT : dt_of(c, v);
        gcc_jit_rvalue *b[4] = {pr, str(c, f->out_names[k]), i32c(c, d), i32c(c, ir_is_vector(f, v))};
        eval(c, call(c, c->rt_program_output, 4, b));
    }
    gcc_jit_block_end_with_void_return(c->blk, NULL);
}

const char *cg_host_march(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    bool v2 = __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("ssse3");
    bool v3 = v2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("fma");
    bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    return v4 ? "x86-64-v4" : v3 ? "x86-64-v3" : v2 ? "x86-64-v2" : "x86-64";
#else
    return NULL;
#endif
}

/* --- leaving nothing behind ------------------------------------------------------------
 * The output goes to a temporary name that is renamed on success, and
 * libgccjit's scratch files go to a private TMPDIR that is removed after the
 * compile; a SIGINT/SIGTERM/SIGHUP meanwhile removes both before dying. */
static char pending_tmp[PATH_MAX];
static char pending_dir[PATH_MAX];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *dir) {
    if (dir[0]) nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void on_signal(int sig) {
    if (pending_tmp[0]) unlink(pending_tmp);
    remove_tree(pending_dir);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(bool on) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN) continue; /* nohup stays */
        struct sigaction sa = {0};
        sa.sa_handler = on ? on_signal : SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

bool cg_compile(IrFunc *f, const CgOptions *o) {
    Cg cg = {0};
    Cg *c = &cg;
    c->f = f;
    c->ctx = gcc_jit_context_acquire();
    if (!c->ctx) {
        fprintf(stderr, "graphc: error: cannot start libgccjit\n");
        return false;
    }
    gcc_jit_context_set_int_option(c->ctx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, o->opt_level);
    /* GCC 12's -O2 vectorizes only loops that need no run-time check, and
     * libgccjit 12 cannot mark the kernels' pointers restrict, so a streaming
     * kernel (contrib = ranks * inv_deg) stayed scalar: let the vectorizer add
     * the alias check, as -O3 does. */
    if (o->opt_level == 2) gcc_jit_context_add_command_line_option(c->ctx, "-fvect-cost-model=dynamic");
    gcc_jit_context_set_bool_allow_unreachable_blocks(c->ctx, 1);
    gcc_jit_context_set_bool_print_errors_to_stderr(c->ctx, 0);
    char march[96];
    if (o->march) {
        snprintf(march, sizeof march, "-march=%s", o->march);
        gcc_jit_context_add_command_line_option(c->ctx, march);
    }
    /* errno is never read; lets sqrt etc. inline. IEEE semantics stay exact:
     * no contraction of a*b+c into an FMA, so every float operation rounds
     * as the language (and the reference interpreter) says. */
    gcc_jit_context_add_command_line_option(c->ctx, "-fno-math-errno");
    gcc_jit_context_add_command_line_option(c->ctx, "-ffp-contract=off");
    if (o->kind == CG_EXECUTABLE) {
        gcc_jit_context_add_driver_option(c->ctx, o->runtime_lib);
        gcc_jit_context_add_driver_option(c->ctx, "-fopenmp");
        gcc_jit_context_add_driver_option(c->ctx, "-lm");
        if (o->extra_link) gcc_jit_context_add_driver_option(c->ctx, o->extra_link);
    }

    /* galg_run's variables: those defined at top level, and every vector some
     * op still names (optimization may have removed the rest) */
    c->top = calloc((size_t)f->nvars + 1, sizeof(bool));
    mark_top(c, f->body);
    bool *named = calloc((size_t)f->nvars + 1, sizeof(bool));
    mark_named(f->body, named);
    for (int v = 0; v < f->nvars; v++) {
        if (ir_is_vector(f, v)) c->top[v] = named[v];
        else c->top[v] &= named[v] || c->top[v];
    }
    free(named);
    build_types(c);
    gen_describe(c);
    gen_run(c);
    free(c->top);

    bool ok = !c->failed;
    const char *err = gcc_jit_context_get_first_error(c->ctx);
    if (ok && err) {
        fprintf(stderr, "graphc: error: code generation failed (libgccjit): %s\n", err);
        ok = false;
    }
    if (ok && o->dump_gccjit) gcc_jit_context_dump_to_file(c->ctx, o->dump_gccjit, 1);
    if (ok) {
        /* write next to the target and rename, so a failed compile leaves no partial file */
        size_t n = strlen(o->output) + 32;
        char *tmp = malloc(n);
        const char *slash = strrchr(o->output, '/');
        int dirlen = slash ? (int)(slash - o->output + 1) : 0;
        snprintf(tmp, n, "%.*s.graphc-%ld-%s", dirlen, o->output, (long)getpid(), slash ? slash + 1 : o->output);
        const char *base = getenv("TMPDIR");
        snprintf(pending_dir, sizeof pending_dir, "%s/graphc-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(pending_dir)) pending_dir[0] = 0;
        char *old_tmpdir = base ? strdup(base) : NULL;
        if (pending_dir[0]) setenv("TMPDIR", pending_dir, 1);
        snprintf(pending_tmp, sizeof pending_tmp, "%s", tmp);
        catch_signals(true);
        enum gcc_jit_output_kind kind = o->kind == CG_OBJECT ? GCC_JIT_OUTPUT_KIND_OBJECT_FILE
                                      : o->kind == CG_ASSEMBLY ? GCC_JIT_OUTPUT_KIND_ASSEMBLER
                                      : GCC_JIT_OUTPUT_KIND_EXECUTABLE;
        gcc_jit_context_compile_to_file(c->ctx, kind, tmp);
        err = gcc_jit_context_get_first_error(c->ctx);
        if (err) {
            fprintf(stderr, "graphc: error: cannot write '%s': %s\n", o->output, err);
            ok = false;
            unlink(tmp);
        } else if (rename(tmp, o->output) != 0) {
            fprintf(stderr, "graphc: error: cannot write '%s': ", o->output);
            perror(NULL);
            unlink(tmp);
            ok = false;
        }
        catch_signals(false);
        pending_tmp[0] = 0;
        remove_tree(pending_dir);
        pending_dir[0] = 0;
        if (old_tmpdir) setenv("TMPDIR", old_tmpdir, 1);
        else unsetenv("TMPDIR");
        free(old_tmpdir);
        free(tmp);
    }
    gcc_jit_context_release(c->ctx);
    return ok;
}
