/* fuzz_mtx.c - libFuzzer harness for Matrix Market coordinate files (mtx)
 * and the graph build that follows. The first byte picks the options
 * (weighted, nonnegative, undirected, dense ids, a second parse in tiny
 * chunks); the rest is the file. See graph_harness.h for the checks. */
#include "graph_harness.h"

GRAPH_HARNESS(rt_parse_mtx, "fuzz.mtx")
