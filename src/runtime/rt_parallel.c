/* rt_parallel.c - rt_parallel_for (ABI), thread count, prefix sums. */
#include "runtime/rt_parallel.h"

#include <omp.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_err.h"

/* Which chunks of the running rt_parallel_for have finished, and which chunk
 * this thread runs (-1: none). rt_fail reads them so that of two chunks that
 * fail, the lower one reports, as in the serial order (rt_wait_lower_chunks).
 * rt_parallel_for is never nested: generated kernels call no runtime loop. */
static atomic_uchar *chunk_done;
static int64_t chunk_done_cap;
static atomic_int chunk_done_live;
static _Thread_local int64_t cur_chunk = -1;
static int64_t launches, serial_launches;
/* Work below which a kernel runs on the calling thread (see rt_set_parallel_min)
 * and the arcs a neighbor loop may visit (rt_set_parallel_arcs). */
static int64_t parallel_min = RT_PARALLEL_MIN_DEFAULT;
static int64_t parallel_arcs;

int64_t rt_kernel_launches(void) { return launches; }
int64_t rt_serial_kernel_launches(void) { return serial_launches; }
void rt_set_parallel_min(int64_t work) { parallel_min = work < 0 ? 0 : work; }
void rt_set_parallel_arcs(int64_t arcs) { parallel_arcs = arcs < 0 ? 0 : arcs; }

void rt_wait_lower_chunks(void)
{
    int64_t c = cur_chunk;
    if (c <= 0 || !atomic_load(&chunk_done_live))
        return;
    /* Every thread runs its chunks in increasing order, and a chunk below c
     * belongs to a thread that is running or will run it without waiting for
     * anything above it (dynamic: chunks are handed out in increasing order,
     * so it has started; static: its thread's range lies below this one's):
     * no deadlock. If one of them fails, it exits the process and this
     * thread never resumes. */
    for (int64_t i = 0; i < c; i++) {
        while (!atomic_load_explicit(&chunk_done[i], memory_order_acquire)) {
            struct timespec ts = {0, 20000};
            nanosleep(&ts, NULL);
        }
    }
}

int rt_threads(void) { return omp_get_max_threads(); }

void rt_set_threads(int n)
{
    if (n < 1)
        n = 1;
    omp_set_dynamic(0);
    omp_set_num_threads(n);
}

/* Calls global chunk g: chunk g % per (of `size` nodes) of kernel g / per. */
static inline void call_chunk(int64_t g, int64_t per, int64_t size, int64_t n, rt_chunk_fn *fns, void **ctxs)
{
    int64_t k = g / per, c = g % per;
    int64_t lo = c * size;
    fns[k](ctxs[k], lo, n - lo > size ? lo + size : n, c);
}

/* Runs global chunk g inside a parallel region and marks it done. */
static inline void run_one(int64_t g, int64_t per, int64_t size, int64_t n, rt_chunk_fn *fns, void **ctxs)
{
    cur_chunk = g;
    call_chunk(g, per, size, n, fns, ctxs);
    cur_chunk = -1;
    atomic_store_explicit(&chunk_done[g], 1, memory_order_release);
}

/* Runs nk kernels over [0, n) in chunks in one parallel region: global chunk
 * g is chunk g % per of kernel g / per, so the chunks of an earlier kernel
 * come first (and report their errors first, see rt_wait_lower_chunks).
 * `even`: a static schedule, each thread one contiguous range of chunks (it
 * still runs them in increasing order, and a lower range never waits for a
 * higher one, so rt_wait_lower_chunks cannot deadlock); else chunks are
 * handed out one at a time (skewed degrees make neighbor loops uneven). */
static void run_chunks(int64_t n, int64_t chunk, int32_t nk, rt_chunk_fn *fns, void **ctxs, int even)
{
    int64_t per = chunk <= 0 || chunk >= n ? 1 : (n - 1) / chunk + 1;
    int64_t size = per == 1 ? n : chunk;
    int64_t total = per * nk;
    /* The work: a node of each kernel, plus every arc once for kernels that
     * may loop over neighbors (a group may). n, nk and the arcs are bounded
     * by memory sizes, so this cannot overflow. */
    int64_t work = n * nk + (even ? 0 : parallel_arcs);
    if (total == 1 || work < parallel_min || omp_get_max_threads() == 1) {
        /* Little work, or one thread: the same chunks in order on this
         * thread, without a parallel region (waking the threads would cost
         * more than the work). Results are the same: they depend only on
         * the chunks; the lowest failing chunk reports, as it must. */
        serial_launches += nk;
        for (int64_t g = 0; g < total; g++)
            call_chunk(g, per, size, n, fns, ctxs);
        return;
    }
    if (total > chunk_done_cap) {
        rt_free(chunk_done);
        chunk_done = rt_alloc(total, 1, "chunk flags");
        chunk_done_cap = total;
    }
    memset((void *)chunk_done, 0, (size_t)total);
    atomic_store(&chunk_done_live, 1);
    if (even) {
#pragma omp parallel for schedule(static)
        for (int64_t g = 0; g < total; g++)
            run_one(g, per, size, n, fns, ctxs);
    } else {
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t g = 0; g < total; g++)
            run_one(g, per, size, n, fns, ctxs);
    }
    atomic_store(&chunk_done_live, 0);
}

void rt_parallel_for(int64_t n, int64_t chunk, rt_chunk_fn fn, void *ctx)
{
    launches++;
    if (n <= 0)
        return;
    run_chunks(n, chunk, 1, &fn, &ctx, 0);
}

void rt_parallel_for_even(int64_t n, int64_t chunk, rt_chunk_fn fn, void *ctx)
{
    launches++;
    if (n <= 0)
        return;
    run_chunks(n, chunk, 1, &fn, &ctx, 1);
}

void rt_parallel_group(int64_t n, int64_t chunk, int32_t nk, rt_chunk_fn *fns, void **ctxs)
{
    if (nk <= 0)
        return;
    launches += nk;
    if (n <= 0)
        return;
    run_chunks(n, chunk, nk, fns, ctxs, 0);
}

int64_t rt_exclusive_scan_i64(int64_t *a, int64_t n)
{
    if (n <= 0)
        return 0;
    int nt = omp_get_max_threads();
    if (n < (1 << 16) || nt == 1) {
        int64_t s = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t v = a[i];
            a[i] = s;
            s += v;
        }
        return s;
    }
    /* Fixed blocks (independent of the thread count): sum each block, scan
     * the block sums, then scan each block from its offset. */
    enum { NB = 256 };
    int64_t bs = (n + NB - 1) / NB;
    int64_t sums[NB + 1];
#pragma omp parallel for schedule(static)
    for (int b = 0; b < NB; b++) {
        int64_t lo = b * bs, hi = lo + bs < n ? lo + bs : n, s = 0;
        for (int64_t i = lo; i < hi; i++)
            s += a[i];
        sums[b] = s;
    }
    int64_t total = 0;
    for (int b = 0; b < NB; b++) {
        int64_t v = sums[b];
        sums[b] = total;
        total += v;
    }
#pragma omp parallel for schedule(static)
    for (int b = 0; b < NB; b++) {
        int64_t lo = b * bs, hi = lo + bs < n ? lo + bs : n, s = sums[b];
        for (int64_t i = lo; i < hi; i++) {
            int64_t v = a[i];
            a[i] = s;
            s += v;
        }
    }
    return total;
}
