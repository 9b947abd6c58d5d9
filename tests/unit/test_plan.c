/* test_plan.c - the planner (src/plan) on small programs whose plans were
 * worked out by hand first (docs/plan-schema.md explains the terms): live
 * ranges in execution steps, loop-carried widening, slots and in-place
 * reuse, dependencies, levels, groups and regions, the estimated speedup,
 * kernel costs and bytes, memory formulas, and the graph's bytes against what
 * rt_graph_build really allocates.
 *
 * Each program is compiled as graphc does (parse, check, build, kernelize,
 * opt_run at the given level). Positions below are program order (preorder);
 * steps are positions permuted within a reordered run (a straight-line run
 * where nothing can fail runs level by level: each level's scalar ops, then
 * its kernels in one parallel region). A test marked SKIPPED asserts what the
 * planner should do and does not yet; its reason is printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/check.h"
#include "frontend/parse.h"
#include "ir/ir.h"
#include "ir/ir_build.h"
#include "opt/opt.h"
#include "plan/plan.h"
#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"

typedef struct Built {
    Arena arena;
    Diag diag;
    char *src, *err;
    size_t errlen;
    IrFunc *f;
    Plan *p;
} Built;

static void verify_or_fail(const IrFunc *f, const char *stage) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    bool ok = ir_verify(f, stage, out);
    fclose(out);
    if (!ok) fail_msg("%s", buf);
    free(buf);
}

static bool check_after(IrFunc *f, const OptPass *pass, bool ran, void *ctx) {
    (void)ctx;
    (void)ran;
    verify_or_fail(f, pass->name);
    return true;
}

/* src as graphc -O<level> --disable-pass=<disabled> compiles it (src/main.c:
 * lower), then planned. */
static Built *build_without(const char *src, int level, const char *disabled) {
    Built *b = calloc(1, sizeof *b);
    b->src = strdup(src);
    arena_init(&b->arena);
    diag_init(&b->diag, "t.galg", b->src, strlen(src));
    b->diag.out = open_memstream(&b->err, &b->errlen);
    Program *prog = parse_program(&b->arena, &b->diag);
    if (prog && !b->diag.nerrors) check_program(prog, &b->arena, &b->diag);
    if (prog && !b->diag.nerrors) b->f = ir_build(prog, &b->arena, &b->diag);
    fflush(b->diag.out);
    if (!b->f) fail_msg("does not compile:\n%s\n%s", src, b->err);
    ir_kernelize(b->f);
    verify_or_fail(b->f, "kernelize");
    assert_true(opt_run(b->f, level, true, disabled, check_after, NULL));
    b->p = plan_build(b->f);
    assert_non_null(b->p);
    return b;
}

static Built *build(const char *src, int level) { return build_without(src, level, NULL); }

static void done(Built *b) {
    plan_free(b->p);
    fclose(b->diag.out);
    free(b->err);
    free(b->src);
    arena_free(&b->arena);
    free(b);
}

static int var(const IrFunc *f, const char *name) {
    for (int v = 0; v < f->nvars; v++)
        if (f->vars[v].name && !strcmp(f->vars[v].name, name)) return v;
    fail_msg("no variable '%s'", name);
    return -1;
}

/* The plan entry of a vector variable given by name or by IR number. */
static const PlanVar *pvar_of(const Plan *p, int v) {
    int i = p->var_index[v];
    if (i < 0) fail_msg("variable %d has no live range", v);
    return &p->vars[i];
}
static const PlanVar *pvar(const Built *b, const char *name) { return pvar_of(b->p, var(b->f, name)); }

/* Index in p->ops of the n-th (0-based) op with this opcode, in program order. */
static int nth(const Plan *p, IrOpcode code, int n) {
    for (int k = 0; k < p->nops; k++)
        if (p->ops[k].op->code == code && n-- == 0) return k;
    fail_msg("no %s number %d", ir_opcode_name(code), n);
    return -1;
}
static int kernel(const Plan *p, int n) { return nth(p, IR_KERNEL, n); }

/* The vector a kernel's first fused member writes (a temporary at -O0). */
static int member_dst(const Plan *p, int k) {
    assert_true(p->ops[k].op->nmembers >= 1);
    return p->ops[k].op->members[0]->dst;
}

static void expect_size(PlanSize s, int64_t c, int64_t n, int64_t m) {
    if (s.c != c || s.n != n || s.m != m)
        fail_msg("size c=%lld n=%lld m=%lld, expected c=%lld n=%lld m=%lld", (long long)s.c, (long long)s.n,
                 (long long)s.m, (long long)c, (long long)n, (long long)m);
}

static void expect_range(const PlanVar *v, int start, int end, bool carried) {
    if (v->start != start || v->end != end || v->loop_carried != carried)
        fail_msg("live range %d..%d%s, expected %d..%d%s", v->start, v->end, v->loop_carried ? " loop-carried" : "",
                 start, end, carried ? " loop-carried" : "");
}

/* No slot ever holds two of its tenants at once (steps), except an in-place
 * update touching at one step, and every tenant has the slot's element size. */
static void expect_slots_sound(const Plan *p) {
    for (int s = 0; s < p->nslots; s++) {
        const PlanSlot *sl = &p->slots[s];
        for (int i = 0; i < sl->ntenants; i++) {
            const PlanVar *x = &p->vars[sl->tenants[i]];
            assert_int_equal(x->slot, s);
            assert_int_equal(x->elem_bytes, sl->elem_bytes);
            DType d = ir_var_type(p->f, x->var).dtype;
            assert_int_equal(x->elem_bytes, d == DT_BOOL ? 1 : d == DT_NODE ? 4 : 8);
            for (int j = i + 1; j < sl->ntenants; j++) {
                const PlanVar *y = &p->vars[sl->tenants[j]];
                bool touch = j == i + 1 && y->in_place && x->end == y->start;
                if (x->end >= y->start && !touch) fail_msg("slot %d: tenants %d..%d and %d..%d overlap", s, x->start, x->end, y->start, y->end);
            }
        }
    }
}

/* ---- a straight line ----------------------------------------------------------------- */

static const char *const STRAIGHT = "algorithm t() {\n"
                                    "    a = init_nodes(1.0)\n"
                                    "    b = a * 2.0\n"
                                    "    c = b + 1.0\n"
                                    "    return c\n"
                                    "}\n";

/* -O0 (no fusion). Positions: 0 const 1.0, 1 kernel a, 2 const 2.0, 3 kernel
 * b = a * 2.0, 4 const 1.0, 5 kernel c = b + 1.0, 6 return. Dependencies
 * 0->1, 1->3, 2->3, 3->5, 4->5, 5->6; levels: consts 1, kernels 2, 3, 4,
 * return 5. Nothing can fail, so the run is reordered: steps 0 2 4 1 3 5 6,
 * i.e. the kernels run at steps 3, 4, 5 and the return at 6. a lives 3..4, b
 * 4..5, c 5..6; each kernel reads its operand at its own node before writing
 * its result, so b takes a's slot in place at step 4, and c b's at step 5:
 * one slot. */
static void test_straight_line_in_place(void **state) {
    (void)state;
    Built *b = build(STRAIGHT, 0);
    const Plan *p = b->p;
    assert_int_equal(p->nops, 7);
    int k1 = kernel(p, 0), k3 = kernel(p, 1), k5 = kernel(p, 2);
    assert_int_equal(k1, 1);
    assert_int_equal(k3, 3);
    assert_int_equal(k5, 5);
    assert_int_equal(p->nruns, 1);
    assert_true(p->reordered[0]);
    const int steps[7] = {0, 3, 1, 4, 2, 5, 6};
    for (int k = 0; k < 7; k++) assert_int_equal(p->ops[k].step, steps[k]);

    const PlanVar *a = pvar(b, "a"), *bb = pvar(b, "b"), *c = pvar(b, "c");
    expect_range(a, 3, 4, false);
    expect_range(bb, 4, 5, false);
    expect_range(c, 5, 6, false);
    assert_int_equal(p->nslots, 1);
    assert_int_equal(p->slots[0].ntenants, 3);
    assert_int_equal(a->slot, 0);
    assert_int_equal(bb->slot, 0);
    assert_int_equal(c->slot, 0);
    assert_false(a->in_place);
    assert_true(bb->in_place);
    assert_true(c->in_place);
    assert_int_equal(p->vars[bb->prev_tenant].var, var(b->f, "a"));
    assert_int_equal(p->vars[c->prev_tenant].var, var(b->f, "b"));
    expect_slots_sound(p);

    /* dependencies and levels */
    assert_int_equal(p->ops[k1].ndeps, 1);
    assert_int_equal(p->ops[k1].deps[0], 0);
    assert_int_equal(p->ops[k3].ndeps, 2);
    assert_int_equal(p->ops[k5].ndeps, 2);
    const int levels[7] = {1, 2, 1, 3, 1, 4, 5};
    for (int k = 0; k < 7; k++) assert_int_equal(p->ops[k].level, levels[k]);
    assert_int_equal(p->ngroups, 3); /* one kernel per level */

    /* costs: broadcast node_id+store; mul node_id+load+mul+store; add the same */
    expect_size(p->ops[k1].cost, 0, 2, 0);
    expect_size(p->ops[k1].bytes, 0, 8, 0);
    expect_size(p->ops[k3].cost, 0, 4, 0);
    expect_size(p->ops[k3].bytes, 0, 16, 0);
    expect_size(p->ops[k5].cost, 0, 4, 0);
    expect_size(p->ops[k5].bytes, 0, 16, 0);
    /* total: 3 consts + return + 10 N at N = 1e6; path: 1 + 2 N + 4 N + 4 N + 1 */
    assert_true(p->total_cost == 10e6 + 4);
    assert_true(p->critical_path == 10e6 + 2);
    assert_false(p->use_parallel);
    assert_int_equal(p->kernels_per_iteration, 3);

    /* memory: three float vectors, one slot; the graph of a directed program
     * that reads no neighbor lists: ids, both offsets, the in-lists (4 M) */
    expect_size(p->vec_unshared, 0, 24, 0);
    expect_size(p->vec_slots, 0, 8, 0);
    expect_size(p->graph, 16, 24, 4);
    expect_size(p->peak_unshared, 16, 48, 4);
    expect_size(p->peak_reuse, 16, 32, 4);

    /* the JSON says the same */
    char *json = plan_to_json(p, -1, -1);
    cJSON *d = cJSON_Parse(json);
    assert_non_null(d);
    assert_string_equal(cJSON_GetObjectItem(d, "schema")->valuestring, "graphc-plan/1");
    cJSON *batch = cJSON_GetObjectItem(d, "batch"), *mem = cJSON_GetObjectItem(d, "memory");
    assert_int_equal(cJSON_GetObjectItem(batch, "num_slots")->valueint, 1);
    cJSON *ip = cJSON_GetObjectItem(mem, "in_place");
    assert_int_equal(cJSON_GetArraySize(ip), 2);
    char want[64];
    snprintf(want, sizeof want, "%%a.%d", var(b->f, "a"));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ip, 0), "first")->valuestring, want);
    snprintf(want, sizeof want, "%%b.%d", var(b->f, "b"));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ip, 0), "then")->valuestring, want);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ip, 0), "at")->valueint, 4);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(mem, "reuse_pairs")), 0);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(mem, "peak_bytes_with_reuse"), "formula")->valuestring,
                        "32*N + 4*M + 16");
    cJSON_Delete(d);
    free(json);
    done(b);
}

/* ---- loops ------------------------------------------------------------------------------ */

/* -O0. Positions: 0 const 1.0, 1 kernel a, 2 const 0.0 (s), 3 const 3, 4 loop
 * (end 8), 5 const 1.0, 6 kernel b = a + 1.0, 7 kernel sum(b), 8 add, 9 return.
 * The first run (0..3) is reordered: steps 0 2 3 1, so kernel a runs at step
 * 3; the loop's own run keeps its steps. a is defined before the loop and
 * read in it: loop-carried, live from step 3 to the loop's end, 8. b is
 * defined and consumed in one iteration (its first reference in the loop
 * is its full definition): 6..7, not loop-carried, and cannot share a's slot. */
static void test_loop_carried_and_not(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    a = init_nodes(1.0)\n"
                     "    s = 0.0\n"
                     "    repeat 3 {\n"
                     "        b = a + 1.0\n"
                     "        s = s + sum(b)\n"
                     "    }\n"
                     "    return s\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int loop = nth(p, IR_LOOP, 0);
    assert_int_equal(loop, 4);
    assert_int_equal(p->ops[loop].end, 8);
    assert_int_equal(p->ops[kernel(p, 0)].step, 3);
    const PlanVar *a = pvar(b, "a"), *bb = pvar(b, "b");
    expect_range(a, 3, 8, true);
    expect_range(bb, 6, 7, false);
    assert_int_equal(p->ops[kernel(p, 1)].step, 6);
    assert_int_equal(p->ops[kernel(p, 2)].step, 7);
    assert_int_not_equal(a->slot, bb->slot);
    assert_int_equal(p->nslots, 2);
    assert_int_equal(p->kernels_per_iteration, 2);
    expect_slots_sound(p);
    done(b);
}

/* A vector defined before the loop, assigned again in it after a read
 * (x = y * 2.0 after y = x + 1.0): its value flows around the loop, so it is
 * loop-carried; y is defined and consumed within one iteration, and x's
 * update may not take y's slot in place (x is loop-carried). -O0.
 * Positions: 0 const 0.0, 1 kernel x, 2 const 3, 3 loop (end 7), 4 const
 * 1.0, 5 kernel y, 6 const 2.0, 7 kernel x = y * 2.0 (it stores x itself),
 * 8 return. Both straight-line runs are reordered (consts first): steps
 * 0 2 1 and 4 6 5 7, so kernel x runs at step 2 and kernel y at 6. x: 2..8
 * (the return), y: 6..7. */
static void test_loop_update_not_in_place(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    x = init_nodes(0.0)\n"
                     "    repeat 3 {\n"
                     "        y = x + 1.0\n"
                     "        x = y * 2.0\n"
                     "    }\n"
                     "    return x\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int loop = nth(p, IR_LOOP, 0);
    assert_int_equal(loop, 3);
    assert_int_equal(p->ops[loop].end, 7);
    const PlanVar *x = pvar(b, "x"), *y = pvar(b, "y");
    assert_int_equal(p->ops[kernel(p, 0)].step, 2);
    assert_int_equal(p->ops[kernel(p, 1)].step, 6);
    assert_int_equal(p->ops[kernel(p, 2)].step, 7);
    expect_range(x, 2, 8, true);
    expect_range(y, 6, 7, false);
    assert_false(x->in_place);
    assert_int_not_equal(x->slot, y->slot);
    expect_slots_sound(p);
    done(b);
}

/* ---- what may not be updated in place --------------------------------------------------- */

/* -O0, undirected. Positions (= steps: every kernel is its own level): 0
 * kernel %1 = node_id, 1 kernel comp = copy %1, 2 kernel %3 = gather
 * comp[comp], 3 kernel y = copy %3, 4 return. comp takes %1's slot in
 * place (read at its own node); the gather reads comp at other nodes, so %3
 * must get a new slot although comp dies at step 2; y reuses comp's slot
 * (comp ended at 2, before y's start 3), not in place. Two slots. */
static void test_gather_not_in_place(void **state) {
    (void)state;
    Built *b = build("algorithm t() undirected {\n"
                     "    comp = node_id\n"
                     "    y = comp[comp]\n"
                     "    return y\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int kg = kernel(p, 2);
    assert_int_equal(p->ops[kg].op->members[0]->code, IR_GATHER);
    const PlanVar *comp = pvar(b, "comp"), *g = pvar_of(p, member_dst(p, kg)), *y = pvar(b, "y");
    expect_range(comp, 1, 2, false);
    expect_range(g, 2, 3, false);
    assert_true(comp->in_place);
    assert_false(g->in_place);
    assert_int_not_equal(g->slot, comp->slot);
    assert_int_equal(y->slot, comp->slot);
    assert_false(y->in_place);
    assert_int_equal(p->nslots, 2);
    expect_slots_sound(p);
    done(b);
}

/* -O0. Positions: 0 const, 1 kernel x, 2 kernel %t = sum over in-neighbors,
 * 3 kernel y = copy %t, 4 return; steps the same. With x[u] the aggregation
 * reads x at the neighbors: %t may not take x's slot in place (two slots).
 * With a plain x it reads x at the node itself (also inside the neighbor
 * region), before it stores: in place, and y in place after it (one slot). */
static void test_neighbor_reads(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    x = init_nodes(1.0)\n"
                     "    y = sum(x[u] for u in in_nbrs)\n"
                     "    return y\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int ka = kernel(p, 1);
    assert_true(p->ops[ka].edges);
    const PlanVar *x = pvar(b, "x"), *t = pvar_of(p, member_dst(p, ka)), *y = pvar(b, "y");
    expect_range(x, 1, 2, false);
    expect_range(t, 2, 3, false);
    assert_false(t->in_place);
    assert_int_not_equal(t->slot, x->slot);
    assert_int_equal(y->slot, x->slot);
    assert_false(y->in_place);
    assert_int_equal(p->nslots, 2);
    done(b);

    b = build("algorithm t() {\n"
              "    x = init_nodes(1.0)\n"
              "    y = sum(x for u in in_nbrs)\n"
              "    return y\n"
              "}\n",
              0);
    p = b->p;
    ka = kernel(p, 1);
    t = pvar_of(p, member_dst(p, ka));
    assert_true(t->in_place);
    assert_true(pvar(b, "y")->in_place);
    assert_int_equal(p->nslots, 1);
    expect_slots_sound(p);
    done(b);
}

/* -O2 without cse (so the fused kernel keeps its second load of a), with
 * the two kernels kept apart because each can fail (div by the parameter):
 * positions 0 param z, 1 const 2, 2 const 3, 3 kernel {a = 3 div z; %7 = a
 * * 2}, 4 kernel {b = %7 div z; c = b + a}, 5 return. Nothing is reordered
 * (the kernels can fail), so steps are positions: a and %7 live 3..4, b and
 * c 4..5. Kernel 4 loads a after it stores b: b may not take a's slot in
 * place (a[v] would be gone when c reads it); it takes %7's (loaded first),
 * and c takes a's (its loads come before its store). */
static void test_in_place_needs_loads_before_the_store(void **state) {
    (void)state;
    Built *b = build_without("algorithm t(z: int = 1) {\n"
                             "    a = init_nodes(3) div z\n"
                             "    b = a * 2 div z\n"
                             "    c = b + a\n"
                             "    return b, c\n"
                             "}\n",
                             2, "cse");
    const Plan *p = b->p;
    assert_int_equal(p->nops, 6);
    int k3 = kernel(p, 0), k4 = kernel(p, 1);
    assert_int_equal(k3, 3);
    assert_int_equal(k4, 4);
    assert_false(p->reordered[p->ops[k4].run]);
    int t7 = -1; /* the other vector kernel 3 stores */
    const IrBlock *body = p->ops[k3].op->body;
    for (int i = 0; i < body->nops; i++)
        if (body->ops[i]->code == IR_STORE && body->ops[i]->src[0] != var(b->f, "a")) t7 = body->ops[i]->src[0];
    assert_true(t7 >= 0);
    const PlanVar *a = pvar(b, "a"), *tmp = pvar_of(p, t7), *bb = pvar(b, "b"), *c = pvar(b, "c");
    expect_range(a, 3, 4, false);
    expect_range(tmp, 3, 4, false);
    expect_range(bb, 4, 5, false);
    expect_range(c, 4, 5, false);
    assert_int_not_equal(bb->slot, a->slot);
    assert_int_equal(bb->slot, tmp->slot);
    assert_true(bb->in_place);
    assert_int_equal(c->slot, a->slot);
    assert_true(c->in_place);
    assert_int_equal(p->nslots, 2);
    expect_slots_sound(p);
    done(b);
}

/* ---- groups and regions -------------------------------------------------------------------- */

/* -O0. Positions: 0 const 1.0, 1 kernel a, 2 const 2.0, 3 kernel b, 4 return.
 * Levels: consts 1, kernels 2, return 3: one group of the two kernels, which
 * cost 2 N each, so its parallelism is 2 and they share one region. total
 * = 4 N + 3, critical path = 1 + 2 N + 1 (N = 1e6): speedup ~2 >= 1.2. Both
 * vectors are live from the region's start (step 2) to the return (4): two
 * slots. */
static void test_independent_kernels_one_group(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    a = init_nodes(1.0)\n"
                     "    b = init_nodes(2.0)\n"
                     "    return a, b\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int ka = kernel(p, 0), kb = kernel(p, 1);
    assert_int_equal(ka, 1);
    assert_int_equal(kb, 3);
    assert_int_equal(p->ops[ka].level, 2);
    assert_int_equal(p->ops[kb].level, 2);
    assert_int_equal(p->ngroups, 1);
    const PlanGroup *g = &p->groups[0];
    assert_int_equal(g->nops, 2);
    assert_int_equal(g->ops[0], ka);
    assert_int_equal(g->ops[1], kb);
    assert_true(g->factor == 2.0);
    assert_int_equal(g->nregions, 1);
    assert_int_equal(p->ops[kb].region, ka);
    assert_true(p->total_cost == 4e6 + 3);
    assert_true(p->critical_path == 2e6 + 2);
    assert_true(fabs(p->est_speedup - (4e6 + 3) / (2e6 + 2)) < 1e-12);
    assert_true(p->use_parallel);
    expect_range(pvar(b, "a"), 2, 4, false);
    expect_range(pvar(b, "b"), 2, 4, false);
    assert_int_equal(p->nslots, 2);
    done(b);
}

/* -O0. Positions: 0 const, 1 kernel a, 2 kernel sum(a), 3 const, 4 kernel b,
 * 5 kernel sum(b), 6 return. Groups: {1, 4} at level 2 and {2, 5} at level
 * 3, each one region (nothing can fail). In program order a (1..2) and b
 * (4..5) could share a slot, but the kernels writing them run at the same
 * time, and so do the sums reading them: a lives from the first region's
 * start to the second's end, and so does b; two slots. (A plan that gave
 * them one slot made this program print s = t.) */
static void test_region_kernels_never_share_a_slot(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    a = init_nodes(1.0)\n"
                     "    s = sum(a)\n"
                     "    b = init_nodes(2.0)\n"
                     "    t = sum(b)\n"
                     "    return s, t\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    assert_int_equal(p->ngroups, 2);
    assert_int_equal(p->groups[0].nops, 2);
    assert_int_equal(p->groups[0].nregions, 1);
    assert_int_equal(p->groups[1].nops, 2);
    assert_int_equal(p->groups[1].nregions, 1);
    const PlanVar *a = pvar(b, "a"), *bb = pvar(b, "b");
    assert_int_not_equal(a->slot, bb->slot);
    assert_int_equal(p->nslots, 2);
    /* the general rule: no two kernels of one region touch one slot's different tenants */
    for (int k = 0; k < p->nops; k++)
        for (int j = k + 1; j < p->nops; j++) {
            if (p->ops[k].op->code != IR_KERNEL || p->ops[j].op->code != IR_KERNEL) continue;
            if (p->ops[k].region != p->ops[j].region) continue;
            const PlanVar *vk = NULL, *vj = NULL;
            if (p->ops[k].op->nmembers && p->ops[k].op->members[0]->dst >= 0 &&
                ir_is_vector(p->f, p->ops[k].op->members[0]->dst))
                vk = pvar_of(p, p->ops[k].op->members[0]->dst);
            if (p->ops[j].op->nmembers && p->ops[j].op->members[0]->dst >= 0 &&
                ir_is_vector(p->f, p->ops[j].op->members[0]->dst))
                vj = pvar_of(p, p->ops[j].op->members[0]->dst);
            if (vk && vj) assert_int_not_equal(vk->slot, vj->slot);
        }
    expect_slots_sound(p);
    done(b);
}

/* ---- element sizes and memory ------------------------------------------------------------- */

/* -O0. Positions: 0 const true, 1 kernel m, 2 kernel count(m) -> c, 3 cast
 * c, 4 kernel x = init_nodes(float(c)), 5 const 1.0, 6 kernel m2 = x > 1.0,
 * 7 kernel count(m2), 8 return. Every op depends on the one before, except
 * the consts (level 1), so the reordered run puts const 1.0 second: steps
 * 0 5 1 2 3 4 6 7 8, i.e. kernel m at 2, count at 3, cast at 4, x at 5, m2
 * at 6, count at 7, return at 8. m (bool) lives 2..3, x (float) 5..8, m2
 * (bool) 6..7. x starts after m died, but m's slot holds 1-byte elements:
 * x gets an 8-byte slot of its own, and m2 takes m's. Vectors without reuse
 * 1 + 8 + 1 = 10 N bytes, with reuse 1 + 8 = 9 N. */
static void test_bool_and_float_slots(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    m = init_nodes(true)\n"
                     "    c = count(m)\n"
                     "    x = init_nodes(float(c))\n"
                     "    m2 = x > 1.0\n"
                     "    c2 = count(m2)\n"
                     "    return x, c2\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    const PlanVar *m = pvar(b, "m"), *x = pvar(b, "x"), *m2 = pvar(b, "m2");
    expect_range(m, 2, 3, false);
    expect_range(x, 5, 8, false);
    expect_range(m2, 6, 7, false);
    assert_int_equal(m->elem_bytes, 1);
    assert_int_equal(x->elem_bytes, 8);
    assert_int_equal(m2->elem_bytes, 1);
    assert_int_equal(p->nslots, 2);
    assert_int_equal(m2->slot, m->slot);
    assert_int_not_equal(x->slot, m->slot);
    assert_int_equal(p->slots[m->slot].elem_bytes, 1);
    assert_int_equal(p->slots[x->slot].elem_bytes, 8);
    assert_false(m2->in_place);
    expect_size(p->vec_unshared, 0, 10, 0);
    expect_size(p->vec_slots, 0, 9, 0);
    expect_slots_sound(p);
    done(b);
}

/* -O0. Positions: 0 const, 1 kernel a, 2 const, 3 kernel b, 4 kernel c = a
 * + b, 5 return; a and b are written in one region (steps 2..3) and read by
 * c at step 4, so both live 2..4; c starts at 4 and takes a's slot in place
 * (it reads a and b at its own node before it writes). Three float vectors:
 * 24 N bytes unshared, two slots 16 N; the directed graph: node ids 8 N,
 * CSR and CSC offsets 8 (N + 1) each, neighbor indices 4 M each. */
static void test_memory_formulas(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    a = init_nodes(1.0)\n"
                     "    b = init_nodes(2.0)\n"
                     "    c = a + b\n"
                     "    return c\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    const PlanVar *a = pvar(b, "a"), *bb = pvar(b, "b"), *c = pvar(b, "c");
    expect_range(a, 2, 4, false);
    expect_range(bb, 2, 4, false);
    expect_range(c, 4, 5, false);
    assert_true(c->in_place);
    assert_int_equal(c->slot, a->slot);
    assert_int_equal(p->nslots, 2);
    expect_size(p->vec_unshared, 0, 24, 0);
    expect_size(p->vec_slots, 0, 16, 0);
    expect_size(p->graph, 16, 24, 4);
    expect_size(p->peak_unshared, 16, 48, 4);
    expect_size(p->peak_reuse, 16, 40, 4);
    /* allocations: the vectors (N elements of 8 bytes), then the graph's four
     * arrays (no neighbor lists read: ids, out offsets, in offsets, in-lists) */
    assert_int_equal(p->nallocs, 3 + 4);
    for (int i = 0; i < 3; i++) {
        assert_true(p->allocs[i].var >= 0);
        expect_size(p->allocs[i].elems, 0, 1, 0);
        expect_size(p->allocs[i].bytes, 0, 8, 0);
    }
    assert_string_equal(p->allocs[3].what, "graph: node ids");
    expect_size(p->allocs[4].bytes, 8, 8, 0); /* out offsets: N + 1 int64 */
    assert_string_equal(p->allocs[5].what, "graph: in offsets");
    expect_size(p->allocs[5].bytes, 8, 8, 0);
    assert_string_equal(p->allocs[6].what, "graph: in neighbors");
    expect_size(p->allocs[6].bytes, 0, 0, 4); /* M uint32 */
    char buf[64];
    assert_string_equal(plan_size_str(p->peak_reuse, buf, sizeof buf), "40*N + 4*M + 16");
    assert_true(plan_eval(p->peak_reuse, 100, 1000) == 40 * 100 + 4 * 1000 + 16);
    done(b);
}

/* The graph's bytes, by hand from src/runtime/rt_graph.c (rt_graph_build):
 * node ids 8 N; out offsets 8 (N+1); a directed graph also in offsets 8 (N+1);
 * then the neighbor lists the program reads, 4 M each (weights 8 M each when
 * it is weighted): out-lists for out_nbrs, in-lists for in_nbrs, both for
 * nbrs, the in-lists when it reads none (rt_program_adjacency); an undirected
 * graph has one set for both directions. Then the formula evaluated for a
 * real graph, built with the plan's lists, equals the bytes of the arrays
 * rt_graph_build allocates (the ones that exist and are not shared). */
static int64_t graph_bytes(const rt_graph *g) {
    int64_t n = g->n, m = g->m, bytes = 8 * n + 8 * (n + 1);
    if (g->out_adj) bytes += 4 * m;
    if (g->out_w) bytes += 8 * m;
    if (g->in_off != g->out_off) bytes += 8 * (n + 1);
    if (g->in_adj && g->in_adj != g->out_adj) bytes += 4 * m;
    if (g->in_w && g->in_w != g->out_w) bytes += 8 * m;
    return bytes;
}

static void test_graph_bytes(void **state) {
    (void)state;
    struct {
        const char *attrs, *agg; /* agg: an aggregation the program reads, or "" */
        int undirected, weighted;
        int64_t c, n, m;
    } cases[] = {
        {"", "", 0, 0, 16, 24, 4},                                   /* in-lists only */
        {"", "sum(x[u] for u in out_nbrs)", 0, 0, 16, 24, 4},        /* out-lists only */
        {"", "sum(x[u] for u in in_nbrs)", 0, 0, 16, 24, 4},
        {"", "sum(x[u] for u in nbrs)", 0, 0, 16, 24, 8},            /* both */
        {"undirected", "", 1, 0, 8, 16, 4},
        {"undirected", "sum(x[u] for u in nbrs)", 1, 0, 8, 16, 4},
        {"weighted", "", 0, 1, 16, 24, 12},
        {"weighted", "sum(w for u, w in out_edges)", 0, 1, 16, 24, 12},
        {"weighted", "sum(w for u, w in edges)", 0, 1, 16, 24, 24},
        {"undirected weighted", "", 1, 1, 8, 16, 12},
    };
    /* a self-loop, a repeated edge (dropped when undirected) and a sparse id */
    const char *edges = "1 2 0.5\n2 3 1.5\n3 1 2.0\n1 1 1.0\n1 2 0.25\n7 3 1.0\n";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[256];
        if (*cases[i].agg)
            snprintf(src, sizeof src, "algorithm t() %s {\n    x = init_nodes(1.0)\n    y = %s\n    return x, y\n}\n",
                     cases[i].attrs, cases[i].agg);
        else
            snprintf(src, sizeof src, "algorithm t() %s {\n    x = init_nodes(1.0)\n    return x\n}\n", cases[i].attrs);
        Built *b = build(src, 2);
        expect_size(b->p->graph, cases[i].c, cases[i].n, cases[i].m);

        rt_edges e;
        rt_error err;
        rt_error_clear(&err);
        assert_int_equal(rt_parse_edge_list(edges, strlen(edges), "g.txt", cases[i].weighted, &e, &err), 0);
        rt_build_opts o = {cases[i].undirected, 0, cases[i].weighted, !b->p->need_out_lists, !b->p->need_in_lists};
        rt_graph g;
        rt_graph_stats st;
        assert_int_equal(rt_graph_build(&e, &o, "g.txt", &g, &st, &err), 0);
        assert_int_equal(g.n, 4);
        assert_int_equal(g.m, cases[i].undirected ? 9 : 6); /* undirected: 1-2 2-3 3-1 7-3 twice, 1-1 once */
        double want = (double)graph_bytes(&g);
        if (plan_eval(b->p->graph, (double)g.n, (double)g.m) != want)
            fail_msg("%s: the plan says %.0f graph bytes, rt_graph_build allocated %.0f", cases[i].attrs,
                     plan_eval(b->p->graph, (double)g.n, (double)g.m), want);
        rt_graph_free(&g);
        done(b);
    }
}

/* ---- kernel costs and bytes ------------------------------------------------------------------ */

/* -O0; the aggregation's kernel body: node_id, nbr_agg { node_id, nbr, load
 * x[u], yield }, store. One unit per op per node (nbr_agg itself not
 * counted) or per arc: 2 N + 4 M. Bytes: adjacency offsets 8 N, the store 8
 * N; per arc a 4-byte neighbor index and the 8-byte load. `nbrs` on a
 * directed graph visits every arc twice (in and out lists): per-arc cost and
 * bytes double, and both offset arrays are read. */
static void test_kernel_costs(void **state) {
    (void)state;
    struct {
        const char *attrs, *dir;
        int64_t cost_m, bytes_n, bytes_m;
    } cases[] = {
        {"", "in_nbrs", 4, 16, 12},
        {"", "nbrs", 8, 24, 24},
        {"undirected", "nbrs", 4, 16, 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[256];
        snprintf(src, sizeof src, "algorithm t() %s {\n    x = init_nodes(1.0)\n    y = sum(x[u] for u in %s)\n    return y\n}\n",
                 cases[i].attrs, cases[i].dir);
        Built *b = build(src, 0);
        int k = kernel(b->p, 1);
        assert_true(b->p->ops[k].edges);
        expect_size(b->p->ops[k].cost, 0, 2, cases[i].cost_m);
        expect_size(b->p->ops[k].bytes, 0, cases[i].bytes_n, cases[i].bytes_m);
        done(b);
    }
    /* weighted: per arc node_id, nbr, edge_w, load, mul, yield = 6; bytes
     * per arc: index 4 + weight 8 + load 8 */
    Built *b = build("algorithm t() weighted {\n    x = init_nodes(1.0)\n    y = sum(x[u] * w for u, w in in_edges)\n"
                     "    return y\n}\n",
                     0);
    int k = kernel(b->p, 1);
    expect_size(b->p->ops[k].cost, 0, 2, 6);
    expect_size(b->p->ops[k].bytes, 0, 16, 20);
    done(b);
}

/* Kernels per iteration: those of the innermost loop with kernels (not of an
 * inner loop). -O0: the outer loop has one kernel of its own (y), the inner
 * loop three (z, w, sum). */
static void test_kernels_per_iteration(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    x = init_nodes(1.0)\n"
                     "    s = 0.0\n"
                     "    repeat 2 {\n"
                     "        y = x * 2.0\n"
                     "        repeat 3 {\n"
                     "            z = y + 1.0\n"
                     "            w = z * 2.0\n"
                     "            s = s + sum(w)\n"
                     "        }\n"
                     "    }\n"
                     "    return s\n"
                     "}\n",
                     0);
    assert_int_equal(b->p->kernels_per_iteration, 3);
    /* y: defined in the outer loop, read in the inner one: carried around the
     * inner loop, not the outer; x: carried around the outer loop */
    int outer = nth(b->p, IR_LOOP, 0), inner = nth(b->p, IR_LOOP, 1);
    const PlanVar *x = pvar(b, "x"), *y = pvar(b, "y");
    assert_true(x->loop_carried);
    assert_true(x->end == b->p->ops[outer].end);
    assert_true(y->loop_carried);
    assert_true(y->start > b->p->ops[outer].pos && y->end == b->p->ops[inner].end);
    assert_true(b->p->ops[inner].end == b->p->ops[outer].end);
    expect_slots_sound(b->p);
    done(b);
}

/* ---- what the planner once got wrong (found by writing these tests; fixed) ---------------------------- */

/* A kernel's "inputs" in the JSON should be what it reads. plan_json.c's
 * collect_io counts the target of every store as read, so kernel 1 of
 * STRAIGHT (a = broadcast 1.0) lists a among its inputs, and every group's
 * shared_inputs can name vectors no kernel reads. */
static void test_json_kernel_inputs(void **state) {
    (void)state;
    Built *b = build(STRAIGHT, 0);
    char *json = plan_to_json(b->p, -1, -1);
    cJSON *d = cJSON_Parse(json);
    cJSON *k1 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "batch"), "ops"), 1);
    cJSON *in = cJSON_GetObjectItem(k1, "inputs");
    char a[64];
    snprintf(a, sizeof a, "%%a.%d", var(b->f, "a"));
    bool lists_a = false;
    for (int i = 0; i < cJSON_GetArraySize(in); i++) lists_a |= !strcmp(cJSON_GetArrayItem(in, i)->valuestring, a);
    cJSON_Delete(d);
    free(json);
    done(b);
    if (lists_a) {
        print_message("FAILED: plan_json.c lists a kernel's stored vectors among its inputs (a for a = init_nodes(1.0))\n");
        fail();
    }
}

/* The bytes a kernel moves should include the adjacency offsets a degree
 * reads (8 bytes per node for out_degree, amortized: off[v] and off[v+1]),
 * as they do for a neighbor aggregation. plan.c's kernel_access counts only
 * loads, stores and NBR_AGG: d = out_degree moves 8 N (the store) by the
 * plan. */
static void test_degree_bytes(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n    d = out_degree\n    return d\n}\n", 0);
    int k = kernel(b->p, 0); /* node_id, out_degree, store */
    expect_size(b->p->ops[k].cost, 0, 3, 0);
    PlanSize bytes = b->p->ops[k].bytes;
    done(b);
    if (bytes.n != 16) {
        print_message("FAILED: out_degree's offset reads are not in bytes_moved (%lld*N, expected 16*N)\n",
                      (long long)bytes.n);
        fail();
    }
}

/* A float constant that is not finite (inf, as in sssp) should keep its
 * value in the JSON; cJSON writes inf, -inf and NaN alike as null. */
static void test_json_nonfinite_constant(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n    x = init_nodes(inf)\n    return x\n}\n", 0);
    char *json = plan_to_json(b->p, -1, -1);
    cJSON *d = cJSON_Parse(json);
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "batch"), "constants"), 0);
    bool is_null = cJSON_IsNull(cJSON_GetObjectItem(c0, "value"));
    cJSON_Delete(d);
    free(json);
    done(b);
    if (is_null) {
        print_message("FAILED: the constant inf is written as null (as NaN and -inf would be)\n");
        fail();
    }
}

/* A vector returned twice is copied for the second column
 * (src/codegen/cg.c gen_run): N more elements than the memory plan's peak. */
static void test_return_twice_memory(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n    x = init_nodes(1.0)\n    return x, x\n}\n", 2);
    PlanSize peak = b->p->peak_reuse;
    done(b);
    /* graph 24 N + 8 M + 16, slot 8 N, the copy 8 N */
    if (peak.n != 24 + 8 + 8) {
        print_message("FAILED: the output column copied for x returned twice is not in peak_bytes_with_reuse "
                      "(%lld*N, expected 40*N)\n", (long long)peak.n);
        fail();
    }
}

/* argmax and argmin stop the program when every value is NaN (or N = 0),
 * and the first error in program order is the one reported (docs/language.md
 * section 5). -O0: kernel 6 (argmax of z, level 5) comes before kernel 11
 * (argmin of w, level 4) in the program; a run with an op that can fail must
 * keep program order, but plan.c's body_may_fail does not look at a
 * kernel's reductions, so the run is reordered, argmin runs first, and the
 * compiled program reports "argmin: every value is NaN" where the
 * interpreter reports argmax. */
static void test_failing_reductions_keep_their_order(void **state) {
    (void)state;
    Built *b = build("algorithm t() {\n"
                     "    x = init_nodes(0.0)\n"
                     "    y = x / 0.0\n"
                     "    z = y * 2.0\n"
                     "    a = argmax(z)\n"
                     "    w = init_nodes(0.0) / 0.0\n"
                     "    bb = argmin(w)\n"
                     "    return a, bb\n"
                     "}\n",
                     0);
    const Plan *p = b->p;
    int kmax = kernel(p, 3), kmin = kernel(p, 6);
    assert_int_equal(p->ops[kmax].op->reds[0].agg, AGG_ARGMAX);
    assert_int_equal(p->ops[kmin].op->reds[0].agg, AGG_ARGMIN);
    assert_int_equal(kmax, 6);
    assert_int_equal(kmin, 11);
    assert_int_equal(p->ops[kmax].level, 5);
    assert_int_equal(p->ops[kmin].level, 4);
    int smax = p->ops[kmax].step, smin = p->ops[kmin].step;
    done(b);
    if (smax > smin) {
        print_message("FAILED: argmin (step %d) runs before argmax (step %d): a run with reductions that can fail "
                      "is reordered\n", smin, smax);
        fail();
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_line_in_place),
        cmocka_unit_test(test_loop_carried_and_not),
        cmocka_unit_test(test_loop_update_not_in_place),
        cmocka_unit_test(test_gather_not_in_place),
        cmocka_unit_test(test_neighbor_reads),
        cmocka_unit_test(test_in_place_needs_loads_before_the_store),
        cmocka_unit_test(test_independent_kernels_one_group),
        cmocka_unit_test(test_region_kernels_never_share_a_slot),
        cmocka_unit_test(test_bool_and_float_slots),
        cmocka_unit_test(test_memory_formulas),
        cmocka_unit_test(test_graph_bytes),
        cmocka_unit_test(test_kernel_costs),
        cmocka_unit_test(test_kernels_per_iteration),
        cmocka_unit_test(test_json_kernel_inputs),
        cmocka_unit_test(test_degree_bytes),
        cmocka_unit_test(test_json_nonfinite_constant),
        cmocka_unit_test(test_return_twice_memory),
        cmocka_unit_test(test_failing_reductions_keep_their_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
