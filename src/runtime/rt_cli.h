/* rt_cli.h - the program description (rt_program) and its command line.
 *
 *   PROG GRAPH [--PARAM=VALUE ...] [-o FILE] [--threads=N] [--format=FMT]
 *        [--undirected] [--dense-ids] [--time] [--help]
 *
 * Options take their value as --name=V or --name V; in option and parameter
 * names '-' and '_' are the same. A bool parameter also accepts a bare
 * --name (true) when the next argument is not true/false/1/0. "--" ends the
 * options. Errors are returned with code RT_ERR_USAGE and a message naming
 * the option (the driver prints "PROG: error: MSG" and exits 2). */
#ifndef GRAPHC_RT_CLI_H
#define GRAPHC_RT_CLI_H
#include <stdint.h>
#include <stdio.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_err.h"

typedef struct rt_param_desc {
    const char *name;
    int32_t dtype;       /* RT_BOOL, RT_INT, RT_FLOAT, RT_NODE */
    int32_t has_default;
    int64_t idefault;    /* bool, int; node: the file id (as uint64 bits) */
    double fdefault;
} rt_param_desc;

typedef struct rt_column_desc {
    const char *name;
    int32_t dtype;
    int32_t is_vector;
} rt_column_desc;

/* Filled by galg_describe through rt_program_set/param/output (rt_abi.h).
 * Names are kept as pointers: generated code passes string literals. */
struct rt_program {
    const char *name;
    int undirected;
    int weighted; /* 0, 1, or 2: weights must be >= 0 (rt_abi.h) */
    int skip_out_lists, skip_in_lists; /* rt_program_adjacency: lists the program never reads */
    rt_param_desc *params;
    int nparams, cap_params;
    rt_column_desc *cols;
    int ncols, cap_cols;
    char bad[256]; /* first description error (reserved or repeated name, bad type), or "" */
};

void rt_program_init(rt_program *p);
void rt_program_free(rt_program *p);

typedef struct rt_options {
    const char *graph;  /* positional argument ("-": standard input) */
    const char *output; /* -o; NULL or "-": standard output */
    int threads;        /* --threads, 0 when not given */
    const char *format; /* --format, NULL when not given */
    int undirected, dense_ids, time, help;
    rt_value *values;   /* [nparams]: parsed or default values; node: see node_ids */
    uint64_t *node_ids; /* [nparams]: for node parameters, the file id */
    uint8_t *given;     /* [nparams]: 1 when given on the command line */
} rt_options;

/* Parses argv[1..argc) against p. Returns 0, or RT_ERR_USAGE / RT_ERR_NOMEM
 * with err->msg set. o must be freed with rt_options_free in both cases.
 * With --help anywhere (before "--"), returns 0 with o->help set and skips
 * all other checks. */
int rt_cli_parse(const rt_program *p, int argc, char **argv, rt_options *o, rt_error *err);
void rt_options_free(rt_options *o);

/* --help text. */
void rt_cli_usage(const rt_program *p, FILE *f);

/* Node parameters: file id -> dense index in g (into o->values[k].i).
 * Returns 0, or RT_ERR_INPUT: "--source=17: node 17 is not in the graph". */
int rt_cli_map_nodes(const rt_program *p, rt_options *o, const rt_graph *g, rt_error *err);

/* Parses a whole string; return 1 on success. Exposed for tests. */
int rt_parse_u64(const char *s, uint64_t *out);

const char *rt_dtype_name(int32_t dtype); /* "bool", "int", "float", "node", "?" */

#endif
