/* test_rt_mode.c - rt_mode_i64 (the `mode` aggregation of compiled programs)
 * against a brute-force reference: for every distinct value, count it by a
 * full scan; the most frequent wins, ties to the smallest value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/rt_abi.h"

static int64_t brute_mode(const int64_t *v, int64_t n)
{
    int64_t best = 0, best_count = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = 0;
        for (int64_t j = 0; j < n; j++)
            c += v[j] == v[i];
        if (c > best_count || (c == best_count && v[i] < best)) {
            best = v[i];
            best_count = c;
        }
    }
    return best;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Checks one array: the mode, and that the values are a sorted permutation. */
static void check(const int64_t *v, int64_t n)
{
    int64_t *a = malloc((size_t)n * sizeof *a + 1);
    assert_non_null(a);
    memcpy(a, v, (size_t)n * sizeof *a);
    assert_int_equal(rt_mode_i64(a, n), brute_mode(v, n));
    int64_t sum_a = 0, sum_v = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0)
            assert_true(a[i - 1] <= a[i]);
        sum_a += a[i] & 0xffff;
        sum_v += v[i] & 0xffff;
    }
    assert_int_equal(sum_a, sum_v);
    free(a);
}

static void test_mode_by_hand(void **state)
{
    (void)state;
    int64_t one[] = {42};
    assert_int_equal(rt_mode_i64(one, 1), 42);
    int64_t tie[] = {5, 3, 5, 3, 9};
    assert_int_equal(rt_mode_i64(tie, 5), 3); /* 3 and 5 twice: the smaller */
    int64_t neg[] = {-1, INT64_MIN, INT64_MAX, INT64_MIN, -1, 0};
    assert_int_equal(rt_mode_i64(neg, 6), INT64_MIN);
    /* 40 values: 7 appears 3 times, everything else once or twice */
    int64_t big[40];
    for (int i = 0; i < 40; i++)
        big[i] = 100 - i / 2; /* pairs 100,100,99,99,... */
    big[5] = 7, big[17] = 7, big[33] = 7;
    assert_int_equal(rt_mode_i64(big, 40), 7);
}

static void test_mode_random(void **state)
{
    (void)state;
    enum { MAX = 3000 };
    int64_t v[MAX];
    const int64_t sizes[] = {1, 2, 15, 16, 17, 18, 31, 64, 65, 100, 257, 1000, 2999};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int64_t n = sizes[s];
        for (int round = 0; round < 20; round++) {
            int64_t range = round % 4 == 0 ? 2 : round % 4 == 1 ? n / 3 + 1 : round % 4 == 2 ? 1000000 : n;
            for (int64_t i = 0; i < n; i++)
                v[i] = (int64_t)(next() % (uint64_t)range) - range / 2;
            check(v, n);
        }
        /* patterns that break naive quicksorts: sorted, reversed, all equal,
         * organ pipe, sawtooth */
        for (int64_t i = 0; i < n; i++)
            v[i] = i;
        check(v, n);
        for (int64_t i = 0; i < n; i++)
            v[i] = n - i;
        check(v, n);
        for (int64_t i = 0; i < n; i++)
            v[i] = 9;
        check(v, n);
        for (int64_t i = 0; i < n; i++)
            v[i] = i < n / 2 ? i : n - i;
        check(v, n);
        for (int64_t i = 0; i < n; i++)
            v[i] = i % 5;
        check(v, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_by_hand),
        cmocka_unit_test(test_mode_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
