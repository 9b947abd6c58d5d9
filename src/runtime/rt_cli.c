/* rt_cli.c - rt_program_* (ABI) and the generated program's command line. */
#include "runtime/rt_cli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_fmt.h"
#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"
#include "runtime/rt_parallel.h"

#define MAX_THREADS 4096

/* Runtime option names; a parameter may not use them ('-' == '_'). */
static const char *const reserved[] = {"output", "threads", "format", "undirected",
                                       "dense-ids", "time", "help", NULL};

const char *rt_dtype_name(int32_t dtype)
{
    switch (dtype) {
    case RT_BOOL: return "bool";
    case RT_INT: return "int";
    case RT_FLOAT: return "float";
    case RT_NODE: return "node";
    case RT_F32: return "f32";
    default: return "?";
    }
}

/* Names are equal when they match with '-' and '_' identified. */
static int name_eq(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && b[i]; i++) {
        char x = a[i] == '_' ? '-' : a[i], y = b[i] == '_' ? '-' : b[i];
        if (x != y)
            return 0;
    }
    return i == alen && b[i] == '\0';
}

/* ---- description (ABI) --------------------------------------------------------- */

void rt_program_init(rt_program *p)
{
    memset(p, 0, sizeof *p);
    p->name = "program";
}

void rt_program_free(rt_program *p)
{
    free(p->params);
    free(p->cols);
    memset(p, 0, sizeof *p);
}

static void bad(rt_program *p, const char *fmt, const char *name)
{
    if (!p->bad[0])
        snprintf(p->bad, sizeof p->bad, fmt, name ? name : "(null)");
}

void rt_program_set(rt_program *p, const char *name, int32_t undirected, int32_t weighted)
{
    if (name)
        p->name = name;
    p->undirected = undirected != 0;
    if (weighted < 0 || weighted > 2)
        bad(p, "program '%s' has an unknown weighted mode", name);
    p->weighted = weighted < 0 ? 0 : weighted > 2 ? 2 : weighted;
}

void rt_program_adjacency(rt_program *p, int32_t out_lists, int32_t in_lists)
{
    p->skip_out_lists = !out_lists;
    p->skip_in_lists = !in_lists;
}

void rt_program_param(rt_program *p, const char *name, int32_t dtype, int32_t has_default,
                      int64_t idefault, double fdefault)
{
    if (!name || !*name) {
        bad(p, "a parameter has no name%s", "");
        return;
    }
    if (dtype < RT_BOOL || dtype > RT_NODE)
        bad(p, "parameter '%s' has an unknown type", name);
    for (int i = 0; reserved[i]; i++)
        if (name_eq(name, strlen(name), reserved[i]))
            bad(p, "parameter '%s' has the name of a runtime option", name);
    for (int i = 0; i < p->nparams; i++)
        if (name_eq(name, strlen(name), p->params[i].name))
            bad(p, "parameter '%s' is declared twice", name);
    if (p->nparams == p->cap_params) {
        int cap = p->cap_params ? 2 * p->cap_params : 8;
        rt_param_desc *np = realloc(p->params, (size_t)cap * sizeof *np);
        if (!np) {
            bad(p, "out of memory describing parameter '%s'", name);
            return;
        }
        p->params = np;
        p->cap_params = cap;
    }
    p->params[p->nparams++] = (rt_param_desc){name, dtype, has_default != 0, idefault, fdefault};
}

void rt_program_output(rt_program *p, const char *name, int32_t dtype, int32_t is_vector)
{
    if (!name || !*name) {
        bad(p, "an output column has no name%s", "");
        return;
    }
    if ((dtype < RT_BOOL || dtype > RT_NODE) && !(dtype == RT_F32 && is_vector))
        bad(p, "output column '%s' has an unknown type", name);
    if (p->ncols == p->cap_cols) {
        int cap = p->cap_cols ? 2 * p->cap_cols : 8;
        rt_column_desc *nc = realloc(p->cols, (size_t)cap * sizeof *nc);
        if (!nc) {
            bad(p, "out of memory describing output '%s'", name);
            return;
        }
        p->cols = nc;
        p->cap_cols = cap;
    }
    p->cols[p->ncols++] = (rt_column_desc){name, dtype, is_vector != 0};
}

/* ---- values ------------------------------------------------------------------------ */

int rt_parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return 0;
    uint64_t x = 0;
    for (; *s; s++) {
        if ((unsigned)(*s - '0') >= 10)
            return 0;
        if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, (uint64_t)(*s - '0'), &x))
            return 0;
    }
    *out = x;
    return 1;
}

/* Parses text for parameter k; the message names the option as typed. */
static int parse_value(const rt_param_desc *d, const char *flag, size_t flen, const char *v,
                       rt_value *val, uint64_t *node, rt_error *err)
{
    char *end;
    switch (d->dtype) {
    case RT_FLOAT:
        errno = 0;
        val->f = strtod(v, &end);
        if (!*v || *end || (unsigned char)*v <= ' ')
            return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: expected a float", (int)flen, flag, v);
        if (errno == ERANGE && isinf(val->f))
            return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: out of range for a float",
                                (int)flen, flag, v);
        return 0;
    case RT_INT: {
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end || (unsigned char)*v <= ' ')
            return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: expected an int", (int)flen, flag, v);
        if (errno == ERANGE)
            return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: out of range for a 64-bit int",
                                (int)flen, flag, v);
        val->i = x;
        return 0;
    }
    case RT_BOOL:
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            val->i = 1;
        else if (!strcmp(v, "false") || !strcmp(v, "0"))
            val->i = 0;
        else
            return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: expected true or false",
                                (int)flen, flag, v);
        return 0;
    case RT_NODE:
        if (!rt_parse_u64(v, node))
            return rt_error_set(err, RT_ERR_USAGE, 0,
                                "%.*s=%s: expected a node id (an unsigned 64-bit integer)",
                                (int)flen, flag, v);
        val->i = -1; /* mapped to a dense index once the graph is loaded */
        return 0;
    }
    return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s: parameter of unknown type", (int)flen, flag);
}

static int is_bool_word(const char *s)
{
    return !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "1") || !strcmp(s, "0");
}

void rt_options_free(rt_options *o)
{
    free(o->values);
    free(o->node_ids);
    free(o->given);
    memset(o, 0, sizeof *o);
}

static int parse_threads(const char *flag, size_t flen, const char *v, int *out, rt_error *err)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || (unsigned char)*v <= ' ' || errno || x < 1)
        return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: expected a positive integer",
                            (int)flen, flag, v);
    if (x > MAX_THREADS)
        return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: at most %d threads", (int)flen, flag,
                            v, MAX_THREADS);
    *out = (int)x;
    return 0;
}

int rt_cli_parse(const rt_program *p, int argc, char **argv, rt_options *o, rt_error *err)
{
    memset(o, 0, sizeof *o);
    int np = p->nparams;
    o->values = calloc((size_t)np + 1, sizeof *o->values);
    o->node_ids = calloc((size_t)np + 1, sizeof *o->node_ids);
    o->given = calloc((size_t)np + 1, 1);
    if (!o->values || !o->node_ids || !o->given)
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory parsing the command line");
    for (int k = 0; k < np; k++) {
        const rt_param_desc *d = &p->params[k];
        if (d->dtype == RT_FLOAT)
            o->values[k].f = d->fdefault;
        else
            o->values[k].i = d->idefault;
        if (d->dtype == RT_NODE)
            o->node_ids[k] = (uint64_t)d->idefault;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            o->help = 1;
            return 0;
        }
    }

    int opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || a[1] == '\0') {
            if (o->graph)
                return rt_error_set(err, RT_ERR_USAGE, 0,
                                    "unexpected argument '%s' (the graph file is '%s')", a, o->graph);
            o->graph = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts_done = 1;
            continue;
        }
        if (a[1] == 'o') { /* -o FILE or -oFILE */
            if (a[2]) {
                o->output = a + 2;
            } else if (i + 1 < argc) {
                o->output = argv[++i];
            } else {
                return rt_error_set(err, RT_ERR_USAGE, 0, "-o: expected a file name");
            }
            continue;
        }
        if (a[1] != '-')
            return rt_error_set(err, RT_ERR_USAGE, 0, "unknown option '%s' (see --help)", a);

        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        size_t flen = nlen + 2; /* "--name" */
        const char *val = eq ? eq + 1 : NULL;

        /* Runtime flags without a value. */
        int *flag = name_eq(name, nlen, "undirected") ? &o->undirected
                    : name_eq(name, nlen, "dense-ids") ? &o->dense_ids
                    : name_eq(name, nlen, "time")      ? &o->time
                                                       : NULL;
        if (flag) {
            if (val)
                return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s does not take a value", (int)flen, a);
            *flag = 1;
            continue;
        }
        int is_out = name_eq(name, nlen, "output"), is_thr = name_eq(name, nlen, "threads"),
            is_fmt = name_eq(name, nlen, "format");
        int k = -1;
        if (!is_out && !is_thr && !is_fmt) {
            for (int j = 0; j < np; j++)
                if (name_eq(name, nlen, p->params[j].name))
                    k = j;
            if (k < 0)
                return rt_error_set(err, RT_ERR_USAGE, 0, "unknown option '%.*s' (see --help)",
                                    (int)flen, a);
        }
        if (!val) {
            if (k >= 0 && p->params[k].dtype == RT_BOOL &&
                (i + 1 >= argc || !is_bool_word(argv[i + 1]))) {
                val = "true"; /* bare --flag */
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s: expected a value", (int)flen, a);
            }
        }
        if (is_out) {
            o->output = val;
        } else if (is_thr) {
            if (parse_threads(a, flen, val, &o->threads, err))
                return err->code;
        } else if (is_fmt) {
            if (!rt_format_by_name(val)) {
                int nf;
                const rt_format *f = rt_format_list(&nf);
                char known[256] = "";
                for (int j = 0; j < nf; j++)
                    snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                             j ? ", " : "", f[j].name);
                return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s=%s: unknown format (known: %s)",
                                    (int)flen, a, val, known);
            }
            o->format = val;
        } else {
            if (o->given[k]) /* which one was meant? say so rather than guess */
                return rt_error_set(err, RT_ERR_USAGE, 0, "%.*s: --%s is given twice", (int)flen, a,
                                    p->params[k].name);
            if (parse_value(&p->params[k], a, flen, val, &o->values[k], &o->node_ids[k], err))
                return err->code;
            o->given[k] = 1;
        }
    }
    if (!o->graph)
        return rt_error_set(err, RT_ERR_USAGE, 0,
                            "missing the graph file (usage: %s GRAPH [options]; see --help)",
                            rt_prog_name());
    for (int k = 0; k < np; k++)
        if (!p->params[k].has_default && !o->given[k])
            return rt_error_set(err, RT_ERR_USAGE, 0, "missing required parameter --%s (%s)",
                                p->params[k].name, rt_dtype_name(p->params[k].dtype));
    return 0;
}

int rt_cli_map_nodes(const rt_program *p, rt_options *o, const rt_graph *g, rt_error *err)
{
    for (int k = 0; k < p->nparams; k++) {
        if (p->params[k].dtype != RT_NODE)
            continue;
        uint64_t id = o->node_ids[k];
        int64_t d = rt_graph_find(g, id);
        if (d < 0) {
            if (o->given[k])
                return rt_error_set(err, RT_ERR_INPUT, 0,
                                    "--%s=%" PRIu64 ": node %" PRIu64 " is not in the graph",
                                    p->params[k].name, id, id);
            return rt_error_set(err, RT_ERR_INPUT, 0,
                                "--%s: the default node %" PRIu64
                                " is not in the graph; choose one with --%s=ID",
                                p->params[k].name, id, p->params[k].name);
        }
        o->values[k].i = d;
    }
    return 0;
}

/* ---- --help ------------------------------------------------------------------------- */

static void default_text(const rt_param_desc *d, char *buf)
{
    switch (d->dtype) {
    case RT_FLOAT: rt_fmt_double(buf, d->fdefault); break;
    case RT_BOOL: strcpy(buf, d->idefault ? "true" : "false"); break;
    case RT_NODE: rt_fmt_u64(buf, (uint64_t)d->idefault); break;
    default: rt_fmt_i64(buf, d->idefault); break;
    }
}

void rt_cli_usage(const rt_program *p, FILE *f)
{
    const char *prog = rt_prog_name();
    fprintf(f, "usage: %s GRAPH [--PARAM=VALUE ...] [-o FILE] [options]\n\n", prog);
    fprintf(f, "Runs the algorithm '%s'%s%s on the graph in GRAPH and writes one line\n"
               "per node (node id, then each result) to FILE or standard output.\n\n",
            p->name, p->undirected ? " (undirected)" : "",
            p->weighted == 2 ? " (weighted, weights >= 0)" : p->weighted ? " (weighted)" : "");
    if (p->nparams) {
        fprintf(f, "parameters:\n");
        for (int k = 0; k < p->nparams; k++) {
            const rt_param_desc *d = &p->params[k];
            char head[200], def[RT_FMT_MAX + 32];
            snprintf(head, sizeof head, "--%s=%s", d->name,
                     d->dtype == RT_FLOAT ? "FLOAT" : d->dtype == RT_INT ? "INT"
                     : d->dtype == RT_BOOL ? "BOOL" : "NODE");
            if (d->has_default) {
                char v[RT_FMT_MAX];
                default_text(d, v);
                snprintf(def, sizeof def, "default %s", v);
            } else {
                snprintf(def, sizeof def, "required");
            }
            fprintf(f, "  %-26s %s, %s%s\n", head, rt_dtype_name(d->dtype), def,
                    d->dtype == RT_NODE ? " (a node id of the file)" : "");
        }
        fprintf(f, "\n");
    }
    int nf;
    const rt_format *fm = rt_format_list(&nf);
    fprintf(f, "options:\n");
    fprintf(f, "  %-26s %s\n", "-o FILE, --output=FILE",
            "write the results to FILE (default or '-': standard output)");
    fprintf(f, "  %-26s %s%d)\n", "--threads=N", "number of threads (default: ", rt_threads());
    fprintf(f, "  %-26s %s", "--format=FMT", "input format:");
    for (int j = 0; j < nf; j++)
        fprintf(f, " %s", fm[j].name);
    fprintf(f, " (default: by the file's extension, el for any other)\n");
    for (int j = 0; j < nf; j++)
        fprintf(f, "  %-26s   %s (%s): %s\n", "", fm[j].name, fm[j].extensions, fm[j].description);
    fprintf(f, "  %-26s %s\n", "--undirected",
            p->undirected ? "(always on: this algorithm is undirected)"
                          : "treat edges as undirected (symmetrize, drop repeated edges)");
    fprintf(f, "  %-26s %s\n", "--dense-ids", "nodes are 0..largest id, not only the ids in the file");
    fprintf(f, "  %-26s %s\n", "--time", "print timings and graph statistics to standard error");
    fprintf(f, "  %-26s %s\n", "-h, --help", "print this help");
    fprintf(f, "\nexit status: 0 success, 1 error in the input or the run, 2 bad command line\n");
}
