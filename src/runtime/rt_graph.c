/* rt_graph.c - id mapping and CSR/CSC construction.
 *
 * 1. Map file ids to dense indices 0..n-1 in id order: identity with
 *    --dense-ids; a direct table when the largest id is small next to the
 *    edge count; otherwise radix-sort all endpoints, keep the distinct ones,
 *    and look ids up with a bucket directory plus binary search.
 * 2. Place each arc in its list with a two-level counting sort (see
 *    build_adj), so lists fill in file order; then sort every list by
 *    (neighbor, weight in IEEE total order). The arrays are the same on any
 *    number of threads. */
#include "runtime/rt_graph.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_mem.h"
#include "runtime/rt_parallel.h"
#include "runtime/rt_sort.h"

#define NODE_CHUNK 4096 /* nodes per dynamic-schedule chunk */
/* Loops over fewer elements run on the calling thread: waking the team
 * costs more than the work (and small graphs, e.g. fuzz inputs, stay cheap).
 * The results never depend on it. */
#define PAR_MIN 65536

static void par_zero_i64(int64_t *a, int64_t n)
{
#pragma omp parallel for schedule(static) if (n > PAR_MIN)
    for (int64_t i = 0; i < n; i++)
        a[i] = 0;
}

/* ---- id mapping ------------------------------------------------------------- */

typedef struct mapped {
    uint64_t *ids;
    int64_t n;
    uint32_t *src, *dst;
    int64_t loops;
} mapped;

static int too_many_nodes(const char *fn, uint64_t n, rt_error *err)
{
    return rt_error_set_at(err, RT_ERR_LIMIT, fn, 0,
                           "the graph has %" PRIu64 " nodes; the limit is 4294967295 (2^32-1)", n);
}

static int alloc_src_dst(int64_t m, mapped *mp, rt_error *err)
{
    mp->src = rt_try_alloc(m, sizeof(uint32_t), "edge sources", err);
    mp->dst = mp->src ? rt_try_alloc(m, sizeof(uint32_t), "edge targets", err) : NULL;
    return mp->dst ? 0 : err->code;
}

/* Nodes are the ids base .. base+n-1 (--dense-ids: 0..max id; a declared
 * node set: 1..N); dense index = id - base. The caller checked that every
 * edge id is in range and n <= RT_MAX_NODES. */
static int map_range(const rt_edges *E, uint64_t base, int64_t n, mapped *mp, rt_error *err)
{
    int64_t m = E->m;
    mp->ids = rt_try_alloc(n, sizeof(uint64_t), "node ids", err);
    if (!mp->ids || alloc_src_dst(m, mp, err))
        return err->code;
    uint64_t *ids = mp->ids;
#pragma omp parallel for schedule(static) if (n > PAR_MIN)
    for (int64_t i = 0; i < n; i++)
        ids[i] = base + (uint64_t)i;
    const rt_edge *e = E->e;
    uint32_t *src = mp->src, *dst = mp->dst;
    int64_t loops = 0;
#pragma omp parallel for schedule(static) reduction(+ : loops) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++) {
        src[i] = (uint32_t)(e[i].u - base);
        dst[i] = (uint32_t)(e[i].v - base);
        loops += e[i].u == e[i].v;
    }
    mp->n = n;
    mp->loops = loops;
    return 0;
}

static inline int64_t popcount64(uint64_t x)
{
    /* SWAR: the build has no -mpopcnt, and the libgcc call is slow. */
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int64_t)((x * 0x0101010101010101ULL) >> 56);
}

/* Ids below 4 (m + 1) (or below both 2^22 and 64 (m + 1): the table is never
 * large next to the input, so small inputs stay cheap): mark them in a bitmap
 * (small enough to stay in cache, unlike a table of indices), number the
 * marked ids in order into a table, then translate the edges through it. */
static int map_table(const rt_edges *E, const char *fn, mapped *mp, rt_error *err)
{
    int64_t T = (int64_t)E->max_id + 1, m = E->m, nw = (T + 63) / 64;
    uint64_t *bits = rt_try_alloc(nw, sizeof(uint64_t), "the node id bitmap", err);
    if (!bits)
        return err->code;
#pragma omp parallel for schedule(static) if (nw > PAR_MIN)
    for (int64_t i = 0; i < nw; i++)
        bits[i] = 0;
    const rt_edge *e = E->e;
    if (rt_threads() == 1 || m <= PAR_MIN) {
        for (int64_t i = 0; i < m; i++) {
            bits[e[i].u >> 6] |= 1ULL << (e[i].u & 63);
            bits[e[i].v >> 6] |= 1ULL << (e[i].v & 63);
        }
    } else {
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < m; i++) {
            __atomic_fetch_or(&bits[e[i].u >> 6], 1ULL << (e[i].u & 63), __ATOMIC_RELAXED);
            __atomic_fetch_or(&bits[e[i].v >> 6], 1ULL << (e[i].v & 63), __ATOMIC_RELAXED);
        }
    }
    /* Number the marked ids in order: count per fixed block of words, scan, fill. */
    enum { NB = 256 };
    int64_t base[NB], bs = (nw + NB - 1) / NB;
#pragma omp parallel for schedule(static) if (nw > PAR_MIN)
    for (int b = 0; b < NB; b++) {
        int64_t lo = b * bs, hi = lo + bs < nw ? lo + bs : nw, c = 0;
        for (int64_t i = lo; i < hi; i++)
            c += popcount64(bits[i]);
        base[b] = c;
    }
    int64_t n = 0;
    for (int b = 0; b < NB; b++) {
        int64_t c = base[b];
        base[b] = n;
        n += c;
    }
    if ((uint64_t)n > RT_MAX_NODES) {
        rt_free(bits);
        return too_many_nodes(fn, (uint64_t)n, err);
    }
    uint32_t *table = rt_try_alloc(T, sizeof(uint32_t), "the node id table", err);
    mp->ids = table ? rt_try_alloc(n, sizeof(uint64_t), "node ids", err) : NULL;
    if (!mp->ids || alloc_src_dst(m, mp, err)) {
        rt_free(bits);
        rt_free(table);
        return err->code;
    }
    uint64_t *ids = mp->ids;
#pragma omp parallel for schedule(static) if (nw > PAR_MIN)
    for (int b = 0; b < NB; b++) {
        int64_t lo = b * bs, hi = lo + bs < nw ? lo + bs : nw, k = base[b];
        for (int64_t i = lo; i < hi; i++) {
            uint64_t word = bits[i];
            for (int j = 0; j < 64 && i * 64 + j < T; j++) {
                table[i * 64 + j] = (uint32_t)k; /* absent ids: never looked up */
                if ((word >> j) & 1)
                    ids[k++] = (uint64_t)(i * 64 + j);
            }
        }
    }
    rt_free(bits);
    uint32_t *src = mp->src, *dst = mp->dst;
    int64_t loops = 0;
#pragma omp parallel for schedule(static) reduction(+ : loops) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++) {
        src[i] = table[e[i].u];
        dst[i] = table[e[i].v];
        loops += e[i].u == e[i].v;
    }
    rt_free(table);
    mp->n = n;
    mp->loops = loops;
    return 0;
}

/* Sorted distinct ids with a directory: dir[b] is the first index whose id
 * has (id >> shift) >= b, so a lookup binary-searches a few entries. */
typedef struct id_index {
    const uint64_t *ids;
    uint32_t *dir;
    int shift;
} id_index;

static inline uint32_t index_lookup(const id_index *x, uint64_t id)
{
    uint64_t b = id >> x->shift;
    uint32_t lo = x->dir[b], hi = x->dir[b + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int map_sorted(const rt_edges *E, const char *fn, mapped *mp, rt_error *err)
{
    int64_t m = E->m, k2;
    if (__builtin_mul_overflow(m, 2, &k2))
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: too many edges");
    uint64_t *keys = rt_try_alloc(k2, sizeof(uint64_t), "node ids (sorting)", err);
    uint64_t *tmp = keys ? rt_try_alloc(k2, sizeof(uint64_t), "node ids (sorting)", err) : NULL;
    if (!tmp) {
        rt_free(keys);
        return err->code;
    }
    const rt_edge *e = E->e;
#pragma omp parallel for schedule(static) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++) {
        keys[2 * i] = e[i].u;
        keys[2 * i + 1] = e[i].v;
    }
    uint64_t *sorted = rt_radix_sort_u64(keys, tmp, k2);
    rt_free(sorted == keys ? tmp : keys);
    int64_t n = 0;
    for (int64_t i = 0; i < k2; i++)
        if (i == 0 || sorted[i] != sorted[n - 1])
            sorted[n++] = sorted[i];
    if ((uint64_t)n > RT_MAX_NODES) {
        rt_free(sorted);
        return too_many_nodes(fn, (uint64_t)n, err);
    }
    mp->ids = rt_try_alloc(n, sizeof(uint64_t), "node ids", err);
    if (!mp->ids) {
        rt_free(sorted);
        return err->code;
    }
    memcpy(mp->ids, sorted, (size_t)n * sizeof(uint64_t));
    rt_free(sorted);

    /* Directory of at most 2^22 buckets over the top bits of the ids. */
    uint64_t maxid = mp->ids[n - 1];
    int bits = 64 - __builtin_clzll(maxid | 1);
    int dbits = 64 - __builtin_clzll((uint64_t)n | 1);
    if (dbits > 22)
        dbits = 22;
    id_index x = {.ids = mp->ids, .shift = bits > dbits ? bits - dbits : 0};
    int64_t D = (int64_t)(maxid >> x.shift) + 1;
    x.dir = rt_try_alloc(D + 1, sizeof(uint32_t), "the node id index", err);
    if (!x.dir || alloc_src_dst(m, mp, err)) {
        rt_free(x.dir);
        return err->code;
    }
    int64_t j = 0;
    for (int64_t b = 0; b <= D; b++) {
        while (j < n && (int64_t)(mp->ids[j] >> x.shift) < b)
            j++;
        x.dir[b] = (uint32_t)j;
    }
    uint32_t *src = mp->src, *dst = mp->dst;
    int64_t loops = 0;
#pragma omp parallel for schedule(static) reduction(+ : loops) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++) {
        src[i] = index_lookup(&x, e[i].u);
        dst[i] = index_lookup(&x, e[i].v);
        loops += e[i].u == e[i].v;
    }
    rt_free(x.dir);
    mp->n = n;
    mp->loops = loops;
    return 0;
}

/* ---- adjacency arrays -------------------------------------------------------- */

typedef struct adj {
    int64_t *off;
    uint32_t *nbr;
    double *w;
    int64_t arcs;
    int64_t dups;  /* arcs equal to the previous one in their list (before any drop) */
    int64_t loops; /* self-loop arcs kept (symmetric builds only) */
} adj;

static void adj_free(adj *a)
{
    rt_free(a->off);
    rt_free(a->nbr);
    rt_free(a->w);
    memset(a, 0, sizeof *a);
}

/* Bucketed fill: arcs are first distributed, stably, into buckets of 2^shift
 * consecutive source nodes (a counting sort on the high bits: few output
 * streams, so the writes are sequential), then each bucket fills its own
 * lists with a cursor array that stays in cache. Filling the lists straight
 * from the edge array costs two cache misses per arc instead (5x slower on
 * big graphs). Fixed edge blocks, not threads, own the histogram rows, so
 * every list is filled in file order whatever the number of threads. */
enum { FILL_BLOCKS = 64 };

/* Lists of `from` nodes holding `to` nodes (and weights). sym: also the
 * reverse arc of every non-loop edge, then drop repeated arcs. presorted:
 * the arcs come ordered by (to, weight), so the stable fill leaves every list
 * sorted already. */
static int build_adj(int64_t n, int64_t m, const uint32_t *from, const uint32_t *to,
                     const double *w, int sym, int presorted, adj *A, rt_error *err)
{
    memset(A, 0, sizeof *A);
    int bits = n > 1 ? 64 - __builtin_clzll((uint64_t)(n - 1)) : 1;
    /* at most 256 buckets (few write streams) of at most 2^16 nodes (cursors in L2) */
    int shift = bits - 8 < 12 ? 12 : bits - 8 > 16 ? 16 : bits - 8;
    int64_t nb = ((n > 0 ? n - 1 : 0) >> shift) + 1; /* <= 2^16 */
    int64_t bs = (m + FILL_BLOCKS - 1) / FILL_BLOCKS;
    int64_t *hist = rt_try_alloc(FILL_BLOCKS * nb, sizeof(int64_t), "adjacency buckets", err);
    int64_t *bstart = hist ? rt_try_alloc(nb + 1, sizeof(int64_t), "adjacency buckets", err) : NULL;
    int64_t *off = bstart ? rt_try_alloc(n + 1, sizeof(int64_t), "adjacency offsets", err) : NULL;
    if (!off) {
        rt_free(hist);
        rt_free(bstart);
        return err->code;
    }
    par_zero_i64(hist, FILL_BLOCKS * nb);
#pragma omp parallel for schedule(dynamic, 1) if (m > PAR_MIN)
    for (int k = 0; k < FILL_BLOCKS; k++) {
        int64_t *h = hist + (size_t)k * (size_t)nb;
        int64_t lo = k * bs, hi = lo + bs < m ? lo + bs : m;
        for (int64_t i = lo; i < hi; i++) {
            h[from[i] >> shift]++;
            if (sym && from[i] != to[i])
                h[to[i] >> shift]++;
        }
    }
    /* Positions in (bucket, block) order: stable. */
    int64_t arcs = 0;
    for (int64_t b = 0; b < nb; b++) {
        bstart[b] = arcs;
        for (int k = 0; k < FILL_BLOCKS; k++) {
            int64_t c = hist[(size_t)k * (size_t)nb + (size_t)b];
            hist[(size_t)k * (size_t)nb + (size_t)b] = arcs;
            arcs += c;
        }
    }
    bstart[nb] = arcs;
    uint32_t *af = rt_try_alloc(arcs, sizeof(uint32_t), "arc sources (build)", err);
    uint32_t *at = af ? rt_try_alloc(arcs, sizeof(uint32_t), "arc targets (build)", err) : NULL;
    double *aw = at && w ? rt_try_alloc(arcs, sizeof(double), "arc weights (build)", err) : NULL;
    uint32_t *nbr = at && (aw || !w) ? rt_try_alloc(arcs, sizeof(uint32_t), "adjacency lists", err)
                                     : NULL;
    double *wa = nbr && w ? rt_try_alloc(arcs, sizeof(double), "edge weights", err) : NULL;
    if (!nbr || (w && !wa)) {
        rt_free(hist);
        rt_free(bstart);
        rt_free(off);
        rt_free(af);
        rt_free(at);
        rt_free(aw);
        rt_free(nbr);
        return err->code;
    }
#pragma omp parallel for schedule(dynamic, 1) if (m > PAR_MIN)
    for (int k = 0; k < FILL_BLOCKS; k++) {
        int64_t *h = hist + (size_t)k * (size_t)nb;
        int64_t lo = k * bs, hi = lo + bs < m ? lo + bs : m;
        for (int64_t i = lo; i < hi; i++) {
            uint32_t f = from[i], t = to[i];
            int64_t p = h[f >> shift]++;
            af[p] = f;
            at[p] = t;
            if (aw)
                aw[p] = w[i];
            if (sym && f != t) {
                p = h[t >> shift]++;
                af[p] = t;
                at[p] = f;
                if (aw)
                    aw[p] = w[i];
            }
        }
    }
    rt_free(hist);
    int oom = 0;
    int64_t dups = 0;
#pragma omp parallel reduction(+ : dups) if (arcs > PAR_MIN || n > PAR_MIN)
    {
        /* Each thread's cursors for one bucket (2^shift nodes). */
        int64_t *cur = malloc(sizeof(int64_t) << shift);
        if (!cur) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < nb; b++) {
            if (!cur)
                continue;
            int64_t base = b << shift, end = base + (1LL << shift) < n ? base + (1LL << shift) : n;
            int64_t cnt = end - base;
            memset(cur, 0, (size_t)cnt * sizeof *cur);
            for (int64_t j = bstart[b]; j < bstart[b + 1]; j++)
                cur[af[j] - base]++;
            int64_t s0 = bstart[b];
            for (int64_t v = 0; v < cnt; v++) {
                int64_t c = cur[v];
                off[base + v] = cur[v] = s0;
                s0 += c;
            }
            for (int64_t j = bstart[b]; j < bstart[b + 1]; j++) {
                int64_t p = cur[af[j] - base]++;
                nbr[p] = at[j];
                if (wa)
                    wa[p] = aw[j];
            }
            /* Sort the bucket's lists while they are in cache. */
            for (int64_t v = base; v < end; v++) {
                int64_t lo = off[v], len = (v + 1 < end ? off[v + 1] : bstart[b + 1]) - lo;
                if (len < 2)
                    continue;
                if (!presorted && wa)
                    rt_sort_u32_f64(nbr + lo, wa + lo, len);
                else if (!presorted)
                    rt_sort_u32(nbr + lo, len);
                for (int64_t j = 1; j < len; j++)
                    dups += nbr[lo + j] == nbr[lo + j - 1];
            }
        }
        free(cur);
    }
    off[n] = arcs;
    rt_free(bstart);
    rt_free(af);
    rt_free(at);
    rt_free(aw);
    if (oom) {
        rt_free(off);
        rt_free(nbr);
        rt_free(wa);
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: adjacency cursors");
    }
    A->off = off;
    A->nbr = nbr;
    A->w = wa;
    A->arcs = arcs;
    A->dups = dups;
    if (!sym || dups == 0) {
        if (sym) {
            int64_t loops = 0;
#pragma omp parallel for schedule(dynamic, NODE_CHUNK) reduction(+ : loops) \
    if (n > PAR_MIN || arcs > PAR_MIN)
            for (int64_t v = 0; v < n; v++)
                for (int64_t j = off[v]; j < off[v + 1]; j++)
                    loops += nbr[j] == (uint32_t)v;
            A->loops = loops;
        }
        return 0;
    }

    /* Symmetric with repeats: keep the first of each run (smallest weight). */
    int64_t *noff = rt_try_alloc(n + 1, sizeof(int64_t), "adjacency offsets", err);
    if (!noff) {
        adj_free(A);
        return err->code;
    }
#pragma omp parallel for schedule(dynamic, NODE_CHUNK) if (n > PAR_MIN || arcs > PAR_MIN)
    for (int64_t v = 0; v < n; v++) {
        int64_t c = 0;
        for (int64_t j = off[v]; j < off[v + 1]; j++)
            c += j == off[v] || nbr[j] != nbr[j - 1];
        noff[v] = c;
    }
    int64_t narcs = rt_exclusive_scan_i64(noff, n);
    noff[n] = narcs;
    uint32_t *nn = rt_try_alloc(narcs, sizeof(uint32_t), "adjacency lists", err);
    double *nw = nn && wa ? rt_try_alloc(narcs, sizeof(double), "edge weights", err) : NULL;
    if (!nn || (wa && !nw)) {
        rt_free(noff);
        rt_free(nn);
        adj_free(A);
        return err->code;
    }
    int64_t loops = 0;
#pragma omp parallel for schedule(dynamic, NODE_CHUNK) reduction(+ : loops) \
    if (n > PAR_MIN || arcs > PAR_MIN)
    for (int64_t v = 0; v < n; v++) {
        int64_t k = noff[v];
        for (int64_t j = off[v]; j < off[v + 1]; j++) {
            if (j != off[v] && nbr[j] == nbr[j - 1])
                continue;
            nn[k] = nbr[j];
            if (nw)
                nw[k] = wa[j];
            loops += nbr[j] == (uint32_t)v;
            k++;
        }
    }
    adj_free(A);
    A->off = noff;
    A->nbr = nn;
    A->w = nw;
    A->arcs = narcs;
    A->loops = loops;
    A->dups = dups;
    return 0;
}

/* ---- the whole build ------------------------------------------------------------ */

/* The smallest id of any edge (the parsers only track the largest). */
/* Offsets only (no lists): off[v] = number of arcs from nodes before v. */
static int offsets_only(int64_t n, int64_t m, const uint32_t *from, adj *A, rt_error *err)
{
    memset(A, 0, sizeof *A);
    A->off = rt_try_alloc(n + 1, sizeof(int64_t), "adjacency offsets", err);
    if (!A->off)
        return err->code;
    par_zero_i64(A->off, n + 1);
    int64_t *off = A->off;
#pragma omp parallel for schedule(static) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++)
        __atomic_fetch_add(&off[from[i]], 1, __ATOMIC_RELAXED);
    A->arcs = rt_exclusive_scan_i64(off, n + 1);
    return 0;
}

static uint64_t min_id(const rt_edges *E)
{
    uint64_t lo = UINT64_MAX;
    const rt_edge *e = E->e;
    int64_t m = E->m;
#pragma omp parallel for schedule(static) reduction(min : lo) if (m > PAR_MIN)
    for (int64_t i = 0; i < m; i++) {
        uint64_t x = e[i].u < e[i].v ? e[i].u : e[i].v;
        lo = x < lo ? x : lo;
    }
    return lo;
}

int rt_graph_build(rt_edges *edges, const rt_build_opts *o, const char *fn, rt_graph *g,
                   rt_graph_stats *st, rt_error *err)
{
    memset(g, 0, sizeof *g);
    memset(st, 0, sizeof *st);
    if (!fn)
        fn = "<input>";
    int64_t m = edges->m;
    st->input_edges = m;
    if (o->weighted && !edges->w) {
        rt_edges_free(edges);
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 0,
                               "the program is weighted but the file has no weights (third column)");
    }
    double t0 = rt_now();
    mapped mp = {0};
    int rc;
    uint64_t max_id = edges->max_id;
    if (edges->declared_n) {
        /* The file declares ids 1..N (mtx, gr): --dense-ids changes nothing. */
        st->id_map = RT_MAP_DECLARED;
        if (edges->declared_n > RT_MAX_NODES)
            rc = too_many_nodes(fn, edges->declared_n, err);
        else if (max_id > edges->declared_n || (m > 0 && min_id(edges) == 0))
            rc = rt_error_set_at(err, RT_ERR_INPUT, fn, 0,
                                 "internal: an edge has an id outside the declared nodes 1..%" PRIu64,
                                 edges->declared_n);
        else
            rc = map_range(edges, 1, (int64_t)edges->declared_n, &mp, err);
    } else if (o->dense_ids) {
        st->id_map = RT_MAP_DENSE;
        if (max_id >= RT_MAX_NODES)
            rc = rt_error_set_at(err, RT_ERR_LIMIT, fn, 0,
                                 "--dense-ids: node id %" PRIu64 " would make %" PRIu64
                                 " nodes; the limit is 4294967295 (2^32-1)",
                                 max_id, max_id + 1);
        else
            rc = map_range(edges, 0, (int64_t)max_id + 1, &mp, err);
    } else if (max_id / 4 < (uint64_t)m + 1 ||
               (max_id < (1ULL << 22) && max_id / 64 < (uint64_t)m + 1)) {
        /* A table of max_id + 1 entries: small next to the edges. */
        st->id_map = RT_MAP_TABLE;
        rc = map_table(edges, fn, &mp, err);
    } else {
        st->id_map = RT_MAP_SORTED;
        rc = map_sorted(edges, fn, &mp, err);
    }
    double *w = o->weighted ? edges->w : NULL;
    /* The 16-byte id pairs are the largest structure: free them now. */
    rt_free(edges->e_block);
    edges->e_block = NULL;
    edges->e = NULL;
    if (rc) {
        rt_free(mp.ids);
        rt_free(mp.src);
        rt_free(mp.dst);
        rt_edges_free(edges);
        return rc;
    }
    double t1 = rt_now();
    st->map_s = t1 - t0;

    adj out, in;
    int64_t n = mp.n;
    memset(&out, 0, sizeof out);
    memset(&in, 0, sizeof in);
    if (o->undirected) {
        rc = build_adj(n, m, mp.src, mp.dst, w, 1, 0, &out, err);
    } else if (o->skip_out) {
        /* the program reads in-lists only: out-degrees from the offsets */
        rc = build_adj(n, m, mp.dst, mp.src, w, 0, 0, &in, err);
        if (!rc)
            rc = offsets_only(n, m, mp.src, &out, err);
        out.dups = in.dups; /* a repeated arc repeats in both directions */
    } else if (o->skip_in) {
        rc = build_adj(n, m, mp.src, mp.dst, w, 0, 0, &out, err);
        if (!rc)
            rc = offsets_only(n, m, mp.dst, &in, err);
    } else {
        /* CSC first (lists sorted explicitly; cheap when the file is sorted
         * by source, as most are). Then the arcs in CSC order are ordered by
         * (target, source, weight), so the CSR built from them needs no sort. */
        rc = build_adj(n, m, mp.dst, mp.src, w, 0, 0, &in, err);
        if (!rc) {
            uint32_t *src = mp.src, *dst = mp.dst;
            double *ww = w; /* the file-order weights are no longer needed */
#pragma omp parallel for schedule(dynamic, NODE_CHUNK) if (n > PAR_MIN || m > PAR_MIN)
            for (int64_t v = 0; v < n; v++)
                for (int64_t j = in.off[v]; j < in.off[v + 1]; j++) {
                    src[j] = in.nbr[j];
                    dst[j] = (uint32_t)v;
                    if (ww)
                        ww[j] = in.w[j];
                }
            rc = build_adj(n, m, mp.src, mp.dst, w, 0, 1, &out, err);
        }
    }
    rt_free(mp.src);
    rt_free(mp.dst);
    rt_edges_free(edges);
    if (rc) {
        adj_free(&out);
        adj_free(&in);
        rt_free(mp.ids);
        return rc;
    }
    g->n = n;
    g->m = out.arcs;
    g->ids = mp.ids;
    g->out_off = out.off;
    g->out_adj = out.nbr;
    g->out_w = out.w;
    if (o->undirected) {
        g->in_off = out.off;
        g->in_adj = out.nbr;
        g->in_w = out.w;
        st->self_loops = out.loops;
        /* distinct edges = kept loops + kept non-loop arcs / 2 */
        st->duplicate_edges = m - (out.loops + (out.arcs - out.loops) / 2);
    } else {
        g->in_off = in.off;
        g->in_adj = in.nbr;
        g->in_w = in.w;
        st->self_loops = mp.loops;
        st->duplicate_edges = out.dups;
    }
    st->csr_s = rt_now() - t1;
    return 0;
}

void rt_graph_free(rt_graph *g)
{
    if (!g)
        return;
    if (g->in_off != g->out_off) {
        rt_free((void *)g->in_off);
        rt_free((void *)g->in_adj);
        rt_free((void *)g->in_w);
    }
    rt_free((void *)g->out_off);
    rt_free((void *)g->out_adj);
    rt_free((void *)g->out_w);
    rt_free((void *)g->ids);
    memset(g, 0, sizeof *g);
}

int64_t rt_graph_find(const rt_graph *g, uint64_t id)
{
    int64_t lo = 0, hi = g->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (g->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && g->ids[lo] == id ? lo : -1;
}
