/* parse.c - parse_program, and the AST constructors the grammar's actions use.
 *
 * The scanner (grammar/galg.l) and the parser (grammar/galg.y) share one
 * ParseState; see parse_state.h. */
#include "frontend/parse.h"

#include <stdlib.h>
#include <string.h>

#include "frontend/parse_state.h"
#include "galg.tab.h"

/* ---- constructors ------------------------------------------------------- */

Expr *new_expr(ParseState *ps, ExprKind kind, SrcLoc loc) {
    Expr *e = arena_alloc(ps->arena, sizeof *e);
    e->kind = kind;
    e->loc = loc;
    return e;
}

Expr *new_unary(ParseState *ps, AstOp op, SrcLoc loc, Expr *operand) {
    Expr *e = new_expr(ps, EX_UNARY, loc);
    e->op = op;
    e->lhs = operand;
    return e;
}

Expr *new_binary(ParseState *ps, AstOp op, SrcLoc loc, Expr *lhs, Expr *rhs) {
    Expr *e = new_expr(ps, EX_BINARY, loc);
    e->op = op;
    e->lhs = lhs;
    e->rhs = rhs;
    return e;
}

Expr *new_compr(ParseState *ps, const char *agg, SrcLoc loc, Expr *body, const char *var, SrcLoc var_loc,
                const char *wvar, SrcLoc wvar_loc, const char *dir, SrcLoc dir_loc, Expr *cond) {
    Expr *e = new_expr(ps, EX_COMPR, loc);
    e->str = agg;
    e->body = body;
    e->var = var;
    e->var_loc = var_loc;
    e->wvar = wvar;
    if (wvar) e->wvar_loc = wvar_loc;
    e->dir_name = dir;
    e->dir_loc = dir_loc;
    e->cond = cond;
    return e;
}

Stmt *new_stmt(ParseState *ps, StmtKind kind, SrcLoc loc) {
    Stmt *s = arena_alloc(ps->arena, sizeof *s);
    s->kind = kind;
    s->loc = loc;
    return s;
}

Block *new_block(ParseState *ps, SrcLoc open, PtrVec *stmts, SrcLoc close) {
    Block *b = arena_alloc(ps->arena, sizeof *b);
    b->stmts = (Stmt **)stmts->items;
    b->nstmts = stmts->len;
    b->loc = open;
    b->end_loc = close;
    return b;
}

Block *block_of(ParseState *ps, Stmt *s) {
    Block *b = arena_alloc(ps->arena, sizeof *b);
    b->stmts = arena_alloc(ps->arena, sizeof *b->stmts);
    b->stmts[0] = s;
    b->nstmts = 1;
    b->loc = s->loc;
    b->end_loc = s->body ? s->body->end_loc : s->loc;
    return b;
}

Param *new_param(ParseState *ps, const char *name, SrcLoc loc, const char *type, SrcLoc type_loc, Expr *deflt) {
    Param *p = arena_alloc(ps->arena, sizeof *p);
    p->name = name;
    p->loc = loc;
    p->type_name = type;
    p->type_loc = type_loc;
    p->deflt = deflt;
    return p;
}

Program *new_program(ParseState *ps, const char *name, SrcLoc loc, PtrVec *params, int attrs, Block *body) {
    Program *p = arena_alloc(ps->arena, sizeof *p);
    p->name = name;
    p->loc = loc;
    p->params = (Param **)params->items;
    p->nparams = params->len;
    p->undirected = attrs & ATTR_UNDIRECTED;
    p->weighted = attrs & ATTR_WEIGHTED;
    p->nonnegative = attrs & ATTR_NONNEGATIVE;
    if (p->nonnegative && !p->weighted)
        diag_error(ps->diag, loc, "'nonnegative' is about edge weights: it needs 'weighted' too");
    p->body = body;
    return p;
}

int add_attr(ParseState *ps, int attrs, const char *name, SrcLoc loc) {
    int bit = !strcmp(name, "undirected")    ? ATTR_UNDIRECTED
            : !strcmp(name, "weighted")    ? ATTR_WEIGHTED
            : !strcmp(name, "nonnegative") ? ATTR_NONNEGATIVE
                                           : 0;
    if (!bit)
        diag_error(ps->diag, loc,
                   "unknown attribute '%s' (the header takes 'undirected', 'weighted' and 'nonnegative')", name);
    else if (attrs & bit)
        diag_error(ps->diag, loc, "'%s' is given twice", name);
    return attrs | bit;
}

void chained_comparison(ParseState *ps, SrcLoc op_loc, AstOp first, AstOp second) {
    const char *a = ast_op_text(first), *b = ast_op_text(second);
    diag_error(ps->diag, op_loc, "comparisons cannot be chained: write 'a %s b and b %s c' instead of 'a %s b %s c'",
               a, b, a, b);
}

/* ---- depth limit -------------------------------------------------------- */

/* The deepest path through the tree, walked with an explicit stack (the tree
 * may be arbitrarily deep: that is what is being checked). Reports the first
 * node found beyond MAX_TREE_DEPTH. */
typedef struct Visit {
    const void *node;
    int kind; /* 0 expression, 1 statement, 2 block */
    int depth;
} Visit;

typedef struct Walk {
    Visit *items;
    size_t len, cap;
    bool oom;
} Walk;

static void visit(Walk *w, const void *node, int kind, int depth) {
    if (!node) return;
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        Visit *items = realloc(w->items, cap * sizeof *items);
        if (!items) {
            w->oom = true;
            return;
        }
        w->items = items;
        w->cap = cap;
    }
    w->items[w->len++] = (Visit){node, kind, depth};
}

static bool depth_ok(Program *p, Diag *d) {
    Walk w = {0};
    for (int i = 0; i < p->nparams; i++) visit(&w, p->params[i]->deflt, 0, 1);
    visit(&w, p->body, 2, 1);
    bool ok = true;
    while (w.len > 0 && !w.oom) {
        Visit v = w.items[--w.len];
        int next = v.depth + 1;
        SrcLoc loc;
        if (v.kind == 0) {
            const Expr *e = v.node;
            loc = e->loc;
            visit(&w, e->lhs, 0, next);
            visit(&w, e->rhs, 0, next);
            visit(&w, e->body, 0, next);
            visit(&w, e->cond, 0, next);
            for (int i = 0; i < e->nargs; i++) visit(&w, e->args[i], 0, next);
        } else if (v.kind == 1) {
            const Stmt *s = v.node;
            loc = s->loc;
            visit(&w, s->index, 0, next);
            visit(&w, s->value, 0, next);
            visit(&w, s->body, 2, next);
            visit(&w, s->els, 2, next);
            for (int i = 0; i < s->nvalues; i++) visit(&w, s->values[i], 0, next);
        } else {
            const Block *b = v.node;
            loc = b->loc;
            for (int i = 0; i < b->nstmts; i++) visit(&w, b->stmts[i], 1, next);
        }
        if (v.depth > MAX_TREE_DEPTH) {
            if (v.kind == 0)
                diag_error(d, loc, "nesting too deep: an expression nested more than %d levels (split it "
                                   "using variables)", MAX_TREE_DEPTH);
            else
                diag_error(d, loc, "nesting too deep: statements nested more than %d levels", MAX_TREE_DEPTH);
            ok = false;
            break;
        }
    }
    if (w.oom) {
        diag_error(d, p->loc, "out of memory while checking the nesting depth");
        ok = false;
    }
    free(w.items);
    return ok;
}

/* ---- entry point -------------------------------------------------------- */

int galg_parse(yyscan_t scanner, ParseState *ps);

Program *parse_program(Arena *a, Diag *d) {
    ParseState ps;
    void *scanner;
    if (lexer_open(&ps, a, d, &scanner) != 0) {
        diag_error(d, (SrcLoc){0, 0}, "cannot scan the input (it is too large)");
        return NULL;
    }
    int before = d->nerrors;
    int rc = galg_parse(scanner, &ps);
    lexer_close(scanner);
    if (rc != 0 || d->nerrors > before || !ps.program) {
        if (d->nerrors == before) diag_error(d, (SrcLoc){0, 0}, "cannot parse the program");
        return NULL;
    }
    if (!depth_ok(ps.program, d)) return NULL;
    return ps.program;
}
