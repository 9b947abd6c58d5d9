/* test_ir.c - IR construction, printer, verifier and kernelization on IR built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

static const SrcLoc L = {1, 1};
static IrType S(DType d) { return (IrType){d, SH_SCALAR}; }
static IrType V(DType d) { return (IrType){d, SH_VECTOR}; }

static IrOp *add(IrFunc *f, IrBlock *b, IrOpcode code, int dst, int nsrc, const int *src) {
    IrOp *op = ir_op_new(f, code, dst, nsrc, src, L);
    ir_block_append(f, b, op);
    return op;
}

static int cnst(IrFunc *f, IrBlock *b, DType d, int64_t i, double x) {
    int v = ir_var_new(f, S(d), NULL);
    IrOp *op = add(f, b, IR_CONST, v, 0, NULL);
    op->c = (IrConst){d, i, x};
    return v;
}

static void ret(IrFunc *f, int v, const char *name) {
    static const char *names[1];
    names[0] = name;
    f->out_names = names;
    f->nouts = 1;
    add(f, f->body, IR_RETURN, -1, 1, &v);
}

/* Runs the verifier with its report captured; returns the report (caller frees). */
static char *verify_report(const IrFunc *f, bool *ok) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    *ok = ir_verify(f, "test", out);
    fclose(out);
    return buf;
}

static char *print_ir(const IrFunc *f) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ir_print(f, out);
    fclose(out);
    return buf;
}

/* x = init_nodes(1.0); s = sum(x); return x */
static IrFunc *small_func(Arena *a) {
    IrFunc *f = ir_func_new(a, "small");
    int one = cnst(f, f->body, DT_FLOAT, 0, 1.0);
    int x = ir_var_new(f, V(DT_FLOAT), "x");
    add(f, f->body, IR_BROADCAST, x, 1, &one);
    int s = ir_var_new(f, S(DT_FLOAT), "s");
    add(f, f->body, IR_REDUCE, s, 1, &x)->agg = AGG_SUM;
    ret(f, x, "x");
    return f;
}

static void test_valid_function_verifies_and_prints(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = small_func(&a);
    bool ok;
    char *rep = verify_report(f, &ok);
    assert_true(ok);
    assert_string_equal(rep, "");
    free(rep);
    char *text = print_ir(f);
    assert_string_equal(text,
                        "algorithm small() {\n"
                        "  %0 : float = const 1\n"
                        "  %x.1 : float[N] = broadcast %0\n"
                        "  %s.2 : float = reduce.sum %x.1\n"
                        "  return %x.1\n"
                        "}\n");
    free(text);
    arena_free(&a);
}

static void expect_invalid(IrFunc *f, const char *needle) {
    bool ok;
    char *rep = verify_report(f, &ok);
    assert_false(ok);
    if (!strstr(rep, needle)) fail_msg("verifier report lacks '%s':\n%s", needle, rep);
    free(rep);
}

static void test_use_before_definition(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    int x = ir_var_new(f, S(DT_INT), "x");
    int y = ir_var_new(f, S(DT_INT), "y");
    int src[2] = {x, x};
    add(f, f->body, IR_ADD, y, 2, src);
    ret(f, y, "y");
    expect_invalid(f, "used before it is defined");
    arena_free(&a);
}

static void test_type_mismatch(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    int i = cnst(f, f->body, DT_INT, 2, 0);
    int d = cnst(f, f->body, DT_FLOAT, 0, 2.0);
    int y = ir_var_new(f, S(DT_FLOAT), NULL);
    int src[2] = {i, d};
    add(f, f->body, IR_ADD, y, 2, src);
    ret(f, y, "y");
    expect_invalid(f, "operands must have the result's numeric type");
    arena_free(&a);
}

static void test_shape_mismatch(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    int one = cnst(f, f->body, DT_FLOAT, 0, 1.0);
    int x = ir_var_new(f, V(DT_FLOAT), "x");
    add(f, f->body, IR_BROADCAST, x, 1, &one);
    int y = ir_var_new(f, S(DT_FLOAT), "y"); /* scalar result of a vector op */
    int src[2] = {x, one};
    add(f, f->body, IR_MUL, y, 2, src);
    ret(f, y, "y");
    expect_invalid(f, "result shape does not follow the operands");
    arena_free(&a);
}

static void test_break_outside_loop(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    add(f, f->body, IR_BREAK, -1, 0, NULL);
    int one = cnst(f, f->body, DT_INT, 1, 0);
    ret(f, one, "one");
    expect_invalid(f, "break outside a loop");
    arena_free(&a);
}

static void test_return_must_be_last(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    int one = cnst(f, f->body, DT_INT, 1, 0);
    ret(f, one, "one");
    cnst(f, f->body, DT_INT, 2, 0);
    expect_invalid(f, "does not end with return");
    arena_free(&a);
}

/* sum(x[u] for u in in_nbrs) with a region that does not end in yield, and an
 * element-level variable escaping its region. */
static void test_region_rules(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = ir_func_new(&a, "bad");
    int one = cnst(f, f->body, DT_FLOAT, 0, 1.0);
    int x = ir_var_new(f, V(DT_FLOAT), "x");
    add(f, f->body, IR_BROADCAST, x, 1, &one);
    int s = ir_var_new(f, V(DT_FLOAT), "s");
    IrOp *agg = add(f, f->body, IR_NBR_AGG, s, 0, NULL);
    agg->agg = AGG_SUM;
    agg->body = ir_block_new(f);
    int u = ir_var_new(f, S(DT_NODE), NULL);
    add(f, agg->body, IR_NBR, u, 0, NULL);
    int xu = ir_var_new(f, S(DT_FLOAT), NULL);
    int src[2] = {x, u};
    add(f, agg->body, IR_LOAD, xu, 2, src);
    /* no yield */
    int y = ir_var_new(f, S(DT_FLOAT), NULL);
    int src2[2] = {xu, one}; /* xu escapes the region */
    add(f, f->body, IR_ADD, y, 2, src2);
    ret(f, s, "s");
    expect_invalid(f, "neighbor region must end with yield");
    expect_invalid(f, "used before it is defined");
    arena_free(&a);
}

static int count_ops(const IrBlock *b, IrOpcode code) {
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        if (b->ops[i]->code == code) n++;
        if (b->ops[i]->body) n += count_ops(b->ops[i]->body, code);
        if (b->ops[i]->els) n += count_ops(b->ops[i]->els, code);
    }
    return n;
}

static void test_kernelize(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    IrFunc *f = small_func(&a);
    ir_kernelize(f);
    bool ok;
    char *rep = verify_report(f, &ok);
    if (!ok) fail_msg("%s", rep);
    free(rep);
    /* broadcast and reduce each became a kernel; the reduce kernel accumulates */
    assert_int_equal(count_ops(f->body, IR_KERNEL), 2);
    assert_int_equal(count_ops(f->body, IR_BROADCAST), 0);
    assert_int_equal(count_ops(f->body, IR_REDUCE), 0);
    assert_int_equal(count_ops(f->body, IR_ACC), 1);
    assert_int_equal(count_ops(f->body, IR_STORE), 1);
    const IrOp *k2 = f->body->ops[2];
    assert_int_equal(k2->code, IR_KERNEL);
    assert_int_equal(k2->nreds, 1);
    assert_int_equal(k2->reds[0].agg, AGG_SUM);
    assert_string_equal(f->vars[k2->reds[0].dst].name, "s");
    arena_free(&a);
}

/* f32 (ir.h): only cast (to and from float), load, store, copy and return
 * touch it; kernelize loads an f32 element and casts it, and stores a cast. */
static void test_f32(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    /* b = init_nodes(0.1); x: f32 = b; y = x (read: float); s = sum(y); return x */
    IrFunc *f = ir_func_new(&a, "f32");
    int k = cnst(f, f->body, DT_FLOAT, 0, 0.1);
    int b = ir_var_new(f, V(DT_FLOAT), NULL);
    add(f, f->body, IR_BROADCAST, b, 1, &k);
    int x = ir_var_new(f, V(DT_F32), "x");
    add(f, f->body, IR_CAST, x, 1, &b);
    int y = ir_var_new(f, V(DT_FLOAT), "y");
    add(f, f->body, IR_CAST, y, 1, &x);
    int sum = ir_var_new(f, S(DT_FLOAT), "s");
    add(f, f->body, IR_REDUCE, sum, 1, &y)->agg = AGG_SUM;
    ret(f, x, "x");
    bool ok;
    char *rep = verify_report(f, &ok);
    if (!ok) fail_msg("%s", rep);
    free(rep);
    char *text = print_ir(f);
    assert_non_null(strstr(text, "  %x.2 : f32[N] = cast %1\n  %y.3 : float[N] = cast %x.2\n"));
    free(text);
    ir_kernelize(f);
    rep = verify_report(f, &ok);
    if (!ok) fail_msg("%s", rep);
    free(rep);
    /* the kernel of y = x: node_id, load x (an f32 scalar), cast to float, store */
    const IrOp *ky = f->body->ops[3];
    assert_int_equal(ky->code, IR_KERNEL);
    assert_int_equal(ky->body->nops, 4);
    const IrOp *ld = ky->body->ops[1], *cv = ky->body->ops[2], *st = ky->body->ops[3];
    assert_int_equal(ld->code, IR_LOAD);
    assert_int_equal(ld->src[0], x);
    assert_int_equal(f->vars[ld->dst].ty.dtype, DT_F32);
    assert_int_equal(cv->code, IR_CAST);
    assert_int_equal(f->vars[cv->dst].ty.dtype, DT_FLOAT);
    assert_int_equal(st->code, IR_STORE);
    assert_int_equal(st->src[0], y);
    /* the kernel of x = b stores a cast to f32 */
    const IrOp *kx = f->body->ops[2];
    assert_int_equal(kx->body->ops[2]->code, IR_CAST);
    assert_int_equal(f->vars[kx->body->ops[2]->dst].ty.dtype, DT_F32);
    assert_int_equal(kx->body->ops[3]->code, IR_STORE);
    arena_free(&a);

    /* arithmetic on an f32 value */
    arena_init(&a);
    f = ir_func_new(&a, "bad");
    k = cnst(f, f->body, DT_FLOAT, 0, 0.1);
    int xs = ir_var_new(f, S(DT_F32), "x");
    add(f, f->body, IR_CAST, xs, 1, &k);
    int z = ir_var_new(f, S(DT_F32), NULL);
    int src[2] = {xs, xs};
    add(f, f->body, IR_ADD, z, 2, src);
    ret(f, z, "z");
    expect_invalid(f, "f32 operand or result (only cast, load, store, copy and return may have one)");
    arena_free(&a);

    /* a cast between int and f32 */
    arena_init(&a);
    f = ir_func_new(&a, "bad");
    int i = cnst(f, f->body, DT_INT, 3, 0);
    xs = ir_var_new(f, S(DT_F32), "x");
    add(f, f->body, IR_CAST, xs, 1, &i);
    ret(f, xs, "x");
    expect_invalid(f, "f32 converts only to and from float (int -> f32)");
    arena_free(&a);

    /* a reduction over an f32 vector */
    arena_init(&a);
    f = ir_func_new(&a, "bad");
    k = cnst(f, f->body, DT_FLOAT, 0, 0.1);
    b = ir_var_new(f, V(DT_FLOAT), NULL);
    add(f, f->body, IR_BROADCAST, b, 1, &k);
    x = ir_var_new(f, V(DT_F32), "x");
    add(f, f->body, IR_CAST, x, 1, &b);
    sum = ir_var_new(f, S(DT_FLOAT), "s");
    add(f, f->body, IR_REDUCE, sum, 1, &x)->agg = AGG_SUM;
    ret(f, sum, "s");
    expect_invalid(f, "f32 operand or result");
    arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_function_verifies_and_prints),
        cmocka_unit_test(test_use_before_definition),
        cmocka_unit_test(test_type_mismatch),
        cmocka_unit_test(test_shape_mismatch),
        cmocka_unit_test(test_break_outside_loop),
        cmocka_unit_test(test_return_must_be_last),
        cmocka_unit_test(test_region_rules),
        cmocka_unit_test(test_kernelize),
        cmocka_unit_test(test_f32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
