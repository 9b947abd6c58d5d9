/* fuzz_wel.c - libFuzzer harness for weighted edge lists (wel: 'u v w' on every line)
 * and the graph build that follows. The first byte picks the options
 * (weighted, nonnegative, undirected, dense ids, a second parse in tiny
 * chunks); the rest is the file. See graph_harness.h for the checks. */
#include "graph_harness.h"

GRAPH_HARNESS(rt_parse_wel, "fuzz.wel")
