/* rt_load.h - reading graph files into an edge array.
 *
 * Edge-list format ("el", SNAP/GAP style), one edge per line:
 *     u v        or, for weighted programs,   u v w
 * u and v are unsigned 64-bit decimal integers, w a number (strtod syntax).
 * Lines whose first non-blank byte is '#' or '%' are comments; blank lines
 * are skipped; fields are separated by any run of spaces, tabs, \r, \v or \f
 * (so CRLF endings work); a UTF-8 BOM at the start and a missing final
 * newline are accepted. In an unweighted program a third column is accepted
 * and ignored if it is a number. Anything else is an error located at its
 * line: "FILE:LINE: error: MESSAGE". The first error by file position is
 * reported, whatever the number of threads. */
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
    void *e_block, *w_block; /* allocations that e and w point into */
} rt_edges;

/* A whole input file in memory (mmap for regular files, read() otherwise). */
typedef struct rt_file {
    const char *data;
    size_t len;
    void *map;   /* mmap base, or NULL */
    char *heap;  /* read() buffer, or NULL */
} rt_file;

/* Parses an edge list held in buf[0..len) (need not be NUL-terminated).
 * filename is used in messages only. weighted != 0: every edge needs a
 * weight. On success fills *out (free with rt_edges_free) and returns 0;
 * on error returns err->code and *out is empty. Never exits. */
int rt_parse_edge_list(const char *buf, size_t len, const char *filename, int weighted,
                       rt_edges *out, rt_error *err);
void rt_edges_free(rt_edges *e);

/* Input formats. The driver picks one by --format=NAME or, without it, by
 * the file's extension (unknown extensions get the first entry, "el"). */
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
