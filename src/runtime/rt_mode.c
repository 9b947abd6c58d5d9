/* rt_mode.c - the most frequent value of a small array (the `mode`
 * aggregation over a node's neighbors; see rt_abi.h).
 *
 * Sorts the values in place, then takes the longest run. The sort is
 * rt_sort_i64, not qsort: qsort's mergesort and comparison callback were two
 * thirds of lpa's run time on an R-MAT graph (perf, scale 17). */
#include "runtime/rt_abi.h"
#include "runtime/rt_sort.h"

int64_t rt_mode_i64(int64_t *vals, int64_t n)
{
    if (n <= 0)
        return 0;
    rt_sort_i64(vals, n);
    /* ascending order: a strictly longer run wins, so ties keep the smallest value */
    int64_t best = vals[0], best_len = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && vals[j] == vals[i])
            j++;
        if (j - i > best_len) {
            best = vals[i];
            best_len = j - i;
        }
        i = j;
    }
    return best;
}
