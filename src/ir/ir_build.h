/* ir_build.h - from a checked AST to IR. */
#ifndef GRAPHC_IR_BUILD_H
#define GRAPHC_IR_BUILD_H
#include "frontend/ast.h"
#include "ir/ir.h"

/* Builds the IR of a program that check_program accepted. Returns NULL (with
 * located errors in d) if some construct cannot be compiled. */
IrFunc *ir_build(const Program *p, Arena *a, Diag *d);

#endif
