/* parse_state.h - state shared by the scanner (galg.l), the parser (galg.y) and
 * parse.c. Internal to the front end; the public entry point is parse.h.
 *
 * One ParseState is the flex "extra" data and the bison parse-param at the same
 * time, so the scanner and the parser see the same error counters. */
#ifndef GRAPHC_PARSE_STATE_H
#define GRAPHC_PARSE_STATE_H
#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/diag.h"
#include "frontend/ast.h"

enum {
    /* Open brackets ( [ { at once, and prefix operators in a row (- - - x):
     * keeps the parser stack small and gives a clear message. */
    MAX_NESTING = 200,
    /* Depth of the syntax tree (a long `a + b + ...` chain is deep without any
     * brackets): the checker and the IR builder recurse over it, so a program
     * that parse_program returns is never deeper than this. */
    MAX_TREE_DEPTH = 1000,
};

typedef struct ParseState {
    Arena *arena;
    Diag *diag;

    /* scanner position: where the next token starts */
    int line, col;
    size_t offset;              /* byte offset into diag->src */

    /* the bytes of the last token handed to the parser (the lookahead when
     * an error is reported) in diag->src */
    size_t tok_off, tok_len;

    /* open brackets, innermost last: newlines are separators only directly in
     * a { } block (or at top level), never inside ( ) or [ ] */
    char brackets[MAX_NESTING];
    SrcLoc bracket_locs[MAX_NESTING];
    int nbrackets;
    int prefix_run;             /* - + not tokens in a row */

    SrcLoc last_end;            /* just after the last token (where end of file is reported) */

    bool pending_sep;           /* a newline separator not yet returned */
    SrcLoc sep_loc;
    size_t sep_off;
    int bad_line;               /* one bad-character error per line is enough */

    bool fatal;                 /* the scan was cut short: report nothing more */

    Program *program;           /* the result */
} ParseState;

/* Scanner setup for parse.c and the unit tests (galg.l): scans d->src/d->len.
 * `scanner` is a yyscan_t; returns -1 if it cannot be set up (input > 2 GB). */
int  lexer_open(ParseState *ps, Arena *a, Diag *d, void **scanner);
void lexer_close(void *scanner);
/* After a syntax error the parser skips to the end of the statement: forget
 * the ( and [ still open, so that the next newline ends the statement instead
 * of being swallowed by a bracket that may never be closed. */
void lexer_abandon_brackets(ParseState *ps);

/* AST constructors for the grammar's actions (parse.c). */
Expr *new_expr(ParseState *ps, ExprKind kind, SrcLoc loc);
Expr *new_unary(ParseState *ps, AstOp op, SrcLoc loc, Expr *operand);
Expr *new_binary(ParseState *ps, AstOp op, SrcLoc loc, Expr *lhs, Expr *rhs);
Expr *new_compr(ParseState *ps, const char *agg, SrcLoc loc, Expr *body, const char *var, SrcLoc var_loc,
                const char *wvar, SrcLoc wvar_loc, const char *dir, SrcLoc dir_loc, Expr *cond);
Stmt *new_stmt(ParseState *ps, StmtKind kind, SrcLoc loc);
Block *new_block(ParseState *ps, SrcLoc open, PtrVec *stmts, SrcLoc close);
Block *block_of(ParseState *ps, Stmt *s); /* the implicit block of `else if` */
Param *new_param(ParseState *ps, const char *name, SrcLoc loc, const char *type, SrcLoc type_loc, Expr *deflt);
Program *new_program(ParseState *ps, const char *name, SrcLoc loc, PtrVec *params, int attrs, Block *body);
/* Header attributes as a bit set; reports unknown and repeated ones. */
enum { ATTR_UNDIRECTED = 1, ATTR_WEIGHTED = 2, ATTR_NONNEGATIVE = 4 };
int add_attr(ParseState *ps, int attrs, const char *name, SrcLoc loc);
/* `a < b < c`: reported at the second operator. */
void chained_comparison(ParseState *ps, SrcLoc op_loc, AstOp first, AstOp second);

#endif
