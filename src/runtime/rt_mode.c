/* rt_mode.c - the most frequent value of a small array (the `mode`
 * aggregation over a node's neighbors; see rt_abi.h). */
#include <stdlib.h>

#include "runtime/rt_abi.h"

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t rt_mode_i64(int64_t *vals, int64_t n) {
    if (n <= 0) return 0;
    if (n <= 16) { /* insertion sort: the common case is a handful of neighbors */
        for (int64_t i = 1; i < n; i++) {
            int64_t v = vals[i], j = i;
            for (; j > 0 && vals[j - 1] > v; j--) vals[j] = vals[j - 1];
            vals[j] = v;
        }
    } else {
        qsort(vals, (size_t)n, sizeof *vals, cmp_i64);
    }
    /* ascending order: a strictly longer run wins, so ties keep the smallest value */
    int64_t best = vals[0], best_len = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && vals[j] == vals[i]) j++;
        if (j - i > best_len) { best = vals[i]; best_len = j - i; }
        i = j;
    }
    return best;
}
