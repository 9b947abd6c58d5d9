/* rt_abi.h - the contract between a generated program and the runtime.
 *
 * A program compiled by graphc defines two functions:
 *
 *   void galg_describe(rt_program *p);   // name, parameters, output columns
 *   void galg_run(const rt_graph *g, const rt_value *params, rt_output *out);
 *
 * and the runtime (libgraphc_rt.a, which also holds main()) does everything
 * else: the command line, loading the graph, building CSR/CSC, writing results.
 * Every function below is called from generated code; src/codegen/cg_abi.c
 * declares each one to libgccjit with exactly these C types. Change both together
 * (tests/unit/test_abi.c compiles a program that calls every one). */
#ifndef GRAPHC_RT_ABI_H
#define GRAPHC_RT_ABI_H
#include <stdint.h>

/* Element types, shared with the compiler (same numbering as DType in ast.h).
 * These are the only types of parameters and output columns. RT_F32 (the
 * language's f32 storage type) is a vector output column only: n binary32
 * values, each written as the double it is exactly, so it prints as an
 * RT_FLOAT column of the same values would; the generated program hands over
 * its f32 vector as it is, with no conversion pass and no double copy. A
 * returned f32 scalar is an RT_FLOAT column. */
enum { RT_BOOL = 1, RT_INT = 2, RT_FLOAT = 3, RT_NODE = 4, RT_F32 = 6 };

/* The graph as a generated program sees it. Node i (0 <= i < n) is a dense
 * index; ids[i] is its id in the input file, and ids are ascending, so comparing
 * dense indices compares file ids. Adjacency lists are sorted by neighbor index.
 * Vectors of type node hold dense indices as int64_t. */
typedef struct rt_graph {
    int64_t n;                 /* nodes */
    int64_t m;                 /* edges (arcs; an undirected edge counts twice, a self-loop once) */
    const uint64_t *ids;       /* [n] */
    const int64_t *out_off;    /* [n+1] CSR: out-neighbors of i are out_adj[out_off[i] .. out_off[i+1]) */
    const uint32_t *out_adj;   /* [m] */
    const double *out_w;       /* [m] weights, or NULL when the program is unweighted */
    const int64_t *in_off;     /* [n+1] CSC: in-neighbors of i are in_adj[in_off[i] .. in_off[i+1]) */
    const uint32_t *in_adj;    /* [m] */
    const double *in_w;        /* [m] or NULL */
} rt_graph;

/* Parameter values as galg_run receives them: params[k] for the k-th declared
 * parameter. bool and int use .i (bool is 0/1); node uses .i holding the dense
 * index (the runtime maps the id the user typed and rejects unknown ids). */
typedef union rt_value {
    int64_t i;
    double f;
} rt_value;

typedef struct rt_program rt_program; /* opaque, owned by the runtime */
typedef struct rt_output rt_output;   /* opaque, owned by the runtime */

/* A chunk of a parallel loop over [lo, hi) with chunk number `chunk`. */
typedef void (*rt_chunk_fn)(void *ctx, int64_t lo, int64_t hi, int64_t chunk);

/* --- description (called from galg_describe) --- */
/* weighted: 0 unweighted, 1 weighted, 2 weighted and every weight must be
 * >= 0 (a negative weight in the file is an input error). */
void rt_program_set(rt_program *p, const char *name, int32_t undirected, int32_t weighted);
/* Which neighbor lists the program reads (directed graphs): out_lists, in_lists
 * 0 or 1. The runtime may then leave the other lists (and their weights) out:
 * rt_graph.out_adj/out_w or in_adj/in_w are NULL, while both offset arrays,
 * and so every degree, are always there. Not called: both. */
void rt_program_adjacency(rt_program *p, int32_t out_lists, int32_t in_lists);
/* has_default == 0: the parameter is required on the command line. For a node
 * parameter, idefault is the file's id (read as the uint64_t bit pattern, so
 * ids of 2^63 and above survive), mapped to a dense index at run time. */
void rt_program_param(rt_program *p, const char *name, int32_t dtype, int32_t has_default,
                      int64_t idefault, double fdefault);
/* Output columns, in order. is_vector == 0: a single value (see rt_output_scalar_*). */
void rt_program_output(rt_program *p, const char *name, int32_t dtype, int32_t is_vector);

/* --- memory --- */
/* count * elem_size bytes, 64-byte aligned, uninitialized; overflow-checked. On
 * failure prints "out of memory: needed B bytes for WHAT" and exits 1. */
void *rt_alloc(int64_t count, int64_t elem_size, const char *what);
void rt_free(void *p);

/* --- parallel loops --- */
/* Runs fn over [0, n) split into ceil(n / chunk) chunks (chunk <= 0: one chunk) of `chunk` elements
 * (the last may be shorter), on the program's threads. Chunk boundaries depend
 * only on n and chunk, never on the thread count, so per-chunk partial results
 * combined in chunk order are the same on any number of threads. */
void rt_parallel_for(int64_t n, int64_t chunk, rt_chunk_fn fn, void *ctx);
/* rt_parallel_for for a kernel whose chunks all cost about the same (no
 * neighbor loops): the same chunks, but each thread runs one contiguous range
 * of them (a static schedule), so every thread streams through its part of
 * the arrays and the hardware prefetchers see one long run, not a 1024-node
 * piece at a time. Results are the same: they depend only on the chunks. */
void rt_parallel_for_even(int64_t n, int64_t chunk, rt_chunk_fn fn, void *ctx);
/* Runs nk independent kernels (fns[k] with ctxs[k]) over [0, n), each split as
 * rt_parallel_for splits it, in one parallel region: the kernels of one level
 * of the parallel plan. Chunk numbers passed to fns[k] are its own (0-based);
 * an error in kernel k is reported before any of a later kernel. */
void rt_parallel_group(int64_t n, int64_t chunk, int32_t nk, rt_chunk_fn *fns, void **ctxs);

/* --- results (called at the end of galg_run) --- */
/* Column col gets the vector data ([n] elements of the column's type: uint8_t
 * for bool, int64_t for int, uint32_t for node (a dense index), double for
 * float, whatever the program stored: an f32 vector is converted to double
 * first). The runtime takes ownership; data must come from rt_alloc. */
void rt_output_vector(rt_output *o, int32_t col, void *data);
void rt_output_scalar_int(rt_output *o, int32_t col, int64_t v);   /* bool, int, node (dense) */
void rt_output_scalar_float(rt_output *o, int32_t col, double v);  /* float, and f32 converted */

/* --- aggregations --- */
/* The most frequent of vals[0..n) (n >= 1), ties to the smallest value.
 * Reorders vals. Used by `mode` over neighbors (ints, nodes, bools as 0/1). */
int64_t rt_mode_i64(int64_t *vals, int64_t n);

/* --- print(...) to stderr: begin, items, end (items separated by one space) --- */
void rt_print_begin(void);
void rt_print_str(const char *s);
void rt_print_int(int64_t v);
void rt_print_float(double v);
void rt_print_bool(int32_t v);
void rt_print_node(const rt_graph *g, int64_t dense);  /* prints the file's id */
void rt_print_end(void);

/* --- errors at run time (bad index, division by zero, ...): message, exit 1, no output --- */
void rt_fail(const char *msg);

#endif
