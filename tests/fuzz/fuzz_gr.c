/* fuzz_gr.c - libFuzzer harness for DIMACS shortest-path files (gr)
 * and the graph build that follows. The first byte picks the options
 * (weighted, nonnegative, undirected, dense ids, a second parse in tiny
 * chunks); the rest is the file. See graph_harness.h for the checks. */
#include "graph_harness.h"

GRAPH_HARNESS(rt_parse_gr, "fuzz.gr")
