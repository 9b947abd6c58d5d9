/* ast.h - the abstract syntax tree of a .galg program.
 *
 * The parser builds it (all nodes in one Arena); the checker (check.h) then
 * resolves names and fills in the `ty`, `sym`, `builtin`, ... annotations that
 * the IR builder reads. Fields marked [checker] are zero until check_program
 * succeeds. */
#ifndef GRAPHC_AST_H
#define GRAPHC_AST_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/arena.h"
#include "common/diag.h"

/* ---- types -------------------------------------------------------------- */
/* DT_F32 is a storage type only: a variable declared `x: f32 = e` holds
 * binary32 values; reading it gives a float (the checker types every read as
 * DT_FLOAT, and the IR converts), so arithmetic never sees DT_F32. */
typedef enum DType { DT_VOID = 0, DT_BOOL, DT_INT, DT_FLOAT, DT_NODE, DT_STRING, DT_F32 } DType;
typedef enum Shape { SH_SCALAR = 0, SH_VECTOR } Shape; /* VECTOR: one value per node */
typedef struct Type {
    DType dtype;
    Shape shape;
} Type;
const char *dtype_name(DType t); /* "bool", "int", "float", "node", "f32", ... */
/* "float", "node vector of int", ...; returns a static buffer of up to 4 rotating slots */
const char *type_name(Type t);

/* ---- operators ---------------------------------------------------------- */
typedef enum AstOp {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR,
    OP_NEG, OP_NOT, OP_POS,
} AstOp;
const char *ast_op_text(AstOp op); /* "+", "and", ... */

/* Built-in names and functions the checker resolves. */
typedef enum Builtin {
    BI_NONE = 0,
    /* graph values */
    BI_N, BI_M, BI_NODE_ID, BI_OUT_DEGREE, BI_IN_DEGREE, BI_DEGREE, BI_INF,
    /* functions */
    BI_INIT_NODES, BI_WHERE, BI_ABS, BI_SQRT, BI_EXP, BI_LOG, BI_POW,
    BI_FLOOR, BI_CEIL, BI_FLOAT, BI_INT, BI_BOOL, BI_MIN, BI_MAX, BI_PRINT,
    /* reductions (whole vector -> scalar) and aggregations (comprehension) */
    BI_SUM, BI_MEAN, BI_COUNT, BI_ANY, BI_ALL, BI_ARGMIN, BI_ARGMAX, BI_MODE,
    BI__COUNT
} Builtin;
const char *builtin_name(Builtin b);

/* Neighborhood of a comprehension. */
typedef enum NbrDir { DIR_IN = 0, DIR_OUT, DIR_BOTH } NbrDir;

/* ---- symbols (filled by the checker) ------------------------------------ */
typedef enum SymKind {
    SYM_VAR,     /* a program variable; `index` numbers the variables 0.. */
    SYM_PARAM,   /* an algorithm parameter; `index` is its position */
    SYM_BUILTIN, /* N, M, node_id, out_degree, in_degree, degree, inf */
    SYM_NBR,     /* the neighbor bound by a comprehension (`u`): node scalar */
    SYM_WEIGHT,  /* the edge weight bound by a comprehension (`w`): float scalar */
} SymKind;

typedef struct Symbol {
    SymKind kind;
    const char *name;
    Type ty;
    int index;        /* SYM_VAR: variable number; SYM_PARAM: parameter position */
    Builtin builtin;  /* SYM_BUILTIN */
    SrcLoc def_loc;   /* where it was first defined */
} Symbol;

/* ---- expressions -------------------------------------------------------- */
typedef enum ExprKind {
    EX_INT,      /* ival */
    EX_FLOAT,    /* fval */
    EX_BOOL,     /* bval */
    EX_STRING,   /* str (escapes already decoded); only allowed in print */
    EX_NAME,     /* name */
    EX_UNARY,    /* op, lhs */
    EX_BINARY,   /* op, lhs, rhs */
    EX_CALL,     /* name(args...) */
    EX_INDEX,    /* lhs[rhs] */
    EX_COMPR,    /* name(body for var[, wvar] in dir_name [if cond]) */
} ExprKind;

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    SrcLoc loc;       /* the first token of the expression (operators: the operator) */
    int64_t ival;
    double fval;
    bool bval;
    const char *str;  /* EX_STRING text; EX_NAME / EX_CALL / EX_COMPR: the name */
    AstOp op;
    Expr *lhs, *rhs;
    Expr **args;      /* EX_CALL */
    int nargs;
    /* EX_COMPR: AGG(body for var[, wvar] in dir_name [if cond]) */
    Expr *body, *cond;
    const char *var, *wvar, *dir_name;
    SrcLoc var_loc, wvar_loc, dir_loc;

    /* [checker] annotations */
    Type ty;          /* type of the value (see check.h for element context) */
    Symbol *sym;      /* EX_NAME: what the name refers to */
    Builtin builtin;  /* EX_CALL, EX_COMPR: the function / aggregation */
    NbrDir dir;       /* EX_COMPR */
    bool weighted;    /* EX_COMPR: iterates edges with a weight (in_edges, ...) */
    bool elem;        /* expression is evaluated per node/edge inside a comprehension;
                         a vector variable named there denotes the current node's value */
};

/* ---- statements --------------------------------------------------------- */
typedef enum StmtKind {
    ST_ASSIGN, /* name = value, or name: type_name = value (a typed first assignment) */
    ST_STORE,  /* name[index] = value */
    ST_REPEAT, /* repeat count { body } */
    ST_WHILE,  /* while cond { body } */
    ST_IF,     /* if cond { body } else { els }   (els may be NULL; `else if` nests an ST_IF) */
    ST_BREAK,
    ST_RETURN, /* return values... */
    ST_CALL,   /* a call used as a statement: print(...) */
} StmtKind;

typedef struct Stmt Stmt;
typedef struct Block {
    Stmt **stmts;
    int nstmts;
    SrcLoc loc;     /* the `{` */
    SrcLoc end_loc; /* the `}` */
} Block;

struct Stmt {
    StmtKind kind;
    SrcLoc loc;
    const char *name;  /* ST_ASSIGN, ST_STORE: the target */
    SrcLoc name_loc;
    const char *type_name; /* ST_ASSIGN: the declared type as written ("f32", ...), or NULL */
    SrcLoc type_loc;
    Expr *index;       /* ST_STORE */
    Expr *value;       /* ST_ASSIGN, ST_STORE; ST_REPEAT: count; ST_WHILE / ST_IF: cond; ST_CALL: the call */
    Block *body, *els;
    Expr **values;     /* ST_RETURN */
    int nvalues;
    /* [checker] */
    Symbol *sym;       /* ST_ASSIGN / ST_STORE: the target variable */
    bool defines;      /* ST_ASSIGN: this assignment creates the variable */
};

/* ---- program ------------------------------------------------------------ */
typedef struct Param {
    const char *name;
    SrcLoc loc;
    const char *type_name; /* as written: "float", "int", "bool", "node" */
    SrcLoc type_loc;
    Expr *deflt;           /* NULL: the parameter is required on the command line */
    /* [checker] */
    DType dtype;
    bool has_default;
    int64_t idefault;      /* int, bool (0/1) and node (the file's id) defaults */
    double fdefault;       /* float defaults */
    Symbol *sym;
} Param;

typedef struct Program {
    const char *name;
    SrcLoc loc;
    Param **params;
    int nparams;
    bool undirected, weighted;
    bool nonnegative; /* weighted, and every weight must be >= 0 (checked when loading) */
    Block *body;
    /* [checker] */
    Symbol **vars;   /* every program variable, by Symbol.index */
    int nvars;
    const char **out_names; /* one per returned value: the variable name, or "valueK" */
} Program;

/* Write the AST (with checker annotations when present) as an indented tree. */
void ast_dump(const Program *p, FILE *out);

#endif
