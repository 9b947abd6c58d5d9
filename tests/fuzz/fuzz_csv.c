/* fuzz_csv.c - libFuzzer harness for comma-separated edge lists (csv, optional header)
 * and the graph build that follows. The first byte picks the options
 * (weighted, nonnegative, undirected, dense ids, a second parse in tiny
 * chunks); the rest is the file. See graph_harness.h for the checks. */
#include "graph_harness.h"

GRAPH_HARNESS(rt_parse_csv, "fuzz.csv")
