/* interp.h - the reference interpreter: runs the checked, unoptimized IR.
 *
 * The oracle that compiled programs are tested against (`graphc --interpret`,
 * `graphc --verify`). It walks the IR exactly as ir_build made it (no
 * kernelization, no optimization), serially, with the plainest reading of
 * docs/language.md: every element-wise op a loop over nodes, every
 * aggregation a loop over the node's neighbors, every reduction in the one
 * order the language documents (blocks of INTERP_BLOCK nodes). It shares the
 * front end and the runtime (loading, command line, output) with compiled
 * programs and no code with the optimizer or the code generator. */
#ifndef GRAPHC_INTERP_H
#define GRAPHC_INTERP_H

#include "ir/ir.h"
#include "runtime/rt_abi.h"

/* Nodes per block of a whole-vector reduction (docs/design.md, "evaluation order"). */
enum { INTERP_BLOCK = 1024 };

/* Declares f's parameters and output columns, as galg_describe does. */
void interp_describe(const IrFunc *f, rt_program *p);

/* Runs f on g, as galg_run does: results go to out; run-time errors (integer
 * division by zero, ...) end the process through rt_fail. */
void interp_run(const IrFunc *f, const rt_graph *g, const rt_value *params, rt_output *out);

#endif
