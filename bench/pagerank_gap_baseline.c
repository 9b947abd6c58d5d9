/* pagerank_gap_baseline.c - hand-written OpenMP PageRank as the GAP benchmark
 * suite defines it (gapbs src/pr_spmv.cc), the yardstick for the code graphc
 * generates from examples/pagerank_gap.galg.
 *
 *   gcc -std=c11 -O3 -march=native -ffp-contract=off -fopenmp -Wall -Wextra \
 *       bench/pagerank_gap_baseline.c -o pagerank_gap_baseline -lm
 *   pagerank_gap_baseline GRAPH [--damping=X] [--max_iter=K] [--tol=X] [--threads=T]
 *                         [--f32 | --f32-store] [-o FILE] [--time]
 *
 * Same input, loader, graph layout and output as bench/pagerank_baseline.c
 * (both take the loader and CSC builder from bench/el_csc.h): an edge list
 * (`u v` per line, `#`/`%` comment lines), nodes are the ids that appear,
 * numbered in ascending order, duplicate edges and self-loops kept; CSC
 * (in-neighbors) with int64 offsets and uint32 neighbor indices, each in-list
 * sorted by source, as the graphc runtime builds it. Output `node<TAB>ranks`
 * sorted by id, on stdout unless -o.
 *
 * PageRank (GAP): scores start at 1/N; each iteration
 *     score'[v] = (1 - damping)/N + damping * sum over in-arcs u->v of score[u]/out_degree(u)
 * with no redistribution of dangling rank; stop when the L1 change
 * sum |score' - score| < tol, or after max_iter iterations (--tol=0 runs
 * exactly max_iter). Defaults are GAP's: damping 0.85, max_iter 20, tol 1e-4.
 *
 * One iteration is exactly two passes over the node arrays (the Jacobi/SpMV
 * form of pr_spmv.cc):
 *   1. contrib[u] = score[u] * inv_deg[u]   (static schedule, streaming);
 *   2. for each node v: s = sum of contrib over in(v); r = base + damping*s;
 *      err += |r - score[v]|; score[v] = r in place (score[v] is read only by
 *      v; other nodes read contrib). Dynamic schedule over 1024-node chunks
 *      (degrees are skewed); each chunk writes its partial error to part[c]
 *      and the partials are added in chunk order after the loop.
 * inv_deg[u] = 1/out_degree(u) is computed once (0 for dangling nodes, which
 * nobody reads: a node without out-arcs is no one's in-neighbor); GAP divides
 * every iteration, which differs by at most an ulp.
 *
 * Precision (one template, three instances):
 *   default      double everywhere;
 *   --f32        scores, contributions, inv_deg and the incoming sum in float,
 *                as GAP does (ScoreT = float); the error is accumulated in
 *                double, as in GAP;
 *   --f32-store  scores and contributions stored as float, everything else
 *                (inv_deg, the sum, the new score before it is stored, the
 *                error) in double: what examples/pagerank_gap.galg computes
 *                when it declares `ranks: f32` and `contrib: f32`.
 * Output %.17g of the (double) value in all three: a float's exact value, as
 * the generated program writes an f32 result.
 *
 * Determinism: every sum has a fixed order, independent of the thread count
 * and the schedule: s adds the in-neighbors' contributions one by one in
 * adjacency order, the error is summed node by node within a 1024-node chunk
 * and the chunks' partials in chunk order. These are the orders of the code
 * graphc generates from examples/pagerank_gap.galg, and with floating-point
 * contraction off (-std=c11 or -ffp-contract=off: base + damping*s is a
 * multiply then an add, no FMA) the variant of the example's precision
 * (double, or --f32-store for the f32 one) computes bit-identical ranks and
 * stops at the same iteration.
 *
 * --time prints to stderr: time.load_s (read + parse), time.build_s (ids + CSC),
 * time.run_s (allocation, initialisation and iterations: what the generated
 * program's time.run_s covers), time.iter_s (the iterations alone, all of
 * them), iterations, time.per_iter_s (iter_s / iterations), load.mb_per_s,
 * graph.nodes, graph.edges, threads, precision (f64, f32 or f32-store).
 */
#define _GNU_SOURCE
static const char *prog_name = "pagerank_gap_baseline";
#include "el_csc.h"

/* ---- PageRank (GAP) --------------------------------------------------------------- */

/* Nodes per chunk of the pull pass: the unit of the dynamic schedule and of
 * the error's partial sums. */
enum { CHUNK = 1024 };

typedef struct {
    int iterations;
    double iter_s;
} pr_stats;

/* One PageRank per precision, from one template:
 *   S  the type of the stored node arrays score[] and contrib[],
 *   A  the arithmetic: the incoming sum, base, damping, the new score r, and
 *      r - score[v] (the error itself is always accumulated in double),
 *   I  the type of inv_deg[].
 * contrib[u] = (S)((A)score[u] * inv[u]); r = base + d*s; score[v] = (S)r. */
#define DEFINE_PAGERANK(NAME, S, A, I)                                                        \
    static S *NAME(const graph *g, double damping, int max_iter, double tol, pr_stats *st)     \
    {                                                                                          \
        const int64_t n = g->n;                                                                \
        const int64_t nchunks = (n + CHUNK - 1) / CHUNK;                                       \
        const int64_t *restrict off = g->in_off;                                               \
        const uint32_t *restrict adj = g->in_adj;                                              \
        S *restrict score = xmalloc((size_t)n, sizeof(S), "scores");                           \
        S *restrict contrib = xmalloc((size_t)n, sizeof(S), "contrib");                        \
        I *restrict inv = xmalloc((size_t)n, sizeof(I), "inv_deg");                            \
        double *restrict part = xmalloc((size_t)nchunks, sizeof(double), "error partials");    \
        const A d = (A)damping;                                                                \
        const S init = (S)((A)1 / (A)n);                                                       \
        /* First touch with the static schedule of pass 1. */                                  \
        _Pragma("omp parallel for schedule(static)")                                           \
        for (int64_t v = 0; v < n; v++) {                                                      \
            const int64_t k = g->outdeg[v];                                                    \
            inv[v] = k > 0 ? (I)1 / (I)k : (I)0;                                               \
            score[v] = init;                                                                   \
            contrib[v] = 0;                                                                    \
        }                                                                                      \
        const A base = ((A)1 - d) / (A)n;                                                      \
        double t0 = omp_get_wtime();                                                           \
        int it = 0;                                                                            \
        while (it < max_iter) {                                                                \
            /* Pass 1: outgoing contributions. */                                              \
            _Pragma("omp parallel for schedule(static)")                                       \
            for (int64_t u = 0; u < n; u++)                                                    \
                contrib[u] = (S)((A)score[u] * inv[u]);                                        \
            /* Pass 2: pull in adjacency order, new score and L1 change, in place. */          \
            _Pragma("omp parallel for schedule(dynamic, 1)")                                   \
            for (int64_t c = 0; c < nchunks; c++) {                                            \
                const int64_t lo = c * CHUNK, hi = n - lo > CHUNK ? lo + CHUNK : n;            \
                double e = 0.0;                                                                \
                for (int64_t v = lo; v < hi; v++) {                                            \
                    A s = 0;                                                                   \
                    const int64_t a = off[v], b = off[v + 1];                                  \
                    for (int64_t k = a; k < b; k++)                                            \
                        s += (A)contrib[adj[k]];                                               \
                    const A r = base + d * s;                                                  \
                    e += fabs((double)(r - (A)score[v]));                                      \
                    score[v] = (S)r;                                                           \
                }                                                                              \
                part[c] = e;                                                                   \
            }                                                                                  \
            double err = 0.0;                                                                  \
            for (int64_t c = 0; c < nchunks; c++)                                              \
                err += part[c];                                                                \
            it++;                                                                              \
            if (err < tol)                                                                     \
                break;                                                                         \
        }                                                                                      \
        st->iter_s = omp_get_wtime() - t0;                                                     \
        st->iterations = it;                                                                   \
        free(inv);                                                                             \
        free(contrib);                                                                         \
        free(part);                                                                            \
        return score;                                                                          \
    }

/* double everywhere (the default) */
DEFINE_PAGERANK(pagerank_f64, double, double, double)
/* --f32: GAP's ScoreT = float for scores, contributions and the incoming sum */
DEFINE_PAGERANK(pagerank_f32, float, float, float)
/* --f32-store: float storage, double arithmetic (examples/pagerank_gap.galg
 * with `ranks: f32` and `contrib: f32`) */
DEFINE_PAGERANK(pagerank_f32_store, float, double, double)

/* ---- output and command line ---------------------------------------------------- */

/* Exactly one of r64, r32 is non-NULL. */
static void write_ranks(const char *path, const graph *g, const double *r64, const float *r32)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f)
        die(1, "%s: %s", path, strerror(errno));
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("node\tranks\n", f);
    for (int64_t v = 0; v < g->n; v++) {
        if (r64)
            fprintf(f, "%llu\t%.17g\n", (unsigned long long)g->ids[v], r64[v]);
        else
            fprintf(f, "%llu\t%.17g\n", (unsigned long long)g->ids[v], (double)r32[v]);
    }
    if (fflush(f) != 0 || (path && fclose(f) != 0))
        die(1, "%s: write error", path ? path : "stdout");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: %s GRAPH [--damping=X (0.85)] [--max_iter=K (20)] [--tol=X (0.0001)]\n"
               "       [--threads=T] [--f32 | --f32-store] [-o FILE] [--time]\n"
               "GAP PageRank (no dangling redistribution, stop when the L1 change < tol).\n"
               "--tol=0 runs exactly max_iter iterations; --iters=K is --max_iter=K --tol=0.\n"
               "Default: double. --f32: scores, contributions and sums in float (GAP's ScoreT).\n"
               "--f32-store: scores and contributions stored as float, arithmetic in double.\n",
            prog_name);
}

static double parse_double(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !(x >= 0) || isinf(x)) {
        fprintf(stderr, "%s: bad value '%s' for %s\n", prog_name, s, opt);
        usage(stderr);
        exit(2);
    }
    return x;
}

static long parse_long(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi) {
        fprintf(stderr, "%s: bad value '%s' for %s\n", prog_name, s, opt);
        usage(stderr);
        exit(2);
    }
    return x;
}

int main(int argc, char **argv)
{
    const char *graph_path = NULL, *out_path = NULL;
    double damping = 0.85, tol = 1e-4;
    long max_iter = 20, threads = 0;
    int want_time = 0;
    enum { F64, F32, F32_STORE } prec = F64;
    static const char *const prec_name[] = {"f64", "f32", "f32-store"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--time")) {
            want_time = 1;
            continue;
        }
        if (!strcmp(a, "--f32") || !strcmp(a, "--f32-store")) {
            prec = a[5] ? F32_STORE : F32;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            const char *names[] = {"-o", "--damping", "--max_iter", "--tol", "--threads", "--iters"};
            const char *val = NULL;
            int which = -1;
            for (int k = 0; k < 6; k++) {
                size_t len = strlen(names[k]);
                if (!strncmp(a, names[k], len) && (a[len] == '=' || a[len] == 0)) {
                    which = k;
                    val = a[len] == '=' ? a + len + 1 : NULL;
                }
            }
            if (which < 0) {
                fprintf(stderr, "%s: unknown option %s\n", prog_name, a);
                usage(stderr);
                return 2;
            }
            if (!val) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "%s: %s needs a value\n", prog_name, a);
                    return 2;
                }
                val = argv[++i];
            }
            switch (which) {
            case 0: out_path = val; break;
            case 1: damping = parse_double("--damping", val); break;
            case 2: max_iter = parse_long("--max_iter", val, 0, 1L << 30); break;
            case 3: tol = parse_double("--tol", val); break;
            case 4: threads = parse_long("--threads", val, 1, 4096); break;
            case 5: max_iter = parse_long("--iters", val, 0, 1L << 30); tol = 0.0; break;
            }
            continue;
        }
        if (graph_path) {
            fprintf(stderr, "%s: more than one graph file\n", prog_name);
            return 2;
        }
        graph_path = a;
    }
    if (!graph_path) {
        usage(stderr);
        return 2;
    }
    if (threads > 0)
        omp_set_num_threads((int)threads);

    double t0 = omp_get_wtime();
    size_t m, bytes;
    edge *e = load_edges(graph_path, &m, &bytes);
    double t1 = omp_get_wtime();
    graph g;
    build(&g, e, m);
    free(e);
    double t2 = omp_get_wtime();
    pr_stats st;
    double *r64 = NULL;
    float *r32 = NULL;
    if (prec == F32)
        r32 = pagerank_f32(&g, damping, (int)max_iter, tol, &st);
    else if (prec == F32_STORE)
        r32 = pagerank_f32_store(&g, damping, (int)max_iter, tol, &st);
    else
        r64 = pagerank_f64(&g, damping, (int)max_iter, tol, &st);
    double t3 = omp_get_wtime();
    write_ranks(out_path, &g, r64, r32);
    double t4 = omp_get_wtime();
    if (want_time) {
        fprintf(stderr,
                "time.load_s %.6f\ntime.build_s %.6f\ntime.run_s %.6f\ntime.iter_s %.6f\n"
                "time.write_s %.6f\niterations %d\ntime.per_iter_s %.9f\nload.mb_per_s %.1f\n"
                "graph.nodes %lld\ngraph.edges %lld\nthreads %d\nprecision %s\n",
                t1 - t0, t2 - t1, t3 - t2, st.iter_s, t4 - t3, st.iterations,
                st.iterations ? st.iter_s / st.iterations : 0.0, (double)bytes / 1e6 / (t1 - t0),
                (long long)g.n, (long long)g.m, omp_get_max_threads(), prec_name[prec]);
    }
    free(r64);
    free(r32);
    free(g.ids);
    free(g.in_off);
    free(g.in_adj);
    free(g.outdeg);
    return 0;
}
