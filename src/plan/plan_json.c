/* plan_json.c - the plan as a "graphc-plan/1" JSON document (cJSON); the
 * schema is docs/plan-schema.md. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

/* "%name.12" or "%12", as ir_print names variables. */
static const char *var_name(const Plan *p, int v, char *buf, size_t len) {
    const IrVar *x = &p->f->vars[v];
    if (x->name) snprintf(buf, len, "%%%s.%d", x->name, v);
    else snprintf(buf, len, "%%%d", v);
    return buf;
}

static cJSON *var_json(const Plan *p, int v) {
    char b[160];
    return cJSON_CreateString(var_name(p, v, b, sizeof b));
}

/* A size: {"formula": "8*N + 4*M", "n": 8, "m": 4, "c": 0[, "value": ...]} */
static cJSON *size_json(PlanSize s, int64_t nodes, int64_t edges) {
    char b[128];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "formula", plan_size_str(s, b, sizeof b));
    cJSON_AddNumberToObject(o, "c", (double)s.c);
    cJSON_AddNumberToObject(o, "n", (double)s.n);
    cJSON_AddNumberToObject(o, "m", (double)s.m);
    if (nodes >= 0 && edges >= 0) cJSON_AddNumberToObject(o, "value", plan_eval(s, (double)nodes, (double)edges));
    return o;
}

static const char *domain(const PlanOp *po) {
    switch (po->op->code) {
    case IR_KERNEL: return po->edges ? "edges" : "nodes";
    case IR_LOOP: case IR_IF: case IR_BREAK: case IR_RETURN: return "control";
    default: return "scalar";
    }
}

static const char *op_name(const IrOp *op, char *buf, size_t len) {
    if (op->code == IR_REDUCE || op->code == IR_NBR_AGG)
        snprintf(buf, len, "%s.%s", ir_opcode_name(op->code), ir_agg_name(op->agg));
    else
        snprintf(buf, len, "%s", ir_opcode_name(op->code));
    return buf;
}

/* A set of variables being collected: a list plus a mark per variable
 * (cleared after each use), so one op costs what it touches. */
typedef struct VarSet {
    unsigned char *mark; /* [nvars] */
    int *list;
    int n;
} VarSet;

static void vs_add(VarSet *s, int v) {
    if (v < 0 || s->mark[v]) return;
    s->mark[v] = 1;
    s->list[s->n++] = v;
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Adds the list (sorted by variable) under key and clears the set. */
static void vs_emit(const Plan *p, VarSet *s, cJSON *o, const char *key) {
    qsort(s->list, (size_t)s->n, sizeof(int), cmp_int);
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (int i = 0; i < s->n; i++) {
        cJSON_AddItemToArray(a, var_json(p, s->list[i]));
        s->mark[s->list[i]] = 0;
    }
    s->n = 0;
}

static void vs_clear(VarSet *s) {
    for (int i = 0; i < s->n; i++) s->mark[s->list[i]] = 0;
    s->n = 0;
}

/* The top-level variables a kernel body reads and writes: `local` marks
 * (temporarily) the body's own variables; a store's target is written. */
static void mark_local(const IrBlock *b, unsigned char *local, unsigned char val) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst >= 0) local[op->dst] = val;
        if (op->body) mark_local(op->body, local, val);
        if (op->els) mark_local(op->els, local, val);
    }
}

static void collect_io(const IrBlock *b, const unsigned char *local, VarSet *in, VarSet *out) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        for (int s = 0; s < op->nsrc; s++) {
            if (op->code == IR_STORE && s == 0) continue;
            if (op->src[s] >= 0 && !local[op->src[s]]) vs_add(in, op->src[s]);
        }
        if (op->code == IR_STORE) vs_add(out, op->src[0]);
        if (op->body) collect_io(op->body, local, in, out);
        if (op->els) collect_io(op->els, local, in, out);
    }
}

/* The top-level variables op k reads (in) and writes (out). */
static void op_io(const Plan *p, int k, unsigned char *local, VarSet *in, VarSet *out) {
    const IrOp *op = p->ops[k].op;
    if (op->code == IR_KERNEL) {
        mark_local(op->body, local, 1);
        collect_io(op->body, local, in, out);
        mark_local(op->body, local, 0);
        for (int r = 0; r < op->nreds; r++) vs_add(out, op->reds[r].dst);
        return;
    }
    for (int s = 0; s < op->nsrc; s++) {
        if (op->code == IR_STORE && s == 0) continue;
        vs_add(in, op->src[s]);
    }
    if (op->dst >= 0) vs_add(out, op->dst);
    if (op->code == IR_STORE) {
        vs_add(in, op->src[0]); /* an element store keeps the other elements */
        vs_add(out, op->src[0]);
    }
}

static VarSet vs_new(int nv) {
    VarSet s = {calloc((size_t)nv + 1, 1), calloc((size_t)nv + 1, sizeof(int)), 0};
    return s;
}
static void vs_free(VarSet *s) {
    free(s->mark);
    free(s->list);
}

/* A constant's value: a number, or "inf", "-inf", "nan" (JSON has no such numbers). */
static cJSON *const_json(const IrConst *c) {
    if (c->dtype != DT_FLOAT) return cJSON_CreateNumber((double)c->i);
    if (isnan(c->f)) return cJSON_CreateString("nan");
    if (isinf(c->f)) return cJSON_CreateString(c->f > 0 ? "inf" : "-inf");
    return cJSON_CreateNumber(c->f);
}

static cJSON *batch_json(const Plan *p, int64_t nodes, int64_t edges) {
    int nv = p->f->nvars;
    VarSet in = vs_new(nv), out = vs_new(nv);
    unsigned char *local = calloc((size_t)nv + 1, 1);
    cJSON *b = cJSON_CreateObject();
    cJSON *ops = cJSON_AddArrayToObject(b, "ops");
    char buf[160];
    for (int k = 0; k < p->nops && in.mark && in.list && out.mark && out.list && local; k++) {
        const PlanOp *po = &p->ops[k];
        const IrOp *op = po->op;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "pos", po->pos);
        cJSON_AddNumberToObject(o, "id", op->id);
        cJSON_AddStringToObject(o, "op", op_name(op, buf, sizeof buf));
        cJSON_AddStringToObject(o, "domain", domain(po));
        if (po->parent >= 0) cJSON_AddNumberToObject(o, "parent", p->ops[po->parent].pos);
        else cJSON_AddNullToObject(o, "parent");
        if (po->end != po->pos) cJSON_AddNumberToObject(o, "end", po->end);
        cJSON_AddNumberToObject(o, "step", po->step);
        op_io(p, k, local, &in, &out);
        vs_emit(p, &in, o, "inputs");
        vs_emit(p, &out, o, "outputs");
        cJSON *attrs = cJSON_AddObjectToObject(o, "attributes");
        if (op->code == IR_CONST) cJSON_AddItemToObject(attrs, "value", const_json(&op->c));
        if (op->code == IR_PARAM) cJSON_AddStringToObject(attrs, "param", p->f->params[op->index].name);
        if (op->code == IR_LOOP) cJSON_AddStringToObject(attrs, "kind", op->nsrc ? "repeat" : "while");
        if (op->code == IR_KERNEL) {
            cJSON_AddItemToObject(attrs, "cost", size_json(po->cost, nodes, edges));
            cJSON_AddItemToObject(attrs, "bytes_moved", size_json(po->bytes, nodes, edges));
            cJSON *red = cJSON_AddArrayToObject(attrs, "reductions");
            for (int r = 0; r < op->nreds; r++) {
                cJSON *x = cJSON_CreateObject();
                cJSON_AddStringToObject(x, "agg", ir_agg_name(op->reds[r].agg));
                cJSON_AddItemToObject(x, "output", var_json(p, op->reds[r].dst));
                cJSON_AddItemToArray(red, x);
            }
            cJSON *mem = cJSON_AddArrayToObject(o, "fused_members");
            for (int i = 0; i < op->nmembers; i++) {
                const IrOp *m = op->members[i];
                cJSON *x = cJSON_CreateObject();
                cJSON_AddNumberToObject(x, "id", m->id);
                cJSON_AddStringToObject(x, "op", op_name(m, buf, sizeof buf));
                if (m->dst >= 0) cJSON_AddItemToObject(x, "output", var_json(p, m->dst));
                else cJSON_AddNullToObject(x, "output");
                cJSON_AddNumberToObject(x, "line", m->loc.line);
                cJSON_AddItemToArray(mem, x);
            }
        }
        cJSON_AddItemToArray(ops, o);
    }
    vs_free(&in);
    vs_free(&out);
    free(local);
    cJSON *vs = cJSON_AddObjectToObject(b, "variable_slots");
    for (int i = 0; i < p->nvars; i++) cJSON_AddNumberToObject(vs, var_name(p, p->vars[i].var, buf, sizeof buf), p->vars[i].slot);
    cJSON_AddNumberToObject(b, "num_slots", p->nslots);
    cJSON *slots = cJSON_AddArrayToObject(b, "slots");
    for (int s = 0; s < p->nslots; s++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "slot", s);
        cJSON_AddNumberToObject(o, "elem_bytes", p->slots[s].elem_bytes);
        cJSON *t = cJSON_AddArrayToObject(o, "tenants");
        for (int i = 0; i < p->slots[s].ntenants; i++) cJSON_AddItemToArray(t, var_json(p, p->vars[p->slots[s].tenants[i]].var));
        cJSON_AddItemToArray(slots, o);
    }
    cJSON *consts = cJSON_AddArrayToObject(b, "constants");
    for (int k = 0; k < p->nops; k++) {
        const IrOp *op = p->ops[k].op;
        if (op->code != IR_CONST) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "var", var_json(p, op->dst));
        cJSON_AddStringToObject(o, "dtype", dtype_name(op->c.dtype));
        cJSON_AddItemToObject(o, "value", const_json(&op->c));
        cJSON_AddItemToArray(consts, o);
    }
    cJSON *lr = cJSON_AddArrayToObject(b, "live_ranges");
    for (int i = 0; i < p->nvars; i++) {
        const PlanVar *pv = &p->vars[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "var", var_json(p, pv->var));
        cJSON_AddNumberToObject(o, "start", pv->start);
        cJSON_AddNumberToObject(o, "end", pv->end);
        cJSON_AddBoolToObject(o, "loop_carried", pv->loop_carried);
        cJSON_AddNumberToObject(o, "slot", pv->slot);
        cJSON_AddItemToArray(lr, o);
    }
    return b;
}

static cJSON *parallel_json(const Plan *p) {
    cJSON *o = cJSON_CreateObject();
    cJSON *deps = cJSON_AddArrayToObject(o, "dependencies");
    for (int k = 0; k < p->nops; k++)
        for (int d = 0; d < p->ops[k].ndeps; d++) {
            cJSON *e = cJSON_CreateArray();
            cJSON_AddItemToArray(e, cJSON_CreateNumber(p->ops[p->ops[k].deps[d]].pos));
            cJSON_AddItemToArray(e, cJSON_CreateNumber(p->ops[k].pos));
            cJSON_AddItemToArray(deps, e);
        }
    cJSON *levels = cJSON_AddArrayToObject(o, "levels");
    for (int i = 0; i < p->nlevels; i++) {
        const PlanLevel *L = &p->levels[i];
        cJSON *l = cJSON_CreateObject();
        cJSON_AddNumberToObject(l, "run", L->run);
        cJSON_AddNumberToObject(l, "level", L->level);
        cJSON *ops = cJSON_AddArrayToObject(l, "ops");
        for (int j = 0; j < L->nops; j++) cJSON_AddItemToArray(ops, cJSON_CreateNumber(p->ops[L->ops[j]].pos));
        cJSON_AddItemToArray(levels, l);
    }
    cJSON *runs = cJSON_AddArrayToObject(o, "runs");
    for (int k0 = 0; k0 < p->nops;) {
        int r = p->ops[k0].run, k1 = k0;
        while (k1 < p->nops && p->ops[k1].run == r) k1++;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "run", r);
        cJSON_AddBoolToObject(x, "reordered", p->reordered[r]);
        cJSON *order = cJSON_AddArrayToObject(x, "order");
        for (int t = k0; t < k1; t++) /* steps k0..k1-1 are this run's, in execution order */
            cJSON_AddItemToArray(order, cJSON_CreateNumber(p->ops[p->op_at[t]].pos));
        cJSON_AddItemToArray(runs, x);
        k0 = k1;
    }
    cJSON *groups = cJSON_AddArrayToObject(o, "groups");
    int nv = p->f->nvars;
    VarSet in = vs_new(nv), out = vs_new(nv), gin = vs_new(nv), gout = vs_new(nv), shared = vs_new(nv);
    unsigned char *local = calloc((size_t)nv + 1, 1);
    for (int g = 0; g < p->ngroups && in.mark && in.list && out.mark && out.list && gin.mark && gin.list && gout.mark &&
                    gout.list && shared.mark && shared.list && local;
         g++) {
        const PlanGroup *gr = &p->groups[g];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "run", gr->run);
        cJSON_AddNumberToObject(x, "level", gr->level);
        cJSON *ks = cJSON_AddArrayToObject(x, "kernels");
        for (int i = 0; i < gr->nops; i++) {
            cJSON_AddItemToArray(ks, cJSON_CreateNumber(p->ops[gr->ops[i]].pos));
            op_io(p, gr->ops[i], local, &in, &out);
            for (int j = 0; j < in.n; j++) {
                if (gin.mark[in.list[j]]) vs_add(&shared, in.list[j]);
                vs_add(&gin, in.list[j]);
            }
            for (int j = 0; j < out.n; j++) vs_add(&gout, out.list[j]);
            vs_clear(&in);
            vs_clear(&out);
        }
        vs_emit(p, &shared, x, "shared_inputs");
        vs_emit(p, &gout, x, "outputs");
        vs_clear(&gin);
        cJSON_AddNumberToObject(x, "parallelism", gr->factor);
        cJSON *regs = cJSON_AddArrayToObject(x, "regions");
        for (int i = 0; i < gr->nops; i++) {
            int k = gr->ops[i];
            if (p->ops[k].region != k) continue;
            cJSON *reg = cJSON_CreateArray();
            for (int j = i; j < gr->nops; j++)
                if (p->ops[gr->ops[j]].region == k) cJSON_AddItemToArray(reg, cJSON_CreateNumber(p->ops[gr->ops[j]].pos));
            cJSON_AddItemToArray(regs, reg);
        }
        cJSON_AddItemToArray(groups, x);
    }
    vs_free(&in);
    vs_free(&out);
    vs_free(&gin);
    vs_free(&gout);
    vs_free(&shared);
    free(local);
    cJSON_AddNumberToObject(o, "total_cost", p->total_cost);
    cJSON_AddNumberToObject(o, "critical_path", p->critical_path);
    cJSON_AddNumberToObject(o, "estimated_speedup", p->est_speedup);
    cJSON_AddNumberToObject(o, "threshold", PLAN_USE_PARALLEL_THRESHOLD);
    cJSON_AddBoolToObject(o, "use_parallel", p->use_parallel);
    cJSON_AddStringToObject(o, "data_parallelism", "every kernel runs over nodes in chunks of 1024 on all threads");
    return o;
}

static cJSON *memory_json(const Plan *p, int64_t nodes, int64_t edges) {
    cJSON *o = cJSON_CreateObject();
    cJSON *al = cJSON_AddArrayToObject(o, "allocations");
    char buf[160];
    for (int i = 0; i < p->nallocs; i++) {
        const PlanAlloc *a = &p->allocs[i];
        cJSON *x = cJSON_CreateObject();
        if (a->var >= 0) {
            cJSON_AddStringToObject(x, "name", var_name(p, a->var, buf, sizeof buf));
            cJSON_AddStringToObject(x, "kind", "vector");
            cJSON_AddNumberToObject(x, "slot", p->vars[p->var_index[a->var]].slot);
        } else {
            cJSON_AddStringToObject(x, "name", a->what);
            cJSON_AddStringToObject(x, "kind", strncmp(a->what, "output copy", 11) ? "graph" : "output");
        }
        cJSON_AddStringToObject(x, "dtype", a->dtype);
        cJSON_AddItemToObject(x, "elements", size_json(a->elems, nodes, edges));
        cJSON_AddItemToObject(x, "bytes", size_json(a->bytes, nodes, edges));
        cJSON_AddItemToArray(al, x);
    }
    cJSON *ip = cJSON_AddArrayToObject(o, "in_place");
    cJSON *rp = cJSON_AddArrayToObject(o, "reuse_pairs");
    for (int i = 0; i < p->nvars; i++) {
        const PlanVar *pv = &p->vars[i];
        if (pv->prev_tenant < 0) continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "slot", pv->slot);
        cJSON_AddItemToObject(x, "first", var_json(p, p->vars[pv->prev_tenant].var));
        cJSON_AddItemToObject(x, "then", var_json(p, pv->var));
        cJSON_AddNumberToObject(x, "at", pv->start);
        cJSON_AddItemToArray(pv->in_place ? ip : rp, x);
    }
    cJSON_AddItemToObject(o, "graph_bytes", size_json(p->graph, nodes, edges));
    cJSON_AddItemToObject(o, "vector_bytes_without_reuse", size_json(p->vec_unshared, nodes, edges));
    cJSON_AddItemToObject(o, "vector_bytes_with_reuse", size_json(p->vec_slots, nodes, edges));
    cJSON_AddItemToObject(o, "peak_bytes_without_reuse", size_json(p->peak_unshared, nodes, edges));
    cJSON_AddItemToObject(o, "peak_bytes_with_reuse", size_json(p->peak_reuse, nodes, edges));
    return o;
}

char *plan_to_json(const Plan *p, int64_t nodes, int64_t edges) {
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    cJSON_AddStringToObject(root, "schema", "graphc-plan/1");
    cJSON_AddStringToObject(root, "algorithm", p->f->name);
    cJSON *g = cJSON_AddObjectToObject(root, "graph");
    if (nodes >= 0) cJSON_AddNumberToObject(g, "nodes", (double)nodes);
    else cJSON_AddNullToObject(g, "nodes");
    if (edges >= 0) cJSON_AddNumberToObject(g, "edges", (double)edges);
    else cJSON_AddNullToObject(g, "edges");
    cJSON_AddBoolToObject(g, "undirected", p->f->undirected);
    cJSON_AddBoolToObject(g, "weighted", p->f->weighted);
    cJSON_AddItemToObject(root, "batch", batch_json(p, nodes, edges));
    cJSON_AddItemToObject(root, "parallel", parallel_json(p));
    cJSON_AddItemToObject(root, "memory", memory_json(p, nodes, edges));
    cJSON_AddNumberToObject(root, "kernels_per_iteration", p->kernels_per_iteration);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}
