/* plan_report.c - the plan for people (--report). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

static const char *vname(const Plan *p, int v, char *buf, size_t len) {
    const IrVar *x = &p->f->vars[v];
    if (x->name) snprintf(buf, len, "%s", x->name);
    else snprintf(buf, len, "%%%d", v);
    return buf;
}

/* "8*N + 4*M (= 123.4 MB)" or just the formula without a graph. */
static void size_out(FILE *out, PlanSize s, int64_t n, int64_t m) {
    char b[128];
    fprintf(out, "%s", plan_size_str(s, b, sizeof b));
    if (n >= 0 && m >= 0) {
        double v = plan_eval(s, (double)n, (double)m);
        if (v >= 1e6) fprintf(out, " (= %.1f M)", v / 1e6);
        else fprintf(out, " (= %.0f)", v);
    }
}

static void kernel_lines(const IrOp *k, int *lo, int *hi) {
    *lo = k->loc.line;
    *hi = k->loc.line;
    for (int i = 0; i < k->nmembers; i++) {
        int l = k->members[i]->loc.line;
        if (l < *lo) *lo = l;
        if (l > *hi) *hi = l;
    }
}

/* The innermost loop with kernels (the one kernels_per_iteration counts), or -1. */
static int iteration_loop(const Plan *p) {
    int best = -1;
    for (int k = 0; k < p->nops; k++) {
        if (p->ops[k].op->code != IR_LOOP) continue;
        bool has = false;
        for (int j = k + 1; j <= p->ops[k].end; j++) {
            if (p->ops[j].op->code != IR_KERNEL) continue;
            int a = p->ops[j].parent;
            while (a != k && p->ops[a].op->code != IR_LOOP) a = p->ops[a].parent;
            if (a == k) has = true;
        }
        if (has && (best < 0 || p->ops[k].depth > p->ops[best].depth)) best = k;
    }
    return best;
}

void plan_report(const Plan *p, int64_t n, int64_t m, FILE *out) {
    char b[160];
    int nk = 0;
    for (int k = 0; k < p->nops; k++) nk += p->ops[k].op->code == IR_KERNEL;
    fprintf(out, "plan of %s", p->f->name);
    if (n >= 0) fprintf(out, " for N = %lld nodes, M = %lld arcs", (long long)n, (long long)m);
    else fprintf(out, " (sizes in N nodes and M arcs; --graph or --nodes/--edges give numbers)");
    fprintf(out, "\n\nkernels: %d in all, %d per loop iteration\n", nk, p->kernels_per_iteration);
    for (int k = 0; k < p->nops; k++) {
        const PlanOp *po = &p->ops[k];
        if (po->op->code != IR_KERNEL) continue;
        int lo, hi;
        kernel_lines(po->op, &lo, &hi);
        fprintf(out, "  [%d] kernel over %s, lines %d-%d, depth %d: ", po->pos, po->edges ? "nodes and their arcs" : "nodes", lo, hi, po->depth);
        fprintf(out, "%d op%s fused:", po->op->nmembers, po->op->nmembers == 1 ? "" : "s");
        for (int i = 0; i < po->op->nmembers; i++) {
            const IrOp *mo = po->op->members[i];
            fprintf(out, " %s", ir_opcode_name(mo->code));
            if (mo->code == IR_REDUCE || mo->code == IR_NBR_AGG) fprintf(out, ".%s", ir_agg_name(mo->agg));
            if (mo->dst >= 0) fprintf(out, "->%s", vname(p, mo->dst, b, sizeof b));
        }
        fprintf(out, "\n      cost ");
        size_out(out, po->cost, n, m);
        fprintf(out, " ops; moves ");
        size_out(out, po->bytes, n, m);
        fprintf(out, " bytes\n");
    }
    int L = iteration_loop(p);
    if (L >= 0) {
        PlanSize s = {0, 0, 0};
        for (int j = L + 1; j <= p->ops[L].end; j++)
            if (p->ops[j].op->code == IR_KERNEL) {
                s.c += p->ops[j].bytes.c;
                s.n += p->ops[j].bytes.n;
                s.m += p->ops[j].bytes.m;
            }
        fprintf(out, "\nbytes moved per iteration of the loop at line %d: ", p->ops[L].op->loc.line);
        size_out(out, s, n, m);
        fprintf(out, "\n");
    }

    int nre = 0;
    for (int r = 0; r < p->nruns; r++) nre += p->reordered[r];
    fprintf(out, "\nparallel: %d straight-line runs, %d of them run level by level (nothing in them can fail)\n",
            p->nruns, nre);
    for (int g = 0; g < p->ngroups; g++) {
        const PlanGroup *gr = &p->groups[g];
        if (gr->nops < 2) continue;
        fprintf(out, "  run %d level %d: %d independent kernels:", gr->run, gr->level, gr->nops);
        for (int i = 0; i < gr->nops; i++) fprintf(out, " [%d]", p->ops[gr->ops[i]].pos);
        fprintf(out, " (parallelism %.2f), %s\n", gr->factor,
                gr->nregions == 1 ? "one parallel region" : "kept apart: ops that can fail stand between them");
    }
    if (n >= 0 && m >= 0)
        fprintf(out, "  estimated speedup from running independent kernels together: %.2fx (critical path %.3g of %.3g ops)\n",
                p->est_speedup, p->critical_path, p->total_cost);
    else
        fprintf(out, "  estimated speedup from running independent kernels together: %.2fx (critical path %.3g of %.3g ops, N = 1e6, M = %d N)\n",
                p->est_speedup, p->critical_path, p->total_cost, PLAN_DEFAULT_DEGREE);
    fprintf(out, "  use_parallel: %s (threshold %.1fx, decided for N = 1e6, M = %d N when compiling; %s); every kernel is data-parallel over nodes on all threads\n",
            p->use_parallel ? "yes" : "no", PLAN_USE_PARALLEL_THRESHOLD, PLAN_DEFAULT_DEGREE,
            p->use_parallel ? "a level's independent kernels share one parallel region" : "each kernel runs alone");

    fprintf(out, "\nslots: %d vector buffer%s for %d vector%s\n", p->nslots, p->nslots == 1 ? "" : "s", p->nvars, p->nvars == 1 ? "" : "s");
    for (int s = 0; s < p->nslots; s++) {
        fprintf(out, "  slot %d (%d byte%s per node):", s, p->slots[s].elem_bytes, p->slots[s].elem_bytes == 1 ? "" : "s");
        for (int i = 0; i < p->slots[s].ntenants; i++) {
            const PlanVar *pv = &p->vars[p->slots[s].tenants[i]];
            fprintf(out, "%s %s [%d..%d]%s%s", i ? "," : "", vname(p, pv->var, b, sizeof b), pv->start, pv->end,
                    pv->loop_carried ? " loop-carried" : "", pv->in_place ? " in place" : "");
        }
        fprintf(out, "\n");
    }
    fprintf(out, "\nmemory:\n  graph               ");
    size_out(out, p->graph, n, m);
    fprintf(out, "\n  vectors, unshared   ");
    size_out(out, p->vec_unshared, n, m);
    fprintf(out, "\n  vectors, slots      ");
    size_out(out, p->vec_slots, n, m);
    fprintf(out, "\n  peak without reuse  ");
    size_out(out, p->peak_unshared, n, m);
    fprintf(out, "\n  peak with reuse     ");
    size_out(out, p->peak_reuse, n, m);
    double pn = n >= 0 ? (double)n : 1e6, pm = m >= 0 ? (double)m : 1e6 * PLAN_DEFAULT_DEGREE;
    double vu = plan_eval(p->vec_unshared, pn, pm), vs = plan_eval(p->vec_slots, pn, pm);
    if (vu > 0) fprintf(out, "\n  slot reuse saves %.0f%% of the vector memory", 100.0 * (vu - vs) / vu);
    fprintf(out, "\n");
}
