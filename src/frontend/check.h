/* check.h - name resolution and type/shape checking of a parsed program.
 *
 * check_program fills every [checker] annotation of ast.h (docs/language.md is
 * the reference for the rules). What the IR builder can rely on afterwards:
 *
 *  - Every Expr has its type in `ty`; every EX_NAME its `sym`; every EX_CALL and
 *    EX_COMPR its `builtin`; every EX_COMPR its `dir` and `weighted`.
 *  - Element context: the body and the condition of an aggregation
 *    AGG(body for u[, w] in DIR [if cond]) are evaluated once per (node v,
 *    neighbor u). Every expression in there has `elem` set and a scalar `ty`:
 *    a vector variable or vector built-in named there denotes v's element;
 *    `u` is a SYM_NBR node scalar, `w` a SYM_WEIGHT float scalar.
 *    The one exception is the base of an index, x in x[i]: it is always an
 *    EX_NAME of a vector variable or vector built-in, and keeps its vector type
 *    (it names the whole vector that is read at node i).
 *    The aggregation's own Expr is not in element context: its `ty` is a node
 *    vector.
 *  - Outside element context, x[i] is an element read when i is a node scalar
 *    and a gather (a vector) when i is a node vector.
 *  - Implicit conversions are left to the consumer: int operands of float
 *    operations, int values assigned or stored to float variables, the
 *    branches of where(), and the body of sum/min/max/mean are converted to
 *    the result's dtype; a bool body of sum counts trues.
 *  - f32 (a storage type): a variable declared `x: f32 = e` has a Symbol of
 *    dtype DT_F32, but every read of it is typed DT_FLOAT (a name, x[i], a
 *    gather), so no expression's `ty` is DT_F32, except the base x of an
 *    index in element context, which keeps the variable's own type. The
 *    consumer converts: a read of an f32 variable to float (exactly), an int
 *    or float value assigned or stored into one to f32 (rounded; an int goes
 *    through float first).
 *  - Stmt.sym is the target variable of ST_ASSIGN / ST_STORE, and `defines`
 *    marks the assignment that creates it (a typed assignment `x: T = e`
 *    always does; its variable has dtype T and e's shape). Program.vars holds every variable by
 *    index; Program.out_names the output column names of the final return,
 *    which is always the last statement of the body.
 *  - Param.dtype, has_default, idefault / fdefault, sym.
 *
 * Expressions that have an error get the poisoned type DT_VOID, and errors are
 * not reported again for what is built on them, so one mistake gives one
 * message. Returns false if the Diag has any errors. */
#ifndef GRAPHC_CHECK_H
#define GRAPHC_CHECK_H
#include <stdbool.h>

#include "common/arena.h"
#include "common/diag.h"
#include "frontend/ast.h"

bool check_program(Program *p, Arena *a, Diag *d);

#endif
