/* parse.h - the .galg parser: source text to AST.
 *
 * Syntax errors are reported through the Diag (several per run where the parser
 * can recover at the next statement). The tree is built in the arena. */
#ifndef GRAPHC_PARSE_H
#define GRAPHC_PARSE_H
#include "common/arena.h"
#include "common/diag.h"
#include "frontend/ast.h"

/* Parses d->src / d->len. Returns NULL if there was any error (lexical, syntax,
 * a literal out of range, a bad header attribute, nesting too deep). A program
 * that is returned is at most MAX_TREE_DEPTH (1000) levels deep, so the passes
 * that follow may recurse over it. */
Program *parse_program(Arena *a, Diag *d);

#endif
