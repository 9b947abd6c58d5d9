/* rt_graph.h - from an edge array to the rt_graph of rt_abi.h.
 *
 * Nodes are the ids that occur in the edges, ascending (or 0..max id with
 * dense_ids); when the file declares its nodes (rt_edges.declared_n > 0:
 * mtx, gr), they are ids 1..declared_n and dense_ids changes nothing. Directed: out_* is CSR by source, in_* CSC by target; every
 * input edge is an arc, duplicates and self-loops included. Undirected: each
 * edge u-v gives arcs u->v and v->u (a self-loop one arc), repeated edges are
 * dropped (keeping the smallest weight), and in_* points to the same arrays
 * as out_*. Adjacency lists are sorted by neighbor index (then weight); the
 * arrays are byte-identical on any number of threads. */
#ifndef GRAPHC_RT_GRAPH_H
#define GRAPHC_RT_GRAPH_H
#include <stdint.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_err.h"
#include "runtime/rt_load.h"

/* The largest node count: adjacency entries are uint32_t. */
#define RT_MAX_NODES 4294967295ULL

typedef struct rt_build_opts {
    int undirected; /* symmetrize and drop duplicate edges */
    int dense_ids;  /* nodes are 0..max_id (ignored for a declared node set) */
    int weighted;   /* keep weights (edges->w must be set) */
    int skip_out;   /* directed: no out-neighbor lists (out_adj, out_w NULL; out_off kept) */
    int skip_in;    /* directed: no in-neighbor lists (in_adj, in_w NULL; in_off kept);
                       with both set, the in-lists are built anyway */
} rt_build_opts;

typedef struct rt_graph_stats {
    int64_t input_edges;     /* edges read from the file */
    int64_t self_loops;      /* self-loop arcs in the graph */
    int64_t duplicate_edges; /* directed: arcs repeating an earlier arc (kept);
                                undirected: input edges dropped as repeats */
    int id_map;              /* how ids were mapped: RT_MAP_* */
    double map_s, csr_s;     /* seconds: id mapping, CSR/CSC construction */
} rt_graph_stats;

enum { RT_MAP_DENSE = 0, RT_MAP_TABLE = 1, RT_MAP_SORTED = 2, RT_MAP_DECLARED = 3 };

/* Builds g from *edges and frees the edges (always, also on error), as early
 * as possible to keep peak memory low. filename is for messages. Returns 0
 * or err->code. */
int rt_graph_build(rt_edges *edges, const rt_build_opts *o, const char *filename, rt_graph *g,
                   rt_graph_stats *st, rt_error *err);
void rt_graph_free(rt_graph *g);

/* Dense index of file id `id`, or -1 when it is not a node. */
int64_t rt_graph_find(const rt_graph *g, uint64_t id);

#endif
