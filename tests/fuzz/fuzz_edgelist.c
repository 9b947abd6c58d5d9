/* fuzz_edgelist.c - libFuzzer harness for the edge-list reader (el) and the
 * graph build that follows it. The first byte picks the options (weighted,
 * nonnegative, undirected, dense ids, a second parse in tiny chunks); the
 * rest is the file. See graph_harness.h for everything that is checked. */
#include "graph_harness.h"

GRAPH_HARNESS(rt_parse_edge_list, "fuzz.el")
