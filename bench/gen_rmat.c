/* gen_rmat.c - R-MAT graph generator (Graph500 parameters) writing an edge list.
 *
 *   gcc -O3 -march=native -fopenmp -Wall -Wextra bench/gen_rmat.c -o gen_rmat
 *   gen_rmat [-s SCALE] [-d DEGREE] [-S SEED] [-P] [-w MAXW] [-o FILE]
 *
 *   -s, --scale=SCALE    2^SCALE node ids (default 20, at most 31)
 *   -d, --degree=DEGREE  average degree: DEGREE * 2^SCALE edges (default 16)
 *   -S, --seed=SEED      random seed (default 1)
 *   -P, --no-permute     keep R-MAT's ids (by default they are randomly permuted,
 *                        as Graph500 and GAPBS do, so that id order carries no locality)
 *   -w, --weights=MAXW   add a third column: an integer weight uniform in 1..MAXW,
 *                        drawn from its own stream, so the edges are the same as without -w
 *   -o, --output=FILE    output file (default standard output)
 *
 * Each edge picks one of the four quadrants of the adjacency matrix SCALE times,
 * with probabilities a=0.57, b=0.19, c=0.19, d=0.05. Self-loops and duplicate
 * edges are kept (Graph500 keeps them too); ids that no edge touches do not
 * appear in the file. The output starts with one `#` comment line, then `u v`
 * per line.
 *
 * Deterministic: edge i is drawn from its own counter-based random stream
 * (splitmix64 keyed by seed and i), so the file depends only on SCALE,
 * DEGREE, SEED and -P, never on the number of threads. Edges are generated in
 * parallel blocks, formatted by hand and written in order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1u << 18) /* edges per parallel work item */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Independent stream for item i of a given seed and purpose. */
static uint64_t stream(uint64_t seed, uint64_t purpose, uint64_t i)
{
    uint64_t s = seed ^ (purpose * 0xD1B54A32D192ED03ull);
    uint64_t k = splitmix64(&s) ^ i;
    return splitmix64(&k);
}

/* Writes x in decimal at p; returns the end. */
static char *put_u32(char *p, uint32_t x)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static long parse_long(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi) {
        fprintf(stderr, "gen_rmat: %s must be an integer in %ld..%ld, not '%s'\n", opt, lo, hi, s);
        exit(2);
    }
    return x;
}

int main(int argc, char **argv)
{
    int scale = 20, permute = 1;
    long degree = 16, maxw = 0;
    uint64_t seed = 1;
    const char *out = NULL;
    static const struct option longopts[] = {
        {"scale", required_argument, NULL, 's'},   {"degree", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 'S'},    {"no-permute", no_argument, NULL, 'P'},
        {"weights", required_argument, NULL, 'w'},        {"output", required_argument, NULL, 'o'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "s:d:S:Pw:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's': scale = (int)parse_long("--scale", optarg, 1, 31); break;
        case 'd': degree = parse_long("--degree", optarg, 1, 1L << 20); break;
        case 'S': seed = (uint64_t)parse_long("--seed", optarg, 0, (long)(~0ul >> 1)); break;
        case 'P': permute = 0; break;
        case 'w': maxw = parse_long("--weights", optarg, 1, 1000000000L); break;
        case 'o': out = optarg; break;
        case 'h':
            printf("usage: gen_rmat [-s SCALE (20)] [-d DEGREE (16)] [-S SEED (1)] [-P] [-w MAXW] [-o FILE]\n");
            return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "gen_rmat: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    const uint64_t nodes = 1ull << scale;
    const uint64_t edges = (uint64_t)degree << scale;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        fprintf(stderr, "gen_rmat: %s: %s\n", out, strerror(errno));
        return 1;
    }
    double t0 = omp_get_wtime();

    uint32_t *perm = malloc(nodes * sizeof *perm);
    if (!perm) {
        fprintf(stderr, "gen_rmat: out of memory\n");
        return 1;
    }
    for (uint64_t i = 0; i < nodes; i++)
        perm[i] = (uint32_t)i;
    if (permute) {
        uint64_t s = stream(seed, 1, 0);
        for (uint64_t i = nodes - 1; i > 0; i--) {
            uint64_t j = (uint64_t)(((unsigned __int128)splitmix64(&s) * (i + 1)) >> 64);
            uint32_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /* Quadrant thresholds on a 32-bit uniform: a, a+b, a+b+c. */
    const uint64_t A = (uint64_t)(0.57 * 4294967296.0), AB = (uint64_t)(0.76 * 4294967296.0),
                   ABC = (uint64_t)(0.95 * 4294967296.0);

    fprintf(f, "# R-MAT scale=%d degree=%ld nodes=%llu edges=%llu seed=%llu a=0.57 b=0.19 c=0.19%s%s\n",
            scale, degree, (unsigned long long)nodes, (unsigned long long)edges,
            (unsigned long long)seed, permute ? " permuted" : "", maxw ? " weighted" : "");

    const int nt = omp_get_max_threads();
    const uint64_t nblocks = (edges + BLOCK - 1) / BLOCK;
    char **buf = malloc((size_t)nt * sizeof *buf);
    size_t *len = malloc((size_t)nt * sizeof *len);
    if (!buf || !len) {
        fprintf(stderr, "gen_rmat: out of memory\n");
        return 1;
    }
    for (int t = 0; t < nt; t++) {
        buf[t] = malloc((size_t)BLOCK * 33); /* two ids < 2^31 and a weight < 2^31 (10 digits each), 2 spaces, newline */
        if (!buf[t]) {
            fprintf(stderr, "gen_rmat: out of memory\n");
            return 1;
        }
    }
    uint64_t bytes = 0;
    for (uint64_t first = 0; first < nblocks; first += (uint64_t)nt) {
        int round = (int)(nblocks - first < (uint64_t)nt ? nblocks - first : (uint64_t)nt);
#pragma omp parallel for schedule(static, 1)
        for (int t = 0; t < round; t++) {
            uint64_t lo = (first + (uint64_t)t) * BLOCK;
            uint64_t hi = lo + BLOCK < edges ? lo + BLOCK : edges;
            char *p = buf[t];
            for (uint64_t e = lo; e < hi; e++) {
                uint64_t s = stream(seed, 2, e);
                uint32_t u = 0, v = 0;
                uint64_t r = 0;
                for (int level = 0; level < scale; level++) {
                    if (!(level & 1))
                        r = splitmix64(&s);
                    uint64_t x = r & 0xFFFFFFFFu;
                    r >>= 32;
                    /* quadrant a: -, b: v, c: u, d: u and v (branch-free) */
                    u |= (uint32_t)(x >= AB) << level;
                    v |= (uint32_t)((x >= A) ^ (x >= AB) ^ (x >= ABC)) << level;
                }
                p = put_u32(p, perm[u]);
                *p++ = ' ';
                p = put_u32(p, perm[v]);
                if (maxw) {
                    *p++ = ' ';
                    p = put_u32(p, (uint32_t)(1 + stream(seed, 3, e) % (uint64_t)maxw));
                }
                *p++ = '\n';
            }
            len[t] = (size_t)(p - buf[t]);
        }
        for (int t = 0; t < round; t++) {
            if (fwrite(buf[t], 1, len[t], f) != len[t]) {
                fprintf(stderr, "gen_rmat: write error: %s\n", strerror(errno));
                return 1;
            }
            bytes += len[t];
        }
    }
    if (fflush(f) != 0 || (out && fclose(f) != 0)) {
        fprintf(stderr, "gen_rmat: write error: %s\n", strerror(errno));
        return 1;
    }
    fprintf(stderr, "gen_rmat: %llu edges on 2^%d ids, %.1f MB in %.2f s\n", (unsigned long long)edges,
            scale, (double)bytes / 1e6, omp_get_wtime() - t0);
    for (int t = 0; t < nt; t++)
        free(buf[t]);
    free(buf);
    free(len);
    free(perm);
    return 0;
}
