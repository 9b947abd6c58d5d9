/* el_csc.h - the edge-list loader and CSC builder of the hand-written
 * baselines (pagerank_baseline.c, pagerank_gap_baseline.c): the same input
 * rules, graph layout and error messages for both, so their run times differ
 * only in the algorithm. Single-file programs include it once; the includer
 * defines `static const char *prog_name` (used in messages) first.
 */
#ifndef GRAPHC_BENCH_EL_CSC_H
#define GRAPHC_BENCH_EL_CSC_H
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    uint64_t u, v;
} edge;

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void *xmalloc(size_t count, size_t size, const char *what)
{
    if (size && count > SIZE_MAX / size)
        die(1, "out of memory for %s", what);
    void *p = NULL;
    size_t bytes = count * size;
    /* Large arrays on transparent huge pages, as graphc's runtime does (a
     * hand-tuned kernel would too): the comparison stays like for like. */
    size_t align = bytes >= (4u << 20) ? (2u << 20) : 64;
    if (posix_memalign(&p, align, bytes > 0 ? bytes : 64))
        die(1, "out of memory: needed %zu bytes for %s", bytes, what);
    if (align > 64)
        (void)madvise(p, bytes & ~(size_t)(align - 1), MADV_HUGEPAGE);
    return p;
}

/* ---- loading --------------------------------------------------------------- */

typedef struct {
    edge *e;
    size_t n, cap;
    const char *bad; /* first malformed position, or NULL */
    const char *why;
} chunk_edges;

static void push(chunk_edges *c, uint64_t u, uint64_t v)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1 << 16;
        edge *e = realloc(c->e, c->cap * sizeof *e);
        if (!e)
            die(1, "out of memory while loading");
        c->e = e;
    }
    c->e[c->n].u = u;
    c->e[c->n].v = v;
    c->n++;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Parses lines in [p, end); p is at the start of a line. */
static void parse_range(const char *p, const char *end, chunk_edges *c)
{
    while (p < end) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        if (*p == '\n') {
            p++;
            continue;
        }
        if (*p == '#' || *p == '%') {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
            continue;
        }
        uint64_t x[2];
        for (int k = 0; k < 2; k++) {
            while (p < end && is_space(*p))
                p++;
            if (p == end || (unsigned)(*p - '0') > 9) {
                c->bad = p;
                c->why = k ? "expected a second node id" : "expected a node id";
                return;
            }
            uint64_t val = 0;
            while (p < end && (unsigned)(*p - '0') <= 9) {
                unsigned dgt = (unsigned)(*p - '0');
                if (val > (UINT64_MAX - dgt) / 10) {
                    c->bad = p;
                    c->why = "node id does not fit in 64 bits";
                    return;
                }
                val = val * 10 + dgt;
                p++;
            }
            if (p < end && !is_space(*p) && *p != '\n') {
                c->bad = p;
                c->why = "node ids must be non-negative integers";
                return;
            }
            x[k] = val;
        }
        while (p < end && is_space(*p))
            p++;
        if (p < end && *p != '\n') {
            c->bad = p;
            c->why = "expected two node ids on the line";
            return;
        }
        push(c, x[0], x[1]);
    }
}

static edge *load_edges(const char *path, size_t *m_out, size_t *bytes_out)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(1, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0)
        die(1, "%s: %s", path, strerror(errno));
    size_t size = (size_t)st.st_size;
    *bytes_out = size;
    if (size == 0)
        die(1, "%s: error: the graph has no edges", path);
    const char *buf = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (buf == MAP_FAILED)
        die(1, "%s: %s", path, strerror(errno));
    close(fd);

    int nt = omp_get_max_threads();
    int nchunks = size < (1u << 20) ? 1 : 4 * nt;
    chunk_edges *ch = calloc((size_t)nchunks, sizeof *ch);
    if (!ch)
        die(1, "out of memory");
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < nchunks; k++) {
        /* Chunk k owns the lines that start in [size*k/nchunks, size*(k+1)/nchunks). */
        size_t lo = size * (size_t)k / (size_t)nchunks, hi = size * (size_t)(k + 1) / (size_t)nchunks;
        if (lo > 0) {
            const char *nl = memchr(buf + lo - 1, '\n', size - (lo - 1));
            lo = nl ? (size_t)(nl - buf) + 1 : size;
        }
        if (hi < size) {
            const char *nl = memchr(buf + hi - 1, '\n', size - (hi - 1));
            hi = nl ? (size_t)(nl - buf) + 1 : size;
        }
        if (lo < hi)
            parse_range(buf + lo, buf + hi, &ch[k]);
    }
    size_t m = 0;
    for (int k = 0; k < nchunks; k++) {
        if (ch[k].bad) {
            size_t line = 1;
            for (const char *q = buf; q < ch[k].bad; q++)
                line += *q == '\n';
            die(1, "%s:%zu: error: %s", path, line, ch[k].why);
        }
        m += ch[k].n;
    }
    if (m == 0)
        die(1, "%s: error: the graph has no edges", path);
    edge *e = xmalloc(m, sizeof *e, "edges");
    size_t at = 0;
    for (int k = 0; k < nchunks; k++) {
        if (ch[k].n)
            memcpy(e + at, ch[k].e, ch[k].n * sizeof *e);
        at += ch[k].n;
        free(ch[k].e);
    }
    free(ch);
    munmap((void *)buf, size);
    *m_out = m;
    return e;
}

/* ---- ids and CSC ------------------------------------------------------------- */

typedef struct {
    int64_t n, m;
    uint64_t *ids;    /* [n] ascending */
    int64_t *in_off;  /* [n+1] */
    uint32_t *in_adj; /* [m] */
    int64_t *outdeg;  /* [n] */
} graph;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint32_t find_id(const uint64_t *ids, int64_t n, uint64_t x)
{
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static void build(graph *g, edge *e, size_t m)
{
    uint64_t maxid = 0;
#pragma omp parallel for reduction(max : maxid) schedule(static)
    for (size_t i = 0; i < m; i++) {
        uint64_t a = e[i].u > e[i].v ? e[i].u : e[i].v;
        if (a > maxid)
            maxid = a;
    }
    /* Renumber: ids in ascending order become 0..n-1. A direct map when the id
     * range is not much larger than the edge count, else sort + binary search. */
    uint32_t *dense = NULL;
    if (maxid < (uint64_t)4 * m + (1u << 20)) {
        size_t range = (size_t)maxid + 1;
        dense = xmalloc(range, sizeof *dense, "id map");
        memset(dense, 0, range * sizeof *dense);
        for (size_t i = 0; i < m; i++)
            dense[e[i].u] = dense[e[i].v] = 1;
        int64_t n = 0;
        for (size_t x = 0; x < range; x++)
            n += dense[x] != 0;
        if (n > (int64_t)UINT32_MAX)
            die(1, "more than 2^32-1 nodes");
        g->ids = xmalloc((size_t)n, sizeof *g->ids, "ids");
        n = 0;
        for (size_t x = 0; x < range; x++)
            if (dense[x]) {
                g->ids[n] = x;
                dense[x] = (uint32_t)n++;
            }
        g->n = n;
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < m; i++) {
            e[i].u = dense[e[i].u];
            e[i].v = dense[e[i].v];
        }
        free(dense);
    } else {
        uint64_t *all = xmalloc(2 * m, sizeof *all, "ids");
        for (size_t i = 0; i < m; i++) {
            all[2 * i] = e[i].u;
            all[2 * i + 1] = e[i].v;
        }
        qsort(all, 2 * m, sizeof *all, cmp_u64);
        int64_t n = 0;
        for (size_t i = 0; i < 2 * m; i++)
            if (i == 0 || all[i] != all[i - 1])
                all[n++] = all[i];
        if (n > (int64_t)UINT32_MAX)
            die(1, "more than 2^32-1 nodes");
        g->ids = all;
        g->n = n;
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < m; i++) {
            e[i].u = find_id(all, n, e[i].u);
            e[i].v = find_id(all, n, e[i].v);
        }
    }
    int64_t n = g->n;
    g->m = (int64_t)m;
    g->in_off = xmalloc((size_t)n + 1, sizeof *g->in_off, "in_off");
    g->outdeg = xmalloc((size_t)n, sizeof *g->outdeg, "out_degree");
    g->in_adj = xmalloc(m, sizeof *g->in_adj, "in_adj");
    memset(g->in_off, 0, ((size_t)n + 1) * sizeof *g->in_off);
    memset(g->outdeg, 0, (size_t)n * sizeof *g->outdeg);
    for (size_t i = 0; i < m; i++) {
        g->in_off[e[i].v + 1]++;
        g->outdeg[e[i].u]++;
    }
    for (int64_t v = 0; v < n; v++)
        g->in_off[v + 1] += g->in_off[v];
    /* Counting sort by source into CSR, then walk the CSR in source order and
     * scatter into CSC: every in-list comes out sorted by source. */
    int64_t *out_off = xmalloc((size_t)n + 1, sizeof *out_off, "out_off");
    uint32_t *out_adj = xmalloc(m, sizeof *out_adj, "out_adj");
    out_off[0] = 0;
    for (int64_t v = 0; v < n; v++)
        out_off[v + 1] = out_off[v] + g->outdeg[v];
    int64_t *pos = xmalloc((size_t)n, sizeof *pos, "positions");
    memcpy(pos, out_off, (size_t)n * sizeof *pos);
    for (size_t i = 0; i < m; i++)
        out_adj[pos[e[i].u]++] = (uint32_t)e[i].v;
    memcpy(pos, g->in_off, (size_t)n * sizeof *pos);
    for (int64_t u = 0; u < n; u++)
        for (int64_t k = out_off[u]; k < out_off[u + 1]; k++)
            g->in_adj[pos[out_adj[k]]++] = (uint32_t)u;
    free(pos);
    free(out_adj);
    free(out_off);
}

#endif
