/* rt_parallel.h - OpenMP helpers of the runtime (rt_parallel_for is in rt_abi.h). */
#ifndef GRAPHC_RT_PARALLEL_H
#define GRAPHC_RT_PARALLEL_H
#include <stdint.h>
#include <time.h>

/* The number of threads parallel regions use (omp_get_max_threads()). */
int rt_threads(void);
/* Sets it (omp_set_num_threads; dynamic adjustment off). n >= 1. */
void rt_set_threads(int n);

/* Kernels run so far (rt_parallel_for calls), for --time; and how many of
 * them ran on the calling thread alone (too little work, or one thread). */
int64_t rt_kernel_launches(void);
int64_t rt_serial_kernel_launches(void);

/* A kernel over n nodes runs without a parallel region when its work, n per
 * kernel plus the graph's arcs for a kernel that may loop over neighbors
 * (rt_parallel_for, rt_parallel_group), is below `work`. Below about 16k
 * nodes and arcs, waking the threads costs more than they save (sssp on
 * rome99.gr, 3353 nodes and 8870 arcs, 202 kernels: 1.0 ms on 1 thread,
 * 2.5 ms on 2 with a region per kernel). 0: every kernel of more than one
 * chunk gets a region (the tests use it to run small graphs in parallel).
 * The driver sets it from GRAPHC_PARALLEL_MIN. */
#define RT_PARALLEL_MIN_DEFAULT 16384
void rt_set_parallel_min(int64_t work);
/* The arcs a neighbor loop may visit (the driver: the graph's m). */
void rt_set_parallel_arcs(int64_t arcs);

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
