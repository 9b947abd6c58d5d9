/* ast.c - names of types, operators and built-ins, and the --dump-ast printer.
 *
 * ast_dump format: one node per line, children indented by two spaces, a role
 * in front of a child where its position does not say it (`default:`,
 * `index:`, `body:`, `if:`, `else:`). Lines end with the node's location @L:C
 * (a block: @open..close). For the PageRank example, after checking:
 *
 *   algorithm pagerank @2:11
 *     param damping: float = 0.85 @2:20            (= the evaluated default)
 *       default: float 0.85 : float @2:37
 *     block @2:83..14:1
 *       assign ranks [defines var#0] @3:5          ([var#K] for a later assignment;
 *                                                   `assign x: f32 [...]` when typed)
 *         call init_nodes : node vector of float @3:15
 *           binary / : float @3:30
 *             float 1 : float @3:26
 *             name N : int [builtin] @3:32
 *       repeat @5:5
 *         name max_iter : int [param#1] @5:12
 *         block @5:21..12:5
 *           ...
 *               agg sum for u in in_nbrs : node vector of float [in] @8:51
 *                 body: index : float elem @8:62
 *                   name contrib : node vector of float elem [var#2] @8:55
 *                   index: name u : node elem [nbr] @8:63
 *       return @13:5
 *         name ranks : node vector of float [var#0] @13:12
 *     outputs: ranks
 *
 * Statements: assign, store, repeat, while, if (condition, block, `else:`
 * block), break, return, call-statement. Expressions: `int V`, `float V`,
 * `bool V`, `string "V"`, `name X`, `unary OP`, `binary OP`, `call F`,
 * `index`, `agg F for U[, W] in DIR`. Checker annotations appear when present:
 * ` : TYPE`, then `elem` for expressions evaluated per neighbor inside an
 * aggregation, then what a name refers to ([var#K] [param#K] [builtin] [nbr]
 * [weight]) and an aggregation's direction and weight ([in, weighted]). Floats
 * print in their shortest round-trip form. */
#include "frontend/ast.h"

#include <stdlib.h>
#include <string.h>

const char *dtype_name(DType t) {
    switch (t) {
    case DT_VOID: return "void";
    case DT_BOOL: return "bool";
    case DT_INT: return "int";
    case DT_FLOAT: return "float";
    case DT_NODE: return "node";
    case DT_STRING: return "string";
    case DT_F32: return "f32";
    }
    return "?";
}

const char *type_name(Type t) {
    static char bufs[4][32];
    static int next;
    if (t.shape == SH_SCALAR) return dtype_name(t.dtype);
    char *buf = bufs[next];
    next = (next + 1) % 4;
    snprintf(buf, sizeof bufs[0], "node vector of %s", dtype_name(t.dtype));
    return buf;
}

const char *ast_op_text(AstOp op) {
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_FLOORDIV: return "div";
    case OP_MOD: return "%";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_AND: return "and";
    case OP_OR: return "or";
    case OP_NEG: return "-";
    case OP_NOT: return "not";
    case OP_POS: return "+";
    }
    return "?";
}

static const char *const builtin_names[BI__COUNT] = {
    [BI_NONE] = "",
    [BI_N] = "N", [BI_M] = "M", [BI_NODE_ID] = "node_id", [BI_OUT_DEGREE] = "out_degree",
    [BI_IN_DEGREE] = "in_degree", [BI_DEGREE] = "degree", [BI_INF] = "inf",
    [BI_INIT_NODES] = "init_nodes", [BI_WHERE] = "where", [BI_ABS] = "abs", [BI_SQRT] = "sqrt",
    [BI_EXP] = "exp", [BI_LOG] = "log", [BI_POW] = "pow", [BI_FLOOR] = "floor", [BI_CEIL] = "ceil",
    [BI_FLOAT] = "float", [BI_INT] = "int", [BI_BOOL] = "bool", [BI_MIN] = "min", [BI_MAX] = "max",
    [BI_PRINT] = "print",
    [BI_SUM] = "sum", [BI_MEAN] = "mean", [BI_COUNT] = "count", [BI_ANY] = "any", [BI_ALL] = "all",
    [BI_ARGMIN] = "argmin", [BI_ARGMAX] = "argmax", [BI_MODE] = "mode",
};

const char *builtin_name(Builtin b) {
    return b >= 0 && b < BI__COUNT && builtin_names[b] ? builtin_names[b] : "?";
}

/* ---- dump --------------------------------------------------------------- */

/* The tree is at most MAX_TREE_DEPTH (parse_state.h) deep when it comes from
 * parse_program; a hand-built deeper one is cut off rather than overflow. */
enum { DUMP_MAX_DEPTH = 1100 };

static void print_float(FILE *out, double v) {
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) { /* shortest text that reads back the same */
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, out);
}

static void print_string(FILE *out, const char *s) {
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c == '\n') fputs("\\n", out);
        else if (c == '\t') fputs("\\t", out);
        else if (c < 0x20 || c == 0x7F) fprintf(out, "\\x%02x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static void line_start(FILE *out, int depth, const char *role) {
    fprintf(out, "%*s", 2 * depth, "");
    if (role) fprintf(out, "%s: ", role);
}

static void print_loc(FILE *out, SrcLoc loc) { fprintf(out, " @%d:%d\n", loc.line, loc.col); }

static void print_sym(FILE *out, const Symbol *s) {
    if (!s) return;
    switch (s->kind) {
    case SYM_VAR: fprintf(out, " [var#%d]", s->index); break;
    case SYM_PARAM: fprintf(out, " [param#%d]", s->index); break;
    case SYM_BUILTIN: fputs(" [builtin]", out); break;
    case SYM_NBR: fputs(" [nbr]", out); break;
    case SYM_WEIGHT: fputs(" [weight]", out); break;
    }
}

static void dump_block(FILE *out, const Block *b, int depth, const char *role);

static void dump_expr(FILE *out, const Expr *e, int depth, const char *role) {
    line_start(out, depth, role);
    if (!e) {
        fputs("(none)\n", out);
        return;
    }
    if (depth > DUMP_MAX_DEPTH) {
        fputs("...\n", out);
        return;
    }
    switch (e->kind) {
    case EX_INT: fprintf(out, "int %lld", (long long)e->ival); break;
    case EX_FLOAT: fputs("float ", out); print_float(out, e->fval); break;
    case EX_BOOL: fprintf(out, "bool %s", e->bval ? "true" : "false"); break;
    case EX_STRING: fputs("string ", out); print_string(out, e->str); break;
    case EX_NAME: fprintf(out, "name %s", e->str); break;
    case EX_UNARY: fprintf(out, "unary %s", ast_op_text(e->op)); break;
    case EX_BINARY: fprintf(out, "binary %s", ast_op_text(e->op)); break;
    case EX_CALL: fprintf(out, "call %s", e->str); break;
    case EX_INDEX: fputs("index", out); break;
    case EX_COMPR:
        fprintf(out, "agg %s for %s%s%s in %s", e->str, e->var, e->wvar ? ", " : "", e->wvar ? e->wvar : "",
                e->dir_name);
        break;
    }
    if (e->ty.dtype != DT_VOID) fprintf(out, " : %s", type_name(e->ty));
    if (e->elem) fputs(" elem", out);
    if (e->kind == EX_NAME) print_sym(out, e->sym);
    if (e->kind == EX_COMPR && e->ty.dtype != DT_VOID)
        fprintf(out, " [%s%s]", e->dir == DIR_IN ? "in" : e->dir == DIR_OUT ? "out" : "both",
                e->weighted ? ", weighted" : "");
    print_loc(out, e->loc);

    switch (e->kind) {
    case EX_UNARY:
        dump_expr(out, e->lhs, depth + 1, NULL);
        break;
    case EX_BINARY:
        dump_expr(out, e->lhs, depth + 1, NULL);
        dump_expr(out, e->rhs, depth + 1, NULL);
        break;
    case EX_INDEX:
        dump_expr(out, e->lhs, depth + 1, NULL);
        dump_expr(out, e->rhs, depth + 1, "index");
        break;
    case EX_CALL:
        for (int i = 0; i < e->nargs; i++) dump_expr(out, e->args[i], depth + 1, NULL);
        break;
    case EX_COMPR:
        dump_expr(out, e->body, depth + 1, "body");
        if (e->cond) dump_expr(out, e->cond, depth + 1, "if");
        break;
    default:
        break;
    }
}

static void dump_stmt(FILE *out, const Stmt *s, int depth) {
    line_start(out, depth, NULL);
    if (depth > DUMP_MAX_DEPTH) {
        fputs("...\n", out);
        return;
    }
    switch (s->kind) {
    case ST_ASSIGN:
        fprintf(out, "assign %s", s->name);
        if (s->type_name) fprintf(out, ": %s", s->type_name);
        if (s->sym) fprintf(out, " [%s#%d]", s->defines ? "defines var" : "var", s->sym->index);
        break;
    case ST_STORE:
        fprintf(out, "store %s", s->name);
        if (s->sym) fprintf(out, " [var#%d]", s->sym->index);
        break;
    case ST_REPEAT: fputs("repeat", out); break;
    case ST_WHILE: fputs("while", out); break;
    case ST_IF: fputs("if", out); break;
    case ST_BREAK: fputs("break", out); break;
    case ST_RETURN: fputs("return", out); break;
    case ST_CALL: fputs("call-statement", out); break;
    }
    print_loc(out, s->loc);
    switch (s->kind) {
    case ST_ASSIGN:
        dump_expr(out, s->value, depth + 1, NULL);
        break;
    case ST_STORE:
        dump_expr(out, s->index, depth + 1, "index");
        dump_expr(out, s->value, depth + 1, NULL);
        break;
    case ST_REPEAT: case ST_WHILE: case ST_IF:
        dump_expr(out, s->value, depth + 1, NULL);
        dump_block(out, s->body, depth + 1, NULL);
        if (s->els) dump_block(out, s->els, depth + 1, "else");
        break;
    case ST_RETURN:
        for (int i = 0; i < s->nvalues; i++) dump_expr(out, s->values[i], depth + 1, NULL);
        break;
    case ST_CALL:
        dump_expr(out, s->value, depth + 1, NULL);
        break;
    case ST_BREAK:
        break;
    }
}

static void dump_block(FILE *out, const Block *b, int depth, const char *role) {
    line_start(out, depth, role);
    if (!b) {
        fputs("(none)\n", out);
        return;
    }
    fprintf(out, "block @%d:%d..%d:%d\n", b->loc.line, b->loc.col, b->end_loc.line, b->end_loc.col);
    for (int i = 0; i < b->nstmts; i++) dump_stmt(out, b->stmts[i], depth + 1);
}

void ast_dump(const Program *p, FILE *out) {
    if (!p) return;
    fprintf(out, "algorithm %s%s%s", p->name, p->undirected ? " undirected" : "", p->weighted ? " weighted" : "");
    print_loc(out, p->loc);
    for (int i = 0; i < p->nparams; i++) {
        const Param *q = p->params[i];
        fprintf(out, "  param %s: %s", q->name, q->type_name);
        if (q->has_default) {
            fputs(" = ", out);
            switch (q->dtype) {
            case DT_FLOAT: print_float(out, q->fdefault); break;
            case DT_BOOL: fputs(q->idefault ? "true" : "false", out); break;
            default: fprintf(out, "%lld", (long long)q->idefault); break;
            }
        }
        print_loc(out, q->loc);
        if (q->deflt) dump_expr(out, q->deflt, 2, "default");
    }
    dump_block(out, p->body, 1, NULL);
    if (p->out_names) {
        /* the output columns, from the final return */
        const Stmt *ret = p->body->stmts[p->body->nstmts - 1];
        fputs("  outputs:", out);
        for (int i = 0; i < ret->nvalues; i++) fprintf(out, " %s", p->out_names[i]);
        fputc('\n', out);
    }
}
