/* test_rt_fmt.c - number formatting, allocation checks, rt_parallel_for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <omp.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_fmt.h"
#include "runtime/rt_mem.h"
#include "runtime/rt_parallel.h"

static const char *fd(double x)
{
    static char b[RT_FMT_MAX];
    int n = rt_fmt_double(b, x);
    assert_int_equal(n, (int)strlen(b));
    return b;
}

static void test_float_examples(void **state)
{
    assert_string_equal(fd(0.1), "0.1");
    assert_string_equal(fd(1.0 / 3), "0.3333333333333333");
    assert_string_equal(fd(2.0 / 3), "0.6666666666666666");
    assert_string_equal(fd(0.85 / 17), "0.049999999999999996");
    assert_string_equal(fd(1e-7), "1e-07");
    assert_string_equal(fd(1.5e-7), "1.5e-07");
    assert_string_equal(fd(0.0001), "0.0001");
    assert_string_equal(fd(0.00012), "0.00012");
    assert_string_equal(fd(0.00001), "1e-05");
    assert_string_equal(fd(100), "100");
    assert_string_equal(fd(-42), "-42");
    assert_string_equal(fd(1234.5), "1234.5");
    assert_string_equal(fd(1e15), "1000000000000000");
    assert_string_equal(fd(1e16), "10000000000000000");
    assert_string_equal(fd(1e17), "1e+17");
    assert_string_equal(fd(1.5e20), "1.5e+20");
    assert_string_equal(fd(123456789012345678.0), "1.2345678901234568e+17");
    assert_string_equal(fd(5e-324), "5e-324");
    assert_string_equal(fd(1.7976931348623157e308), "1.7976931348623157e+308");
    assert_string_equal(fd(-2.2250738585072014e-308), "-2.2250738585072014e-308");
    assert_string_equal(fd(0.0), "0");
    assert_string_equal(fd(-0.0), "-0");
    assert_string_equal(fd(INFINITY), "inf");
    assert_string_equal(fd(-INFINITY), "-inf");
    assert_string_equal(fd(NAN), "nan");
    assert_string_equal(fd(-NAN), "nan");
    assert_string_equal(fd(9007199254740993.0), "9007199254740992");
}

/* Significant digits of a printed number (leading and trailing zeros off). */
static int digits_of(const char *s)
{
    char d[40];
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0'))
            d[n++] = *s;
    while (n > 0 && d[n - 1] == '0')
        n--;
    return n;
}

static void check_shortest(double x)
{
    char b[RT_FMT_MAX], c[RT_FMT_MAX];
    rt_fmt_double(b, x);
    double y = strtod(b, NULL);
    if (memcmp(&x, &y, sizeof x) != 0)
        fail_msg("%.17g printed as %s reads back as %.17g", x, b, y);
    int k = digits_of(b);
    if (k > 1) {
        rt_fmt_double_digits(c, x, k - 1);
        if (strtod(c, NULL) == x)
            fail_msg("%.17g printed as %s but %s (%d digits) also round-trips", x, b, c, k - 1);
    }
}

static void test_float_round_trip(void **state)
{
    uint64_t s = 42;
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double x;
        uint64_t bits = s;
        memcpy(&x, &bits, sizeof x);
        if (isnan(x) || isinf(x))
            continue;
        check_shortest(x);
        /* values typical of results: ranks, distances, ratios */
        check_shortest((double)(s % 1000000) / 1e6);
        check_shortest(1.0 / (double)(s % 100000 + 1));
        check_shortest((double)(s % 100000) * 0.1);
    }
}

/* The shortest by brute force: the first precision whose correctly rounded
 * form reads back. */
static int brute_shortest(char *out, double x)
{
    for (int k = 1; k <= 17; k++) {
        rt_fmt_double_digits(out, x, k);
        if (strtod(out, NULL) == x)
            return k;
    }
    return 17;
}

static void compare_brute(double x)
{
    if (isnan(x) || isinf(x) || x == 0)
        return;
    char a[RT_FMT_MAX], b[RT_FMT_MAX];
    rt_fmt_double(a, x);
    int kb = brute_shortest(b, x), ka = digits_of(a);
    double y = strtod(a, NULL);
    if (memcmp(&x, &y, sizeof x) != 0)
        fail_msg("%.17g printed as %s", x, a);
    /* Equal unless the interval is lopsided (powers of two), where the
     * nearest rounding may miss a shorter or closer decimal. */
    if (ka > kb || (ka == kb && strcmp(a, b) != 0 && frexp(x, &(int){0}) != 0.5))
        fail_msg("%.17g: printed %s, brute force %s", x, a, b);
}

static void test_float_vs_brute_force(void **state)
{
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1.0, e);
        compare_brute(p);
        compare_brute(nextafter(p, 0));
        compare_brute(nextafter(p, INFINITY));
        compare_brute(-3 * p);
    }
    uint64_t s = 777;
    for (int i = 0; i < 100000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        compare_brute(x);
        compare_brute((double)(s >> 40) / 1e4);           /* few digits */
        compare_brute(ldexp((double)(s >> 11), -1074));  /* subnormals */
    }
    for (double x = 1; x < 1e23; x *= 10) { /* powers of ten and neighbours */
        compare_brute(x);
        compare_brute(1 / x);
        compare_brute(nextafter(x, 0));
        compare_brute(nextafter(1 / x, 1));
    }
    compare_brute(DBL_MIN);
    compare_brute(DBL_MAX);
    compare_brute(DBL_TRUE_MIN);
}

static void test_ints(void **state)
{
    char b[RT_FMT_MAX];
    assert_int_equal(rt_fmt_i64(b, 0), 1);
    assert_string_equal(b, "0");
    rt_fmt_i64(b, -1);
    assert_string_equal(b, "-1");
    rt_fmt_i64(b, INT64_MIN);
    assert_string_equal(b, "-9223372036854775808");
    rt_fmt_i64(b, INT64_MAX);
    assert_string_equal(b, "9223372036854775807");
    rt_fmt_u64(b, UINT64_MAX);
    assert_string_equal(b, "18446744073709551615");
    for (uint64_t v = 1; v < UINT64_MAX / 3; v = v * 3 + 1) {
        char want[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)v);
        rt_fmt_u64(b, v);
        assert_string_equal(b, want);
    }
}

static void test_size_checks(void **state)
{
    size_t out;
    assert_true(rt_size_mul(1000, 1000, &out) && out == 1000000);
    assert_false(rt_size_mul(SIZE_MAX / 2 + 1, 2, &out));
    assert_false(rt_size_add(SIZE_MAX, 1, &out));
    assert_true(rt_size_add(1, 2, &out) && out == 3);
    assert_false(rt_size_of_array(-1, 8, &out));
    assert_false(rt_size_of_array(1, -8, &out));
    assert_false(rt_size_of_array(INT64_MAX, 2, &out));
    assert_false(rt_size_of_array(INT64_MAX / 8 + 1, 8, &out));
    assert_true(rt_size_of_array(0, 8, &out) && out == 0);
    rt_error err;
    rt_error_clear(&err);
    assert_null(rt_try_alloc(INT64_MAX / 4, 8, "a huge thing", &err));
    assert_int_equal(err.code, RT_ERR_NOMEM);
    assert_non_null(strstr(err.msg, "for a huge thing"));
    rt_error_clear(&err);
    void *p = rt_try_alloc(0, 8, "nothing", &err);
    assert_non_null(p);
    rt_free(p);
    p = rt_alloc(100, 3, "x");
    assert_true(((uintptr_t)p & 63) == 0);
    rt_free(p);
    rt_error_clear(&err);
    rt_mem_set_limit(1000);
    assert_null(rt_try_alloc(1001, 1, "limited", &err));
    assert_string_equal(err.msg, "out of memory: needed 1001 bytes for limited");
    rt_mem_set_limit(0);
}

typedef struct {
    int64_t n, chunk;
    int64_t *seen;    /* [n]: how many times each index ran */
    int64_t *chunk_lo; /* [chunks] */
    int64_t *thread;   /* [chunks]: the thread that ran it */
    int64_t in_region; /* chunks that ran inside a parallel region */
} pf_ctx;

static void pf_fn(void *vc, int64_t lo, int64_t hi, int64_t chunk)
{
    pf_ctx *c = vc;
    c->chunk_lo[chunk] = lo;
    c->thread[chunk] = omp_get_thread_num();
    if (omp_in_parallel())
        __atomic_fetch_add(&c->in_region, 1, __ATOMIC_RELAXED);
    for (int64_t i = lo; i < hi; i++)
        __atomic_fetch_add(&c->seen[i], 1, __ATOMIC_RELAXED);
}

static void test_parallel_for(void **state)
{
    const int64_t ns[] = {0, 1, 7, 1000, 1001};
    const int64_t chunks[] = {1, 3, 1000, 5000, 0};
    /* min 0: every kernel of two or more chunks in a region; default: these
     * small ones on the calling thread. Either way the same chunks. */
    for (int64_t pmin = 0; pmin <= RT_PARALLEL_MIN_DEFAULT; pmin += RT_PARALLEL_MIN_DEFAULT)
    for (int t = 1; t <= 3; t++) {
        rt_set_parallel_min(pmin);
        omp_set_num_threads(t);
        for (int even = 0; even <= 1; even++)
        for (size_t a = 0; a < 5; a++)
            for (size_t b = 0; b < 5; b++) {
                pf_ctx c = {ns[a], chunks[b], calloc((size_t)ns[a] + 1, 8),
                            calloc((size_t)ns[a] + 2, 8), calloc((size_t)ns[a] + 2, 8), 0};
                (even ? rt_parallel_for_even : rt_parallel_for)(c.n, c.chunk, pf_fn, &c);
                for (int64_t i = 0; i < c.n; i++)
                    assert_int_equal(c.seen[i], 1);
                int64_t ch = c.chunk > 0 ? c.chunk : c.n;
                for (int64_t k = 0; ch > 0 && k * ch < c.n; k++) {
                    assert_int_equal(c.chunk_lo[k], k * ch);
                    /* static schedule: each thread one contiguous range of chunks */
                    if (even && k > 0)
                        assert_true(c.thread[k] >= c.thread[k - 1]);
                }
                if (pmin > 0 || t == 1)
                    assert_int_equal(c.in_region, 0);
                free(c.seen);
                free(c.chunk_lo);
                free(c.thread);
            }
    }
    rt_set_parallel_min(RT_PARALLEL_MIN_DEFAULT);
    omp_set_num_threads(2);
    int64_t a[100000];
    for (int i = 0; i < 100000; i++)
        a[i] = i % 7;
    int64_t total = rt_exclusive_scan_i64(a, 100000);
    int64_t s = 0;
    for (int i = 0; i < 100000; i++) {
        assert_int_equal(a[i], s);
        s += i % 7;
    }
    assert_int_equal(total, s);
}

/* Which kernels get a parallel region: work = n per kernel, plus the graph's
 * arcs for kernels that may loop over neighbors (not the even ones). */
static void test_parallel_min(void **state)
{
    (void)state;
    enum { N = 5000 };
    pf_ctx c = {N, 1000, calloc(N, 8), calloc(8, 8), calloc(8, 8), 0};
    rt_chunk_fn fns[2] = {pf_fn, pf_fn};
    void *ctxs[2] = {&c, &c};
    omp_set_num_threads(2);
    struct {
        int64_t min, arcs;
        int kind; /* 0 rt_parallel_for, 1 _even, 2 _group of 2 */
        int region;
    } cases[] = {
        {5001, 0, 0, 0},   {5000, 0, 0, 1},   {5001, 0, 1, 0},       {5000, 0, 1, 1},
        {20000, 14999, 0, 0}, {20000, 15000, 0, 1}, {20000, 1000000, 1, 0}, {20000, 9999, 2, 0},
        {20000, 10000, 2, 1}, {0, 0, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_set_parallel_min(cases[i].min);
        rt_set_parallel_arcs(cases[i].arcs);
        memset(c.seen, 0, N * 8);
        c.in_region = 0;
        int64_t s0 = rt_serial_kernel_launches(), k0 = rt_kernel_launches();
        int nk = cases[i].kind == 2 ? 2 : 1;
        if (cases[i].kind == 0)
            rt_parallel_for(N, 1000, pf_fn, &c);
        else if (cases[i].kind == 1)
            rt_parallel_for_even(N, 1000, pf_fn, &c);
        else
            rt_parallel_group(N, 1000, 2, fns, ctxs);
        for (int64_t j = 0; j < N; j++)
            assert_int_equal(c.seen[j], nk);
        for (int k = 0; k < 5; k++)
            assert_int_equal(c.chunk_lo[k], k * 1000);
        assert_int_equal(rt_kernel_launches() - k0, nk);
        assert_int_equal(rt_serial_kernel_launches() - s0, cases[i].region ? 0 : nk);
        assert_int_equal(c.in_region, cases[i].region ? 5 * nk : 0);
    }
    /* one thread: never a region */
    omp_set_num_threads(1);
    rt_set_parallel_min(0);
    c.in_region = 0;
    rt_parallel_for(N, 1000, pf_fn, &c);
    assert_int_equal(c.in_region, 0);
    rt_set_parallel_min(RT_PARALLEL_MIN_DEFAULT);
    rt_set_parallel_arcs(0);
    free(c.seen);
    free(c.chunk_lo);
    free(c.thread);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_examples),
        cmocka_unit_test(test_float_round_trip),
        cmocka_unit_test(test_float_vs_brute_force),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_size_checks),
        cmocka_unit_test(test_parallel_for),
        cmocka_unit_test(test_parallel_min),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
