/* galg.y - the .galg grammar (bison; generated into build/gen/galg.tab.{c,h}).
 *
 *   program  := ALGORITHM NAME '(' [param {',' param}] ')' {NAME} block
 *   param    := NAME ':' NAME ['=' expr]
 *   block    := '{' [stmt {SEP stmt}] '}'        SEP: newline or ';' (repeats allowed)
 *   stmt     := NAME [':' NAME] '=' expr | NAME '[' expr ']' '=' expr | call
 *             | 'repeat' expr block | 'while' expr block
 *             | 'if' expr block {'else' 'if' expr block} ['else' block]
 *             | 'break' | 'return' expr {',' expr}
 *   expr     := or-chain of 'and'-chains of ['not'] comparisons, where a comparison
 *               is at most one of == != < <= > >= between sums; sums of products
 *               (+ -), products of unary terms (* / div %), unary - +, postfix
 *               call NAME(...) and index E[E]
 *   call     := NAME '(' [expr {',' expr}] ')'
 *             | NAME '(' expr 'for' NAME [',' NAME] 'in' NAME ['if' expr] ')'
 *
 * (docs/language.md §8 has the exact form; a `{` may also start on the next
 * line: the rules allow separators before a block.)
 * Precedence is spelled out as one nonterminal per level rather than with %left
 * declarations, so "comparisons do not chain" is a grammar rule with its own
 * message instead of a generic syntax error. Lists are left-recursive and
 * collected in PtrVecs, which keeps the parser stack flat and the work linear.
 * Error recovery is per statement: `error` skips to the next separator or `}`
 * (or over a whole block, for `while x y { ... }`). Syntax errors are worded by
 * yyreport_syntax_error at the end of this file. */

%define api.pure full
%define api.prefix {galg_}
%define api.token.prefix {TOK_}
%define api.location.type {SrcLoc}
%define parse.error custom
%define parse.lac full
%locations
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {ParseState *ps}

%code requires {
#include "common/arena.h"
#include "frontend/ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
typedef struct ParseState ParseState;
/* if ... else if ... : the first statement and the last one, whose `els` the
 * next `else` fills */
typedef struct IfChain {
    Stmt *head, *tail;
} IfChain;
}

%code provides {
/* flex's bison-bridge code names the types YYSTYPE and YYLTYPE */
#define YYSTYPE GALG_STYPE
#define YYLTYPE GALG_LTYPE
}

%code {
#include <string.h>

#include "frontend/parse.h"
#include "frontend/parse_state.h"

int galg_lex(GALG_STYPE *lval, GALG_LTYPE *lloc, yyscan_t scanner);
static void galg_error(SrcLoc *loc, yyscan_t scanner, ParseState *ps, const char *msg);

/* A rule's location is its first symbol's; an empty rule takes the previous one's. */
#define YYLLOC_DEFAULT(Cur, Rhs, N) ((Cur) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0))
/* Nesting is limited by the scanner; this only bounds pathological inputs
 * (200 levels of brackets each holding 200 prefix operators). */
#define YYMAXDEPTH 100000

#define PUSH(vec, item) ptrvec_push(ps->arena, &(vec), (item))
}

%union {
    int64_t ival;
    double fval;
    const char *str;
    int op;
    Expr *expr;
    Stmt *stmt;
    Block *block;
    Param *param;
    PtrVec vec;
    IfChain chain;
}

%token <str>  NAME    "name"
%token <ival> INT     "integer"
%token <fval> FLOAT   "number"
%token <str>  STRING  "string"
%token ALGORITHM "'algorithm'" REPEAT "'repeat'" WHILE "'while'" IF "'if'" ELSE "'else'"
       BREAK "'break'" RETURN "'return'" FOR "'for'" IN "'in'" AND "'and'" OR "'or'"
       NOT "'not'" TRUE "'true'" FALSE "'false'" DIV "'div'"
       EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
       SEP "newline"

%type <expr>  expr or_expr and_expr not_expr cmp_expr comparison add_expr mul_expr
%type <expr>  unary postfix primary call opt_default opt_cond
%type <vec>   opt_params params opt_args args exprs stmts body
%type <stmt>  stmt
%type <chain> if_chain
%type <block> block
%type <param> param
%type <op>    cmp_op
%type <ival>  attrs

%start program

%%

program:
    seps_opt ALGORITHM NAME '(' opt_params ')' attrs seps_opt block seps_opt
        { ps->program = new_program(ps, $3, @3, &$5, (int)$7, $9); }
;

seps_opt:
    %empty
  | seps_opt SEP
;

opt_params:
    %empty              { $$ = (PtrVec){0}; }
  | params
;

params:
    param               { $$ = (PtrVec){0}; if ($1) PUSH($$, $1); }
  | params ',' param    { $$ = $1; if ($3) PUSH($$, $3); }
;

param:
    NAME ':' NAME opt_default   { $$ = new_param(ps, $1, @1, $3, @3, $4); }
  | error                       { $$ = NULL; }
;

opt_default:
    %empty              { $$ = NULL; }
  | '=' expr            { $$ = $2; }
;

attrs:
    %empty              { $$ = 0; }
  | attrs NAME          { $$ = add_attr(ps, (int)$1, $2, @2); }
;

block:
    '{' body '}'        { $$ = new_block(ps, @1, &$2, @3); }
;

/* A statement ends at a separator, or at the `}` of its block. */
body:
    stmts
  | stmts stmt          { $$ = $1; if ($2) PUSH($$, $2); }
;

stmts:
    %empty              { $$ = (PtrVec){0}; }
  | stmts SEP           { $$ = $1; }
  | stmts stmt SEP      { $$ = $1; if ($2) PUSH($$, $2); }
;

stmt:
    NAME '=' expr
        { $$ = new_stmt(ps, ST_ASSIGN, @1); $$->name = $1; $$->name_loc = @1; $$->value = $3; }
  | NAME ':' NAME '=' expr
        {
          $$ = new_stmt(ps, ST_ASSIGN, @1);
          $$->name = $1; $$->name_loc = @1; $$->type_name = $3; $$->type_loc = @3; $$->value = $5;
        }
  | NAME '[' expr ']' '=' expr
        {
          $$ = new_stmt(ps, ST_STORE, @1);
          $$->name = $1; $$->name_loc = @1; $$->index = $3; $$->value = $6;
        }
  | REPEAT expr seps_opt block
        { $$ = new_stmt(ps, ST_REPEAT, @1); $$->value = $2; $$->body = $4; }
  | WHILE expr seps_opt block
        { $$ = new_stmt(ps, ST_WHILE, @1); $$->value = $2; $$->body = $4; }
  | if_chain                    { $$ = $1.head; }
  | if_chain ELSE seps_opt block { $1.tail->els = $4; $$ = $1.head; }
  | BREAK                       { $$ = new_stmt(ps, ST_BREAK, @1); }
  | RETURN exprs
        {
          $$ = new_stmt(ps, ST_RETURN, @1);
          $$->values = (Expr **)$2.items; $$->nvalues = $2.len;
        }
  | call                        { $$ = new_stmt(ps, ST_CALL, @1); $$->value = $1; }
  | error                       { $$ = NULL; }
  | error block                 { $$ = NULL; }
;

if_chain:
    IF expr seps_opt block
        {
          Stmt *s = new_stmt(ps, ST_IF, @1);
          s->value = $2; s->body = $4;
          $$ = (IfChain){s, s};
        }
  | if_chain ELSE IF expr seps_opt block
        {
          Stmt *s = new_stmt(ps, ST_IF, @3);
          s->value = $4; s->body = $6;
          $1.tail->els = block_of(ps, s);
          $$ = (IfChain){$1.head, s};
        }
;

exprs:
    expr                { $$ = (PtrVec){0}; PUSH($$, $1); }
  | exprs ',' expr      { $$ = $1; PUSH($$, $3); }
;

expr: or_expr ;

or_expr:
    and_expr
  | or_expr OR and_expr         { $$ = new_binary(ps, OP_OR, @2, $1, $3); }
;

and_expr:
    not_expr
  | and_expr AND not_expr       { $$ = new_binary(ps, OP_AND, @2, $1, $3); }
;

not_expr:
    cmp_expr
  | NOT not_expr                { $$ = new_unary(ps, OP_NOT, @1, $2); }
;

cmp_expr:
    add_expr
  | comparison
;

comparison:
    add_expr cmp_op add_expr    { $$ = new_binary(ps, (AstOp)$2, @2, $1, $3); }
  | comparison cmp_op add_expr
        {
          /* bval marks a chain already reported (the tree is dropped anyway) */
          if (!$1->bval) chained_comparison(ps, @2, $1->op, (AstOp)$2);
          $$ = new_binary(ps, (AstOp)$2, @2, $1, $3);
          $$->bval = true;
        }
;

cmp_op:
    EQ      { $$ = OP_EQ; }
  | NE      { $$ = OP_NE; }
  | '<'     { $$ = OP_LT; }
  | LE      { $$ = OP_LE; }
  | '>'     { $$ = OP_GT; }
  | GE      { $$ = OP_GE; }
;

add_expr:
    mul_expr
  | add_expr '+' mul_expr       { $$ = new_binary(ps, OP_ADD, @2, $1, $3); }
  | add_expr '-' mul_expr       { $$ = new_binary(ps, OP_SUB, @2, $1, $3); }
;

mul_expr:
    unary
  | mul_expr '*' unary          { $$ = new_binary(ps, OP_MUL, @2, $1, $3); }
  | mul_expr '/' unary          { $$ = new_binary(ps, OP_DIV, @2, $1, $3); }
  | mul_expr DIV unary          { $$ = new_binary(ps, OP_FLOORDIV, @2, $1, $3); }
  | mul_expr '%' unary          { $$ = new_binary(ps, OP_MOD, @2, $1, $3); }
;

unary:
    postfix
  | '-' unary                   { $$ = new_unary(ps, OP_NEG, @1, $2); }
  | '+' unary                   { $$ = new_unary(ps, OP_POS, @1, $2); }
;

postfix:
    primary
  | call
  | postfix '[' expr ']'        { $$ = new_expr(ps, EX_INDEX, @2); $$->lhs = $1; $$->rhs = $3; }
;

call:
    NAME '(' opt_args ')'
        {
          $$ = new_expr(ps, EX_CALL, @1);
          $$->str = $1; $$->args = (Expr **)$3.items; $$->nargs = $3.len;
        }
  | NAME '(' expr FOR NAME IN NAME opt_cond ')'
        { $$ = new_compr(ps, $1, @1, $3, $5, @5, NULL, @5, $7, @7, $8); }
  | NAME '(' expr FOR NAME ',' NAME IN NAME opt_cond ')'
        { $$ = new_compr(ps, $1, @1, $3, $5, @5, $7, @7, $9, @9, $10); }
;

opt_args:
    %empty              { $$ = (PtrVec){0}; }
  | args
;

args:
    expr                { $$ = (PtrVec){0}; PUSH($$, $1); }
  | args ',' expr       { $$ = $1; PUSH($$, $3); }
;

opt_cond:
    %empty              { $$ = NULL; }
  | IF expr             { $$ = $2; }
;

primary:
    INT         { $$ = new_expr(ps, EX_INT, @1); $$->ival = $1; }
  | FLOAT       { $$ = new_expr(ps, EX_FLOAT, @1); $$->fval = $1; }
  | STRING      { $$ = new_expr(ps, EX_STRING, @1); $$->str = $1; }
  | TRUE        { $$ = new_expr(ps, EX_BOOL, @1); $$->bval = true; }
  | FALSE       { $$ = new_expr(ps, EX_BOOL, @1); $$->bval = false; }
  | NAME        { $$ = new_expr(ps, EX_NAME, @1); $$->str = $1; }
  | '(' expr ')' { $$ = $2; }
;

%%

/* ---- syntax error messages ----------------------------------------------
 *
 * Bison (with LAC, so the list is exact) tells which tokens could come next.
 * The message names them when there are few, after folding the many tokens
 * that start an expression into "expression" and leaving out operators that
 * would merely continue what came before (after `(x` the helpful word is
 * "')'", not the fourteen operators): `expected ')' before '{'`,
 * `expected ',' or ')' before 'b'`, else `unexpected 'foo'`. */

/* The lookahead as the user wrote it. */
static void describe_lookahead(ParseState *ps, yysymbol_kind_t tok, char *buf, size_t size) {
    const char *src = ps->diag->src;
    switch (tok) {
    case YYSYMBOL_YYEOF:
        snprintf(buf, size, "end of file");
        return;
    case YYSYMBOL_SEP:
        snprintf(buf, size, "%s", src && ps->tok_off < ps->diag->len && src[ps->tok_off] == ';' ? "';'" : "newline");
        return;
    case YYSYMBOL_STRING:
        snprintf(buf, size, "a string");
        return;
    case YYSYMBOL_NAME: case YYSYMBOL_INT: case YYSYMBOL_FLOAT:
        if (src && ps->tok_len > 0 && ps->tok_off + ps->tok_len <= ps->diag->len) {
            int n = ps->tok_len > 40 ? 40 : (int)ps->tok_len;
            snprintf(buf, size, "'%.*s%s'", n, src + ps->tok_off, ps->tok_len > 40 ? "..." : "");
            return;
        }
        break;
    default:
        break;
    }
    snprintf(buf, size, "%s", yysymbol_name(tok));
}

/* the symbol kind of a one-character token */
#define CHAR(c) YYTRANSLATE(c)

static bool starts_expression(yysymbol_kind_t t) {
    switch (t) {
    case YYSYMBOL_NAME: case YYSYMBOL_INT: case YYSYMBOL_FLOAT: case YYSYMBOL_STRING:
    case YYSYMBOL_TRUE: case YYSYMBOL_FALSE: case YYSYMBOL_NOT:
        return true;
    default:
        return t == CHAR('(') || t == CHAR('-') || t == CHAR('+');
    }
}

static bool starts_statement(yysymbol_kind_t t) {
    return t == YYSYMBOL_NAME || t == YYSYMBOL_REPEAT || t == YYSYMBOL_WHILE || t == YYSYMBOL_IF ||
           t == YYSYMBOL_BREAK || t == YYSYMBOL_RETURN;
}

/* Tokens that would only continue the expression before the error. */
static bool continues_expression(yysymbol_kind_t t) {
    switch (t) {
    case YYSYMBOL_OR: case YYSYMBOL_AND: case YYSYMBOL_EQ: case YYSYMBOL_NE: case YYSYMBOL_LE:
    case YYSYMBOL_GE: case YYSYMBOL_DIV: case YYSYMBOL_FOR:
        return true;
    default:
        return t == CHAR('(') || t == CHAR('[') || t == CHAR('<') || t == CHAR('>') || t == CHAR('+') ||
               t == CHAR('-') || t == CHAR('*') || t == CHAR('/') || t == CHAR('%');
    }
}

enum { MAX_ITEMS = 4 };

/* What the parser would have accepted, in words; returns how many (more than
 * MAX_ITEMS: too many to be worth listing). */
static int expected_items(const yypcontext_t *ctx, const char *items[MAX_ITEMS + 1]) {
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    bool expr = false, stmt = false, sep = false, brace = false, assign = false;
    for (int i = 0; i < n; i++) {
        expr |= exp[i] == YYSYMBOL_INT;
        stmt |= exp[i] == YYSYMBOL_REPEAT;
        sep |= exp[i] == YYSYMBOL_SEP;
        brace |= exp[i] == CHAR('}');
        assign |= exp[i] == CHAR('=');
    }
    int count = 0;
#define ADD(text) (count < MAX_ITEMS + 1 ? (void)(items[count++] = (text)) : (void)count++)
    /* first without the operators; if nothing else could come, with them */
    for (int operators = 0; operators < 2 && count == 0; operators++) {
        for (int i = 0; i < n; i++) {
            yysymbol_kind_t t = exp[i];
            if (stmt && (starts_statement(t) || t == YYSYMBOL_SEP || t == CHAR('}'))) continue;
            if (expr && starts_expression(t)) continue;
            if (!operators && continues_expression(t)) continue;
            /* a separator is worth naming only where a statement may end (where
             * `}` may come too), and there "newline or ';'" says enough */
            if (t == YYSYMBOL_SEP && !brace) continue;
            if (t == CHAR('}') && sep) continue;
            /* after a statement's first name, "expected '='" says enough: the
             * ':' of a typed assignment (x: f32 = e) is the rarer form */
            if (t == CHAR(':') && assign) continue;
            ADD(t == YYSYMBOL_SEP ? "newline or ';'" : yysymbol_name(t));
        }
        if (stmt) ADD("a statement");
        if (expr) ADD("an expression");
    }
#undef ADD
    return count;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ParseState *ps) {
    (void)scanner;
    if (ps->fatal) return 0; /* the scanner already explained why the input ended */
    yysymbol_kind_t look = yypcontext_token(ctx);
    SrcLoc loc = *yypcontext_location(ctx);
    char what[128];
    describe_lookahead(ps, look, what, sizeof what);
    const char *items[MAX_ITEMS + 1];
    int n = expected_items(ctx, items);

    if (look == YYSYMBOL_YYEOF && ps->nbrackets > 0) {
        /* the file ended inside brackets: the closer is what is missing */
        char open = ps->brackets[ps->nbrackets - 1];
        diag_error(ps->diag, loc, "expected '%c' before end of file", open == '{' ? '}' : open == '(' ? ')' : ']');
        diag_note(ps->diag, ps->bracket_locs[ps->nbrackets - 1], "to match this '%c'", open);
    } else if (look == YYSYMBOL_ELSE) {
        /* the newline before it was dropped, so "expected newline" would puzzle */
        diag_error(ps->diag, loc, "'else' without an 'if' before it");
    } else if (n == 0 || n > MAX_ITEMS) {
        diag_error(ps->diag, loc, "unexpected %s", what);
    } else {
        char list[256] = "";
        for (int i = 0; i < n; i++) {
            if (i > 0) strcat(list, i == n - 1 ? " or " : ", ");
            strcat(list, items[i]);
        }
        diag_error(ps->diag, loc, "expected %s before %s", list, what);
    }
    lexer_abandon_brackets(ps);
    return 0;
}

/* Bison's own errors ("memory exhausted" when the parser stack is full). */
static void galg_error(SrcLoc *loc, yyscan_t scanner, ParseState *ps, const char *msg) {
    (void)scanner;
    if (!strcmp(msg, "memory exhausted")) msg = "nesting too deep: the parser's stack is full";
    diag_error(ps->diag, *loc, "%s", msg);
}
