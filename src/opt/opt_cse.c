/* opt_cse.c - common subexpression elimination; see opt.h.
 *
 * In PageRank's kernels `out_degree %53` is computed twice, `graph.N` and its
 * cast to float in almost every statement of the loop. An op X2 equal to an
 * available op X1 (same opcode, attributes, result type and operands, where
 * X1 ran on every path to X2 and nothing it read or wrote was assigned since;
 * see opt_avail.c) becomes `copy` of X1's result, and reads of that copy are
 * forwarded at once so that `cast(out_degree(v))` merges after
 * `out_degree(v)` did. Only ops without effects take part: stores,
 * accumulations, prints never do. A LOAD merges only while no store into its
 * vector (in a kernel: anywhere in the kernel, by another node) stands in
 * between. An op that can stop the program may merge into an earlier equal
 * one: that one ran on the same values and did not stop it. */
#include "opt/opt.h"

bool opt_cse(IrFunc *f) { return opt_avail_run(f, true); }
