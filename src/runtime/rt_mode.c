/* rt_mode.c - the most frequent value of a small array (the `mode`
 * aggregation over a node's neighbors; see rt_abi.h).
 *
 * Sorts the values in place, then takes the longest run. The sort is an
 * introsort on int64_t written out here rather than qsort: qsort's mergesort
 * and comparison callback were two thirds of lpa's run time on an R-MAT
 * graph (perf, scale 17); the inlined sort is several times faster. */
#include "runtime/rt_abi.h"

enum { MODE_SMALL = 16 }; /* insertion sort at or below this many values */

static inline void swap_i64(int64_t *a, int64_t i, int64_t j)
{
    int64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void insertion_sort(int64_t *a, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        int64_t v = a[i], j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void sift_down(int64_t *a, int64_t root, int64_t n)
{
    for (;;) {
        int64_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && a[c] < a[c + 1])
            c++;
        if (a[root] >= a[c])
            return;
        swap_i64(a, root, c);
        root = c;
    }
}

static void heap_sort(int64_t *a, int64_t n)
{
    for (int64_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (int64_t i = n - 1; i > 0; i--) {
        swap_i64(a, 0, i);
        sift_down(a, 0, i);
    }
}

/* Quicksort with a median-of-three pivot; the smaller side recurses, the
 * larger loops (stack depth <= log2 n); heapsort when the depth budget runs
 * out (2 log2 n levels), so the worst case stays O(n log n). */
static void intro_sort(int64_t *a, int64_t n, int depth)
{
    while (n > MODE_SMALL) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        int64_t mid = n / 2, last = n - 1;
        if (a[mid] < a[0])
            swap_i64(a, mid, 0);
        if (a[last] < a[mid]) {
            swap_i64(a, last, mid);
            if (a[mid] < a[0])
                swap_i64(a, mid, 0);
        }
        int64_t pivot = a[mid];
        /* Hoare partition: a[0] <= pivot <= a[last] are the sentinels. */
        int64_t i = 0, j = last;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_i64(a, i, j);
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j + 1, n) */
        int64_t left = j + 1, right = n - left;
        if (left < right) {
            intro_sort(a, left, depth);
            a += left;
            n = right;
        } else {
            intro_sort(a + left, right, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

int64_t rt_mode_i64(int64_t *vals, int64_t n)
{
    if (n <= 0)
        return 0;
    if (n <= MODE_SMALL)
        insertion_sort(vals, n); /* the common case: a handful of neighbors */
    else
        intro_sort(vals, n, 2 * (64 - __builtin_clzll((unsigned long long)n)));
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
