/* rt_output.h - result columns (rt_output of rt_abi.h) and writing them.
 *
 * Format (tab-separated, one header line):
 *   with at least one vector column:  node<TAB>NAME1<TAB>NAME2...
 *                                     ID<TAB>V1<TAB>V2...   one line per node, by id
 *     (scalar columns repeat their value on every line)
 *   with only scalar columns:         name<TAB>value
 *                                     NAME<TAB>V            one line per column
 * Values: floats as rt_fmt_double, ints in decimal, bools true/false, nodes as
 * the file's id (a dense index outside [0, n) prints -1: no node).
 *
 * Files are written to a temporary file beside the target and renamed over
 * it only when complete: on an error, SIGINT, SIGTERM or SIGHUP the temporary
 * file is removed and an existing target is left untouched. */
#ifndef GRAPHC_RT_OUTPUT_H
#define GRAPHC_RT_OUTPUT_H
#include <stdint.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_cli.h"
#include "runtime/rt_err.h"

struct rt_output {
    const rt_program *p;
    int64_t n;       /* nodes: length of vector columns */
    void **vec;      /* [ncols] vector data (owned), or NULL */
    rt_value *scal;  /* [ncols] scalar values */
    uint8_t *set;    /* [ncols] 1 once the program set the column */
};

int rt_output_init(rt_output *o, const rt_program *p, int64_t n, rt_error *err);
void rt_output_free(rt_output *o);
/* Every column set? Otherwise RT_ERR_INPUT "internal: output column 'x' was not set". */
int rt_output_check(const rt_output *o, rt_error *err);
/* Formats all lines (in parallel chunks) and writes them to fd in order.
 * `what` names the destination in messages. */
int rt_output_write(const rt_output *o, const rt_graph *g, int fd, const char *what, rt_error *err);

/* Where the output goes. */
typedef struct rt_sink {
    int fd;
    const char *path; /* the target as given, or NULL for standard output */
    char *tmp;        /* temporary file, or NULL */
    int direct;       /* the target is a device or FIFO, written in place */
} rt_sink;

/* path NULL or "-": standard output. A target that exists and is not a
 * regular file (/dev/null, a FIFO) is opened and written in place: renaming
 * over it would replace the device. Otherwise creates the temporary file now
 * (so an unwritable destination fails before the work) and installs the
 * signal handlers that remove it (signals ignored at startup stay ignored;
 * SIGXFSZ is ignored so a file-size limit is a write error, not a death). */
int rt_sink_open(rt_sink *s, const char *path, rt_error *err);
/* Closes and renames the temporary file over the target. */
int rt_sink_commit(rt_sink *s, rt_error *err);
/* Closes and removes the temporary file (no-op for standard output). */
void rt_sink_abort(rt_sink *s);

#endif
