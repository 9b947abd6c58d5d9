/* test_parser.c - the grammar (grammar/galg.y) through parse_program: tree
 * shapes, precedence, separators, error messages and recovery, limits, speed,
 * and a small mutation fuzz for "never crashes". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/parse.h"

typedef struct Run {
    Arena arena;
    Diag diag;
    char *src;      /* owned copy: the Diag points into it */
    char *err;      /* the diagnostics */
    size_t errlen;
    Program *p;
} Run;

static Run *parse_n(const char *src, size_t len) {
    Run *r = calloc(1, sizeof *r);
    r->src = malloc(len + 1);
    memcpy(r->src, src, len);
    r->src[len] = 0;
    arena_init(&r->arena);
    diag_init(&r->diag, "t.galg", r->src, len);
    r->diag.max_errors = 1000;
    r->diag.out = open_memstream(&r->err, &r->errlen);
    r->p = parse_program(&r->arena, &r->diag);
    fflush(r->diag.out);
    return r;
}

static Run *parse(const char *src) { return parse_n(src, strlen(src)); }

static void done(Run *r) {
    fclose(r->diag.out);
    arena_free(&r->arena);
    free(r->err);
    free(r->src);
    free(r);
}

/* Expressions as s-expressions: (+ a (* b c)), (idx x u), (call f a b),
 * (sum body for u in in_nbrs if cond). */
static void sx(const Expr *e, char *buf, size_t size) {
    size_t n = strlen(buf);
    char *p = buf + n;
    size_t left = size - n;
    switch (e->kind) {
    case EX_INT: snprintf(p, left, "%lld", (long long)e->ival); break;
    case EX_FLOAT: snprintf(p, left, "%g", e->fval); break;
    case EX_BOOL: snprintf(p, left, "%s", e->bval ? "true" : "false"); break;
    case EX_STRING: snprintf(p, left, "\"%s\"", e->str); break;
    case EX_NAME: snprintf(p, left, "%s", e->str); break;
    case EX_UNARY:
        snprintf(p, left, "(%s ", e->op == OP_NEG ? "neg" : e->op == OP_POS ? "pos" : "not");
        sx(e->lhs, buf, size);
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case EX_BINARY:
        snprintf(p, left, "(%s ", ast_op_text(e->op));
        sx(e->lhs, buf, size);
        strncat(buf, " ", size - strlen(buf) - 1);
        sx(e->rhs, buf, size);
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case EX_INDEX:
        snprintf(p, left, "(idx ");
        sx(e->lhs, buf, size);
        strncat(buf, " ", size - strlen(buf) - 1);
        sx(e->rhs, buf, size);
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case EX_CALL:
        snprintf(p, left, "(call %s", e->str);
        for (int i = 0; i < e->nargs; i++) {
            strncat(buf, " ", size - strlen(buf) - 1);
            sx(e->args[i], buf, size);
        }
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case EX_COMPR:
        snprintf(p, left, "(%s ", e->str);
        sx(e->body, buf, size);
        n = strlen(buf);
        snprintf(buf + n, size - n, " for %s%s%s in %s", e->var, e->wvar ? "," : "", e->wvar ? e->wvar : "",
                 e->dir_name);
        if (e->cond) {
            strncat(buf, " if ", size - strlen(buf) - 1);
            sx(e->cond, buf, size);
        }
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    }
}

/* Parses `x = EXPR` inside a program and returns the s-expression of EXPR. */
static char *expr_of(const char *expr) {
    static char out[2048];
    char src[1024];
    snprintf(src, sizeof src, "algorithm t() {\n x = %s\n return x\n}\n", expr);
    Run *r = parse(src);
    if (!r->p) fail_msg("'%s' does not parse:\n%s", expr, r->err);
    out[0] = 0;
    sx(r->p->body->stmts[0]->value, out, sizeof out);
    done(r);
    return out;
}

#define EXPECT_EXPR(src, want) assert_string_equal(expr_of(src), want)

static void test_precedence(void **state) {
    (void)state;
    EXPECT_EXPR("a + b * c", "(+ a (* b c))");
    EXPECT_EXPR("a * b + c", "(+ (* a b) c)");
    EXPECT_EXPR("a - b - c", "(- (- a b) c)");
    EXPECT_EXPR("a / b div c % d * e", "(* (% (div (/ a b) c) d) e)");
    EXPECT_EXPR("-a * b", "(* (neg a) b)");
    EXPECT_EXPR("-x[i]", "(neg (idx x i))");
    EXPECT_EXPR("- - +a", "(neg (neg (pos a)))");
    EXPECT_EXPR("a or b and c", "(or a (and b c))");
    EXPECT_EXPR("a and b or c", "(or (and a b) c)");
    EXPECT_EXPR("not a == b", "(not (== a b))");
    EXPECT_EXPR("not not a and b", "(and (not (not a)) b)");
    EXPECT_EXPR("a + 1 < b * 2", "(< (+ a 1) (* b 2))");
    EXPECT_EXPR("a < b and b <= c or c != d", "(or (and (< a b) (<= b c)) (!= c d))");
    EXPECT_EXPR("(a + b) * c", "(* (+ a b) c)");
    EXPECT_EXPR("(a < b) == (c < d)", "(== (< a b) (< c d))");
    EXPECT_EXPR("x[y][z]", "(idx (idx x y) z)");
    EXPECT_EXPR("comp[comp]", "(idx comp comp)");
    EXPECT_EXPR("f(a, b + 1, g(c))[k]", "(idx (call f a (+ b 1) (call g c)) k)");
    EXPECT_EXPR("f()", "(call f)");
    EXPECT_EXPR("1.5e3 + .5", "(+ 1500 0.5)");
    EXPECT_EXPR("true and false", "(and true false)");
    EXPECT_EXPR("(\n a +\n b\n)", "(+ a b)"); /* newlines inside parentheses */
}

static void test_comprehensions(void **state) {
    (void)state;
    EXPECT_EXPR("sum(contrib[u] for u in in_nbrs)", "(sum (idx contrib u) for u in in_nbrs)");
    EXPECT_EXPR("min(dist[u] + w for u, w in in_edges)", "(min (+ (idx dist u) w) for u,w in in_edges)");
    EXPECT_EXPR("count(x[u] > 0 for u in nbrs if u != v)", "(count (> (idx x u) 0) for u in nbrs if (!= u v))");
    EXPECT_EXPR("min(comp, min(comp[u] for u in nbrs))", "(call min comp (min (idx comp u) for u in nbrs))");
    EXPECT_EXPR("any(a or b for u in nbrs if c and d)", "(any (or a b) for u in nbrs if (and c d))");
    EXPECT_EXPR("sum(\n x[u]\n for u\n in nbrs\n)", "(sum (idx x u) for u in nbrs)");
}

static void test_locations(void **state) {
    (void)state;
    Run *r = parse("algorithm t(a: float = 1) weighted {\n  x = b + c * d[e]\n  y[s] = sum(q for u in nbrs)\n"
                   "  return x\n}");
    assert_non_null(r->p);
    assert_string_equal(r->p->name, "t");
    assert_int_equal(r->p->loc.line, 1);
    assert_int_equal(r->p->loc.col, 11);
    Stmt *s = r->p->body->stmts[0];
    assert_int_equal(s->loc.col, 3);
    assert_int_equal(s->name_loc.col, 3);
    Expr *e = s->value;                 /* b + c * d[e] */
    assert_int_equal(e->loc.col, 9);    /* binary: the operator */
    assert_int_equal(e->lhs->loc.col, 7);
    assert_int_equal(e->rhs->loc.col, 13);
    assert_int_equal(e->rhs->rhs->loc.col, 16); /* index: the '[' */
    s = r->p->body->stmts[1];
    assert_int_equal(s->kind, ST_STORE);
    assert_int_equal(s->value->loc.col, 10); /* aggregation: its name */
    assert_int_equal(s->value->var_loc.col, 20);
    assert_int_equal(s->value->dir_loc.col, 25);
    assert_int_equal(r->p->body->loc.line, 1);
    assert_int_equal(r->p->body->loc.col, 36);
    assert_int_equal(r->p->body->end_loc.line, 5);
    assert_int_equal(r->p->params[0]->type_loc.col, 16);
    done(r);
}

static void test_header(void **state) {
    (void)state;
    Run *r = parse("algorithm sssp(source: node = 0, eps: float, k: int = -3 * 2) weighted undirected {\n"
                   "  return source\n}");
    assert_non_null(r->p);
    assert_int_equal(r->p->nparams, 3);
    assert_string_equal(r->p->params[0]->name, "source");
    assert_string_equal(r->p->params[0]->type_name, "node");
    assert_non_null(r->p->params[0]->deflt);
    assert_null(r->p->params[1]->deflt);
    assert_true(r->p->weighted);
    assert_true(r->p->undirected);
    done(r);

    r = parse("algorithm f() { return 1 }");
    assert_non_null(r->p);
    assert_int_equal(r->p->nparams, 0);
    assert_false(r->p->weighted || r->p->undirected);
    done(r);

    /* the brace on the next line */
    r = parse("\n\nalgorithm f()\n{\n  return 1\n}\n\n");
    assert_non_null(r->p);
    done(r);

    r = parse("algorithm f() directed weighted weighted { return 1 }");
    assert_null(r->p);
    assert_int_equal(r->diag.nerrors, 2);
    assert_non_null(strstr(r->err, "1:15: error: unknown attribute 'directed' (the header takes 'undirected', "
                                   "'weighted' and 'nonnegative')"));
    assert_non_null(strstr(r->err, "1:33: error: 'weighted' is given twice"));
    done(r);

    r = parse("algorithm f() weighted nonnegative { return 1 }");
    assert_non_null(r->p);
    assert_true(r->p->weighted && r->p->nonnegative);
    done(r);

    r = parse("algorithm f() nonnegative { return 1 }");
    assert_null(r->p);
    assert_int_equal(r->diag.nerrors, 1);
    assert_non_null(strstr(r->err, "error: 'nonnegative' is about edge weights: it needs 'weighted' too"));
    done(r);
}

static void test_statements(void **state) {
    (void)state;
    Run *r = parse("algorithm t() {\n"
                   "  x = 1; y[v] = 2\n"
                   "  repeat 3 { break }\n"
                   "  while c\n  {\n  }\n"
                   "  if a { x = 1 } else if b { x = 2 }\n  else if c { x = 3 } else\n {\n x = 4 }\n"
                   "  if a { }\n"
                   "  print(\"x =\", x, 1)\n"
                   "  return x, y + 1\n"
                   "}\n");
    if (!r->p) fail_msg("%s", r->err);
    Block *b = r->p->body;
    assert_int_equal(b->nstmts, 8);
    assert_int_equal(b->stmts[0]->kind, ST_ASSIGN);
    assert_string_equal(b->stmts[0]->name, "x");
    assert_int_equal(b->stmts[1]->kind, ST_STORE);
    assert_non_null(b->stmts[1]->index);
    assert_int_equal(b->stmts[2]->kind, ST_REPEAT);
    assert_int_equal(b->stmts[2]->body->nstmts, 1);
    assert_int_equal(b->stmts[2]->body->stmts[0]->kind, ST_BREAK);
    assert_int_equal(b->stmts[3]->kind, ST_WHILE);
    /* if / else if / else if / else nests through one-statement else blocks */
    Stmt *s = b->stmts[4];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s->kind, ST_IF);
        assert_int_equal(s->body->nstmts, 1);
        assert_non_null(s->els);
        if (i < 2) {
            assert_int_equal(s->els->nstmts, 1);
            s = s->els->stmts[0];
        }
    }
    assert_int_equal(s->els->stmts[0]->kind, ST_ASSIGN);
    assert_int_equal(s->els->stmts[0]->value->ival, 4);
    assert_null(b->stmts[5]->els);
    assert_int_equal(b->stmts[5]->body->nstmts, 0);
    assert_int_equal(b->stmts[6]->kind, ST_CALL);
    assert_int_equal(b->stmts[6]->value->nargs, 3);
    assert_int_equal(b->stmts[6]->value->args[0]->kind, EX_STRING);
    assert_int_equal(b->stmts[7]->kind, ST_RETURN);
    assert_int_equal(b->stmts[7]->nvalues, 2);
    done(r);
}

static void expect_error(const char *src, const char *msg);

/* x: TYPE = e, a typed first assignment: the type as written and where. */
static void test_typed_assignment(void **state) {
    (void)state;
    Run *r = parse("algorithm t() {\n  ranks: f32 = init_nodes(1.0 / N); n: int = 2\n  x = ranks\n  return x\n}\n");
    if (!r->p) fail_msg("%s", r->err);
    Stmt **s = r->p->body->stmts;
    assert_int_equal(r->p->body->nstmts, 4);
    assert_int_equal(s[0]->kind, ST_ASSIGN);
    assert_string_equal(s[0]->name, "ranks");
    assert_string_equal(s[0]->type_name, "f32");
    assert_int_equal(s[0]->name_loc.col, 3);
    assert_int_equal(s[0]->type_loc.line, 2);
    assert_int_equal(s[0]->type_loc.col, 10);
    assert_int_equal(s[0]->value->kind, EX_CALL);
    assert_string_equal(s[1]->type_name, "int");
    assert_null(s[2]->type_name); /* a plain assignment has none */
    done(r);
    /* the type is a plain name; the checker decides which names are types */
    r = parse("algorithm t() {\n  x: double = 1\n  return x\n}\n");
    assert_non_null(r->p);
    assert_string_equal(r->p->body->stmts[0]->type_name, "double");
    done(r);
    expect_error("algorithm t() {\n  x: = 2\n  return x\n}", "2:6: error: expected name before '='");
    expect_error("algorithm t() {\n  x: f32 2\n  return x\n}", "2:10: error: expected '=' before '2'");
    expect_error("algorithm t() {\n  x: f32[v] = 2\n  return x\n}", "2:9: error: expected '=' before '['");
    expect_error("algorithm t() {\n  x[v]: f32 = 2\n  return x\n}", "2:7: error: expected '=' before ':'");
    /* the typed form does not make "expected '='" longer */
    expect_error("algorithm t() {\n  x == 2\n  return x\n}", "2:5: error: expected '=' before '=='");
}

static void test_separators(void **state) {
    (void)state;
    const char *ok[] = {
        "algorithm t() { return 1 }",
        "algorithm t() { ;; x = 1;; ; return x; }",
        "algorithm t() {\n\n\n x = 1\n\n\n return x\n\n\n}",
        "algorithm t() { if x { break } ; return 1 }",
        "algorithm t() {\n  if x {\n  }\n\n  else {\n  }\n  return 1\n}",
        "algorithm t() { x = 1 /* a comment\n over lines */ return x }",
        "algorithm t() { x = f(1,\n 2,\n 3)\n return x }",
        "algorithm t() {}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        Run *r = parse(ok[i]);
        if (!r->p) fail_msg("case %zu does not parse:\n%s", i, r->err);
        done(r);
    }
    const char *bad[] = {
        "algorithm t() { x = 1 y = 2 }",          /* two statements on a line */
        "algorithm t() { x = 1 +\n 2\n }",        /* a newline ends the statement */
        "algorithm t() { if x\n break }",         /* a block needs braces */
        "algorithm t() { x = 1 } algorithm u() { return 1 }",
        "algorithm t() { if x { } else\n if y { } }",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Run *r = parse(bad[i]);
        if (r->p) fail_msg("case %zu parses", i);
        done(r);
    }
}

/* Checks that src fails with exactly one error containing msg. */
static void expect_error(const char *src, const char *msg) {
    Run *r = parse(src);
    if (r->p) fail_msg("'%s' parses", src);
    if (!strstr(r->err, msg)) fail_msg("expected '%s', got:\n%s", msg, r->err);
    if (r->diag.nerrors != 1) fail_msg("expected one error, got %d:\n%s", r->diag.nerrors, r->err);
    done(r);
}

static void test_messages(void **state) {
    (void)state;
    expect_error("algorithm t() {\n  while (x < 2 {\n  }\n  return 1\n}", "2:16: error: expected ')' before '{'");
    expect_error("algorithm t() {\n  x = foo(a b)\n  return x\n}", "2:13: error: expected ')' or ',' before 'b'");
    expect_error("algorithm t() {\n  x = 3 4\n  return x\n}", "2:9: error: expected newline or ';' before '4'");
    expect_error("algorithm t() {\n  x = \n  return x\n}", "2:7: error: expected an expression before newline");
    expect_error("algorithm t() {\n  x == 2\n  return x\n}", "2:5: error: expected '=' before '=='");
    expect_error("algorithm t() {\n  + 2\n  return x\n}", "2:3: error: expected a statement before '+'");
    expect_error("algorithm t( {\n  return x\n}", "1:14: error: expected name or ')' before '{'");
    expect_error("algorithm t() { return 1 }\nalgorithm u() { return 1 }", "2:1: error: expected end of file before "
                                                                         "'algorithm'");
    expect_error("", "1:1: error: expected 'algorithm' before end of file");
    expect_error("algo t() {}", "1:1: error: expected 'algorithm' before 'algo'");
    expect_error("algorithm t() {\n  return x\n", "2:11: error: expected '}' before end of file");
    expect_error("algorithm t() {\n  x = sum(a for u nbrs)\n}", "2:19: error: expected 'in' or ',' before 'nbrs'");
    expect_error("algorithm t() {\n  x = a < b < c\n}", "2:13: error: comparisons cannot be chained: write "
                                                      "'a < b and b < c' instead of 'a < b < c'");
    expect_error("algorithm t() {\n  x = a == b != c <= d\n}", "comparisons cannot be chained");
    expect_error("algorithm t() {\n  x = a $ b\n}", "2:9: error: unexpected character '$'");
    expect_error("algorithm t() {\n  x = 1 /* \n}", "2:9: error: unterminated comment");
    expect_error("algorithm t() {\n  x = 99999999999999999999\n  return x\n}", "2:7: error: integer literal "
                                                                           "99999999999999999999 is too large");
    expect_error("algorithm t() {\n  x = 1\n  else { }\n}", "3:3: error: 'else' without an 'if' before it");
    expect_error("algorithm t() {\n  while x { } else { }\n}", "2:15: error: 'else' without an 'if' before it");
    expect_error("algorithm t() {\n  if x { } els { }\n}", "2:12: error: expected 'else' or newline or ';' before 'els'");

    /* the unclosed bracket gets a note */
    Run *r = parse("algorithm t() {\n  if x {\n    y = 2\n  return x\n");
    assert_non_null(strstr(r->err, "4:11: error: expected '}' before end of file"));
    assert_non_null(strstr(r->err, "2:8: note: to match this '{'"));
    done(r);
    r = parse("algorithm t() {\n  x = f(1,\n");
    assert_non_null(strstr(r->err, "error: expected ')' before end of file"));
    assert_non_null(strstr(r->err, "2:8: note: to match this '('"));
    done(r);

    /* the whole diagnostic: location, message, source line and caret */
    r = parse("algorithm t() {\n\tx = (1 + 2 }\n");
    assert_string_equal(r->err, "t.galg:2:13: error: expected ')' before '}'\n"
                                "  \tx = (1 + 2 }\n"
                                "  \t           ^\n");
    done(r);
}

static void test_recovery(void **state) {
    (void)state;
    /* four mistakes, four messages, nothing in between */
    Run *r = parse("algorithm t() {\n"
                   "  a = (1 + \n"
                   "  b = 2\n"
                   "  c = 3 3\n"
                   "  d = 4\n"
                   "  while x y { z = ) }\n"
                   "  e = 5\n"
                   "  return a\n"
                   "}\n");
    assert_null(r->p);
    assert_int_equal(r->diag.nerrors, 4);
    assert_non_null(strstr(r->err, "3:5: error: expected ')' before '='"));
    assert_non_null(strstr(r->err, "4:9: error: expected newline or ';' before '3'"));
    assert_non_null(strstr(r->err, "6:11: error: expected '{' before 'y'"));
    assert_non_null(strstr(r->err, "6:19: error: expected an expression before ')'")); /* in the skipped block */
    done(r);

    /* errors inside nested blocks and in the header */
    r = parse("algorithm t(a: float = , b: int) {\n"
              "  if x {\n    y = * 2\n  } else {\n    z = 1 +\n  }\n"
              "  return a\n"
              "}\n");
    assert_null(r->p);
    assert_int_equal(r->diag.nerrors, 3);
    done(r);

    /* a lexical error in the middle of a statement is one message */
    r = parse("algorithm t() {\n  x = 1 $ 2 ` 3\n  y = 2 @\n  return x\n}\n");
    assert_int_equal(r->diag.nerrors, 2);
    done(r);
}

static char *repeat_str(const char *head, const char *unit, int n, const char *tail) {
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * (size_t)n + tl + 1);
    memcpy(s, head, hl);
    for (int i = 0; i < n; i++) memcpy(s + hl + ul * (size_t)i, unit, ul);
    memcpy(s + hl + ul * (size_t)n, tail, tl + 1);
    return s;
}

static void test_nesting_limits(void **state) {
    (void)state;
    /* 199 parentheses inside the algorithm's { } make 200 brackets: fine */
    char *open = repeat_str("algorithm t() {\n  x = ", "(", 199, "1");
    char *src = repeat_str(open, ")", 199, "\n  return x\n}");
    Run *r = parse(src);
    if (!r->p) fail_msg("%s", r->err);
    done(r);
    free(src);
    free(open);

    open = repeat_str("algorithm t() {\n  x = ", "(", 200, "1");
    src = repeat_str(open, ")", 200, "\n  return x\n}");
    expect_error(src, "2:206: error: nesting too deep (limit 200)");
    free(src);
    free(open);

    /* nested blocks */
    open = repeat_str("algorithm t() {\n", "if x {\n", 250, "");
    src = repeat_str(open, "}\n", 251, "");
    expect_error(src, "error: nesting too deep (limit 200)");
    free(src);
    free(open);

    /* unary chains */
    src = repeat_str("algorithm t() {\n  x = ", "- ", 100000, "1\n}");
    expect_error(src, "2:407: error: nesting too deep (limit 200)");
    free(src);
    src = repeat_str("algorithm t() {\n  x = ", "not ", 300, "true\n}");
    expect_error(src, "nesting too deep (limit 200)");
    free(src);

    /* long operator chains have no brackets but make a deep tree */
    src = repeat_str("algorithm t() {\n  x = 1", " + 1", 900, "\n  return x\n}");
    r = parse(src);
    assert_non_null(r->p);
    done(r);
    free(src);
    src = repeat_str("algorithm t() {\n  x = 1", " + 1", 100000, "\n  return x\n}");
    expect_error(src, "error: nesting too deep: an expression nested more than 1000 levels");
    free(src);
    src = repeat_str("algorithm t() {\n  if a { }", " else if a { }", 5000, "\n  return x\n}");
    expect_error(src, "error: nesting too deep: statements nested more than 1000 levels");
    free(src);
    /* brackets and prefix operators mixed: -(-(-( ... ))) */
    open = repeat_str("algorithm t() {\n  x = ", "- - - - - - - - - - (", 190, "1");
    src = repeat_str(open, ")", 190, "\n  return x\n}");
    expect_error(src, "nesting too deep: an expression nested more than 1000 levels");
    free(src);
    free(open);
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void test_many_statements_fast(void **state) {
    (void)state;
    enum { NSTMT = 100000 };
    size_t cap = (size_t)NSTMT * 40 + 100;
    char *src = malloc(cap);
    size_t n = (size_t)snprintf(src, cap, "algorithm t(k: int = 1) {\n  x0 = init_nodes(1.0)\n");
    for (int i = 1; i < NSTMT; i++)
        n += (size_t)snprintf(src + n, cap - n, "  x%d = x%d * 2 + k\n", i, i - 1);
    n += (size_t)snprintf(src + n, cap - n, "  return x%d\n}\n", NSTMT - 1);
    double t0 = seconds();
    Run *r = parse_n(src, n);
    assert_non_null(r->p);
    assert_int_equal(r->p->body->nstmts, NSTMT + 1);
    assert_true(check_program(r->p, &r->arena, &r->diag));
    double dt = seconds() - t0;
    assert_int_equal(r->p->nvars, NSTMT);
    done(r);
    free(src);
#if defined(__SANITIZE_ADDRESS__) || GRAPHC_DEBUG
    const double limit = 10.0; /* sanitizers and -O0 are several times slower */
#else
    const double limit = 5.0; /* a guard against quadratic time, not a benchmark (loaded CI machines) */
#endif
    if (dt > limit) fail_msg("100000 statements took %.2f s", dt);
}

/* The brief's programs. */
static const char *const examples[] = {
    "// PageRank with dangling-node redistribution (the NetworkX definition).\n"
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
    "algorithm cc() undirected {                       // min-label propagation, pointer jumping\n"
    "    comp = node_id\n"
    "    changed = true\n"
    "    while changed {\n"
    "        next    = min(comp, min(comp[u] for u in nbrs))\n"
    "        next    = next[next]                      // adopt the label of your label\n"
    "        changed = any(next != comp)\n"
    "        comp    = next\n"
    "    }\n"
    "    return comp\n"
    "}\n",
    "algorithm bfs(source: node = 0) {                 // depth of every node, -1 unreached\n"
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
    "algorithm sssp(source: node = 0) weighted {       // Bellman-Ford, +inf unreached\n"
    "    dist = init_nodes(inf)\n"
    "    dist[source] = 0.0\n"
    "    repeat N {\n"
    "        next = min(dist, min(dist[u] + w for u, w in in_edges))\n"
    "        if all(next == dist) { break }\n"
    "        dist = next\n"
    "    }\n"
    "    return dist\n"
    "}\n",
    "algorithm lpa(max_iter: int = 20) undirected {    // label propagation communities\n"
    "    label = node_id\n"
    "    repeat max_iter { label = mode(label[u] for u in nbrs) }\n"
    "    return label\n"
    "}\n",
};

static void test_examples_parse(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        Run *r = parse(examples[i]);
        if (!r->p) fail_msg("example %zu:\n%s", i, r->err);
        /* the dump of an unchecked tree works too */
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        ast_dump(r->p, out);
        fclose(out);
        assert_non_null(strstr(buf, "algorithm "));
        free(buf);
        done(r);
    }
}

/* Mutations of the examples (bytes deleted, replaced, inserted, lines swapped)
 * must give a program or errors, never a crash (run under ASan in check-asan). */
static void test_mutations_never_crash(void **state) {
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    const char junk[] = "(){}[],;:=+-*/%<>!\"\\\n\t #@$&|^~`'._0123456789aeinorwxuvNM\xff\xc3\x80";
    for (int iter = 0; iter < 3000; iter++) {
        const char *base = examples[iter % 5];
        size_t len = strlen(base);
        char *s = malloc(len + 64);
        memcpy(s, base, len);
        int edits = 1 + iter % 6;
        for (int k = 0; k < edits; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            uint64_t x = seed >> 17;
            size_t at = len ? (size_t)(x % len) : 0;
            switch ((x >> 40) % 3) {
            case 0: /* delete a byte */
                if (len) { memmove(s + at, s + at + 1, len - at - 1); len--; }
                break;
            case 1: /* replace a byte */
                if (len) s[at] = junk[(x >> 20) % (sizeof junk - 1)];
                break;
            default: /* insert a byte */
                if (len < strlen(base) + 60) {
                    memmove(s + at + 1, s + at, len - at);
                    s[at] = junk[(x >> 20) % (sizeof junk - 1)];
                    len++;
                }
            }
        }
        Run *r = parse_n(s, len);
        if (r->p) {
            check_program(r->p, &r->arena, &r->diag);
            FILE *out = fopen("/dev/null", "w");
            ast_dump(r->p, out);
            fclose(out);
        } else {
            assert_true(r->diag.nerrors > 0);
        }
        done(r);
        free(s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_comprehensions),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_typed_assignment),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_nesting_limits),
        cmocka_unit_test(test_many_statements_fast),
        cmocka_unit_test(test_examples_parse),
        cmocka_unit_test(test_mutations_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
