/* opt.c - the pass table and the driver; see opt.h. */
#include "opt/opt.h"

#include <string.h>

const OptPass opt_passes[] = {
    {"fuse", opt_fuse, 1, true, "merge kernels over the same nodes into one loop"},
    {"dead-vectors", opt_dead_vectors, 1, true, "drop vectors nothing reads, and kernels left empty"},
    /* The scalar passes (docs/optimizer.md) run at -O1 like fusion: each is
     * about linear in the program, and every one is exact (bit for bit the
     * results and run-time errors of -O0), so there is nothing to trade. */
    {"fold", opt_fold, 1, true, "fold constants and exact algebraic identities"},
    {"copy-prop", opt_copy_prop, 1, true, "read the source of a copy instead of the copy"},
    {"licm", opt_licm, 1, true, "move invariant ops out of loops, kernels and neighbor regions"},
    {"cse", opt_cse, 1, true, "compute each value once where it is available"},
    {"dce", opt_dce, 1, true, "remove ops whose results nothing reads"},
    {NULL, NULL, 0, false, NULL},
};

/* Is `name` one of the comma-separated names in `list`? */
static bool in_list(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && !strncmp(p, name, n)) return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

bool opt_run(IrFunc *f, int level, bool kernels, const char *disabled, OptAfterPass after, void *ctx) {
    for (const OptPass *p = opt_passes; p->name; p++) {
        if (p->needs_kernels != kernels) continue;
        bool run = level >= p->min_level && !in_list(disabled, p->name);
        if (run) p->run(f);
        if (after && !after(f, p, run, ctx)) return false;
    }
    return true;
}
