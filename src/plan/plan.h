/* plan.h - the plans of an optimized, kernelized IR function.
 *
 * Three views of one program, computed once after the optimizer and used by
 * the code generator (slots) and by --emit-plan / --report:
 *
 *   batch     the top-level ops in program order (a topological order: the IR
 *             is structured, every op after the ops it reads), each with a
 *             position; the live range of every vector variable over those
 *             positions; a linear-scan allocation of vector variables to
 *             slots (buffers of N elements), reusing a slot once its tenant
 *             is dead, in place where a kernel reads the dying tenant only at
 *             its own node before writing the new one.
 *   parallel  per straight-line run of ops: dependency edges (read/write
 *             conflicts), levels, groups of independent kernels per level
 *             (one parallel region each), the estimated speedup of running
 *             each group's kernels together, the critical path.
 *   memory    every allocation as a formula of N and M (vectors and the
 *             graph; reduction partials, 16 bytes per 1024 nodes, are left
 *             out), in-place candidates, reuse pairs, and the
 *             peak without and with slot reuse.
 *
 * Positions, live ranges and slots are deterministic functions of the IR.
 * Everything lives in the plan's own arena; plan_free frees it at once. */
#ifndef GRAPHC_PLAN_H
#define GRAPHC_PLAN_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/arena.h"
#include "ir/ir.h"

/* A linear size a + b*N + c*M bytes (or elements, or operations). */
typedef struct PlanSize {
    int64_t c, n, m;
} PlanSize;

typedef struct PlanOp {
    const IrOp *op;
    int pos;            /* position in program order (preorder over loops and ifs) */
    int end;            /* LOOP/IF: the last position inside; else pos */
    int depth;          /* number of enclosing LOOP/IF */
    int parent;         /* index of the enclosing LOOP/IF in Plan.ops, or -1 */
    int which;          /* 0: in the parent's body, 1: in its else block */
    int level;          /* parallel level within its straight-line run (1-based) */
    int group;          /* index in Plan.groups of its kernel group, or -1 */
    int region;         /* KERNEL: the first kernel (index in ops) of the parallel region
                           it runs in; itself when it runs alone */
    int region_last;    /* KERNEL that heads a region: its last kernel (itself when alone) */
    bool deferred;      /* a scalar op between the kernels of one region: runs after it */
    int sched;          /* its place in the execution order of its run (see reordered) */
    int step;           /* its place in the execution order of the function: pos, but
                           permuted within a reordered run; live ranges count in steps */
    int run;            /* the straight-line run it belongs to */
    PlanSize cost;      /* KERNEL: estimated operations (per node and per edge); else 1 */
    PlanSize bytes;     /* KERNEL: estimated bytes moved (vector loads/stores, adjacency) */
    bool edges;         /* KERNEL: aggregates over neighbors */
    int *deps; int ndeps; /* indices in Plan.ops of the ops of the same run it depends on */
} PlanOp;

typedef struct PlanVar {
    int var;            /* IR variable (a top-level vector) */
    int elem_bytes;     /* 8 (int, node, float) or 1 (bool) */
    int start, end;     /* live range (steps, inclusive) */
    bool loop_carried;  /* the range was widened to a whole loop */
    int slot;
    bool in_place;      /* took its slot from a tenant dying at `start` */
    int prev_tenant;    /* index in Plan.vars of the previous tenant of the slot, or -1 */
} PlanVar;

typedef struct PlanSlot {
    int elem_bytes;
    int *tenants; int ntenants; /* indices in Plan.vars, in order */
} PlanSlot;

typedef struct PlanLevel {
    int run, level;
    int *ops; int nops;  /* indices in Plan.ops, in program order */
} PlanLevel;

typedef struct PlanGroup {
    int level, run;
    int *ops; int nops;  /* kernels (indices in Plan.ops), in program order */
    double factor;       /* kernels that run side by side (estimated) */
    int nregions;        /* parallel regions the group's kernels run in */
} PlanGroup;

typedef struct PlanAlloc {
    const char *what;    /* variable name, "temporary", "graph: ..." */
    const char *dtype;   /* element type */
    PlanSize elems, bytes;
    int var;             /* IR variable or -1 */
} PlanAlloc;

typedef struct Plan {
    Arena *arena;
    const IrFunc *f;
    PlanOp *ops; int nops;
    int *op_index;       /* IR op id -> index in ops, or -1 (size f->next_op_id) */
    int *op_at;          /* step -> index in ops (the execution order) */
    PlanVar *vars; int nvars;
    int *var_index;      /* IR variable -> index in vars, or -1 */
    PlanSlot *slots; int nslots;
    PlanLevel *levels; int nlevels; /* by run, then level */
    bool *reordered;     /* per run: runs level by level (no op in it can fail or print),
                            each level's scalar ops first, then its kernels in one region */
    PlanGroup *groups; int ngroups;
    int nruns;
    /* parallel summary (with the default graph shape, see plan_estimate) */
    double est_speedup;
    double total_cost, critical_path;
    bool use_parallel;
    /* memory */
    PlanAlloc *allocs; int nallocs; /* vectors first (by variable), then the graph */
    PlanSize vec_unshared, vec_slots, graph;
    PlanSize peak_unshared, peak_reuse; /* graph + vectors */
    int kernels_per_iteration;          /* kernels in the innermost loop with kernels; or all */
    bool need_out_lists, need_in_lists; /* neighbor lists the runtime builds (rt_program_adjacency) */
} Plan;

/* The estimate's graph shape when none is given: N nodes, M = 16 N arcs. */
enum { PLAN_DEFAULT_DEGREE = 16 };
#define PLAN_USE_PARALLEL_THRESHOLD 1.2

/* Plans f (kernelized). Returns NULL only on out of memory. */
Plan *plan_build(const IrFunc *f);
void plan_free(Plan *p);

/* Recomputes total_cost, critical_path, est_speedup and the groups' factors
 * for a graph of n nodes and m arcs (plan_build uses N = 1e6, M = 16 N).
 * use_parallel stays as plan_build decided it: the code follows it. */
void plan_estimate(Plan *p, double n, double m);

/* The value of a size for a graph of n nodes and m arcs. */
static inline double plan_eval(PlanSize s, double n, double m) { return (double)s.c + (double)s.n * n + (double)s.m * m; }
/* Writes "8*N + 4*M + 16" (or "0") to buf. */
const char *plan_size_str(PlanSize s, char *buf, size_t len);

/* The plan as one JSON document (schema "graphc-plan/1", docs/plan-schema.md).
 * With nodes >= 0 and edges >= 0 every size also gets its value. Returns a
 * malloc'ed string, or NULL on out of memory. */
char *plan_to_json(const Plan *p, int64_t nodes, int64_t edges);

/* The plan for people. */
void plan_report(const Plan *p, int64_t nodes, int64_t edges, FILE *out);

#endif
