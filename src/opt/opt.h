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

/* Callback after each pass that ran (for dumps and verification); return
 * false to stop the pipeline. */
typedef bool (*OptAfterPass)(IrFunc *f, const OptPass *pass, void *ctx);

/* Runs the passes of level `level` whose needs_kernels equals `kernels`.
 * `disabled` is a comma-separated list of pass names to skip (may be NULL).
 * Returns false if `after` stopped the pipeline. */
bool opt_run(IrFunc *f, int level, bool kernels, const char *disabled, OptAfterPass after, void *ctx);

#endif
