/* rt_sort.h - sorting used by the graph build and the mode aggregation. */
#ifndef GRAPHC_RT_SORT_H
#define GRAPHC_RT_SORT_H
#include <stdint.h>

/* Ascending, in place (introsort: quicksort, heapsort fallback, insertion sort). */
void rt_sort_u32(uint32_t *a, int64_t n);
/* Sorts the pairs (a[i], w[i]) by a, then by w in IEEE total order (-0 < +0,
 * NaNs by bit pattern), so equal elements are bit-identical: the result does
 * not depend on the input order. */
void rt_sort_u32_f64(uint32_t *a, double *w, int64_t n);
/* Ascending, in place (introsort; insertion sort up to 16 values). */
void rt_sort_i64(int64_t *a, int64_t n);

/* Stable LSD radix sort of a[0..n) using tmp[0..n) as scratch; passes over
 * bytes that are equal in all keys are skipped. Parallel; the result does
 * not depend on the thread count. Not reentrant (call from one thread, outside
 * parallel regions). Returns the buffer holding the sorted keys
 * (a or tmp). */
uint64_t *rt_radix_sort_u64(uint64_t *a, uint64_t *tmp, int64_t n);

/* Maps a double to a uint64 whose unsigned order is the IEEE total order. */
static inline uint64_t rt_f64_order_key(double d)
{
    uint64_t b;
    __builtin_memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000ULL;
}

#endif
