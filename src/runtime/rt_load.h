/* rt_load.h - reading graph files into an edge array.
 *
 * Text formats (docs/runtime.md has the exact rules of each):
 *   el   edge list, SNAP/GAP style: 'u v' or 'u v w' per line, '#'/'%' comments
 *   wel  weighted edge list: 'u v w' on every line, otherwise as el
 *   csv  'u,v' or 'u,v,w' per line, optional header line, blanks around fields
 *   mtx  Matrix Market coordinate (pattern|real|integer, general|symmetric)
 *   gr   DIMACS shortest paths: 'p sp N M', 'a u v w', 'c' comments
 * el, wel and csv nodes are the ids that appear; mtx and gr declare their
 * node set (ids 1..N, rt_edges.declared_n). Every parser works on a memory
 * buffer, never exits, and reports the first error by file position as
 * "FILE:LINE: error: MESSAGE" ("FILE: error: MESSAGE" for the whole file),
 * whatever the number of threads. Parsing runs on all threads (rt_lex.h). */
#ifndef GRAPHC_RT_LOAD_H
#define GRAPHC_RT_LOAD_H
#include <stddef.h>
#include <stdint.h>

#include "runtime/rt_err.h"

typedef struct rt_edge {
    uint64_t u, v; /* file ids, source then target */
} rt_edge;

typedef struct rt_edges {
    rt_edge *e;      /* [m] in file order */
    double *w;       /* [m] when weighted, else NULL */
    int64_t m;
    uint64_t max_id; /* largest id seen (0 when m == 0) */
    uint64_t lines;  /* lines in the input */
    /* > 0: the file declares its nodes, ids 1..declared_n (mtx, gr), whether
     * or not they occur in an edge; every edge id is within. 0: the nodes are
     * the ids that occur (el, wel, csv). */
    uint64_t declared_n;
    void *e_block, *w_block; /* allocations that e and w point into */
} rt_edges;

/* The `weighted` argument of the parsers: the program's mode (rt_abi.h). */
enum { RT_WEIGHTS_NONE = 0, RT_WEIGHTS = 1, RT_WEIGHTS_NONNEG = 2 };

/* A whole input file in memory (mmap for regular files, read() otherwise). */
typedef struct rt_file {
    const char *data;
    size_t len;
    void *map;   /* mmap base, or NULL */
    char *heap;  /* read() buffer, or NULL */
} rt_file;

/* Each parser reads a file held in buf[0..len) (need not be NUL-terminated).
 * filename is used in messages only. weighted: RT_WEIGHTS_NONE (weights in
 * the file are checked for syntax and dropped: out->w is NULL), RT_WEIGHTS
 * (every edge needs a weight; out->w is filled) or RT_WEIGHTS_NONNEG (also
 * every weight must be >= 0: a negative or NaN weight is an error at its
 * line). On success fills *out (free with rt_edges_free) and returns 0; on
 * error returns err->code and *out is empty. Never exits. */
int rt_parse_edge_list(const char *buf, size_t len, const char *filename, int weighted,
                       rt_edges *out, rt_error *err);
int rt_parse_wel(const char *buf, size_t len, const char *filename, int weighted,
                 rt_edges *out, rt_error *err);
int rt_parse_csv(const char *buf, size_t len, const char *filename, int weighted,
                 rt_edges *out, rt_error *err);
int rt_parse_mtx(const char *buf, size_t len, const char *filename, int weighted,
                 rt_edges *out, rt_error *err);
int rt_parse_gr(const char *buf, size_t len, const char *filename, int weighted,
                rt_edges *out, rt_error *err);
void rt_edges_free(rt_edges *e);

/* Test hook: cut parser input into chunks of about chunk_bytes (default
 * 64 KiB) and at most max_chunks chunks (default 16 per thread, at most
 * 4096). 0 restores a default. The results never depend on it. */
void rt_load_set_chunking(size_t chunk_bytes, int max_chunks);

/* Input formats. The driver picks one by --format=NAME or, without it, by
 * the file's extension (case-insensitive; unknown extensions get the first
 * entry, "el"). */
typedef struct rt_format {
    const char *name;        /* --format value */
    const char *extensions;  /* space-separated, with dots: ".el .txt" */
    const char *description; /* for --help */
    int (*parse)(const char *buf, size_t len, const char *filename, int weighted, rt_edges *out,
                 rt_error *err);
} rt_format;

const rt_format *rt_format_by_name(const char *name); /* NULL when unknown */
const rt_format *rt_format_for_path(const char *path);
const rt_format *rt_format_list(int *count);

/* Opens and maps/reads path ("-" is standard input). Returns 0 or err->code
 * ("PROG: error"-style message without the prefix: "cannot open 'F': ..."). */
int rt_file_open(const char *path, rt_file *f, rt_error *err);
void rt_file_close(rt_file *f);

#endif
