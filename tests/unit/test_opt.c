/* test_opt.c - the scalar optimization passes (src/opt/opt_fold.c,
 * opt_copy_prop.c, opt_cse.c, opt_licm.c, opt_dce.c), each alone on IR built
 * from a small program and kernelized: what must change, what must not
 * (division by zero, x + 0.0, ops that can stop the program), that the IR
 * still verifies, and that a second run changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/check.h"
#include "frontend/parse.h"
#include "ir/ir.h"
#include "ir/ir_build.h"
#include "opt/opt.h"

typedef struct Built {
    Arena arena;
    Diag diag;
    char *src, *err;
    size_t errlen;
    IrFunc *f;
} Built;

static void verify_or_fail(const IrFunc *f, const char *stage) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    bool ok = ir_verify(f, stage, out);
    fclose(out);
    if (!ok) {
        char *text = NULL;
        size_t tlen = 0;
        FILE *t = open_memstream(&text, &tlen);
        ir_print(f, t);
        fclose(t);
        fail_msg("%s\n%s", buf, text);
    }
    free(buf);
}

/* Parses, checks, builds and kernelizes src (as graphc does before the passes). */
static Built *build(const char *src) {
    Built *b = calloc(1, sizeof *b);
    b->src = strdup(src);
    arena_init(&b->arena);
    diag_init(&b->diag, "t.galg", b->src, strlen(src));
    b->diag.out = open_memstream(&b->err, &b->errlen);
    Program *p = parse_program(&b->arena, &b->diag);
    if (p && !b->diag.nerrors) check_program(p, &b->arena, &b->diag);
    if (p && !b->diag.nerrors) b->f = ir_build(p, &b->arena, &b->diag);
    fflush(b->diag.out);
    if (!b->f) fail_msg("does not compile:\n%s\n%s", src, b->err);
    ir_kernelize(b->f);
    verify_or_fail(b->f, "kernelize");
    return b;
}

/* build(), then the passes that run before the scalar ones (fusion leaves
 * the copies and the loads that these passes clean up). */
static Built *build_fused(const char *src) {
    Built *b = build(src);
    opt_fuse(b->f);
    opt_dead_vectors(b->f);
    verify_or_fail(b->f, "fuse");
    return b;
}

static void done(Built *b) {
    fclose(b->diag.out);
    free(b->err);
    free(b->src);
    arena_free(&b->arena);
    free(b);
}

/* Runs one pass and checks the IR; returns what the pass returned. */
static bool run(bool (*pass)(IrFunc *), IrFunc *f, const char *name) {
    bool changed = pass(f);
    verify_or_fail(f, name);
    return changed;
}

static int count(const IrBlock *b, IrOpcode code) {
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        if (b->ops[i]->code == code) n++;
        if (b->ops[i]->body) n += count(b->ops[i]->body, code);
        if (b->ops[i]->els) n += count(b->ops[i]->els, code);
    }
    return n;
}

/* Ops of `code` inside kernel bodies (with their neighbor regions). */
static int count_in_kernels(const IrBlock *b, IrOpcode code) {
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->code == IR_KERNEL) n += count(op->body, code);
        else {
            if (op->body) n += count_in_kernels(op->body, code);
            if (op->els) n += count_in_kernels(op->els, code);
        }
    }
    return n;
}

static int var(const IrFunc *f, const char *name) {
    for (int v = 0; v < f->nvars; v++)
        if (f->vars[v].name && !strcmp(f->vars[v].name, name)) return v;
    fail_msg("no variable '%s'", name);
    return -1;
}

static const IrOp *find_def(const IrBlock *b, int v) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst == v) return op;
        const IrOp *in = op->body ? find_def(op->body, v) : NULL;
        if (!in && op->els) in = find_def(op->els, v);
        if (in) return in;
    }
    return NULL;
}

/* The op that assigns the program variable `name` (the first one). */
static const IrOp *def_of(const IrFunc *f, const char *name) {
    const IrOp *op = find_def(f->body, var(f, name));
    if (!op) fail_msg("nothing assigns '%s'", name);
    return op;
}

static const IrOp *find_loop(const IrBlock *b) {
    for (int i = 0; i < b->nops; i++)
        if (b->ops[i]->code == IR_LOOP) return b->ops[i];
    fail_msg("no loop at the top level");
    return NULL;
}

/* Is there an op `code` reading variable v in b (nested blocks too)? */
static bool reads(const IrBlock *b, IrOpcode code, int v) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->code == code)
            for (int s = 0; s < op->nsrc; s++)
                if (op->src[s] == v) return true;
        if (op->body && reads(op->body, code, v)) return true;
        if (op->els && reads(op->els, code, v)) return true;
    }
    return false;
}

/* Is there an op `code` reading v directly in b (not nested)? */
static bool reads_here(const IrBlock *b, IrOpcode code, int v) {
    for (int i = 0; i < b->nops; i++)
        if (b->ops[i]->code == code)
            for (int s = 0; s < b->ops[i]->nsrc; s++)
                if (b->ops[i]->src[s] == v) return true;
    return false;
}

static const char *const PAGERANK =
    "algorithm pagerank(damping: float = 0.85, max_iter: int = 100, tol: float = 1e-6) {\n"
    "    ranks   = init_nodes(1.0 / N)\n"
    "    inv_deg = where(out_degree > 0, 1.0 / out_degree, 0.0)\n"
    "    repeat max_iter {\n"
    "        contrib  = ranks * inv_deg\n"
    "        dangling = sum(where(out_degree == 0, ranks, 0.0))\n"
    "        next     = (1 - damping) / N + damping * (sum(contrib[u] for u in in_nbrs) + dangling / N)\n"
    "        err      = sum(abs(next - ranks))\n"
    "        ranks    = next\n"
    "        if err < N * tol { break }\n"
    "    }\n"
    "    return ranks\n"
    "}\n";

/* ---- fold ------------------------------------------------------------------------ */

static void expect_const_int(const IrFunc *f, const char *name, int64_t want) {
    const IrOp *op = def_of(f, name);
    if (op->code != IR_CONST || op->c.dtype != DT_INT || op->c.i != want)
        fail_msg("%s: want const %lld, got %s %lld", name, (long long)want, ir_opcode_name(op->code), (long long)op->c.i);
}

static void expect_const_float(const IrFunc *f, const char *name, double want) {
    const IrOp *op = def_of(f, name);
    if (op->code != IR_CONST || op->c.dtype != DT_FLOAT || memcmp(&op->c.f, &want, sizeof want))
        fail_msg("%s: want const %g, got %s %g", name, want, ir_opcode_name(op->code), op->c.f);
}

static void expect_const_bool(const IrFunc *f, const char *name, bool want) {
    const IrOp *op = def_of(f, name);
    if (op->code != IR_CONST || op->c.dtype != DT_BOOL || (op->c.i != 0) != want)
        fail_msg("%s: want const %d, got %s", name, want, ir_opcode_name(op->code));
}

static void expect_code(const IrFunc *f, const char *name, IrOpcode code) {
    const IrOp *op = def_of(f, name);
    if (op->code != code) fail_msg("%s: want %s, got %s", name, ir_opcode_name(code), ir_opcode_name(op->code));
}

static void expect_copy_of(const IrFunc *f, const char *name, int from) {
    const IrOp *op = def_of(f, name);
    if (op->code != IR_COPY || op->src[0] != from)
        fail_msg("%s: want copy of %%%d, got %s of %%%d", name, from, ir_opcode_name(op->code), op->nsrc ? op->src[0] : -1);
}

static void test_fold_constants(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "  a = float(1)\n"
                     "  b = 2 + 3 * 4\n"
                     "  c = -7 div 2\n"
                     "  d = -7 % 2\n"
                     "  e = 9223372036854775807 + 1\n"
                     "  g = -9223372036854775807 - 1\n"
                     "  h = g div -1\n"
                     "  i = 7.5 div 2.0\n"
                     "  j = -7.5 % 2.0\n"
                     "  k = sqrt(2.0) * 1.5 - abs(-0.25)\n"
                     "  l = int(-2.75)\n"
                     "  m = 1 < 2 and not (2.0 == 3.0)\n"
                     "  n = where(m, a, 2.0)\n"
                     "  o = min(3, -4) + max(floor(2.5), ceil(2.5))\n"
                     "  z = -0.0\n"
                     "  q = 1.0 / 0\n"
                     "  return a, b, c, d, e, g, h, i, j, k, l, m, n, o, z, q\n"
                     "}\n");
    IrFunc *f = b->f;
    assert_true(run(opt_fold, f, "fold"));
    expect_const_float(f, "a", 1.0);
    expect_const_int(f, "b", 14);
    expect_const_int(f, "c", -4);
    expect_const_int(f, "d", 1);
    expect_const_int(f, "e", INT64_MIN);
    expect_const_int(f, "g", INT64_MIN);
    expect_const_int(f, "h", INT64_MIN); /* INT64_MIN div -1 wraps */
    expect_const_float(f, "i", 3.0);
    expect_const_float(f, "j", 0.5);
    expect_const_float(f, "k", sqrt(2.0) * 1.5 - 0.25);
    expect_const_int(f, "l", -2);
    expect_const_bool(f, "m", true);
    expect_const_float(f, "n", 1.0);
    expect_const_float(f, "o", -1.0);
    expect_const_float(f, "z", -0.0);
    assert_true(signbit(def_of(f, "z")->c.f));
    expect_const_float(f, "q", INFINITY);
    assert_false(run(opt_fold, f, "fold again"));
    done(b);
}

/* What the compiled program must compute (or fail at) itself. */
static void test_fold_leaves_runtime_work(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "  a = 10 div 0\n"
                     "  c = 5 % 0\n"
                     "  d = int(0.0 / 0)\n"
                     "  e = int(1e300)\n"
                     "  g = exp(1.0)\n"
                     "  h = log(2.0)\n"
                     "  i = pow(2.0, 0.5)\n"
                     "  return a, c, d, e, g, h, i\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_fold, f, "fold");
    expect_code(f, "a", IR_FLOORDIV);
    expect_code(f, "c", IR_MOD);
    expect_code(f, "d", IR_CAST);
    expect_code(f, "e", IR_CAST);
    expect_code(f, "g", IR_EXP);
    expect_code(f, "h", IR_LOG);
    expect_code(f, "i", IR_POW);
    /* the operands themselves did fold: 0.0 / 0 is NaN, 1e300 stays */
    const IrOp *nan_op = find_def(f->body, def_of(f, "d")->src[0]);
    assert_int_equal(nan_op->code, IR_CONST);
    assert_true(isnan(nan_op->c.f));
    done(b);
}

static void test_fold_identities_exact(void **state) {
    (void)state;
    Built *b = build("algorithm t(p: float = 1.0, k: int = 1, c: bool = true) {\n"
                     "  a = p + 0.0\n"
                     "  a2 = 0.0 + p\n"
                     "  b = p * 0.0\n"
                     "  c1 = p * 1.0\n"
                     "  d = p - 0.0\n"
                     "  d2 = p - -0.0\n"
                     "  e = p + -0.0\n"
                     "  g = k + 0\n"
                     "  h = k * 0\n"
                     "  i = k - k\n"
                     "  j = p - p\n"
                     "  l = k * 1\n"
                     "  m = k div 1\n"
                     "  n = k % 1\n"
                     "  o = c and true\n"
                     "  q = c or true\n"
                     "  r = k == k\n"
                     "  s = p == p\n"
                     "  t1 = where(c, p, p)\n"
                     "  u = p / 1.0\n"
                     "  return a, a2, b, c1, d, d2, e, g, h, i, j, l, m, n, o, q, r, s, t1, u\n"
                     "}\n");
    IrFunc *f = b->f;
    int p = var(f, "p"), k = var(f, "k"), c = var(f, "c");
    run(opt_fold, f, "fold");
    expect_code(f, "a", IR_ADD);  /* -0.0 + 0.0 is +0.0 */
    expect_code(f, "a2", IR_ADD);
    expect_code(f, "b", IR_MUL);  /* -1 * 0.0, NaN, inf */
    expect_copy_of(f, "c1", p);
    expect_copy_of(f, "d", p);
    expect_code(f, "d2", IR_SUB); /* p - -0.0 is p + 0.0 */
    expect_copy_of(f, "e", p);
    expect_copy_of(f, "g", k);
    expect_const_int(f, "h", 0);
    expect_const_int(f, "i", 0);
    expect_code(f, "j", IR_SUB);  /* inf - inf, NaN */
    expect_copy_of(f, "l", k);
    expect_copy_of(f, "m", k);
    expect_const_int(f, "n", 0);
    expect_copy_of(f, "o", c);
    expect_const_bool(f, "q", true);
    expect_const_bool(f, "r", true);
    expect_code(f, "s", IR_EQ);   /* NaN != NaN */
    expect_copy_of(f, "t1", p);
    expect_copy_of(f, "u", p);
    assert_false(run(opt_fold, f, "fold again"));
    done(b);
}

/* A write of an f32 variable rounds to binary32 at run time: not folded. */
static void test_fold_f32(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "  x: f32 = 0.1\n"
                     "  y = x * 1.0\n"
                     "  return y\n"
                     "}\n");
    IrFunc *f = b->f;
    int x = var(f, "x");
    run(opt_fold, f, "fold");
    const IrOp *def = def_of(f, "x");
    assert_int_equal(def->code, IR_CAST);
    assert_int_equal(f->vars[x].ty.dtype, DT_F32);
    /* the read of x is a cast to float, then * 1.0 is a copy of it */
    const IrOp *y = def_of(f, "y");
    assert_int_equal(y->code, IR_COPY);
    assert_int_equal(find_def(f->body, y->src[0])->code, IR_CAST);
    done(b);
}

static void test_fold_where_in_kernel_and_if(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "  x = where(1 < 2, out_degree, in_degree)\n"
                     "  if 2 < 1 { print(\"never\") }\n"
                     "  if 1 < 2 { print(\"always\") } else { print(\"never\") }\n"
                     "  return x\n"
                     "}\n");
    IrFunc *f = b->f;
    assert_int_equal(count_in_kernels(f->body, IR_WHERE), 1);
    run(opt_fold, f, "fold");
    assert_int_equal(count_in_kernels(f->body, IR_WHERE), 0);
    assert_int_equal(count(f->body, IR_IF), 0);
    assert_int_equal(count(f->body, IR_PRINT), 1);
    assert_string_equal(f->body->ops[f->body->nops - 2]->items[0].str, "always");
    done(b);
}

/* ---- copy-prop ----------------------------------------------------------------- */

/* Does any op in b (nested blocks too) read v? */
static bool reads_any(const IrBlock *b, int v) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        for (int s = 0; s < op->nsrc; s++)
            if (op->src[s] == v && !(op->code == IR_STORE && s == 0)) return true;
        if (op->body && reads_any(op->body, v)) return true;
        if (op->els && reads_any(op->els, v)) return true;
    }
    return false;
}

/* No op in kernel body `kb` reads the result of a copy in `b` (kb or one of its regions). */
static bool copies_unread(const IrBlock *kb, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->code == IR_COPY && reads_any(kb, op->dst)) return false;
        if (op->body && !copies_unread(kb, op->body)) return false;
    }
    return true;
}

static void test_copy_prop_kernels(void **state) {
    (void)state;
    Built *b = build_fused(PAGERANK);
    IrFunc *f = b->f;
    int copies = count_in_kernels(f->body, IR_COPY);
    assert_true(copies > 5);
    assert_true(run(opt_copy_prop, f, "copy-prop"));
    /* the copies stay (dce removes them), but nothing reads them */
    assert_int_equal(count_in_kernels(f->body, IR_COPY), copies);
    for (int i = 0; i < f->body->nops; i++)
        if (f->body->ops[i]->code == IR_KERNEL) assert_true(copies_unread(f->body->ops[i]->body, f->body->ops[i]->body));
    const IrOp *loop = find_loop(f->body);
    for (int i = 0; i < loop->body->nops; i++)
        if (loop->body->ops[i]->code == IR_KERNEL) assert_true(copies_unread(loop->body->ops[i]->body, loop->body->ops[i]->body));
    assert_false(run(opt_copy_prop, f, "copy-prop again"));
    done(b);
}

/* A copy's source assigned again: later reads keep the copy. */
static void test_copy_prop_reassigned(void **state) {
    (void)state;
    Built *b = build("algorithm t(n: int = 3) {\n"
                     "  y = n\n"
                     "  x = 0\n"
                     "  s = 0\n"
                     "  repeat n {\n"
                     "    x = y\n"
                     "    s = s + x\n"
                     "    y = y + 1\n"
                     "    s = s * x\n"
                     "  }\n"
                     "  return s\n"
                     "}\n");
    IrFunc *f = b->f;
    int x = var(f, "x"), y = var(f, "y");
    run(opt_copy_prop, f, "copy-prop");
    const IrBlock *body = find_loop(f->body)->body;
    assert_true(reads_here(body, IR_ADD, y));  /* s + x: x is y here */
    assert_false(reads_here(body, IR_ADD, x));
    assert_true(reads_here(body, IR_MUL, x));  /* s * x: y has changed */
    assert_false(reads_here(body, IR_MUL, y));
    /* before the loop x = 0 holds, but x is assigned in the loop: s + x in the
     * loop must not read the constant */
    done(b);
}

/* ---- cse ------------------------------------------------------------------------- */

static void test_cse_pagerank(void **state) {
    (void)state;
    Built *b = build_fused(PAGERANK);
    IrFunc *f = b->f;
    run(opt_copy_prop, f, "copy-prop"); /* as in the pipeline */
    assert_true(count(f->body, IR_GRAPH_N) >= 4);
    assert_true(run(opt_cse, f, "cse"));
    assert_int_equal(count(f->body, IR_GRAPH_N), 1);
    /* one out_degree per kernel */
    for (int i = 0; i < f->body->nops; i++)
        if (f->body->ops[i]->code == IR_KERNEL) assert_true(count(f->body->ops[i]->body, IR_OUT_DEGREE) <= 1);
    const IrOp *loop = find_loop(f->body);
    for (int i = 0; i < loop->body->nops; i++)
        if (loop->body->ops[i]->code == IR_KERNEL) assert_true(count(loop->body->ops[i]->body, IR_OUT_DEGREE) <= 1);
    assert_false(run(opt_cse, f, "cse again"));
    done(b);
}

static void test_cse_loads_and_stores(void **state) {
    (void)state;
    Built *b = build("algorithm t(s: node = 0) {\n"
                     "  x = init_nodes(1.0)\n"
                     "  a = x[s]\n"
                     "  a2 = x[s]\n"
                     "  x[s] = 2.0\n"
                     "  c = x[s]\n"
                     "  d = x[s]\n"
                     "  x = x + 1.0\n"
                     "  e = x[s]\n"
                     "  return a, a2, c, d, e\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_cse, f, "cse");
    expect_code(f, "a", IR_LOAD);
    expect_copy_of(f, "a2", var(f, "a"));
    expect_code(f, "c", IR_LOAD);  /* a store stands in between */
    expect_copy_of(f, "d", var(f, "c"));
    expect_code(f, "e", IR_LOAD);  /* a kernel stores x in between */
    done(b);
}

/* An op that can fail merges only into one that ran on every path before it. */
static void test_cse_failing_ops(void **state) {
    (void)state;
    Built *b = build("algorithm t(k: int = 0, c: bool = true) {\n"
                     "  a = 0\n"
                     "  if c { a = 10 div k }\n"
                     "  d = 10 div k\n"
                     "  e = 10 div k\n"
                     "  return a, d, e\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_cse, f, "cse");
    assert_int_equal(count(f->body, IR_FLOORDIV), 2);
    expect_code(f, "d", IR_FLOORDIV);
    expect_copy_of(f, "e", var(f, "d"));
    done(b);
}

/* Facts from one branch do not reach the other, nor survive an if that
 * may assign their variables. */
static void test_cse_branches(void **state) {
    (void)state;
    Built *b = build("algorithm t(k: int = 1, c: bool = true) {\n"
                     "  x = k\n"
                     "  y = x * 3\n"
                     "  if c { x = 5 }\n"
                     "  z = x * 3\n"
                     "  if c { a = k * 7; print(a) } else { e = k * 7; print(e) }\n"
                     "  return y, z\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_cse, f, "cse");
    expect_code(f, "z", IR_MUL);
    expect_code(f, "a", IR_MUL);
    expect_code(f, "e", IR_MUL);
    assert_false(run(opt_cse, f, "cse again"));
    done(b);
}

/* Operands in either order: ints and bools yes, float sums no (which NaN
 * comes out may depend on the order). */
static void test_cse_commutative(void **state) {
    (void)state;
    Built *b = build("algorithm t(k: int = 1, j: int = 2, p: float = 1.0, q: float = 2.0) {\n"
                     "  a = k + j\n"
                     "  a2 = j + k\n"
                     "  c = p + q\n"
                     "  c2 = q + p\n"
                     "  e = p == q\n"
                     "  e2 = q == p\n"
                     "  l = p < q\n"
                     "  l2 = q > p\n"
                     "  return a, a2, c, c2, e, e2, l, l2\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_cse, f, "cse");
    expect_copy_of(f, "a2", var(f, "a"));
    expect_code(f, "c2", IR_ADD);
    expect_copy_of(f, "e2", var(f, "e"));
    expect_code(f, "l2", IR_GT);
    done(b);
}

/* A kernel that stores into x at its node and loads x at another node:
 * the load sees what earlier nodes stored, so it is not the value loaded
 * before the kernel. (Fusion never builds such a kernel; written by hand.) */
static void test_cse_kernel_stores(void **state) {
    (void)state;
    Built *b = build("algorithm t(s: node = 0) {\n"
                     "  x = init_nodes(1.0)\n"
                     "  a = x[s]\n"
                     "  return x, a\n"
                     "}\n");
    IrFunc *f = b->f;
    int x = var(f, "x"), s = var(f, "s");
    const SrcLoc L = {1, 1};
    IrOp *k = ir_op_new(f, IR_KERNEL, -1, 0, NULL, L);
    k->body = ir_block_new(f);
    int n = ir_var_new(f, (IrType){DT_NODE, SH_SCALAR}, NULL);
    ir_block_append(f, k->body, ir_op_new(f, IR_NODE_ID, n, 0, NULL, L));
    int v = ir_var_new(f, (IrType){DT_FLOAT, SH_SCALAR}, NULL);
    int ld[2] = {x, s};
    IrOp *load = ir_op_new(f, IR_LOAD, v, 2, ld, L);
    ir_block_append(f, k->body, load);
    int w = ir_var_new(f, (IrType){DT_FLOAT, SH_SCALAR}, NULL);
    int sum[2] = {v, v};
    ir_block_append(f, k->body, ir_op_new(f, IR_ADD, w, 2, sum, L));
    int st[3] = {x, n, w};
    ir_block_append(f, k->body, ir_op_new(f, IR_STORE, -1, 3, st, L));
    /* the kernel goes just before the return */
    IrBlock *top = f->body;
    ir_block_append(f, top, k);
    top->ops[top->nops - 1] = top->ops[top->nops - 2];
    top->ops[top->nops - 2] = k;
    verify_or_fail(f, "hand-built kernel");
    run(opt_cse, f, "cse");
    assert_int_equal(load->code, IR_LOAD);
    done(b);
}

/* A value computed in a loop body is not available after it, nor, inside
 * the loop, a value computed before it from a variable the loop assigns. */
static void test_cse_loops(void **state) {
    (void)state;
    Built *b = build("algorithm t(n: int = 2, p: int = 1) {\n"
                     "  s = p * 3\n"
                     "  t1 = s * 7\n"
                     "  repeat n {\n"
                     "    q = p * 5\n"
                     "    r = s * 7\n"
                     "    s = s + q\n"
                     "  }\n"
                     "  g = p * 5\n"
                     "  h = s * 7\n"
                     "  return g, h, t1\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_cse, f, "cse");
    expect_code(f, "g", IR_MUL);
    expect_code(f, "h", IR_MUL);
    expect_code(f, "r", IR_MUL); /* s * 7 before the loop: s changes in it */
    done(b);
}

/* ---- licm ------------------------------------------------------------------------ */

static void test_licm_pagerank(void **state) {
    (void)state;
    Built *b = build_fused(PAGERANK);
    IrFunc *f = b->f;
    int damping = var(f, "damping"), tol = var(f, "tol");
    const IrOp *loop = find_loop(f->body);
    assert_true(reads(loop->body, IR_SUB, damping));
    assert_true(run(opt_licm, f, "licm"));
    /* (1 - damping) / N and N * tol: computed once, before the loop */
    assert_false(reads(loop->body, IR_SUB, damping));
    assert_true(reads_here(f->body, IR_SUB, damping));
    assert_false(reads(loop->body, IR_MUL, tol));
    int i_sub = -1, i_loop = -1;
    for (int i = 0; i < f->body->nops; i++) {
        const IrOp *op = f->body->ops[i];
        if (op->code == IR_SUB && op->src[1] == damping) i_sub = i;
        if (op == loop) i_loop = i;
    }
    assert_true(i_sub >= 0 && i_sub < i_loop);
    assert_false(run(opt_licm, f, "licm again"));
    done(b);
}

static void test_licm_keeps_failing_ops(void **state) {
    (void)state;
    Built *b = build("algorithm t(k: int = 0, n: int = 0, c: bool = false) {\n"
                     "  s = 0\n"
                     "  repeat n {\n"
                     "    q = 10 div k\n"
                     "    r = k * 2\n"
                     "    h = k div 2\n"
                     "    if c { w = 7 % k; s = s + w }\n"
                     "    s = s + q + r + h\n"
                     "  }\n"
                     "  return s\n"
                     "}\n");
    IrFunc *f = b->f;
    int k = var(f, "k");
    run(opt_licm, f, "licm");
    const IrOp *loop = find_loop(f->body);
    assert_true(reads(loop->body, IR_FLOORDIV, k) && count(loop->body, IR_FLOORDIV) == 1); /* 10 div k stays */
    assert_true(reads(loop->body, IR_MOD, k));      /* in the if: stays */
    assert_false(reads(loop->body, IR_MUL, k));     /* k * 2 moved out */
    assert_true(reads_here(f->body, IR_MUL, k));
    assert_true(reads_here(f->body, IR_FLOORDIV, k)); /* k div 2 cannot fail */
    done(b);
}

static void test_licm_kernels_and_regions(void **state) {
    (void)state;
    Built *b = build_fused("algorithm t(p: float = 2.0, k: int = 0) {\n"
                     "  x = init_nodes(1.0)\n"
                     "  y = sum(x[u] * (p * 3.0) - x for u in in_nbrs)\n"
                     "  z = sum(10 div k for u in in_nbrs)\n"
                     "  return y, z\n"
                     "}\n");
    IrFunc *f = b->f;
    int p = var(f, "p"), k = var(f, "k");
    assert_true(reads(f->body, IR_MUL, p) && !reads_here(f->body, IR_MUL, p));
    run(opt_licm, f, "licm");
    /* p * 3.0 leaves the region and the kernel */
    assert_true(reads_here(f->body, IR_MUL, p));
    /* x at the node (not x[u]) leaves the region, not the kernel */
    for (int i = 0; i < f->body->nops; i++) {
        const IrOp *kern = f->body->ops[i];
        if (kern->code != IR_KERNEL) continue;
        for (int j = 0; j < kern->body->nops; j++) {
            const IrOp *agg = kern->body->ops[j];
            if (agg->code != IR_NBR_AGG) continue;
            assert_true(count(agg->body, IR_LOAD) <= 1);
            assert_int_equal(count(agg->body, IR_CONST), 0);
        }
    }
    assert_true(count_in_kernels(f->body, IR_LOAD) == 2); /* x[u] and x */
    /* 10 div k can fail: it stays in its region (a node may have no neighbors) */
    assert_true(count_in_kernels(f->body, IR_FLOORDIV) == 1 && reads(f->body, IR_FLOORDIV, k));
    assert_false(reads_here(f->body, IR_FLOORDIV, k));
    assert_false(run(opt_licm, f, "licm again"));
    done(b);
}

/* ---- dce ------------------------------------------------------------------------- */

static void test_dce_pure_and_failing(void **state) {
    (void)state;
    Built *b = build("algorithm t(p: float = 1.0, k: int = 0) {\n"
                     "  a = p * 2.0\n"
                     "  a2 = a + 1.0\n"
                     "  a3 = a2 * a2\n"
                     "  b = 10 div k\n"
                     "  c = int(p)\n"
                     "  d = k div 2\n"
                     "  if p > 0.0 { e = p * 3.0 }\n"
                     "  print(p)\n"
                     "  return p\n"
                     "}\n");
    IrFunc *f = b->f;
    assert_true(run(opt_dce, f, "dce"));
    assert_int_equal(count(f->body, IR_MUL), 0);
    assert_int_equal(count(f->body, IR_ADD), 0);
    assert_int_equal(count(f->body, IR_FLOORDIV), 1); /* 10 div k can stop the program */
    assert_int_equal(count(f->body, IR_CAST), 1);     /* so can int(p) */
    assert_int_equal(count(f->body, IR_IF), 0);       /* left empty */
    assert_int_equal(count(f->body, IR_PRINT), 1);
    assert_int_equal(count(f->body, IR_PARAM), 2);
    assert_false(run(opt_dce, f, "dce again"));
    done(b);
}

static void test_dce_kernels(void **state) {
    (void)state;
    Built *b = build_fused(PAGERANK);
    IrFunc *f = b->f;
    run(opt_copy_prop, f, "copy-prop");
    assert_true(count_in_kernels(f->body, IR_COPY) > 0);
    int stores = count(f->body, IR_STORE), accs = count(f->body, IR_ACC), kernels = count(f->body, IR_KERNEL);
    assert_true(run(opt_dce, f, "dce"));
    assert_int_equal(count_in_kernels(f->body, IR_COPY), 0);
    assert_int_equal(count(f->body, IR_STORE), stores);
    assert_int_equal(count(f->body, IR_ACC), accs);
    assert_int_equal(count(f->body, IR_KERNEL), kernels);
    /* every kernel still starts with its node */
    for (int i = 0; i < f->body->nops; i++)
        if (f->body->ops[i]->code == IR_KERNEL) assert_int_equal(f->body->ops[i]->body->ops[0]->code, IR_NODE_ID);
    assert_false(run(opt_dce, f, "dce again"));
    done(b);
}

/* A top-level load nothing reads goes (dead-vectors looks only inside
 * kernels), and with it the last reader of x1: x1's store goes too, and the
 * in_degree * 2 that fed it (kernels fused, as -O2 has them before dce). */
static void test_dce_unread_vector_stores(void **state) {
    (void)state;
    Built *b = build_fused("algorithm t() {\n"
                           "  x1 = in_degree * 2\n"
                           "  y = out_degree + 1\n"
                           "  s = x1[argmin(y)]\n"
                           "  return y\n"
                           "}\n");
    IrFunc *f = b->f;
    int stores = count(f->body, IR_STORE);
    assert_int_equal(count(f->body, IR_MUL), 1);
    assert_int_equal(count(f->body, IR_IN_DEGREE), 1);
    assert_true(run(opt_dce, f, "dce"));
    assert_int_equal(count(f->body, IR_LOAD) - count_in_kernels(f->body, IR_LOAD), 0);
    assert_int_equal(count(f->body, IR_STORE), stores - 1);
    assert_int_equal(count(f->body, IR_MUL), 0);
    assert_int_equal(count(f->body, IR_IN_DEGREE), 0);
    assert_false(run(opt_dce, f, "dce again"));
    done(b);
}

/* A failing op in a kernel whose result nothing reads stays (the regression
 * case dead-code-drops-runtime-error, after dead-vectors dropped the store). */
static void test_dce_failing_in_kernel(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "  x = out_degree - 1\n"
                     "  z = 10 div x\n"
                     "  return x\n"
                     "}\n");
    IrFunc *f = b->f;
    run(opt_dead_vectors, f, "dead-vectors");
    run(opt_dce, f, "dce");
    assert_int_equal(count_in_kernels(f->body, IR_FLOORDIV), 1);
    done(b);
}

/* ---- the whole pipeline ----------------------------------------------------------- */

static bool check_after(IrFunc *f, const OptPass *p, bool ran, void *ctx) {
    (void)ctx;
    (void)ran;
    verify_or_fail(f, p->name);
    return true;
}

static void test_pipeline_pagerank(void **state) {
    (void)state;
    Built *b = build(PAGERANK);
    IrFunc *f = b->f;
    assert_true(opt_run(f, 1, true, NULL, check_after, NULL));
    assert_int_equal(count_in_kernels(f->body, IR_COPY), 0);
    const IrOp *loop = find_loop(f->body);
    int kernels = 0;
    for (int i = 0; i < loop->body->nops; i++) {
        const IrOp *k = loop->body->ops[i];
        if (k->code != IR_KERNEL) continue;
        kernels++;
        assert_true(count(k->body, IR_OUT_DEGREE) <= 1);
    }
    assert_int_equal(kernels, 2);
    assert_false(reads(loop->body, IR_SUB, var(f, "damping")));
    assert_int_equal(count(f->body, IR_GRAPH_N), 1);
    done(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_constants),
        cmocka_unit_test(test_fold_leaves_runtime_work),
        cmocka_unit_test(test_fold_identities_exact),
        cmocka_unit_test(test_fold_f32),
        cmocka_unit_test(test_fold_where_in_kernel_and_if),
        cmocka_unit_test(test_copy_prop_kernels),
        cmocka_unit_test(test_copy_prop_reassigned),
        cmocka_unit_test(test_cse_pagerank),
        cmocka_unit_test(test_cse_loads_and_stores),
        cmocka_unit_test(test_cse_failing_ops),
        cmocka_unit_test(test_cse_branches),
        cmocka_unit_test(test_cse_commutative),
        cmocka_unit_test(test_cse_kernel_stores),
        cmocka_unit_test(test_cse_loops),
        cmocka_unit_test(test_licm_pagerank),
        cmocka_unit_test(test_licm_keeps_failing_ops),
        cmocka_unit_test(test_licm_kernels_and_regions),
        cmocka_unit_test(test_dce_pure_and_failing),
        cmocka_unit_test(test_dce_kernels),
        cmocka_unit_test(test_dce_failing_in_kernel),
        cmocka_unit_test(test_dce_unread_vector_stores),
        cmocka_unit_test(test_pipeline_pagerank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
