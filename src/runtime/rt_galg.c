/* rt_galg.c - rt_main: the driver run with a generated program's
 * galg_describe / galg_run. Alone in its object file so that graphc, which
 * runs the driver with the interpreter instead, does not need those symbols. */
#include <stddef.h>

#include "runtime/rt_driver.h"

static void describe(rt_program *p, void *ctx) {
    (void)ctx;
    galg_describe(p);
}

static void run(const rt_graph *g, const rt_value *params, rt_output *out, void *ctx) {
    (void)ctx;
    galg_run(g, params, out);
}

int rt_main(int argc, char **argv) {
    rt_entry e = {describe, run, NULL};
    return rt_main_with(argc, argv, &e);
}
