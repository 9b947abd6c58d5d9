/* rt_output.c - result columns (ABI), formatting and safe file replacement. */
#include "runtime/rt_output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rt_fmt.h"
#include "runtime/rt_mem.h"
#include "runtime/rt_parallel.h"

/* ---- columns (ABI) --------------------------------------------------------------- */

int rt_output_init(rt_output *o, const rt_program *p, int64_t n, rt_error *err)
{
    memset(o, 0, sizeof *o);
    o->p = p;
    o->n = n;
    size_t k = (size_t)p->ncols + 1;
    o->vec = calloc(k, sizeof *o->vec);
    o->scal = calloc(k, sizeof *o->scal);
    o->set = calloc(k, 1);
    if (!o->vec || !o->scal || !o->set) {
        rt_output_free(o);
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: output columns");
    }
    return 0;
}

/* Frees column c's vector unless another column holds the same buffer. */
static void drop_vector(rt_output *o, int c)
{
    void *v = o->vec[c];
    o->vec[c] = NULL;
    if (!v)
        return;
    for (int j = 0; j < o->p->ncols; j++)
        if (o->vec[j] == v)
            return;
    rt_free(v);
}

void rt_output_free(rt_output *o)
{
    if (o->vec)
        for (int c = 0; o->p && c < o->p->ncols; c++)
            drop_vector(o, c);
    free(o->vec);
    free(o->scal);
    free(o->set);
    memset(o, 0, sizeof *o);
}

static const rt_column_desc *column(rt_output *o, int32_t col, int vector, const char *fn)
{
    if (!o || col < 0 || col >= o->p->ncols)
        rt_die(1, "internal: %s: no output column %d", fn, (int)col);
    const rt_column_desc *d = &o->p->cols[col];
    if (d->is_vector != vector)
        rt_die(1, "internal: %s: output column '%s' is %s", fn, d->name,
               d->is_vector ? "a vector" : "a scalar");
    return d;
}

void rt_output_vector(rt_output *o, int32_t col, void *data)
{
    column(o, col, 1, "rt_output_vector");
    if (!data)
        rt_die(1, "internal: rt_output_vector: no data for column '%s'", o->p->cols[col].name);
    if (o->vec[col] != data)
        drop_vector(o, col);
    o->vec[col] = data;
    o->set[col] = 1;
}

void rt_output_scalar_int(rt_output *o, int32_t col, int64_t v)
{
    const rt_column_desc *d = column(o, col, 0, "rt_output_scalar_int");
    if (d->dtype == RT_FLOAT || d->dtype == RT_F32)
        rt_die(1, "internal: rt_output_scalar_int: column '%s' is a float", d->name);
    o->scal[col].i = v;
    o->set[col] = 1;
}

void rt_output_scalar_float(rt_output *o, int32_t col, double v)
{
    const rt_column_desc *d = column(o, col, 0, "rt_output_scalar_float");
    if (d->dtype != RT_FLOAT)
        rt_die(1, "internal: rt_output_scalar_float: column '%s' is not a float", d->name);
    o->scal[col].f = v;
    o->set[col] = 1;
}

int rt_output_check(const rt_output *o, rt_error *err)
{
    for (int c = 0; c < o->p->ncols; c++)
        if (!o->set[c])
            return rt_error_set(err, RT_ERR_INPUT, 0, "internal: output column '%s' was not set",
                                o->p->cols[c].name);
    return 0;
}

/* ---- formatting --------------------------------------------------------------------- */

static int fmt_value(char *b, int32_t dtype, const void *vec, int64_t i, rt_value s,
                     const rt_graph *g)
{
    int64_t x;
    switch (dtype) {
    case RT_FLOAT:
        return rt_fmt_double(b, vec ? ((const double *)vec)[i] : s.f);
    case RT_F32: /* vectors only (rt_program_output) */
        return rt_fmt_double(b, (double)((const float *)vec)[i]);
    case RT_BOOL:
        x = vec ? ((const uint8_t *)vec)[i] : s.i;
        if (x) {
            memcpy(b, "true", 5);
            return 4;
        }
        memcpy(b, "false", 6);
        return 5;
    case RT_NODE:
        x = vec ? (int64_t)((const uint32_t *)vec)[i] : s.i;
        if (x >= 0 && x < g->n)
            return rt_fmt_u64(b, g->ids[x]);
        memcpy(b, "-1", 3);
        return 2;
    default:
        return rt_fmt_i64(b, vec ? ((const int64_t *)vec)[i] : s.i);
    }
}

static int write_all(int fd, const char *buf, size_t len, const char *what, rt_error *err)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return rt_error_set(err, RT_ERR_IO, 0, "cannot write %s: %s", what,
                                w < 0 ? strerror(errno) : "no progress");
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

enum { ROWS_PER_CHUNK = 8192, CHUNKS_PER_WAVE_PER_THREAD = 4 };

int rt_output_write(const rt_output *o, const rt_graph *g, int fd, const char *what, rt_error *err)
{
    const rt_program *p = o->p;
    int nc = p->ncols, any_vec = 0;
    for (int c = 0; c < nc; c++)
        any_vec |= p->cols[c].is_vector;

    /* Header; scalar mode is small enough to write in one go. */
    size_t hlen = 16;
    for (int c = 0; c < nc; c++)
        hlen += strlen(p->cols[c].name) + 1 + (any_vec ? 0 : RT_FMT_MAX + 1);
    char *h = malloc(hlen);
    if (!h)
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: output header");
    size_t k = 0;
    if (any_vec) {
        k += (size_t)sprintf(h, "node");
        for (int c = 0; c < nc; c++)
            k += (size_t)sprintf(h + k, "\t%s", p->cols[c].name);
        h[k++] = '\n';
    } else {
        k += (size_t)sprintf(h, "name\tvalue\n");
        for (int c = 0; c < nc; c++) {
            k += (size_t)sprintf(h + k, "%s\t", p->cols[c].name);
            k += (size_t)fmt_value(h + k, p->cols[c].dtype, NULL, 0, o->scal[c], g);
            h[k++] = '\n';
        }
    }
    int rc = write_all(fd, h, k, what, err);
    free(h);
    if (rc || !any_vec)
        return rc;

    /* Scalar columns repeat on every line: format them once. */
    char (*sc)[RT_FMT_MAX] = calloc((size_t)nc, RT_FMT_MAX);
    if (!sc)
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: output");
    for (int c = 0; c < nc; c++)
        if (!p->cols[c].is_vector)
            fmt_value(sc[c], p->cols[c].dtype, NULL, 0, o->scal[c], g);

    /* Waves of chunks: format a wave in parallel, write it in order. */
    int64_t n = g->n;
    size_t line_max = 21 + (size_t)nc * (RT_FMT_MAX + 1) + 1;
    int64_t nchunks = (n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
    int64_t wave = (int64_t)rt_threads() * CHUNKS_PER_WAVE_PER_THREAD;
    if (wave > nchunks)
        wave = nchunks;
    char **bufs = calloc((size_t)wave + 1, sizeof *bufs);
    size_t *lens = calloc((size_t)wave + 1, sizeof *lens);
    int ok = bufs && lens;
    for (int64_t b = 0; ok && b < wave; b++)
        ok = (bufs[b] = rt_try_alloc(ROWS_PER_CHUNK, (int64_t)line_max, "output buffers", err)) != NULL;
    if (!ok) {
        rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: output buffers");
        rc = err->code;
    }
    for (int64_t c0 = 0; !rc && c0 < nchunks; c0 += wave) {
        int64_t cw = nchunks - c0 < wave ? nchunks - c0 : wave;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < cw; b++) {
            int64_t lo = (c0 + b) * ROWS_PER_CHUNK;
            int64_t hi = lo + ROWS_PER_CHUNK < n ? lo + ROWS_PER_CHUNK : n;
            char *q = bufs[b];
            for (int64_t i = lo; i < hi; i++) {
                q += rt_fmt_u64(q, g->ids[i]);
                for (int c = 0; c < nc; c++) {
                    *q++ = '\t';
                    if (p->cols[c].is_vector) {
                        q += fmt_value(q, p->cols[c].dtype, o->vec[c], i, o->scal[c], g);
                    } else {
                        size_t l = strlen(sc[c]);
                        memcpy(q, sc[c], l);
                        q += l;
                    }
                }
                *q++ = '\n';
            }
            lens[b] = (size_t)(q - bufs[b]);
        }
        for (int64_t b = 0; !rc && b < cw; b++)
            rc = write_all(fd, bufs[b], lens[b], what, err);
    }
    for (int64_t b = 0; bufs && b < wave; b++)
        rt_free(bufs[b]);
    free(bufs);
    free(lens);
    free(sc);
    return rc;
}

/* ---- safe replacement of the target file ----------------------------------------------- */

/* The temporary file's name, for the signal handler and rt_die. */
static char tmp_path[PATH_MAX + 32];
static volatile sig_atomic_t tmp_live;

static void remove_tmp(void)
{
    if (tmp_live) {
        tmp_live = 0;
        unlink(tmp_path);
    }
}

static void on_signal(int sig)
{
    remove_tmp(); /* unlink is async-signal-safe */
    _exit(128 + sig);
}

/* Handlers that remove the temporary file; registered once. libgomp may
 * exit() when it cannot start threads, hence atexit as well. */
static void guard_tmp(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    atexit(remove_tmp);
    rt_set_fail_hook(remove_tmp);
    signal(SIGXFSZ, SIG_IGN);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup, or a background job of a script: stays ignored */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int rt_sink_open(rt_sink *s, const char *path, rt_error *err)
{
    memset(s, 0, sizeof *s);
    s->fd = 1;
    if (!path || !strcmp(path, "-"))
        return 0;
    s->path = path;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': it is a directory", path);
        int dfd = open(path, O_WRONLY);
        if (dfd < 0)
            return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", path, strerror(errno));
        s->fd = dfd;
        s->direct = 1;
        signal(SIGXFSZ, SIG_IGN);
        return 0;
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': not a file name", path);
    int dlen = slash ? (int)(slash - path + 1) : 0;
    if (strlen(path) + 16 > PATH_MAX)
        return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': name too long", path);
    snprintf(tmp_path, sizeof tmp_path, "%.*s.%s.XXXXXX", dlen, path, base);
    guard_tmp(); /* before the file exists: no window without handlers */
    int fd = mkstemp(tmp_path);
    if (fd < 0)
        return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", path, strerror(errno));
    tmp_live = 1;
    s->tmp = tmp_path;
    s->fd = fd;
    /* mkstemp makes 0600; give the result the usual 0666 & ~umask. */
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0) {
        rt_sink_abort(s);
        return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", path, strerror(errno));
    }
    return 0;
}

int rt_sink_commit(rt_sink *s, rt_error *err)
{
    if (s->direct) {
        int dfd = s->fd;
        s->fd = -1;
        s->direct = 0;
        if (close(dfd) != 0)
            return rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", s->path, strerror(errno));
        return 0;
    }
    if (!s->tmp)
        return 0;
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0) {
        rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", s->path, strerror(errno));
        rt_sink_abort(s);
        return err->code;
    }
    if (rename(s->tmp, s->path) != 0) {
        rt_error_set(err, RT_ERR_IO, 0, "cannot write '%s': %s", s->path, strerror(errno));
        rt_sink_abort(s);
        return err->code;
    }
    tmp_live = 0;
    s->tmp = NULL;
    return 0;
}

void rt_sink_abort(rt_sink *s)
{
    if (s->direct) {
        close(s->fd);
        s->fd = -1;
        s->direct = 0;
        return;
    }
    if (!s->tmp)
        return;
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    remove_tmp();
    s->tmp = NULL;
}
