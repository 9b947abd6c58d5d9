/* graph_harness.h - the body shared by the graph-format harnesses
 * (fuzz_edgelist.c, fuzz_wel.c, fuzz_csv.c, fuzz_mtx.c, fuzz_gr.c).
 *
 * The first byte picks the options, the rest is the file:
 *   bit 0   weighted program            bit 3  ... declared nonnegative
 *   bit 1   undirected                  bit 2  --dense-ids
 *   bits 4-7  k: when k > 0 the file is parsed a second time cut into chunks
 *             of k bytes (at most 16 chunks), and both results must be equal:
 *             the same error message, or the same edges, weights and counts.
 * Then the edges go through the CSR/CSC build. Any crash, sanitizer report,
 * leak or hang is a bug, and so is a wrong error (no message, a line past
 * the end of the file, a malformed prefix), an edge outside the declared
 * node set, a negative weight accepted by a nonnegative program, or a graph
 * that breaks the CSR/CSC invariants. Small inputs must stay cheap (a few
 * thousand runs per second): node sets are capped at 2^16 for the build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"

typedef int (*harness_parse_fn)(const char *, size_t, const char *, int, rt_edges *, rt_error *);

static void harness_check_csr(const int64_t *off, const uint32_t *adj, const double *w,
                              int64_t n, int64_t m, int nonneg)
{
    if (off[0] != 0 || off[n] != m) abort();
    for (int64_t i = 0; i < n; i++) {
        if (off[i] > off[i + 1]) abort();
        for (int64_t e = off[i]; e < off[i + 1]; e++) {
            if (adj[e] >= n) abort();
            if (e > off[i] && adj[e - 1] > adj[e]) abort(); /* sorted */
            if (w && nonneg && !(w[e] >= 0)) abort();
        }
    }
}

/* The error must say what and where: "FN: error: ..." or "FN:LINE: error: ..."
 * with 1 <= LINE <= the lines of the file, or an unlocated message. */
static void harness_check_error(int rc, const rt_error *err, const char *fn, const char *text,
                                size_t len)
{
    if (rc == 0 || err->code != rc || !err->msg[0]) abort();
    if (!err->located) return;
    uint64_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    lines += len > 0 && text[len - 1] != '\n';
    char prefix[64];
    if (err->line)
        snprintf(prefix, sizeof prefix, "%s:%llu: error: ", fn, (unsigned long long)err->line);
    else
        snprintf(prefix, sizeof prefix, "%s: error: ", fn);
    if (strncmp(err->msg, prefix, strlen(prefix)) != 0) abort();
    if (err->line > lines) abort();
    if (strlen(err->msg) == strlen(prefix)) abort();
}

static void harness_same_edges(const rt_edges *a, const rt_edges *b)
{
    if (a->m != b->m || a->max_id != b->max_id || a->lines != b->lines ||
        a->declared_n != b->declared_n || (a->w == NULL) != (b->w == NULL))
        abort();
    if (a->m && memcmp(a->e, b->e, (size_t)a->m * sizeof(rt_edge)) != 0) abort();
    if (a->w && a->m && memcmp(a->w, b->w, (size_t)a->m * sizeof(double)) != 0) abort();
}

static int harness_run(harness_parse_fn parse, const char *fn, const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t opt = data[0];
    int weighted = opt & 1 ? (opt & 8 ? RT_WEIGHTS_NONNEG : RT_WEIGHTS) : RT_WEIGHTS_NONE;
    rt_build_opts o = {.weighted = weighted != 0, .undirected = (opt >> 1) & 1,
                       .dense_ids = (opt >> 2) & 1};
    int chunk = opt >> 4;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    rt_edges edges;
    rt_error err;
    rt_error_clear(&err);
    int rc = parse(text, len, fn, weighted, &edges, &err);
    if (rc) {
        harness_check_error(rc, &err, fn, text, len);
        if (edges.e || edges.w || edges.m) abort(); /* nothing left behind */
    }
    if (chunk) {
        rt_edges e2;
        rt_error err2;
        rt_error_clear(&err2);
        rt_load_set_chunking((size_t)chunk, 16);
        int rc2 = parse(text, len, fn, weighted, &e2, &err2);
        rt_load_set_chunking(0, 0);
        if (rc != rc2 || strcmp(err.msg, err2.msg) != 0 || err.line != err2.line) abort();
        if (!rc) {
            harness_same_edges(&edges, &e2);
            rt_edges_free(&e2);
        }
    }
    if (rc) return 0;

    /* the edges: within the declared node set; weights as the program asked */
    if ((edges.w != NULL) != (weighted != 0)) abort();
    for (int64_t i = 0; i < edges.m; i++) {
        const rt_edge *e = &edges.e[i];
        if (e->u > edges.max_id || e->v > edges.max_id) abort();
        if (edges.declared_n && (e->u == 0 || e->v == 0 || e->u > edges.declared_n ||
                                 e->v > edges.declared_n))
            abort();
        if (weighted == RT_WEIGHTS_NONNEG && !(edges.w[i] >= 0)) abort();
    }

    if (o.dense_ids && edges.max_id > (1u << 16)) o.dense_ids = 0; /* keep memory small */
    if (edges.declared_n > (1u << 16)) {
        rt_edges_free(&edges);
        return 0;
    }
    uint64_t declared = edges.declared_n;
    rt_graph g;
    rt_graph_stats st;
    if (rt_graph_build(&edges, &o, fn, &g, &st, &err) != 0) {
        if (err.code == 0 || !err.msg[0]) abort();
        return 0;
    }
    int nonneg = weighted == RT_WEIGHTS_NONNEG;
    harness_check_csr(g.out_off, g.out_adj, g.out_w, g.n, g.m, nonneg);
    harness_check_csr(g.in_off, g.in_adj, g.in_w, g.n, g.m, nonneg);
    if ((g.out_w != NULL) != (weighted != 0) || (g.in_w != NULL) != (weighted != 0)) abort();
    for (int64_t i = 1; i < g.n; i++)
        if (g.ids[i - 1] >= g.ids[i]) abort(); /* ids ascending and distinct */
    if (declared) {
        if ((uint64_t)g.n != declared) abort();
        for (int64_t i = 0; i < g.n; i++)
            if (g.ids[i] != (uint64_t)i + 1) abort();
    }
    if (!o.undirected && g.m != st.input_edges) abort();
    rt_graph_free(&g);
    return 0;
}

#define GRAPH_HARNESS(PARSE, FILENAME)                                        \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);             \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)              \
    {                                                                         \
        return harness_run(PARSE, FILENAME, data, size);                      \
    }
