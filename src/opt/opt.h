/* opt.h - optimization passes over the IR.
 *
 * A pass is `bool opt_NAME(IrFunc *f)`: it rewrites f in place and returns
 * whether it changed anything. Every pass keeps the IR valid (ir_verify runs
 * after each one in debug builds) and can be dumped with
 * `graphc --dump-ir=after-NAME`. The pipeline is the table in opt.c; which
 * passes run depends on the -O level. */
#ifndef GRAPHC_OPT_H
#define GRAPHC_OPT_H
#include <stdbool.h>

#include "ir/ir.h"

typedef struct OptPass {
    const char *name;        /* for --dump-ir=after-NAME and reports */
    bool (*run)(IrFunc *f);
    int min_level;           /* runs at -O<min_level> and above */
    bool needs_kernels;      /* runs after ir_kernelize (else before) */
    const char *what;        /* one line for --help and docs */
} OptPass;

/* The pipeline, in order; terminated by an entry with name NULL. */
extern const OptPass opt_passes[];

/* Kernel fusion (needs kernels): merges adjacent kernels whose combination
 * keeps every node's reads and writes in program order, forwards a value
 * stored and then loaded at the same node, and moves scalar ops that stand
 * between two kernels (and do not depend on the first) above it. */
bool opt_fuse(IrFunc *f);

/* Dead vectors (needs kernels): a vector no op reads and no RETURN names is
 * never stored; kernels left without stores or reductions disappear. */
bool opt_dead_vectors(IrFunc *f);

/* Constant folding (needs kernels): ops on constants become constants, and
 * exact algebraic identities (x * 1.0, x - 0.0, int x + 0, where(true, a, b),
 * an if on a constant) are simplified, everywhere in the function. Only what
 * the compiled program would compute bit for bit: never exp/log/pow, never an
 * integer division or modulo by zero, never int() of NaN or out of range. */
bool opt_fold(IrFunc *f);

/* Copy propagation (needs kernels): a use of `d` after `d = copy s` reads `s`
 * instead while neither is assigned again; the copies then die (dce). */
bool opt_copy_prop(IrFunc *f);

/* Loop-invariant code motion (needs kernels): ops of a repeat/while body whose
 * operands do not change in the loop move before it; ops of a kernel that do
 * not depend on the node move before the kernel, and ops of a neighbor
 * region that do not depend on the edge move before the region. Never an op
 * that can stop the program (the loop may run zero times). */
bool opt_licm(IrFunc *f);

/* Common subexpression elimination (needs kernels): an op computing what an
 * earlier op that always ran before it computed, on operands unchanged since,
 * becomes a copy of that op's result (and copies are forwarded as in
 * copy-prop, so chains of equal expressions collapse in one pass). */
bool opt_cse(IrFunc *f);

/* Dead code elimination (needs kernels): ops without effects whose result
 * nothing reads are removed, to a fixpoint; so are self-copies, empty ifs and
 * empty repeat loops. Ops that can stop the program are never dead. */
bool opt_dce(IrFunc *f);

/* ---- shared by the scalar passes (opt_util.c, opt_avail.c); not an API ---- */

/* Per variable: how many places assign it (an op's result, a kernel's
 * reduction, a store into a vector), the op when that is exactly one op
 * result, and how many operands read it. A variable with one definition is
 * assigned before every use on every path (ir_verify: defined before use in
 * program order, and the language's block scoping), so its defining op's
 * value is the variable's value wherever it is read. */
typedef struct OptDefs {
    int nvars;
    int *ndefs;
    IrOp **def;  /* the single defining op, or NULL */
    int *nreads;
} OptDefs;

void opt_defs_init(OptDefs *d, const IrFunc *f);
void opt_defs_free(OptDefs *d);
/* The constant v holds everywhere (its one definition is a CONST), or NULL. */
const IrConst *opt_const_of(const OptDefs *d, int v);

/* A scalar op without effects whose value depends only on its operands, the
 * vectors it loads and the current node or edge. It may still stop the
 * program (opt_may_fail). */
bool opt_is_pure(const IrFunc *f, const IrOp *op);
/* Can op (or anything inside it) stop the program: an integer div or % by
 * something not known nonzero, int() of a float not known to fit, a
 * kernel's argmin/argmax (all values NaN)? `d` (may be NULL) tells known
 * constants. */
bool opt_may_fail(const IrFunc *f, const OptDefs *d, const IrOp *op);
bool opt_block_may_fail(const IrFunc *f, const OptDefs *d, const IrBlock *b);
/* Calls fn for every variable op assigns, including inside its regions (a
 * kernel's reductions and stored vectors, a loop's or if's whole contents). */
void opt_for_each_def(const IrOp *op, void (*fn)(int v, void *ctx), void *ctx);

/* The forward walk copy-prop and cse share (opt_avail.c): every read of a
 * copy still holding its source's value is replaced by the source; with
 * `merge`, an op equal to an available one becomes a copy of it as well.
 * Returns whether anything changed. */
bool opt_avail_run(IrFunc *f, bool merge);

/* Callback after each pass of the table, with `ran` false for one the level
 * or `disabled` skipped (a dump after it shows the IR as it stands there);
 * return false to stop the pipeline. */
typedef bool (*OptAfterPass)(IrFunc *f, const OptPass *pass, bool ran, void *ctx);

/* Runs the passes of level `level` whose needs_kernels equals `kernels`.
 * `disabled` is a comma-separated list of pass names to skip (may be NULL).
 * Returns false if `after` stopped the pipeline. */
bool opt_run(IrFunc *f, int level, bool kernels, const char *disabled, OptAfterPass after, void *ctx);

#endif
