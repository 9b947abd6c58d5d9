/* test_lexer.c - the scanner (grammar/galg.l) on its own: tokens, values,
 * locations, comments, separators and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/parse_state.h"
#include "galg.tab.h"

int galg_lex(GALG_STYPE *lval, GALG_LTYPE *lloc, void *scanner);

enum { MAXTOK = 1024 };

typedef struct Tok {
    int kind;
    SrcLoc loc;
    GALG_STYPE val;
} Tok;

typedef struct Lexed {
    Arena arena;
    Diag diag;
    char *err;      /* everything the diagnostics printed */
    size_t errlen;
    Tok toks[MAXTOK];
    int n;          /* tokens before end of file */
    bool fatal;
} Lexed;

/* Scans src (len bytes) to the end. */
static Lexed *lex_n(const char *src, size_t len) {
    Lexed *l = calloc(1, sizeof *l);
    arena_init(&l->arena);
    diag_init(&l->diag, "t.galg", src, len);
    l->diag.out = open_memstream(&l->err, &l->errlen);
    ParseState ps;
    void *sc;
    assert_int_equal(lexer_open(&ps, &l->arena, &l->diag, &sc), 0);
    for (;;) {
        Tok t = {0};
        t.kind = galg_lex(&t.val, &t.loc, sc);
        if (t.kind == TOK_YYEOF || l->n == MAXTOK) break;
        l->toks[l->n++] = t;
    }
    l->fatal = ps.fatal;
    lexer_close(sc);
    fclose(l->diag.out);
    return l;
}

static Lexed *lex(const char *src) { return lex_n(src, strlen(src)); }

static void done(Lexed *l) {
    arena_free(&l->arena);
    free(l->err);
    free(l);
}

static void expect_kinds(const Lexed *l, const int *kinds, int n) {
    for (int i = 0; i < n && i < l->n; i++) {
        if (l->toks[i].kind != kinds[i]) fail_msg("token %d: kind %d, expected %d", i, l->toks[i].kind, kinds[i]);
    }
    assert_int_equal(l->n, n);
}

#define EXPECT_KINDS(l, ...)                                        \
    do {                                                            \
        const int kinds_[] = {__VA_ARGS__};                         \
        expect_kinds((l), kinds_, (int)(sizeof kinds_ / sizeof kinds_[0])); \
    } while (0)

static void expect_loc(const Lexed *l, int i, int line, int col) {
    assert_true(i < l->n);
    if (l->toks[i].loc.line != line || l->toks[i].loc.col != col)
        fail_msg("token %d at %d:%d, expected %d:%d", i, l->toks[i].loc.line, l->toks[i].loc.col, line, col);
}

static void test_keywords_and_names(void **state) {
    (void)state;
    Lexed *l = lex("algorithm repeat while if else break return for in and or not true false div "
                   "foo _x9 in_nbrs undirected weighted float int node Algorithm divide");
    EXPECT_KINDS(l, TOK_ALGORITHM, TOK_REPEAT, TOK_WHILE, TOK_IF, TOK_ELSE, TOK_BREAK, TOK_RETURN, TOK_FOR,
                 TOK_IN, TOK_AND, TOK_OR, TOK_NOT, TOK_TRUE, TOK_FALSE, TOK_DIV, TOK_NAME, TOK_NAME, TOK_NAME,
                 TOK_NAME, TOK_NAME, TOK_NAME, TOK_NAME, TOK_NAME, TOK_NAME, TOK_NAME);
    assert_string_equal(l->toks[15].val.str, "foo");
    assert_string_equal(l->toks[16].val.str, "_x9");
    assert_string_equal(l->toks[17].val.str, "in_nbrs");
    assert_string_equal(l->toks[23].val.str, "Algorithm");
    assert_string_equal(l->toks[24].val.str, "divide");
    assert_int_equal(l->diag.nerrors, 0);
    done(l);
}

static void test_operators(void **state) {
    (void)state;
    Lexed *l = lex("+ - * / % == != < <= > >= = ( ) [ ] { } , : ; a<=b");
    EXPECT_KINDS(l, '+', '-', '*', '/', '%', TOK_EQ, TOK_NE, '<', TOK_LE, '>', TOK_GE, '=', '(', ')', '[', ']',
                 '{', '}', ',', ':', TOK_SEP, TOK_NAME, TOK_LE, TOK_NAME);
    assert_int_equal(l->diag.nerrors, 0);
    done(l);
}

static void test_int_literals(void **state) {
    (void)state;
    Lexed *l = lex("0 42 007 9223372036854775807");
    EXPECT_KINDS(l, TOK_INT, TOK_INT, TOK_INT, TOK_INT);
    assert_int_equal(l->toks[0].val.ival, 0);
    assert_int_equal(l->toks[1].val.ival, 42);
    assert_int_equal(l->toks[2].val.ival, 7);
    assert_true(l->toks[3].val.ival == INT64_MAX);
    assert_int_equal(l->diag.nerrors, 0);
    done(l);

    l = lex("x = 9223372036854775808");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "t.galg:1:5: error: integer literal 9223372036854775808 is too large"));
    EXPECT_KINDS(l, TOK_NAME, '=', TOK_INT); /* still an integer token: no syntax errors follow */
    done(l);

    l = lex("123456789012345678901234567890123456789012345678901234567890");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "integer literal ..."));
    done(l);
}

static void test_float_literals(void **state) {
    (void)state;
    Lexed *l = lex("1.0 .5 1e-6 2.5E+3 1. 3e2 0.85");
    EXPECT_KINDS(l, TOK_FLOAT, TOK_FLOAT, TOK_FLOAT, TOK_FLOAT, TOK_FLOAT, TOK_FLOAT, TOK_FLOAT);
    assert_true(l->toks[0].val.fval == 1.0);
    assert_true(l->toks[1].val.fval == 0.5);
    assert_true(l->toks[2].val.fval == 1e-6);
    assert_true(l->toks[3].val.fval == 2500.0);
    assert_true(l->toks[4].val.fval == 1.0);
    assert_true(l->toks[5].val.fval == 300.0);
    assert_true(l->toks[6].val.fval == 0.85);
    assert_int_equal(l->diag.nerrors, 0);
    done(l);

    l = lex("1e999");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "1:1: error: number 1e999 is too large for a float"));
    done(l);

    l = lex("1e-999"); /* underflow is not an error */
    assert_int_equal(l->diag.nerrors, 0);
    assert_true(l->toks[0].val.fval == 0.0);
    done(l);

    const char *bad[] = {"1e", "12abc", "1.2.3", "1e+", ".5x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l = lex(bad[i]);
        assert_int_equal(l->diag.nerrors, 1);
        assert_non_null(strstr(l->err, "invalid number"));
        assert_int_equal(l->toks[0].kind, TOK_GALG_error);
        done(l);
    }
}

static void test_strings(void **state) {
    (void)state;
    Lexed *l = lex("\"a\\tb\\nc\\\\d\\\"e\" \"\" \"héllo\"");
    EXPECT_KINDS(l, TOK_STRING, TOK_STRING, TOK_STRING);
    assert_string_equal(l->toks[0].val.str, "a\tb\nc\\d\"e");
    assert_string_equal(l->toks[1].val.str, "");
    assert_string_equal(l->toks[2].val.str, "h\xc3\xa9llo"); /* UTF-8 is fine inside strings */
    assert_int_equal(l->diag.nerrors, 0);
    done(l);

    l = lex("print(\"a\\qb\")");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "1:9: error: unknown escape sequence '\\q'"));
    done(l);

    l = lex("x = \"abc\ny = 1");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "1:5: error: unterminated string"));
    /* the next line scans normally */
    EXPECT_KINDS(l, TOK_NAME, '=', TOK_GALG_error, TOK_SEP, TOK_NAME, '=', TOK_INT);
    done(l);

    l = lex_n("\"a\0b\"", 5);
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "NUL byte in a string"));
    done(l);
}

static void test_comments(void **state) {
    (void)state;
    Lexed *l = lex("a // comment ( [ \n b /* x */ c /* multi\n line */ d /**/ e /***/ f /* ** / */ g");
    /* a line comment leaves its newline; a comment over lines separates */
    EXPECT_KINDS(l, TOK_NAME, TOK_SEP, TOK_NAME, TOK_NAME, TOK_SEP, TOK_NAME, TOK_NAME, TOK_NAME, TOK_NAME);
    expect_loc(l, 2, 2, 2);
    expect_loc(l, 3, 2, 12);
    expect_loc(l, 5, 3, 10);
    assert_int_equal(l->diag.nerrors, 0);
    done(l);

    l = lex("a /* never\n closed");
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "t.galg:1:3: error: unterminated comment"));
    assert_true(l->fatal);
    EXPECT_KINDS(l, TOK_NAME);
    done(l);

    l = lex("a // \xff\x01 anything goes in a comment");
    assert_int_equal(l->diag.nerrors, 0);
    done(l);
}

static void test_locations(void **state) {
    (void)state;
    Lexed *l = lex("algorithm f() {\n\tx = 1.5\n  return x\n}");
    EXPECT_KINDS(l, TOK_ALGORITHM, TOK_NAME, '(', ')', '{', TOK_SEP, TOK_NAME, '=', TOK_FLOAT, TOK_SEP, TOK_RETURN,
                 TOK_NAME, TOK_SEP, '}');
    expect_loc(l, 0, 1, 1);
    expect_loc(l, 1, 1, 11);
    expect_loc(l, 4, 1, 15);
    expect_loc(l, 5, 1, 16); /* the separator is the newline itself */
    expect_loc(l, 6, 2, 2);  /* a tab is one byte column */
    expect_loc(l, 8, 2, 6);
    expect_loc(l, 10, 3, 3);
    expect_loc(l, 13, 4, 1);
    done(l);

    l = lex("a\r\nb");
    EXPECT_KINDS(l, TOK_NAME, TOK_SEP, TOK_NAME);
    expect_loc(l, 2, 2, 1);
    done(l);
}

static void test_newlines(void **state) {
    (void)state;
    /* inside ( ) and [ ] newlines are white space; runs give one separator */
    Lexed *l = lex("f(a,\n b)\n\n\nx[\n1]\n");
    EXPECT_KINDS(l, TOK_NAME, '(', TOK_NAME, ',', TOK_NAME, ')', TOK_SEP, TOK_NAME, '[', TOK_INT, ']');
    done(l);

    /* inside a block inside parentheses newlines count again (error recovery) */
    l = lex("{\n a\n}\n");
    EXPECT_KINDS(l, '{', TOK_SEP, TOK_NAME, TOK_SEP, '}');
    done(l);

    /* `}` newline `else`: the separator is dropped */
    l = lex("}\n\n  else {\n}\nx");
    EXPECT_KINDS(l, '}', TOK_ELSE, '{', TOK_SEP, '}', TOK_SEP, TOK_NAME);
    done(l);

    /* a `}` closes what its block left open */
    l = lex("{ f(a \n }\n b");
    EXPECT_KINDS(l, '{', TOK_NAME, '(', TOK_NAME, '}', TOK_SEP, TOK_NAME);
    done(l);

    /* a stray closer does not close the block */
    l = lex("{ ) \n a }");
    EXPECT_KINDS(l, '{', ')', TOK_SEP, TOK_NAME, '}');
    done(l);

    /* a trailing newline adds nothing at the end of the file */
    l = lex("a\n\n");
    EXPECT_KINDS(l, TOK_NAME);
    done(l);

    /* semicolons are separators too, each one */
    l = lex("a;;b;\n");
    EXPECT_KINDS(l, TOK_NAME, TOK_SEP, TOK_SEP, TOK_NAME, TOK_SEP);
    done(l);
}

static void test_bad_bytes(void **state) {
    (void)state;
    struct {
        const char *src;
        size_t len;
        const char *msg;
    } cases[] = {
        {"a $ b", 5, "1:3: error: unexpected character '$'"},
        {"a \0 b", 5, "1:3: error: unexpected NUL byte"},
        {"a \x01 b", 5, "1:3: error: unexpected control character 0x01"},
        {"a \xff b", 5, "1:3: error: invalid UTF-8 byte 0xFF"},
        {"a \xc3\xa9 b", 6, "1:3: error: unexpected character '\xc3\xa9' (U+00E9)"},
        {"a \xe2\x89\xa4 b", 7, "(U+2264)"},
        {"a \xc3 b", 5, "invalid UTF-8 byte 0xC3"},     /* truncated sequence */
        {"a \xed\xa0\x80 b", 7, "invalid UTF-8 byte 0xED"}, /* a surrogate is not UTF-8 */
        {"a && b", 6, "unexpected '&&'; use 'and'"},
        {"a || b", 6, "unexpected '||'; use 'or'"},
        {"!a", 2, "use 'not'"},
        {"a ** b", 6, "use pow(a, b)"},
        {"a @ b", 5, "unexpected character '@'"},
        {"a ? b", 5, "unexpected character '?'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Lexed *l = lex_n(cases[i].src, cases[i].len);
        if (!strstr(l->err, cases[i].msg)) fail_msg("case %zu: got %s", i, l->err);
        assert_int_equal(l->diag.nerrors, 1);
        bool saw_error_token = false;
        for (int k = 0; k < l->n; k++) saw_error_token |= l->toks[k].kind == TOK_GALG_error;
        assert_true(saw_error_token);
        done(l);
    }

    /* a run of garbage on one line is one error; the next line gets its own */
    Lexed *l = lex("a $$$ \xff\xfe ` \nb ~");
    assert_int_equal(l->diag.nerrors, 2);
    done(l);
}

static void test_nesting_limit(void **state) {
    (void)state;
    char buf[600];
    memset(buf, '(', 200);
    buf[200] = 0;
    Lexed *l = lex(buf);
    assert_int_equal(l->diag.nerrors, 0);
    assert_int_equal(l->n, 200);
    done(l);

    memset(buf, '[', 201);
    buf[201] = 0;
    l = lex(buf);
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "1:201: error: nesting too deep (limit 200)"));
    assert_true(l->fatal);
    done(l);

    /* prefix operators in a row */
    for (int i = 0; i < 201; i++) memcpy(buf + 2 * i, "- ", 2);
    buf[402] = 'x';
    buf[403] = 0;
    l = lex(buf);
    assert_int_equal(l->diag.nerrors, 1);
    assert_non_null(strstr(l->err, "nesting too deep (limit 200)"));
    done(l);

    /* ... but not operators that are merely many */
    l = lex("a - b - c - d + e - f");
    assert_int_equal(l->diag.nerrors, 0);
    done(l);
}

static void test_empty_and_blank(void **state) {
    (void)state;
    Lexed *l = lex("");
    assert_int_equal(l->n, 0);
    done(l);
    l = lex("\n\n  \t // only a comment\n");
    assert_int_equal(l->n, 0); /* nothing before the newlines: nothing to separate */
    assert_int_equal(l->diag.nerrors, 0);
    done(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_and_names),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_int_literals),
        cmocka_unit_test(test_float_literals),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_empty_and_blank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
