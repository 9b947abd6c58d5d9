/* rt_driver.h - the generated program's main logic. rt_main.c holds only
 * main(), which calls rt_main; keeping it alone lets unit tests, which have
 * their own main, link the rest of the runtime. */
#ifndef GRAPHC_RT_DRIVER_H
#define GRAPHC_RT_DRIVER_H

#include "runtime/rt_abi.h"

/* Defined by the generated program. */
void galg_describe(rt_program *p);
void galg_run(const rt_graph *g, const rt_value *params, rt_output *out);

/* What runs the algorithm: a generated program's galg_describe / galg_run,
 * or the reference interpreter (graphc --interpret). */
typedef struct rt_entry {
    void (*describe)(rt_program *p, void *ctx);
    void (*run)(const rt_graph *g, const rt_value *params, rt_output *out, void *ctx);
    void *ctx;
} rt_entry;

/* Describe, parse the command line, load, build, run, write. Returns the
 * exit status: 0 success, 1 input or run error, 2 bad command line. */
int rt_main_with(int argc, char **argv, const rt_entry *entry);

/* rt_main_with for the generated program's galg_describe / galg_run (rt_main.c). */
int rt_main(int argc, char **argv);

#endif
