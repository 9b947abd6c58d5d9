/* test_rt_output.c - result formatting and safe writing of the output file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_mem.h"
#include "runtime/rt_output.h"

static rt_graph graph_of(const char *text)
{
    rt_edges e;
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_parse_edge_list(text, strlen(text), "g.txt", 0, &e, &err), 0);
    rt_build_opts bo = {0};
    rt_graph g;
    rt_graph_stats st;
    assert_int_equal(rt_graph_build(&e, &bo, "g.txt", &g, &st, &err), 0);
    return g;
}

/* Writes o to a temporary file and returns its content (malloc'd). */
static char *write_to_string(const rt_output *o, const rt_graph *g)
{
    FILE *f = tmpfile();
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_output_write(o, g, fileno(f), "the test file", &err), 0);
    long len = lseek(fileno(f), 0, SEEK_END);
    char *s = malloc((size_t)len + 1);
    assert_int_equal(pread(fileno(f), s, (size_t)len, 0), len);
    s[len] = '\0';
    fclose(f);
    return s;
}

static void test_vectors_and_scalars(void **state)
{
    rt_graph g = graph_of("10 20\n20 30\n30 10\n30 20\n");
    rt_program p;
    rt_program_init(&p);
    rt_program_output(&p, "deg", RT_INT, 1);
    rt_program_output(&p, "rank", RT_FLOAT, 1);
    rt_program_output(&p, "parent", RT_NODE, 1);
    rt_program_output(&p, "flag", RT_BOOL, 1);
    rt_program_output(&p, "iters", RT_INT, 0);
    rt_program_output(&p, "best", RT_NODE, 0);
    rt_output o;
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
    assert_int_equal(rt_output_check(&o, &err), RT_ERR_INPUT);
    assert_string_equal(err.msg, "internal: output column 'deg' was not set");
    int64_t *deg = rt_alloc(3, 8, "deg");
    uint32_t *par = rt_alloc(3, 4, "par"); /* node columns are 32-bit dense indices */
    double *rank = rt_alloc(3, 8, "rank");
    uint8_t *flag = rt_alloc(3, 1, "flag");
    const int64_t d0[] = {1, 1, 2};
    const uint32_t p0[] = {2, UINT32_MAX, 3}; /* out of range: printed -1 */
    const double r0[] = {0.1, 1.0 / 3, -1e-7};
    memcpy(deg, d0, sizeof d0);
    memcpy(par, p0, sizeof p0);
    memcpy(rank, r0, sizeof r0);
    flag[0] = 1, flag[1] = 0, flag[2] = 1;
    int64_t *first = rt_alloc(3, 8, "replaced");
    rt_output_vector(&o, 0, first); /* replaced (and freed) below */
    rt_output_vector(&o, 0, deg);
    rt_output_vector(&o, 1, rank);
    rt_output_vector(&o, 2, par);
    rt_output_vector(&o, 3, flag);
    rt_output_scalar_int(&o, 4, 12);
    rt_output_scalar_int(&o, 5, 1);
    rt_error_clear(&err);
    assert_int_equal(rt_output_check(&o, &err), 0);
    char *s = write_to_string(&o, &g);
    assert_string_equal(s, "node\tdeg\trank\tparent\tflag\titers\tbest\n"
                           "10\t1\t0.1\t30\ttrue\t12\t20\n"
                           "20\t1\t0.3333333333333333\t-1\tfalse\t12\t20\n"
                           "30\t2\t-1e-07\t-1\ttrue\t12\t20\n");
    free(s);
    rt_output_free(&o);
    rt_program_free(&p);

    /* only scalars */
    rt_program_init(&p);
    rt_program_output(&p, "count", RT_INT, 0);
    rt_program_output(&p, "mean", RT_FLOAT, 0);
    rt_program_output(&p, "ok", RT_BOOL, 0);
    rt_program_output(&p, "hub", RT_NODE, 0);
    assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
    rt_output_scalar_int(&o, 0, -5);
    rt_output_scalar_float(&o, 1, 2.5);
    rt_output_scalar_int(&o, 2, 1);
    rt_output_scalar_int(&o, 3, 2);
    s = write_to_string(&o, &g);
    assert_string_equal(s, "name\tvalue\ncount\t-5\nmean\t2.5\nok\ttrue\nhub\t30\n");
    free(s);
    rt_output_free(&o);
    rt_program_free(&p);

    /* an f32 vector column prints each binary32 value as the double it is
     * (expected strings: Python's repr of struct-rounded floats) */
    rt_program_init(&p);
    rt_program_output(&p, "r32", RT_F32, 1);
    assert_string_equal(p.bad, "");
    assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
    float *r32 = rt_alloc(3, 4, "r32");
    r32[0] = 0.1f, r32[1] = 1.0f / 3, r32[2] = -1e-7f;
    rt_output_vector(&o, 0, r32);
    s = write_to_string(&o, &g);
    assert_string_equal(s, "node\tr32\n10\t0.10000000149011612\n20\t0.3333333432674408\n"
                           "30\t-1.0000000116860974e-07\n");
    free(s);
    rt_output_free(&o);
    rt_program_free(&p);
    /* ... and is a vector column only */
    rt_program_init(&p);
    rt_program_output(&p, "s32", RT_F32, 0);
    assert_string_equal(p.bad, "output column 's32' has an unknown type");
    rt_program_free(&p);

    /* the same buffer in two columns is freed once */
    rt_program_init(&p);
    rt_program_output(&p, "a", RT_INT, 1);
    rt_program_output(&p, "b", RT_INT, 1);
    assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
    int64_t *v = rt_alloc(3, 8, "v");
    v[0] = 1, v[1] = 2, v[2] = 3;
    rt_output_vector(&o, 0, v);
    rt_output_vector(&o, 1, v);
    s = write_to_string(&o, &g);
    assert_string_equal(s, "node\ta\tb\n10\t1\t1\n20\t2\t2\n30\t3\t3\n");
    free(s);
    rt_output_free(&o);
    rt_program_free(&p);
    rt_graph_free(&g);
}

static void test_large_ordered(void **state)
{
    /* many chunks and waves: lines must come out in id order on any thread count */
    int64_t m = 100000;
    char *text = malloc((size_t)m * 24);
    size_t k = 0;
    for (int64_t i = 0; i < m; i++)
        k += (size_t)sprintf(text + k, "%lld %lld\n", (long long)(i * 3), (long long)(i * 3 + 1));
    rt_graph g = graph_of(text);
    free(text);
    rt_program p;
    rt_program_init(&p);
    rt_program_output(&p, "x", RT_FLOAT, 1);
    char *ref = NULL;
    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        rt_output o;
        rt_error err;
        rt_error_clear(&err);
        assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
        double *x = rt_alloc(g.n, 8, "x");
        for (int64_t i = 0; i < g.n; i++)
            x[i] = (double)i / 7;
        rt_output_vector(&o, 0, x);
        char *s = write_to_string(&o, &g);
        rt_output_free(&o);
        if (!ref) {
            ref = s;
            continue;
        }
        assert_string_equal(s, ref);
        free(s);
    }
    /* spot checks */
    char line[64];
    snprintf(line, sizeof line, "\n%llu\t", (unsigned long long)g.ids[12345]);
    assert_non_null(strstr(ref, line));
    int64_t lines = 0;
    for (char *c = ref; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, g.n + 1);
    free(ref);
    rt_program_free(&p);
    rt_graph_free(&g);
    omp_set_num_threads(2);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_sink(void **state)
{
    char dir[] = "/tmp/test_rt_output_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.tsv", dir);
    rt_error err;
    rt_sink s;

    /* commit: the file appears, no temporary left */
    rt_error_clear(&err);
    assert_int_equal(rt_sink_open(&s, path, &err), 0);
    assert_int_equal(count_entries(dir), 1); /* the temporary file */
    assert_non_null(strstr(s.tmp, "/.out.tsv."));
    assert_int_equal(write(s.fd, "new\n", 4), 4);
    assert_int_equal(rt_sink_commit(&s, &err), 0);
    assert_int_equal(count_entries(dir), 1);
    assert_string_equal(slurp(path), "new\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t um = umask(0);
    umask(um);
    assert_int_equal(st.st_mode & 0777, 0666 & ~um); /* not mkstemp's 0600 */

    /* abort: the old file is untouched, the temporary is gone */
    assert_int_equal(rt_sink_open(&s, path, &err), 0);
    assert_int_equal(count_entries(dir), 2);
    assert_int_equal(write(s.fd, "partial", 7), 7);
    rt_sink_abort(&s);
    assert_int_equal(count_entries(dir), 1);
    assert_string_equal(slurp(path), "new\n");

    /* a write error (disk full) is reported with the target's name */
    int full = open("/dev/full", O_WRONLY);
    if (full >= 0) {
        rt_graph g = graph_of("1 2\n");
        rt_program p;
        rt_program_init(&p);
        rt_program_output(&p, "c", RT_INT, 0);
        rt_output o;
        assert_int_equal(rt_output_init(&o, &p, g.n, &err), 0);
        rt_output_scalar_int(&o, 0, 1);
        rt_error_clear(&err);
        assert_int_equal(rt_output_write(&o, &g, full, "'out.tsv'", &err), RT_ERR_IO);
        assert_string_equal(err.msg, "cannot write 'out.tsv': No space left on device");
        close(full);
        rt_output_free(&o);
        rt_program_free(&p);
        rt_graph_free(&g);
    }

    /* a directory that does not exist fails at open */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/nope/out.tsv", dir);
    rt_error_clear(&err);
    assert_int_equal(rt_sink_open(&s, bad, &err), RT_ERR_IO);
    char want[400];
    snprintf(want, sizeof want, "cannot write '%s': No such file or directory", bad);
    assert_string_equal(err.msg, want);

    /* the target is a directory: refused before any work, nothing created */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    rt_error_clear(&err);
    assert_int_equal(rt_sink_open(&s, sub, &err), RT_ERR_IO);
    snprintf(want, sizeof want, "cannot write '%s': it is a directory", sub);
    assert_string_equal(err.msg, want);
    assert_int_equal(count_entries(dir), 2); /* out.tsv and sub */
    rmdir(sub);

    /* a FIFO (like a device) is written in place, never replaced by a regular file */
    char fifo[300];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int reader = open(fifo, O_RDONLY | O_NONBLOCK); /* so the writer's open does not wait */
    assert_true(reader >= 0);
    rt_error_clear(&err);
    assert_int_equal(rt_sink_open(&s, fifo, &err), 0);
    assert_null(s.tmp);
    assert_true(write(s.fd, "x\n", 2) == 2);
    assert_int_equal(rt_sink_commit(&s, &err), 0);
    char got[4] = {0};
    assert_int_equal(read(reader, got, sizeof got), 2);
    assert_string_equal(got, "x\n");
    close(reader);
    struct stat dst;
    assert_int_equal(stat(fifo, &dst), 0);
    assert_true(S_ISFIFO(dst.st_mode));
    unlink(fifo);

    /* standard output */
    rt_error_clear(&err);
    assert_int_equal(rt_sink_open(&s, "-", &err), 0);
    assert_int_equal(s.fd, 1);
    assert_null(s.tmp);
    assert_int_equal(rt_sink_commit(&s, &err), 0);
    assert_int_equal(rt_sink_open(&s, NULL, &err), 0);
    assert_int_equal(s.fd, 1);

    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_and_scalars),
        cmocka_unit_test(test_large_ordered),
        cmocka_unit_test(test_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
