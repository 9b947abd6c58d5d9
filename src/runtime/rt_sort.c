/* rt_sort.c - introsort for adjacency lists and for int64 values (the mode
 * aggregation), parallel radix sort for ids. */
#include "runtime/rt_sort.h"

#include <string.h>

/* ---- introsort ---------------------------------------------------------------
 * Written once for (a, w) pairs; w == NULL means keys only. The wrappers call
 * it with a constant w, and since it is always inlined (no recursion: an
 * explicit stack), the compiler drops the weight code from the keys-only copy. */

static inline __attribute__((always_inline)) int less(const uint32_t *a, const double *w,
                                                      int64_t i, int64_t j)
{
    if (a[i] != a[j])
        return a[i] < a[j];
    return w && rt_f64_order_key(w[i]) < rt_f64_order_key(w[j]);
}

static inline __attribute__((always_inline)) void swap(uint32_t *a, double *w, int64_t i, int64_t j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
    if (w) {
        double u = w[i];
        w[i] = w[j];
        w[j] = u;
    }
}

static inline __attribute__((always_inline)) void sift(uint32_t *a, double *w, int64_t root,
                                                       int64_t n)
{
    for (;;) {
        int64_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && less(a, w, c, c + 1))
            c++;
        if (!less(a, w, root, c))
            return;
        swap(a, w, root, c);
        root = c;
    }
}

static inline __attribute__((always_inline)) void introsort(uint32_t *a, double *w, int64_t n)
{
    enum { SMALL = 24 };
    struct { int64_t lo, n; int depth; } stack[128];
    int sp = 0, depth = 2 * (64 - __builtin_clzll((unsigned long long)n | 1));
    int64_t lo = 0;
    for (;;) {
        while (n > SMALL) {
            uint32_t *b = a + lo;
            double *v = w ? w + lo : NULL;
            if (depth-- == 0) { /* quicksort degenerates: heapsort this range */
                for (int64_t i = n / 2; i-- > 0;)
                    sift(b, v, i, n);
                for (int64_t i = n - 1; i > 0; i--) {
                    swap(b, v, 0, i);
                    sift(b, v, 0, i);
                }
                n = 0;
                break;
            }
            /* Median of three into b[0] as the pivot, then Hoare partition. */
            int64_t mid = n / 2, last = n - 1;
            if (less(b, v, mid, 0))
                swap(b, v, mid, 0);
            if (less(b, v, last, mid)) {
                swap(b, v, last, mid);
                if (less(b, v, mid, 0))
                    swap(b, v, mid, 0);
            }
            swap(b, v, 0, mid);
            int64_t i = 0, j = n;
            for (;;) {
                do
                    i++;
                while (i < n && less(b, v, i, 0));
                do
                    j--;
                while (less(b, v, 0, j));
                if (i >= j)
                    break;
                swap(b, v, i, j);
            }
            swap(b, v, 0, j);
            /* [0, j) <= pivot at j <= (j, n). Push the larger side, loop on the smaller. */
            int64_t nl = j, nr = n - j - 1;
            if (nl < nr) {
                stack[sp].lo = lo + j + 1;
                stack[sp].n = nr;
                stack[sp].depth = depth;
                sp++;
                n = nl;
            } else {
                stack[sp].lo = lo;
                stack[sp].n = nl;
                stack[sp].depth = depth;
                sp++;
                lo = lo + j + 1;
                n = nr;
            }
        }
        /* insertion sort for the small range, shifting rather than swapping */
        uint32_t *b = a + lo;
        double *v = w ? w + lo : NULL;
        for (int64_t i = 1; i < n; i++) {
            uint32_t x = b[i];
            double y = v ? v[i] : 0;
            uint64_t yk = v ? rt_f64_order_key(y) : 0;
            int64_t j = i;
            while (j > 0 && (b[j - 1] > x || (v && b[j - 1] == x && rt_f64_order_key(v[j - 1]) > yk))) {
                b[j] = b[j - 1];
                if (v)
                    v[j] = v[j - 1];
                j--;
            }
            b[j] = x;
            if (v)
                v[j] = y;
        }
        if (sp == 0)
            return;
        sp--;
        lo = stack[sp].lo;
        n = stack[sp].n;
        depth = stack[sp].depth;
    }
}

void rt_sort_u32(uint32_t *a, int64_t n) { introsort(a, NULL, n); }

void rt_sort_u32_f64(uint32_t *a, double *w, int64_t n) { introsort(a, w, n); }

/* ---- parallel LSD radix sort ---------------------------------------------------
 * Fixed blocks (not threads) own histogram rows, so the scatter order, and
 * therefore the result, is the same on any number of threads. */

enum { RADIX_BLOCKS = 64 };

uint64_t *rt_radix_sort_u64(uint64_t *a, uint64_t *tmp, int64_t n)
{
    if (n < 2)
        return a;
    /* Which bytes vary: OR of (key XOR first key). */
    uint64_t diff = 0, k0 = a[0];
#pragma omp parallel for reduction(| : diff) schedule(static) if (n > 65536)
    for (int64_t i = 0; i < n; i++)
        diff |= a[i] ^ k0;
    int64_t bs = (n + RADIX_BLOCKS - 1) / RADIX_BLOCKS;
    /* 128 KiB, static rather than on the stack; the sort is not reentrant
     * (it is only called from the main thread, outside parallel regions). */
    static int64_t hist[RADIX_BLOCKS * 256];
    size_t hsz = sizeof hist;
    uint64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        if (((diff >> shift) & 0xff) == 0)
            continue;
        memset(hist, 0, hsz);
#pragma omp parallel for schedule(dynamic, 1) if (n > 65536)
        for (int b = 0; b < RADIX_BLOCKS; b++) {
            int64_t lo = b * bs, hi = lo + bs < n ? lo + bs : n;
            int64_t *h = hist + (size_t)b * 256;
            for (int64_t i = lo; i < hi; i++)
                h[(src[i] >> shift) & 0xff]++;
        }
        /* Offsets in (digit, block) order: stable. */
        int64_t s = 0;
        for (int d = 0; d < 256; d++)
            for (int b = 0; b < RADIX_BLOCKS; b++) {
                int64_t c = hist[(size_t)b * 256 + d];
                hist[(size_t)b * 256 + d] = s;
                s += c;
            }
#pragma omp parallel for schedule(dynamic, 1) if (n > 65536)
        for (int b = 0; b < RADIX_BLOCKS; b++) {
            int64_t lo = b * bs, hi = lo + bs < n ? lo + bs : n;
            int64_t *h = hist + (size_t)b * 256;
            for (int64_t i = lo; i < hi; i++) {
                uint64_t k = src[i];
                dst[h[(k >> shift) & 0xff]++] = k;
            }
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* ---- int64 keys ----------------------------------------------------------------
 * The same algorithm for plain int64_t keys, recursive on the smaller side. */

enum { I64_SMALL = 16 }; /* rt_sort_i64: insertion sort at or below this many values */

static inline void i64_swap(int64_t *a, int64_t i, int64_t j)
{
    int64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void i64_insertion_sort(int64_t *a, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        int64_t v = a[i], j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void i64_sift_down(int64_t *a, int64_t root, int64_t n)
{
    for (;;) {
        int64_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && a[c] < a[c + 1])
            c++;
        if (a[root] >= a[c])
            return;
        i64_swap(a, root, c);
        root = c;
    }
}

static void i64_heap_sort(int64_t *a, int64_t n)
{
    for (int64_t i = n / 2; i-- > 0;)
        i64_sift_down(a, i, n);
    for (int64_t i = n - 1; i > 0; i--) {
        i64_swap(a, 0, i);
        i64_sift_down(a, 0, i);
    }
}

/* Quicksort with a median-of-three pivot; the smaller side recurses, the
 * larger loops (stack depth <= log2 n); heapsort when the depth budget runs
 * out (2 log2 n levels), so the worst case stays O(n log n). */
static void i64_introsort(int64_t *a, int64_t n, int depth)
{
    while (n > I64_SMALL) {
        if (depth-- == 0) {
            i64_heap_sort(a, n);
            return;
        }
        int64_t mid = n / 2, last = n - 1;
        if (a[mid] < a[0])
            i64_swap(a, mid, 0);
        if (a[last] < a[mid]) {
            i64_swap(a, last, mid);
            if (a[mid] < a[0])
                i64_swap(a, mid, 0);
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
            i64_swap(a, i, j);
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j + 1, n) */
        int64_t left = j + 1, right = n - left;
        if (left < right) {
            i64_introsort(a, left, depth);
            a += left;
            n = right;
        } else {
            i64_introsort(a + left, right, depth);
            n = left;
        }
    }
    i64_insertion_sort(a, n);
}

void rt_sort_i64(int64_t *a, int64_t n)
{
    i64_introsort(a, n, 2 * (64 - __builtin_clzll((unsigned long long)n | 1)));
}
