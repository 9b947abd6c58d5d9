/* rt_driver.c - rt_main: the life of a generated program. */
#include "runtime/rt_driver.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_cli.h"
#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"
#include "runtime/rt_output.h"
#include "runtime/rt_parallel.h"

/* A "VmRSS:" / "VmHWM:" line of /proc/self/status in bytes, or -1. */
static int64_t proc_status_kb(const char *key)
{
    FILE *fp = fopen("/proc/self/status", "r");
    if (!fp)
        return -1;
    char line[256];
    int64_t v = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, fp))
        if (!strncmp(line, key, n)) {
            v = (int64_t)strtoll(line + n, NULL, 10) * 1024;
            break;
        }
    fclose(fp);
    return v;
}

/* Resets the peak RSS (VmHWM) to the current RSS (Linux clear_refs 5);
 * 0 on success. */
static int reset_peak_rss(void)
{
    FILE *fp = fopen("/proc/self/clear_refs", "w");
    if (!fp)
        return -1;
    int ok = fputs("5", fp) >= 0;
    return fclose(fp) == 0 && ok ? 0 : -1;
}

/* GRAPHC_PARALLEL_MIN (see rt_set_parallel_min): unset, or a decimal
 * integer 0 .. 2^62. Returns -1 for anything else. */
static int parallel_min_from_env(void)
{
    const char *s = getenv("GRAPHC_PARALLEL_MIN");
    if (!s)
        return 0;
    int64_t v = 0;
    if (!*s)
        return -1;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9' || v > ((int64_t)1 << 62) / 10)
            return -1;
        v = v * 10 + (*c - '0');
    }
    rt_set_parallel_min(v);
    return 0;
}

typedef struct run_mem {
    int64_t before, peak; /* bytes; -1 when unknown */
    int64_t kernels;      /* kernel launches */
    int64_t serial;       /* of them, run without a parallel region */
} run_mem;

static void print_time(const rt_graph *g, const rt_graph_stats *st,
                       size_t bytes, double t_load, double t_build, double t_run, double t_write,
                       double t_total, const run_mem *mem)
{
    static const char *const maps[] = {"dense", "table", "sorted", "declared"};
    FILE *f = stderr;
    fprintf(f, "time.load_s %.6f\n", t_load);
    fprintf(f, "time.map_s %.6f\n", st->map_s);
    fprintf(f, "time.csr_s %.6f\n", st->csr_s);
    fprintf(f, "time.build_s %.6f\n", t_build);
    fprintf(f, "time.run_s %.6f\n", t_run);
    fprintf(f, "time.write_s %.6f\n", t_write);
    fprintf(f, "time.total_s %.6f\n", t_total);
    fprintf(f, "load.bytes %zu\n", bytes);
    fprintf(f, "load.mb_per_s %.1f\n", t_load > 0 ? (double)bytes / 1e6 / t_load : 0.0);
    fprintf(f, "graph.nodes %" PRId64 "\n", g->n);
    fprintf(f, "graph.edges %" PRId64 "\n", g->m);
    fprintf(f, "graph.input_edges %" PRId64 "\n", st->input_edges);
    fprintf(f, "graph.self_loops %" PRId64 "\n", st->self_loops);
    fprintf(f, "graph.duplicate_edges %" PRId64 "\n", st->duplicate_edges);
    fprintf(f, "graph.undirected %d\n", g->in_off == g->out_off);
    fprintf(f, "graph.id_map %s\n", maps[st->id_map]);
    fprintf(f, "threads %d\n", rt_threads());
    /* the algorithm: kernel launches, resident memory when it started and
     * its peak while it ran (graph, vectors and output columns included) */
    fprintf(f, "run.kernels %" PRId64 "\n", mem->kernels);
    fprintf(f, "run.serial_kernels %" PRId64 "\n", mem->serial);
    fprintf(f, "mem.rss_before_run_bytes %" PRId64 "\n", mem->before);
    fprintf(f, "mem.run_peak_rss_bytes %" PRId64 "\n", mem->peak);
}

int rt_main_with(int argc, char **argv, const rt_entry *entry)
{
    double t_start = rt_now();
    rt_set_prog_name(argc > 0 ? argv[0] : NULL);
    rt_program p;
    rt_program_init(&p);
    entry->describe(&p, entry->ctx);

    rt_error err;
    rt_error_clear(&err);
    rt_options o;
    memset(&o, 0, sizeof o);
    rt_file file;
    memset(&file, 0, sizeof file);
    rt_edges edges;
    memset(&edges, 0, sizeof edges);
    rt_graph g;
    memset(&g, 0, sizeof g);
    rt_graph_stats st;
    memset(&st, 0, sizeof st);
    rt_output out;
    memset(&out, 0, sizeof out);
    rt_sink sink = {.fd = -1};
    int status = 1;

    if (p.bad[0]) {
        rt_error_set(&err, RT_ERR_INPUT, 0, "internal: %s", p.bad);
        goto report;
    }
    if (rt_cli_parse(&p, argc, argv, &o, &err)) {
        status = err.code == RT_ERR_USAGE ? 2 : 1;
        goto report;
    }
    if (o.help) {
        rt_cli_usage(&p, stdout);
        status = fflush(stdout) == 0 ? 0 : 1;
        goto done;
    }
    rt_set_threads(o.threads ? o.threads : rt_threads());
    if (parallel_min_from_env()) {
        rt_error_set(&err, RT_ERR_USAGE, 0, "GRAPHC_PARALLEL_MIN must be a non-negative integer, not '%s'",
                     getenv("GRAPHC_PARALLEL_MIN"));
        status = 2;
        goto report;
    }
    const rt_format *fmt = o.format ? rt_format_by_name(o.format) : rt_format_for_path(o.graph);

    /* Create the output file first: an unwritable destination fails now,
     * not after the work. */
    if (rt_sink_open(&sink, o.output, &err))
        goto report;

    double t0 = rt_now();
    if (rt_file_open(o.graph, &file, &err))
        goto report;
    size_t bytes = file.len;
    int rc = fmt->parse(file.data, file.len, o.graph, p.weighted, &edges, &err);
    rt_file_close(&file);
    if (rc)
        goto report;
    double t1 = rt_now();
    rt_build_opts bo = {.undirected = p.undirected || o.undirected,
                        .dense_ids = o.dense_ids,
                        .weighted = p.weighted != 0,
                        .skip_out = p.skip_out_lists,
                        .skip_in = p.skip_in_lists && !p.skip_out_lists};
    if (rt_graph_build(&edges, &bo, o.graph, &g, &st, &err))
        goto report;
    if (rt_cli_map_nodes(&p, &o, &g, &err))
        goto report;
    if (rt_output_init(&out, &p, g.n, &err))
        goto report;
    rt_set_parallel_arcs(g.m);
    run_mem mem = {-1, -1, 0, 0};
    if (o.time) {
        mem.before = proc_status_kb("VmRSS:");
        if (reset_peak_rss())
            mem.before = -1;
    }
    int64_t k0 = rt_kernel_launches(), s0 = rt_serial_kernel_launches();
    double t2 = rt_now();
    entry->run(&g, o.values, &out, entry->ctx);
    double t3 = rt_now();
    mem.kernels = rt_kernel_launches() - k0;
    mem.serial = rt_serial_kernel_launches() - s0;
    if (o.time && mem.before >= 0)
        mem.peak = proc_status_kb("VmHWM:");
    if (rt_output_check(&out, &err))
        goto report;
    char what[300];
    if (sink.path)
        snprintf(what, sizeof what, "'%s'", sink.path);
    else
        snprintf(what, sizeof what, "standard output");
    if (rt_output_write(&out, &g, sink.fd, what, &err) || rt_sink_commit(&sink, &err))
        goto report;
    double t4 = rt_now();
    if (o.time)
        print_time(&g, &st, bytes, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t_start, &mem);
    status = 0;
    goto done;

report:
    if (err.located)
        fprintf(stderr, "%s\n", err.msg);
    else
        fprintf(stderr, "%s: error: %s\n", rt_prog_name(), err.msg);
done:
    rt_sink_abort(&sink);
    rt_output_free(&out);
    rt_graph_free(&g);
    rt_edges_free(&edges);
    rt_file_close(&file);
    rt_options_free(&o);
    rt_program_free(&p);
    return status;
}
