/* rt_parallel.h - OpenMP helpers of the runtime (rt_parallel_for is in rt_abi.h). */
#ifndef GRAPHC_RT_PARALLEL_H
#define GRAPHC_RT_PARALLEL_H
#include <stdint.h>
#include <time.h>

/* The number of threads parallel regions use (omp_get_max_threads()). */
int rt_threads(void);
/* Sets it (omp_set_num_threads; dynamic adjustment off). n >= 1. */
void rt_set_threads(int n);

/* Kernels run so far (rt_parallel_for calls), for --time. */
int64_t rt_kernel_launches(void);

/* Called by rt_fail: inside a chunk of rt_parallel_for, waits until every
 * lower chunk has finished, so that the lowest failing chunk reports. */
void rt_wait_lower_chunks(void);

/* In-place exclusive prefix sum: a[i] = a[0] + ... + a[i-1]; returns the total.
 * Parallel for large n; the result does not depend on the thread count. */
int64_t rt_exclusive_scan_i64(int64_t *a, int64_t n);

/* Seconds on a monotonic clock. */
static inline double rt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
