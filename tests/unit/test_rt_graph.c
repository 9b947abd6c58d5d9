/* test_rt_graph.c - id mapping, CSR/CSC construction, sorting, determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <omp.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"
#include "runtime/rt_sort.h"

static int build(const char *s, int undirected, int dense, int weighted, rt_graph *g,
                 rt_graph_stats *st, rt_error *err)
{
    rt_edges e;
    rt_error_clear(err);
    int rc = rt_parse_edge_list(s, strlen(s), "g.txt", weighted, &e, err);
    if (rc)
        return rc;
    rt_build_opts o = {.undirected = undirected, .dense_ids = dense, .weighted = weighted};
    return rt_graph_build(&e, &o, "g.txt", g, st, err);
}

static void expect_i64(const int64_t *a, const int64_t *b, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (a[i] != b[i])
            fail_msg("index %lld: %lld != %lld", (long long)i, (long long)a[i], (long long)b[i]);
}

static void expect_u32(const uint32_t *a, const uint32_t *b, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (a[i] != b[i])
            fail_msg("index %lld: %u != %u", (long long)i, a[i], b[i]);
}

static void test_sparse_ids(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    /* ids 5, 7, 100 -> 0, 1, 2 */
    assert_int_equal(build("100 5\n5 7\n7 5\n100 7\n", 0, 0, 0, &g, &st, &err), 0);
    assert_int_equal(st.id_map, RT_MAP_TABLE);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.m, 4);
    const uint64_t ids[] = {5, 7, 100};
    assert_memory_equal(g.ids, ids, sizeof ids);
    /* out: 5->7, 7->5, 100->5,7 */
    const int64_t oo[] = {0, 1, 2, 4};
    const uint32_t oa[] = {1, 0, 0, 1};
    expect_i64(g.out_off, oo, 4);
    expect_u32(g.out_adj, oa, 4);
    /* in: 5<-7,100  7<-5,100  100<-none */
    const int64_t io[] = {0, 2, 4, 4};
    const uint32_t ia[] = {1, 2, 0, 2};
    expect_i64(g.in_off, io, 4);
    expect_u32(g.in_adj, ia, 4);
    assert_null(g.out_w);
    assert_null(g.in_w);
    assert_int_equal(rt_graph_find(&g, 5), 0);
    assert_int_equal(rt_graph_find(&g, 100), 2);
    assert_int_equal(rt_graph_find(&g, 6), -1);
    assert_int_equal(rt_graph_find(&g, 0), -1);
    assert_int_equal(rt_graph_find(&g, 1000), -1);
    rt_graph_free(&g);
}

static void test_dense_ids(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    assert_int_equal(build("3 1\n", 0, 1, 0, &g, &st, &err), 0);
    assert_int_equal(st.id_map, RT_MAP_DENSE);
    assert_int_equal(g.n, 4);
    const uint64_t ids[] = {0, 1, 2, 3};
    assert_memory_equal(g.ids, ids, sizeof ids);
    const int64_t oo[] = {0, 0, 0, 0, 1}, io[] = {0, 0, 1, 1, 1};
    expect_i64(g.out_off, oo, 5);
    expect_i64(g.in_off, io, 5);
    assert_int_equal(g.out_adj[0], 1);
    assert_int_equal(g.in_adj[0], 3);
    assert_int_equal(rt_graph_find(&g, 2), 2);
    rt_graph_free(&g);
    /* 2^32 nodes: over the limit */
    assert_int_equal(build("0 4294967295\n", 0, 1, 0, &g, &st, &err), RT_ERR_LIMIT);
    assert_string_equal(err.msg, "g.txt: error: --dense-ids: node id 4294967295 would make "
                                 "4294967296 nodes; the limit is 4294967295 (2^32-1)");
    /* 2^32-2 is fine as an id when not dense */
    assert_int_equal(build("0 4294967294\n", 0, 0, 0, &g, &st, &err), 0);
    assert_int_equal(g.n, 2);
    rt_graph_free(&g);
}

static void test_sorted_ids(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    assert_int_equal(build("18446744073709551615 5\n1000000000000 5\n5 1000000000000\n"
                           "18446744073709551615 18446744073709551614\n",
                           0, 0, 0, &g, &st, &err),
                     0);
    assert_int_equal(st.id_map, RT_MAP_SORTED);
    const uint64_t ids[] = {5, 1000000000000ULL, 18446744073709551614ULL, UINT64_MAX};
    assert_int_equal(g.n, 4);
    assert_memory_equal(g.ids, ids, sizeof ids);
    const int64_t oo[] = {0, 1, 2, 2, 4};
    const uint32_t oa[] = {1, 0, 0, 2};
    expect_i64(g.out_off, oo, 5);
    expect_u32(g.out_adj, oa, 4);
    assert_int_equal(rt_graph_find(&g, UINT64_MAX), 3);
    assert_int_equal(rt_graph_find(&g, 6), -1);
    rt_graph_free(&g);
}

static void test_loops_duplicates(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    assert_int_equal(build("1 2\n1 1\n1 2\n2 1\n1 1\n", 0, 0, 0, &g, &st, &err), 0);
    assert_int_equal(g.m, 5);
    assert_int_equal(st.input_edges, 5);
    assert_int_equal(st.self_loops, 2);
    assert_int_equal(st.duplicate_edges, 2); /* second 1->2, second 1->1 */
    const int64_t oo[] = {0, 4, 5};
    const uint32_t oa[] = {0, 0, 1, 1, 0};
    expect_i64(g.out_off, oo, 3);
    expect_u32(g.out_adj, oa, 5);
    const int64_t io[] = {0, 3, 5};
    const uint32_t ia[] = {0, 0, 1, 0, 0};
    expect_i64(g.in_off, io, 3);
    expect_u32(g.in_adj, ia, 5);
    rt_graph_free(&g);
}

/* Only the lists a program reads (rt_program_adjacency): the same offsets,
 * lists and statistics as the full build, the other lists NULL. Weighted,
 * with the arcs of test_loops_duplicates plus weights. */
static void test_one_direction(void **state)
{
    (void)state;
    const char *s = "1 2 0.5\n1 1 1.5\n1 2 0.25\n2 1 2.0\n1 1 1.0\n";
    const int64_t oo[] = {0, 4, 5}, io[] = {0, 3, 5};
    const uint32_t oa[] = {0, 0, 1, 1, 0}, ia[] = {0, 0, 1, 0, 0};
    /* lists sorted by neighbor, then weight */
    const double ow[] = {1.0, 1.5, 0.25, 0.5, 2.0}, iw[] = {1.0, 1.5, 2.0, 0.25, 0.5};
    for (int skip_out = 0; skip_out <= 1; skip_out++) {
        rt_edges e;
        rt_error err;
        rt_error_clear(&err);
        assert_int_equal(rt_parse_edge_list(s, strlen(s), "g.txt", 1, &e, &err), 0);
        rt_build_opts o = {0, 0, 1, skip_out, !skip_out};
        rt_graph g;
        rt_graph_stats st;
        assert_int_equal(rt_graph_build(&e, &o, "g.txt", &g, &st, &err), 0);
        assert_int_equal(g.m, 5);
        assert_int_equal(st.self_loops, 2);
        assert_int_equal(st.duplicate_edges, 2);
        expect_i64(g.out_off, oo, 3);
        expect_i64(g.in_off, io, 3);
        if (skip_out) {
            assert_null(g.out_adj);
            assert_null(g.out_w);
            expect_u32(g.in_adj, ia, 5);
            for (int i = 0; i < 5; i++) assert_true(g.in_w[i] == iw[i]);
        } else {
            assert_null(g.in_adj);
            assert_null(g.in_w);
            expect_u32(g.out_adj, oa, 5);
            for (int i = 0; i < 5; i++) assert_true(g.out_w[i] == ow[i]);
        }
        rt_graph_free(&g);
    }
}

static void test_undirected(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    /* 1-2 three times (both directions), loop 3-3 twice, 2-3 */
    assert_int_equal(build("1 2\n2 1\n3 3\n1 2\n2 3\n3 3\n", 1, 0, 0, &g, &st, &err), 0);
    assert_ptr_equal(g.in_off, g.out_off);
    assert_ptr_equal(g.in_adj, g.out_adj);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.m, 5); /* 1-2 twice, 2-3 twice, loop once */
    const int64_t oo[] = {0, 1, 3, 5};
    const uint32_t oa[] = {1, 0, 2, 1, 2};
    expect_i64(g.out_off, oo, 4);
    expect_u32(g.out_adj, oa, 5);
    assert_int_equal(st.self_loops, 1);
    assert_int_equal(st.duplicate_edges, 3); /* 6 input edges, 3 distinct */
    rt_graph_free(&g);
    /* no duplicates: nothing dropped */
    assert_int_equal(build("1 2\n2 3\n", 1, 0, 0, &g, &st, &err), 0);
    assert_int_equal(g.m, 4);
    assert_int_equal(st.duplicate_edges, 0);
    assert_int_equal(st.self_loops, 0);
    rt_graph_free(&g);
}

static void test_weighted(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    rt_error err;
    assert_int_equal(build("1 2 5\n1 3 1\n1 2 0.5\n3 1 -2\n", 0, 0, 1, &g, &st, &err), 0);
    /* out of 1: 2 (5), 3 (1), 2 (0.5) -> sorted (2,0.5) (2,5) (3,1) */
    const uint32_t oa[] = {1, 1, 2, 0};
    const double ow[] = {0.5, 5, 1, -2};
    expect_u32(g.out_adj, oa, 4);
    assert_memory_equal(g.out_w, ow, sizeof ow);
    const uint32_t ia[] = {2, 0, 0, 0};
    const double iw[] = {-2, 0.5, 5, 1};
    expect_u32(g.in_adj, ia, 4);
    assert_memory_equal(g.in_w, iw, sizeof iw);
    rt_graph_free(&g);
    /* undirected: repeated edges keep the smallest weight */
    assert_int_equal(build("1 2 5\n2 1 3\n1 2 4\n2 2 7\n2 2 6\n", 1, 0, 1, &g, &st, &err), 0);
    assert_int_equal(g.m, 3);
    const uint32_t ua[] = {1, 0, 1};
    const double uw[] = {3, 3, 6};
    expect_u32(g.out_adj, ua, 3);
    assert_memory_equal(g.out_w, uw, sizeof uw);
    assert_ptr_equal(g.in_w, g.out_w);
    rt_graph_free(&g);
    /* weighted program, file without weights */
    rt_edges e;
    rt_error_clear(&err);
    assert_int_equal(rt_parse_edge_list("1 2\n", 4, "g.txt", 0, &e, &err), 0);
    rt_build_opts o = {.weighted = 1};
    assert_int_equal(rt_graph_build(&e, &o, "g.txt", &g, &st, &err), RT_ERR_INPUT);
    assert_string_equal(err.msg,
                        "g.txt: error: the program is weighted but the file has no weights (third column)");
}

/* A random edge list as text; ids multiplied by `scale` (sparse when large). */
static char *random_graph(int64_t m, uint64_t n, uint64_t scale, int weights, size_t *len)
{
    char *b = malloc((size_t)m * 64 + 1);
    size_t k = 0;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int64_t i = 0; i < m; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        uint64_t u = s % n;
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        /* skew: a few hubs get many edges */
        uint64_t v = (s & 7) == 0 ? s % 8 : s % n;
        if (weights)
            k += (size_t)sprintf(b + k, "%llu %llu %d\n", (unsigned long long)(u * scale),
                                 (unsigned long long)(v * scale), (int)(s >> 40) % 5);
        else
            k += (size_t)sprintf(b + k, "%llu %llu\n", (unsigned long long)(u * scale),
                                 (unsigned long long)(v * scale));
    }
    *len = k;
    return b;
}

static int cmp_pair(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : 0;
}

static void check_against_reference(const rt_graph *g, const rt_edges *e)
{
    /* CSR must equal the edges (as dense pairs) sorted by (src, dst). */
    int64_t m = e->m;
    uint64_t *pairs = malloc((size_t)m * 2 * sizeof *pairs);
    for (int64_t i = 0; i < m; i++) {
        pairs[2 * i] = (uint64_t)rt_graph_find(g, e->e[i].u);
        pairs[2 * i + 1] = (uint64_t)rt_graph_find(g, e->e[i].v);
    }
    qsort(pairs, (size_t)m, 2 * sizeof *pairs, cmp_pair);
    assert_int_equal(g->m, m);
    int64_t k = 0;
    for (int64_t v = 0; v < g->n; v++)
        for (int64_t j = g->out_off[v]; j < g->out_off[v + 1]; j++, k++) {
            assert_int_equal(pairs[2 * k], v);
            assert_int_equal(pairs[2 * k + 1], g->out_adj[j]);
        }
    for (int64_t i = 0; i < g->n - 1; i++)
        assert_true(g->ids[i] < g->ids[i + 1]);
    free(pairs);
}

static void same_graph(const rt_graph *a, const rt_graph *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_memory_equal(a->ids, b->ids, (size_t)a->n * 8);
    assert_memory_equal(a->out_off, b->out_off, (size_t)(a->n + 1) * 8);
    assert_memory_equal(a->in_off, b->in_off, (size_t)(a->n + 1) * 8);
    assert_memory_equal(a->out_adj, b->out_adj, (size_t)a->m * 4);
    assert_memory_equal(a->in_adj, b->in_adj, (size_t)a->m * 4);
    assert_true((a->out_w == NULL) == (b->out_w == NULL));
    if (a->out_w) {
        assert_memory_equal(a->out_w, b->out_w, (size_t)a->m * 8);
        assert_memory_equal(a->in_w, b->in_w, (size_t)a->m * 8);
    }
}

static void determinism(uint64_t n, uint64_t scale, int undirected, int weighted, int dense,
                        int want_map)
{
    size_t len;
    char *text = random_graph(200000, n, scale, weighted, &len);
    rt_graph ref;
    memset(&ref, 0, sizeof ref);
    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        rt_edges e, e2;
        rt_error err;
        rt_error_clear(&err);
        assert_int_equal(rt_parse_edge_list(text, len, "r.txt", weighted, &e, &err), 0);
        if (t == 1 && !undirected)
            assert_int_equal(rt_parse_edge_list(text, len, "r.txt", 0, &e2, &err), 0);
        rt_build_opts o = {.undirected = undirected, .dense_ids = dense, .weighted = weighted};
        rt_graph g;
        rt_graph_stats st;
        assert_int_equal(rt_graph_build(&e, &o, "r.txt", &g, &st, &err), 0);
        assert_int_equal(st.id_map, want_map);
        if (t == 1) {
            if (!undirected) {
                check_against_reference(&g, &e2);
                rt_edges_free(&e2);
            }
            ref = g;
            continue;
        }
        same_graph(&ref, &g);
        rt_graph_free(&g);
    }
    rt_graph_free(&ref);
    free(text);
    omp_set_num_threads(2);
}

static void test_determinism(void **state)
{
    determinism(50000, 1, 0, 0, 0, RT_MAP_TABLE);
    determinism(50000, 1, 1, 0, 0, RT_MAP_TABLE);
    determinism(50000, 1, 0, 1, 0, RT_MAP_TABLE);
    determinism(50000, 1, 1, 1, 0, RT_MAP_TABLE);
    determinism(50000, 1, 0, 0, 1, RT_MAP_DENSE);
    determinism(50000, 1000000007ULL, 0, 0, 0, RT_MAP_SORTED);
    determinism(50000, 1000000007ULL, 1, 1, 0, RT_MAP_SORTED);
    determinism(300, 1, 0, 0, 0, RT_MAP_TABLE); /* dense, many duplicates */
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_sorts(void **state)
{
    uint64_t s = 12345;
    const int64_t sizes[] = {0, 1, 2, 3, 24, 25, 100, 1000, 100000};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        int64_t n = sizes[z];
        for (int kind = 0; kind < 4; kind++) {
            uint32_t *a = malloc((size_t)n * 4 + 4), *b = malloc((size_t)n * 4 + 4);
            double *w = malloc((size_t)n * 8 + 8);
            for (int64_t i = 0; i < n; i++) {
                s ^= s << 13, s ^= s >> 7, s ^= s << 17;
                a[i] = kind == 0 ? (uint32_t)s : kind == 1 ? (uint32_t)(s % 4)
                       : kind == 2 ? (uint32_t)i : (uint32_t)(n - i);
                w[i] = (double)(int)(s >> 50) - 8000;
            }
            memcpy(b, a, (size_t)n * 4);
            rt_sort_u32(a, n);
            qsort(b, (size_t)n, 4, cmp_u32);
            expect_u32(a, b, n);
            rt_sort_u32_f64(a, w, n);
            for (int64_t i = 1; i < n; i++)
                assert_true(a[i - 1] < a[i] || (a[i - 1] == a[i] && w[i - 1] <= w[i]));
            free(a);
            free(b);
            free(w);
        }
    }
    /* total order of weights: -0 before +0, NaN last */
    uint32_t a[4] = {1, 1, 1, 1};
    double w[4] = {0.0, -0.0, __builtin_nan(""), -1}; /* positive NaN sorts last */
    rt_sort_u32_f64(a, w, 4);
    assert_true(w[0] == -1 && w[1] == 0 && __builtin_signbit(w[1]) && w[2] == 0 &&
                !__builtin_signbit(w[2]) && w[3] != w[3]);

    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        int64_t n = 300001;
        uint64_t *k = malloc((size_t)n * 8), *tmp = malloc((size_t)n * 8), *ref = malloc((size_t)n * 8);
        for (int64_t i = 0; i < n; i++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            k[i] = i % 3 ? s : s >> 40;
        }
        memcpy(ref, k, (size_t)n * 8);
        qsort(ref, (size_t)n, 8, cmp_u64);
        uint64_t *r = rt_radix_sort_u64(k, tmp, n);
        assert_memory_equal(r, ref, (size_t)n * 8);
        free(k);
        free(tmp);
        free(ref);
    }
    omp_set_num_threads(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sparse_ids),
        cmocka_unit_test(test_dense_ids),
        cmocka_unit_test(test_sorted_ids),
        cmocka_unit_test(test_loops_duplicates),
        cmocka_unit_test(test_one_direction),
        cmocka_unit_test(test_undirected),
        cmocka_unit_test(test_weighted),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_sorts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
