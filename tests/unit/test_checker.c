/* test_checker.c - name resolution and type/shape checking (src/frontend/check.c):
 * the types of representative expressions, the annotations the IR builder
 * reads, every error message, and quiet recovery after errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/parse.h"

typedef struct Run {
    Arena arena;
    Diag diag;
    char *src;
    char *err;
    size_t errlen;
    Program *p;
    bool ok;        /* parsed and checked without errors */
} Run;

static Run *check(const char *src) {
    Run *r = calloc(1, sizeof *r);
    r->src = strdup(src);
    arena_init(&r->arena);
    diag_init(&r->diag, "t.galg", r->src, strlen(src));
    r->diag.max_errors = 1000;
    r->diag.out = open_memstream(&r->err, &r->errlen);
    r->p = parse_program(&r->arena, &r->diag);
    if (!r->p) fail_msg("does not parse:\n%s\n%s", src, r->err);
    r->ok = check_program(r->p, &r->arena, &r->diag);
    fflush(r->diag.out);
    return r;
}

static void done(Run *r) {
    fclose(r->diag.out);
    arena_free(&r->arena);
    free(r->err);
    free(r->src);
    free(r);
}

/* ---- types of expressions ---------------------------------------------- */

/* A program with one variable of every kind; EXPR is assigned to `x`. */
static const char *const PRELUDE =
    "algorithm t(p: float = 1.0, k: int = 1, b: bool = true, s: node = 0) weighted {\n"
    "  fv = init_nodes(1.0)\n"
    "  iv = init_nodes(1)\n"
    "  bv = init_nodes(true)\n"
    "  nv = node_id\n"
    "  x = %s\n"
    "  return fv\n"
    "}\n";

static const char *type_of(const char *expr, Run **keep) {
    static char out[64];
    char src[1024];
    snprintf(src, sizeof src, PRELUDE, expr);
    Run *r = check(src);
    if (!r->ok) fail_msg("'%s' does not check:\n%s", expr, r->err);
    snprintf(out, sizeof out, "%s", type_name(r->p->body->stmts[4]->value->ty));
    if (keep) *keep = r;
    else done(r);
    return out;
}

static void test_expression_types(void **state) {
    (void)state;
    static const struct { const char *expr, *type; } cases[] = {
        /* literals and built-in values */
        {"1", "int"}, {"1.5", "float"}, {"true", "bool"}, {"inf", "float"}, {"-inf", "float"},
        {"N", "int"}, {"M", "int"}, {"node_id", "node vector of node"}, {"degree", "node vector of int"},
        {"out_degree", "node vector of int"}, {"in_degree", "node vector of int"},
        {"p", "float"}, {"k", "int"}, {"b", "bool"}, {"s", "node"},
        /* arithmetic */
        {"1 + 2", "int"}, {"1 + 2.0", "float"}, {"k * p", "float"}, {"7 / 2", "float"}, {"7 div 2", "int"},
        {"7.0 div 2", "float"}, {"7 % 2", "int"}, {"7 % 2.5", "float"}, {"-k", "int"}, {"+p", "float"},
        {"fv + 1", "node vector of float"}, {"iv * 2", "node vector of int"}, {"iv / 2", "node vector of float"},
        {"1 - iv", "node vector of int"}, {"iv + fv", "node vector of float"}, {"-iv", "node vector of int"},
        /* comparisons and logic */
        {"iv == 1.5", "node vector of bool"}, {"nv < s", "node vector of bool"}, {"s == s", "bool"},
        {"b != true", "bool"}, {"bv == b", "node vector of bool"}, {"k <= p", "bool"},
        {"not bv", "node vector of bool"}, {"b and k > 0", "bool"}, {"bv or b", "node vector of bool"},
        /* functions */
        {"init_nodes(s)", "node vector of node"}, {"init_nodes(-1)", "node vector of int"},
        {"where(bv, iv, 1.5)", "node vector of float"}, {"where(b, s, s)", "node"},
        {"where(b, iv, 2)", "node vector of int"}, {"where(bv, true, false)", "node vector of bool"},
        {"abs(iv)", "node vector of int"}, {"abs(-2.5)", "float"}, {"sqrt(4)", "float"}, {"exp(fv)", "node vector of float"},
        {"log(k)", "float"}, {"pow(2, 3)", "float"}, {"pow(iv, 2)", "node vector of float"},
        {"floor(iv)", "node vector of float"}, {"ceil(2.5)", "float"},
        {"float(true)", "float"}, {"float(iv)", "node vector of float"}, {"int(2.5)", "int"},
        {"int(nv)", "node vector of int"}, {"int(b)", "int"}, {"bool(iv)", "node vector of bool"},
        {"bool(0.5)", "bool"}, {"min(iv, 2)", "node vector of int"}, {"max(iv, fv)", "node vector of float"},
        {"min(nv, s)", "node vector of node"}, {"max(1, 2)", "int"},
        /* whole-vector reductions */
        {"sum(iv)", "int"}, {"sum(fv)", "float"}, {"sum(bv)", "int"}, {"min(nv)", "node"}, {"max(fv)", "float"},
        {"mean(iv)", "float"}, {"count(bv)", "int"}, {"any(bv)", "bool"}, {"all(iv > 0)", "bool"},
        {"argmax(fv)", "node"}, {"argmin(iv)", "node"},
        /* indexing */
        {"fv[s]", "float"}, {"fv[nv]", "node vector of float"}, {"nv[nv]", "node vector of node"},
        {"out_degree[s]", "int"}, {"node_id[s]", "node"}, {"(fv + 1)[s]", "float"},
        {"fv[argmax(fv)]", "float"},
        /* neighbor aggregations */
        {"sum(fv[u] for u in in_nbrs)", "node vector of float"},
        {"sum(bv[u] for u in nbrs)", "node vector of int"},
        {"sum(iv[u] for u in out_nbrs)", "node vector of int"},
        {"count(fv[u] > fv for u in out_nbrs)", "node vector of int"},
        {"mean(iv[u] for u in nbrs)", "node vector of float"},
        {"mode(nv[u] for u in nbrs)", "node vector of node"},
        {"mode(iv[u] for u in nbrs)", "node vector of int"},
        {"mode(bv[u] for u in nbrs)", "node vector of bool"},
        {"min(fv[u] + w for u, w in in_edges)", "node vector of float"},
        {"max(w for u, w in edges)", "node vector of float"},
        {"sum(1 for u in out_edges)", "node vector of int"},
        {"max(u for u in nbrs)", "node vector of node"},
        {"any(u == s for u in nbrs if iv[u] > 0)", "node vector of bool"},
        {"all(fv[u] <= fv + p for u in in_nbrs)", "node vector of bool"},
        {"count(true for u in nbrs if nv[u] < node_id)", "node vector of int"},
        {"sum(fv[nv] * degree[u] for u in in_nbrs)", "node vector of float"},
        {"min(nv, min(nv[u] for u in nbrs))", "node vector of node"},
        {"sum(where(fv[u] > fv, 1, 0) for u in nbrs)", "node vector of int"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = type_of(cases[i].expr, NULL);
        if (strcmp(got, cases[i].type)) fail_msg("%s: got %s, expected %s", cases[i].expr, got, cases[i].type);
    }
}

static void test_element_context(void **state) {
    (void)state;
    Run *r;
    type_of("sum(fv[u] - fv * w for u, w in in_edges if bv)", &r);
    Expr *agg = r->p->body->stmts[4]->value;
    assert_int_equal(agg->kind, EX_COMPR);
    assert_false(agg->elem);
    assert_int_equal(agg->builtin, BI_SUM);
    assert_int_equal(agg->dir, DIR_IN);
    assert_true(agg->weighted);
    Expr *body = agg->body;                     /* (fv[u] - (fv * w)) */
    assert_true(body->elem);
    assert_string_equal(type_name(body->ty), "float");
    Expr *idx = body->lhs;                      /* fv[u] */
    assert_true(idx->elem);
    assert_string_equal(type_name(idx->ty), "float");
    assert_string_equal(type_name(idx->lhs->ty), "node vector of float"); /* the vector read */
    assert_int_equal(idx->lhs->sym->kind, SYM_VAR);
    assert_int_equal(idx->rhs->sym->kind, SYM_NBR);
    assert_string_equal(type_name(idx->rhs->ty), "node");
    Expr *cur = body->rhs->lhs;                 /* fv: the current node's value */
    assert_true(cur->elem);
    assert_string_equal(type_name(cur->ty), "float");
    assert_int_equal(cur->sym->kind, SYM_VAR);
    assert_string_equal(type_name(cur->sym->ty), "node vector of float");
    Expr *w = body->rhs->rhs;
    assert_int_equal(w->sym->kind, SYM_WEIGHT);
    assert_string_equal(type_name(w->ty), "float");
    assert_true(agg->cond->elem);
    assert_string_equal(type_name(agg->cond->ty), "bool");
    done(r);

    type_of("max(node_id[u] for u in nbrs)", &r);
    agg = r->p->body->stmts[4]->value;
    assert_int_equal(agg->dir, DIR_BOTH);
    assert_false(agg->weighted);
    assert_int_equal(agg->body->lhs->sym->kind, SYM_BUILTIN);
    assert_int_equal(agg->body->lhs->sym->builtin, BI_NODE_ID);
    done(r);

    /* a vector built-in named plainly is the current node's value too */
    type_of("sum(degree + k for u in nbrs)", &r);
    Expr *deg = r->p->body->stmts[4]->value->body->lhs;
    assert_true(deg->elem);
    assert_string_equal(type_name(deg->ty), "int");
    assert_int_equal(deg->sym->builtin, BI_DEGREE);
    done(r);
}

static void test_annotations(void **state) {
    (void)state;
    Run *r = check("algorithm t(a: float = 2, n: int = -3 * 2 + 1, f: bool = not false, s: node = 7, "
                   "g: float = -inf, h: int = 7 div -2, m: int = -7 % 3, q: float = 1 / 4, z: float) {\n"
                   "  x = init_nodes(0)\n"
                   "  if true { y = 1; x[s] = y }\n"
                   "  x[s] = n\n"
                   "  x = x + 1\n"
                   "  return x, x * a, a\n"
                   "}\n");
    if (!r->ok) fail_msg("%s", r->err);
    Param **q = r->p->params;
    assert_int_equal(q[0]->dtype, DT_FLOAT);
    assert_true(q[0]->has_default && q[0]->fdefault == 2.0);
    assert_true(q[1]->idefault == -5);
    assert_true(q[2]->dtype == DT_BOOL && q[2]->idefault == 1);
    assert_true(q[3]->dtype == DT_NODE && q[3]->idefault == 7);
    assert_true(isinf(q[4]->fdefault) && q[4]->fdefault < 0);
    assert_true(q[5]->idefault == -4);
    assert_true(q[6]->idefault == 2);
    assert_true(q[7]->fdefault == 0.25);
    assert_false(q[8]->has_default);
    for (int i = 0; i < 9; i++) {
        assert_non_null(q[i]->sym);
        assert_int_equal(q[i]->sym->kind, SYM_PARAM);
        assert_int_equal(q[i]->sym->index, i);
    }

    assert_int_equal(r->p->nvars, 2);
    assert_string_equal(r->p->vars[0]->name, "x");
    assert_string_equal(r->p->vars[1]->name, "y");
    assert_int_equal(r->p->vars[1]->index, 1);
    Stmt **s = r->p->body->stmts;
    assert_true(s[0]->defines);
    assert_ptr_equal(s[0]->sym, r->p->vars[0]);
    assert_true(s[1]->body->stmts[0]->defines);
    assert_int_equal(s[1]->body->stmts[1]->kind, ST_STORE);
    assert_ptr_equal(s[1]->body->stmts[1]->sym, r->p->vars[0]);
    assert_ptr_equal(s[2]->sym, r->p->vars[0]);
    assert_false(s[3]->defines);
    assert_string_equal(r->p->out_names[0], "x");
    assert_string_equal(r->p->out_names[1], "value2");
    assert_string_equal(r->p->out_names[2], "a");
    assert_int_equal(s[4]->values[2]->sym->kind, SYM_PARAM);

    /* the dump shows the annotations */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ast_dump(r->p, out);
    fclose(out);
    assert_non_null(strstr(buf, "algorithm t @1:11\n"));
    assert_non_null(strstr(buf, "  param n: int = -5 @1:27\n"));
    assert_non_null(strstr(buf, "    assign x [defines var#0] @2:3\n"));
    assert_non_null(strstr(buf, "      call init_nodes : node vector of int @2:7\n"));
    assert_non_null(strstr(buf, "    store x [var#0] @4:3\n"));
    assert_non_null(strstr(buf, "      index: name s : node [param#3] @4:5\n"));
    assert_non_null(strstr(buf, "  outputs: x value2 a\n"));
    free(buf);
    done(r);
}

static void test_examples_check(void **state) {
    (void)state;
    static const char *const examples[] = {
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
        "}\n",
        "algorithm cc() undirected {\n"
        "    comp = node_id\n"
        "    changed = true\n"
        "    while changed {\n"
        "        next    = min(comp, min(comp[u] for u in nbrs))\n"
        "        next    = next[next]\n"
        "        changed = any(next != comp)\n"
        "        comp    = next\n"
        "    }\n"
        "    return comp\n"
        "}\n",
        "algorithm bfs(source: node = 0) {\n"
        "    depth = init_nodes(-1)\n"
        "    depth[source] = 0\n"
        "    d = 0\n"
        "    while true {\n"
        "        next = where(depth == -1 and any(depth[u] == d for u in in_nbrs), d + 1, depth)\n"
        "        if all(next == depth) { break }\n"
        "        depth = next\n"
        "        d = d + 1\n"
        "    }\n"
        "    return depth\n"
        "}\n",
        "algorithm sssp(source: node = 0) weighted {\n"
        "    dist = init_nodes(inf)\n"
        "    dist[source] = 0.0\n"
        "    repeat N {\n"
        "        next = min(dist, min(dist[u] + w for u, w in in_edges))\n"
        "        if all(next == dist) { break }\n"
        "        dist = next\n"
        "    }\n"
        "    return dist\n"
        "}\n",
        "algorithm lpa(max_iter: int = 20) undirected {\n"
        "    label = node_id\n"
        "    repeat max_iter { label = mode(label[u] for u in nbrs) }\n"
        "    return label\n"
        "}\n",
        /* more of the language in one program */
        "algorithm misc(k: int = 3, eps: float = 1e-9, src: node = 1) weighted undirected {\n"
        "    x = init_nodes(0.0); hops = init_nodes(-1); hops[src] = 0\n"
        "    total = 0.0\n"
        "    i = 0\n"
        "    repeat k {\n"
        "        x = x + mean(x[u] * w for u, w in edges if w > eps) / max(1, degree)\n"
        "        total = total + sum(x)\n"
        "        if total > 100 { break } else if total < 0 { total = 0 } else { i = i + 1 }\n"
        "        print(\"round\", i, \"total\", total, x[src], argmax(x))\n"
        "    }\n"
        "    far = count(hops == -1)\n"
        "    return x, hops, total, far div 2\n"
        "}\n",
    };
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        Run *r = check(examples[i]);
        if (!r->ok) fail_msg("example %zu:\n%s", i, r->err);
        done(r);
    }
}

/* ---- errors ------------------------------------------------------------- */

/* The program must check with exactly `count` errors, one of them `msg`. */
static void expect_errors(const char *src, int count, const char *msg) {
    Run *r = check(src);
    if (r->ok) fail_msg("no error for:\n%s", src);
    if (!strstr(r->err, msg)) fail_msg("expected '%s' for:\n%s\ngot:\n%s", msg, src, r->err);
    if (r->diag.nerrors != count) fail_msg("expected %d errors, got %d:\n%s", count, r->diag.nerrors, r->err);
    done(r);
}

/* A body with `stmt` in the PRELUDE's context (one error). */
static void expect_error_in(const char *stmts, const char *msg) {
    char src[2048];
    snprintf(src, sizeof src,
             "algorithm t(p: float = 1.0, k: int = 1, b: bool = true, s: node = 0) {\n"
             "  fv = init_nodes(1.0)\n  iv = init_nodes(1)\n  bv = init_nodes(true)\n  nv = node_id\n"
             "%s\n  return fv\n}\n", stmts);
    expect_errors(src, 1, msg);
}

static void test_errors_names(void **state) {
    (void)state;
    expect_error_in("  x = y + 1", "6:7: error: unknown name 'y'");
    expect_error_in("  sum = 1", "6:3: error: 'sum' is a built-in and cannot be redefined");
    expect_error_in("  N = 1", "'N' is a built-in and cannot be redefined");
    expect_error_in("  node_id[s] = s", "'node_id' is a built-in and cannot be redefined");
    expect_error_in("  in_nbrs = 1", "'in_nbrs' is a built-in and cannot be redefined");
    expect_error_in("  x = sum(fv[inf] for inf in nbrs)", "6:23: error: 'inf' is a built-in and cannot be redefined");
    expect_error_in("  x = sum(fv[k] for k in nbrs)", "'k' is already a parameter (defined at 1:29); the neighbor "
                                                      "needs another name");
    expect_error_in("  p = 2.0", "6:3: error: cannot assign to parameter 'p'");
    expect_error_in("  x = sum", "6:7: error: 'sum' is a function: call it, as in sum(...)");
    expect_error_in("  x = nbrs", "'nbrs' is a neighborhood");
    expect_error_in("  x = foo(1)", "6:7: error: unknown function 'foo'");
    expect_error_in("  x = fv(1)", "'fv' is not a function");
    expect_error_in("  x = N(1)", "'N' is not a function");
    expect_error_in("  y[s] = 1", "unknown name 'y'");
    expect_error_in("  x = sum(fv[u] for u in nbrs)\n  y = u",
                    "7:7: error: 'u' is only bound inside the comprehension at 6:7");
    expect_errors("algorithm t(a: int, a: float) {\n  return a\n}\n", 1,
                  "1:21: error: 'a' is already a parameter (defined at 1:13)");
    expect_errors("algorithm t(inf: float) {\n  return 1\n}\n", 1, "'inf' is a built-in and cannot be redefined");

    /* a block's variables end with it; the note says where the name was */
    Run *r = check("algorithm t() {\n  if true {\n    y = 1\n  }\n  return y\n}\n");
    assert_false(r->ok);
    assert_int_equal(r->diag.nerrors, 1);
    assert_non_null(strstr(r->err, "5:10: error: unknown name 'y'"));
    assert_non_null(strstr(r->err, "3:5: note: 'y' was defined here, but only inside its block, which has ended"));
    done(r);
    /* ... and a use before the first assignment is unknown too */
    expect_errors("algorithm t() {\n  repeat 2 { x = y\n  y = 1 }\n  return 1\n}\n", 1, "2:18: error: unknown name 'y'");
}

static void test_errors_types(void **state) {
    (void)state;
    expect_error_in("  x = 1 + true", "6:9: error: '+' needs int or float operands, got bool");
    expect_error_in("  x = nv * 2", "'*' needs int or float operands, got node (int(x) gives a node's id)");
    expect_error_in("  x = -b", "unary '-' needs an int or float, got bool");
    expect_error_in("  x = not k", "'not' needs a bool, got int");
    expect_error_in("  x = k and b", "'and' needs bool operands, got int");
    expect_error_in("  x = nv == 1", "6:10: error: cannot compare node with int (use int(x) to compare a node's id "
                                     "with a number)");
    expect_error_in("  x = b < true", "'<' needs numbers or nodes, got bool");
    expect_error_in("  x = b == 1", "cannot compare bool with int");
    expect_error_in("  x = \"a\" + 1", "6:7: error: a string can only be printed");
    expect_error_in("  x = \"a\"", "a string can only be printed");
    expect_error_in("  x = fv[1]", "6:10: error: index must be a node, got int");
    expect_error_in("  x = fv[iv]", "index must be a node, got node vector of int");
    expect_error_in("  x = p[s]", "6:7: error: cannot index 'p', a float scalar");
    expect_error_in("  x = (p + 1)[s]", "cannot index a float scalar");
    expect_error_in("  x = 1.0\n  x = init_nodes(2.0)",
                    "7:3: error: cannot assign a node vector of float to 'x', a float scalar (defined at 6:3)");
    expect_error_in("  x = 1\n  x = 1.5", "cannot assign a float scalar to 'x', an int scalar (defined at 6:3)");
    expect_error_in("  x = fv\n  x = iv > 0", "cannot assign a node vector of bool to 'x', a node vector of float");
    expect_error_in("  fv[s] = true", "6:11: error: cannot store a bool scalar into 'fv', a node vector of float");
    expect_error_in("  fv[s] = fv", "cannot store a node vector of float into one element of 'fv'");
    expect_error_in("  fv[nv] = 1.0", "an element store needs a single node as index, got a node vector of node");
    expect_error_in("  fv[k] = 1.0", "6:6: error: index must be a node, got int");
    expect_error_in("  x = 1\n  x[s] = 1", "cannot index 'x', an int scalar");
    /* int values go into float variables */
    char ok[] = "algorithm t(s: node = 0) {\n  x = 1.0\n  x = 2\n  v = init_nodes(0.0)\n  v = init_nodes(1)\n"
                "  v[s] = 3\n  return x, v\n}\n";
    Run *r = check(ok);
    if (!r->ok) fail_msg("%s", r->err);
    done(r);
}

static void test_errors_functions(void **state) {
    (void)state;
    expect_error_in("  x = where(true, 1)", "6:7: error: 'where' takes 3 arguments, got 2");
    expect_error_in("  x = init_nodes()", "'init_nodes' takes 1 argument, got 0");
    expect_error_in("  x = pow(1)", "'pow' takes 2 arguments, got 1");
    expect_error_in("  x = min(1, 2, 3)", "'min' takes 1 argument (a vector to reduce) or 2 (compared element-wise), "
                                          "got 3");
    expect_error_in("  x = sum(fv, iv)", "'sum' takes 1 argument, got 2");
    expect_error_in("  x = where(iv, 1, 2)", "the condition of 'where' must be bool, got int");
    expect_error_in("  x = where(bv, 1, true)", "the two values of 'where' do not match: int and bool");
    expect_error_in("  x = where(bv, s, 1)", "the two values of 'where' do not match: node and int");
    expect_error_in("  x = init_nodes(fv)", "'init_nodes' needs a scalar, got a node vector of float");
    expect_error_in("  x = sqrt(b)", "'sqrt' needs an int or float, got bool");
    expect_error_in("  x = abs(nv)", "'abs' needs an int or float, got node");
    expect_error_in("  x = float(s)", "'float' of a node is not defined");
    expect_error_in("  x = bool(s)", "'bool' of a node is not defined");
    expect_error_in("  x = min(bv, true)", "'min' needs two numbers or two nodes, got bool and bool");
    expect_error_in("  x = max(nv, 1)", "'max' needs two numbers or two nodes, got node and int");
    expect_error_in("  x = print(1)", "'print' gives no value; use it as a statement");
    expect_error_in("  sum(fv)", "6:3: error: the value of 'sum' is not used; assign it to a variable");
    expect_error_in("  print(fv)", "6:9: error: print cannot print a node vector of float");
    expect_error_in("  print(\"a\" + 1)", "a string can only be printed");
}

static void test_errors_reductions(void **state) {
    (void)state;
    expect_error_in("  x = sum(1.0)", "6:7: error: aggregation over a scalar: 'sum' needs a node vector, got a float "
                                      "scalar");
    expect_error_in("  x = any(b)", "aggregation over a scalar: 'any' needs a node vector, got a bool scalar");
    expect_error_in("  x = max(fv[s])", "aggregation over a scalar");
    expect_error_in("  x = sum(nv)", "'sum' needs int, float or bool values, got node");
    expect_error_in("  x = mean(bv)", "'mean' needs int or float values, got bool");
    expect_error_in("  x = count(iv)", "'count' counts trues and needs bool values, got int");
    expect_error_in("  x = any(iv)", "'any' needs bool values, got int");
    expect_error_in("  x = min(bv)", "'min' needs int, float or node values, got bool");
    expect_error_in("  x = argmax(nv)", "'argmax' needs int or float values, got node");
    expect_error_in("  x = mode(iv)", "'mode' is only a neighbor aggregation");
}

static void test_errors_aggregations(void **state) {
    (void)state;
    expect_error_in("  x = sum(fv[u] * w for u, w in in_edges)",
                    "6:28: error: the edge weight 'w' needs a weighted graph: add 'weighted' to the header of "
                    "algorithm 't'");
    expect_error_in("  x = sum(fv[u] for u in out_edges)", "6:26: error: 'out_edges' needs a weighted graph");
    expect_error_in("  x = sum(fv[u] for u, w in in_nbrs)",
                    "6:24: error: a weight needs an edge neighborhood: 'for u, w in in_edges'");
    expect_error_in("  x = sum(fv[u] for u in neighbors)", "6:26: error: unknown neighborhood 'neighbors'");
    expect_error_in("  x = abs(fv[u] for u in nbrs)", "6:7: error: 'abs' is not an aggregation");
    expect_error_in("  x = total(fv[u] for u in nbrs)", "unknown aggregation 'total'");
    expect_error_in("  x = sum(sum(fv[v] for v in nbrs) for u in nbrs)",
                    "6:11: error: nested neighbor aggregation is not supported");
    expect_error_in("  x = sum(fv[u] / sum(fv) for u in nbrs)",
                    "6:19: error: 'sum' of a whole vector cannot be used inside an aggregation");
    expect_error_in("  x = sum(init_nodes(1) for u in nbrs)", "'init_nodes' cannot be used inside an aggregation");
    expect_error_in("  x = sum(fv[u] for u in nbrs if fv[u])", "6:36: error: the condition of an aggregation must be "
                                                             "bool, got float");
    expect_error_in("  x = count(fv[u] for u in nbrs)", "'count' counts trues and needs bool values, got float");
    expect_error_in("  x = mode(fv[u] for u in nbrs)", "'mode' needs int, node or bool values, got float");
    expect_error_in("  x = sum(nv[u] for u in nbrs)", "'sum' needs int, float or bool values, got node");
    expect_error_in("  x = sum((fv + 1)[u] for u in nbrs)", "only a vector variable can be indexed, as in x[u]");
    expect_error_in("  x = sum(p[u] for u in nbrs)", "cannot index 'p', a float scalar");
    expect_error_in("  x = sum(fv for fv in nbrs)", "'fv' is already a variable (defined at 2:3)");
    expect_errors("algorithm t() weighted {\n  x = sum(1.0 for u, u in edges)\n  return x\n}\n", 1,
                  "the neighbor and the weight need different names");
}

static void test_errors_statements(void **state) {
    (void)state;
    expect_error_in("  repeat p { }", "6:10: error: the count of 'repeat' must be an int scalar, got a float scalar");
    expect_error_in("  repeat iv { }", "must be an int scalar, got a node vector of int");
    expect_error_in("  while bv { }", "6:9: error: condition must be a bool scalar, got a node vector of bool "
                                     "(any(...) or all(...) make one)");
    expect_error_in("  if k { }", "condition must be a bool scalar, got an int scalar");
    expect_error_in("  break", "6:3: error: 'break' outside of a loop (repeat or while)");
    expect_error_in("  if b { break }", "'break' outside of a loop");
    expect_error_in("  return fv", "6:3: error: 'return' must be the last statement of the algorithm");
    expect_error_in("  if b { return fv }", "'return' must be the last statement of the algorithm");
    expect_errors("algorithm pagerank() {\n  x = 1\n}\n", 1,
                  "3:1: error: missing return at the end of algorithm 'pagerank'");
    expect_errors("algorithm t() {\n}\n", 1, "2:1: error: missing return at the end of algorithm 't'");
    expect_errors("algorithm t() {\n  return ranks\n}\n", 1, "2:10: error: unknown name 'ranks'");
    expect_errors("algorithm t() {\n  return \"x\"\n}\n", 1, "a string can only be printed");
    /* break inside a loop inside an if is fine */
    Run *r = check("algorithm t() {\n  while true { if true { break } }\n  repeat 1 { break }\n  return 1\n}\n");
    assert_true(r->ok);
    done(r);
}

static void test_errors_params(void **state) {
    (void)state;
    expect_errors("algorithm t(d: flaot = 1) {\n  return d\n}\n", 1,
                  "1:16: error: unknown type 'flaot' (a parameter is a float, int, bool or node)");
    expect_errors("algorithm t(d: int = 1.5) {\n  return d\n}\n", 1,
                  "1:22: error: the default of int parameter 'd' must be an int, got float");
    expect_errors("algorithm t(s: node = -1) {\n  return s\n}\n", 1,
                  "the default of node parameter 's' must be a node id (an int >= 0, the node's number in the graph "
                  "file), got -1");
    expect_errors("algorithm t(s: node = 1.0) {\n  return s\n}\n", 1, "must be a node id");
    expect_errors("algorithm t(f: bool = 1) {\n  return f\n}\n", 1, "must be true or false, got 1");
    expect_errors("algorithm t(f: float = true) {\n  return f\n}\n", 1, "must be a number, got bool");
    expect_errors("algorithm t(f: float = N) {\n  return f\n}\n", 1,
                  "1:24: error: a default value must be a constant (literals and arithmetic on them)");
    expect_errors("algorithm t(f: float = sqrt(2)) {\n  return f\n}\n", 1, "must be a constant");
    expect_errors("algorithm t(f: bool = 1 < 2) {\n  return f\n}\n", 1, "must be a constant");
    expect_errors("algorithm t(f: int = 1 div 0) {\n  return f\n}\n", 1, "division by zero in a default value");
    expect_errors("algorithm t(f: int = 9223372036854775807 + 1) {\n  return f\n}\n", 1, "integer overflow");
    expect_errors("algorithm t(f: int = -true) {\n  return f\n}\n", 1, "unary minus or plus needs a number");
}

/* f32: a storage type. Reads are floats, writes convert; typed first
 * assignments check like later ones. */
static void test_f32(void **state) {
    (void)state;
    Run *r = check("algorithm t(s: node = 0) {\n"
                   "  v: f32 = init_nodes(1.0 / N)\n"        /* 2 */
                   "  x: f32 = 1\n"                          /* 3: int to f32 */
                   "  i: int = 2; f: float = 3; b: bool = true; n: node = s\n" /* 4 */
                   "  y = v * 2.0 + x\n"                     /* 5 */
                   "  g = v[node_id]\n"                      /* 6 */
                   "  e = v[s]\n"                            /* 7 */
                   "  a = sum(v[u] + v for u in in_nbrs)\n"  /* 8 */
                   "  v = y; v[s] = 2; v[s] = e; x = e\n"    /* 9 */
                   "  return v, x, y, sum(v)\n"
                   "}\n");
    if (!r->ok) fail_msg("%s", r->err);
    Symbol **vars = r->p->vars;
    assert_string_equal(vars[0]->name, "v");
    assert_string_equal(type_name(vars[0]->ty), "node vector of f32");
    assert_string_equal(type_name(vars[1]->ty), "f32");
    assert_string_equal(type_name(vars[2]->ty), "int");
    assert_string_equal(type_name(vars[3]->ty), "float"); /* from an int value */
    assert_string_equal(type_name(vars[4]->ty), "bool");
    assert_string_equal(type_name(vars[5]->ty), "node");
    assert_string_equal(type_name(vars[6]->ty), "node vector of float"); /* y: arithmetic is float */
    assert_string_equal(type_name(vars[7]->ty), "node vector of float"); /* a gather reads float */
    assert_string_equal(type_name(vars[8]->ty), "float");                /* an element too */
    assert_string_equal(type_name(vars[9]->ty), "node vector of float");
    Stmt **st = r->p->body->stmts;
    assert_true(st[0]->defines);
    assert_string_equal(st[0]->type_name, "f32");
    /* a read of v is a float vector; inside the aggregation v[u] and v are floats,
     * while the base of v[u] names the f32 vector itself */
    Expr *y = st[6]->value;
    assert_string_equal(type_name(y->lhs->lhs->ty), "node vector of float");
    assert_string_equal(type_name(y->lhs->lhs->sym->ty), "node vector of f32");
    Expr *body = st[9]->value->body;
    assert_string_equal(type_name(body->lhs->ty), "float");
    assert_string_equal(type_name(body->lhs->lhs->ty), "node vector of f32");
    assert_string_equal(type_name(body->rhs->ty), "float");
    assert_string_equal(type_name(st[14]->values[3]->ty), "float");
    /* the dump shows the declared type */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ast_dump(r->p, out);
    fclose(out);
    assert_non_null(strstr(buf, "    assign v: f32 [defines var#0] @2:3\n"));
    assert_non_null(strstr(buf, "    assign v [var#0] @9:3\n"));
    free(buf);
    done(r);

    /* errors, in the existing words */
    expect_error_in("  x: f32 = true", "6:3: error: cannot assign a bool scalar to 'x', an f32 scalar");
    expect_error_in("  x: f32 = bv", "cannot assign a node vector of bool to 'x', a node vector of f32");
    expect_error_in("  x: f32 = s", "cannot assign a node scalar to 'x', an f32 scalar");
    expect_error_in("  x: int = 1.5", "cannot assign a float scalar to 'x', an int scalar");
    expect_error_in("  x: node = 1", "cannot assign an int scalar to 'x', a node scalar");
    expect_error_in("  x: bool = iv", "cannot assign a node vector of int to 'x', a node vector of bool");
    expect_error_in("  x: f32 = \"0.1\"", "6:12: error: a string can only be printed");
    expect_error_in("  x: double = 1.0", "6:6: error: unknown type 'double' (a variable's type is int, float, bool, "
                                         "node or f32)");
    expect_error_in("  x = 1.0\n  x: f32 = 2.0", "7:3: error: 'x' is already defined at 6:3; a type goes on the first "
                                                "assignment only");
    expect_error_in("  fv: float = 2.0", "6:3: error: 'fv' is already defined at 2:3; a type goes on the first "
                                         "assignment only");
    expect_error_in("  p: f32 = 2.0", "6:3: error: cannot assign to parameter 'p'");
    expect_error_in("  N: int = 2", "6:3: error: 'N' is a built-in and cannot be redefined");
    expect_error_in("  x: f32 = 1.0\n  x = true", "7:3: error: cannot assign a bool scalar to 'x', an f32 scalar "
                                                 "(defined at 6:3)");
    expect_error_in("  x: f32 = fv\n  x[s] = b", "cannot store a bool scalar into 'x', a node vector of f32");
    expect_error_in("  x: f32 = fv\n  x = 1.0", "cannot assign a float scalar to 'x', a node vector of f32");
    expect_error_in("  x: f32 = 1.0\n  y = x and b", "'and' needs bool operands, got float");
    expect_errors("algorithm t(d: f32) {\n  return d\n}\n", 1,
                  "unknown type 'f32' (a parameter is a float, int, bool or node)");
    /* a variable of a block that has ended may be defined again, with a type */
    r = check("algorithm t() {\n  if true { x = 1 }\n  x: f32 = 2\n  return x\n}\n");
    if (!r->ok) fail_msg("%s", r->err);
    done(r);
    /* one message per mistake: the variable exists after a bad typed assignment */
    expect_errors("algorithm t() {\n  x: f32 = true\n  y = x * 2\n  x = 1.5\n  return y\n}\n", 1,
                  "cannot assign a bool scalar to 'x'");
    expect_errors("algorithm t() {\n  x: real = 1.0\n  y = x * 2\n  x = true\n  return y\n}\n", 1,
                  "unknown type 'real'");
    expect_errors("algorithm t() {\n  x: f32 = q\n  y = x * 2\n  return y\n}\n", 1, "unknown name 'q'");
}

static void test_no_cascades(void **state) {
    (void)state;
    /* a bad value poisons what is built on it, without more messages */
    expect_errors("algorithm t() {\n  x = y + 1\n  z = x * 2 + sum(x)\n  w = z[node_id]\n  if z > 1 { }\n"
                  "  return z, w\n}\n", 1, "unknown name 'y'");
    expect_errors("algorithm t(d: flaot) {\n  x = d + 1\n  return x\n}\n", 1, "unknown type 'flaot'");
    expect_errors("algorithm t() {\n  sum = 1\n  x = sum\n  return x\n}\n", 1, "'sum' is a built-in");
    expect_errors("algorithm t() {\n  x = sum(q[u] for u in nbrs)\n  y = x + 1\n  return y\n}\n", 1,
                  "unknown name 'q'");
    expect_errors("algorithm t() {\n  x = where(true, 1)\n  x = 2.5\n  return x\n}\n", 1, "takes 3 arguments");

    /* independent mistakes are all reported */
    Run *r = check("algorithm t(a: flaot, b: int = 1.5) {\n"
                   "  x = 1 + true\n"
                   "  y = where(true, 1)\n"
                   "  z = sum(1.0)\n"
                   "  if node_id > 0 { }\n"
                   "  break\n"
                   "  N = 3\n"
                   "}\n");
    assert_false(r->ok);
    assert_int_equal(r->diag.nerrors, 9);
    done(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expression_types),
        cmocka_unit_test(test_element_context),
        cmocka_unit_test(test_annotations),
        cmocka_unit_test(test_examples_check),
        cmocka_unit_test(test_errors_names),
        cmocka_unit_test(test_errors_types),
        cmocka_unit_test(test_errors_functions),
        cmocka_unit_test(test_errors_reductions),
        cmocka_unit_test(test_errors_aggregations),
        cmocka_unit_test(test_errors_statements),
        cmocka_unit_test(test_errors_params),
        cmocka_unit_test(test_f32),
        cmocka_unit_test(test_no_cascades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
