/* fuzz_edgelist.c - libFuzzer harness for the edge-list reader and the graph
 * build that follows it. The first byte picks the options (weighted,
 * undirected, dense ids); the rest is the file. Any crash, sanitizer report,
 * leak or hang is a bug, and so is a built graph that breaks the CSR/CSC
 * invariants checked below. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"

static void check_csr(const int64_t *off, const uint32_t *adj, int64_t n, int64_t m) {
    if (off[0] != 0 || off[n] != m) abort();
    for (int64_t i = 0; i < n; i++) {
        if (off[i] > off[i + 1]) abort();
        for (int64_t e = off[i]; e < off[i + 1]; e++) {
            if (adj[e] >= n) abort();
            if (e > off[i] && adj[e - 1] > adj[e]) abort(); /* sorted */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    rt_build_opts o = {.weighted = data[0] & 1, .undirected = (data[0] >> 1) & 1, .dense_ids = (data[0] >> 2) & 1};
    rt_edges edges;
    rt_error err;
    rt_error_clear(&err);
    if (rt_parse_edge_list((const char *)data + 1, size - 1, "fuzz.el", o.weighted, &edges, &err) != 0) {
        if (err.code == 0 || !err.msg[0]) abort(); /* an error must say what */
        return 0;
    }
    if (o.dense_ids && edges.max_id > (1u << 20)) o.dense_ids = 0; /* keep memory small */
    rt_graph g;
    rt_graph_stats st;
    if (rt_graph_build(&edges, &o, "fuzz.el", &g, &st, &err) != 0) {
        if (err.code == 0 || !err.msg[0]) abort();
        return 0;
    }
    check_csr(g.out_off, g.out_adj, g.n, g.m);
    check_csr(g.in_off, g.in_adj, g.n, g.m);
    for (int64_t i = 1; i < g.n; i++)
        if (g.ids[i - 1] >= g.ids[i]) abort(); /* ids ascending and distinct */
    rt_graph_free(&g);
    return 0;
}
