/* test_rt_driver.c - the whole generated-program life cycle (rt_main), with
 * the hand-written stand-in program of rt_fake_program.c, in child processes:
 * exit statuses, messages, output files, signals. Needs no compiler. */
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
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_fake_program.c"
#include "runtime/rt_driver.h"

static char dir[64];
static char graph[128], outp[128], errp[128], stdoutp[128];

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Runs rt_main in a child with the given FAKE_MODE and arguments (NULL
 * terminated); stderr and stdout go to files. Returns the wait status. A
 * positive `kill_after_ms` sends SIGTERM then. */
static int run(const char *mode, int kill_after_ms, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "/path/to/fake";
    va_list ap;
    va_start(ap, kill_after_ms);
    for (char *a; (a = va_arg(ap, char *)) != NULL;)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (mode)
            setenv("FAKE_MODE", mode, 1);
        else
            unsetenv("FAKE_MODE");
        /* dup2, not freopen: stderr must stay unbuffered as in a real run */
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int o = open(stdoutp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0)
            _exit(99);
        close(e);
        close(o);
        _exit(rt_main(argc, argv));
    }
    if (kill_after_ms > 0) {
        usleep((useconds_t)kill_after_ms * 1000);
        kill(pid, SIGTERM);
    }
    int st;
    waitpid(pid, &st, 0);
    return st;
}

static int status(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st); }

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/test_rt_driver_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(graph, sizeof graph, "%s/g.txt", dir);
    snprintf(outp, sizeof outp, "%s/out.tsv", dir);
    snprintf(errp, sizeof errp, "/tmp/test_rt_driver_err_%d", (int)getpid());
    snprintf(stdoutp, sizeof stdoutp, "/tmp/test_rt_driver_out_%d", (int)getpid());
    put(graph, "# test graph\n1 2\n2 3\n3 1\n1 3\n1 1\n");
    return 0;
}

static int teardown(void **state)
{
    unlink(graph);
    unlink(outp);
    rmdir(dir);
    unlink(errp);
    unlink(stdoutp);
    return 0;
}

static void test_success(void **state)
{
    assert_int_equal(status(run(NULL, 0, graph, "-o", outp, "--source=2", "--damping", "0.5", NULL)), 0);
    assert_string_equal(get(errp), "");
    assert_string_equal(get(outp), "node\tout_degree\trank\tfirst_out\tis_source\ttotal\tsrc\n"
                                   "1\t3\t0.125\t1\tfalse\t5\t2\n"
                                   "2\t1\t0.25\t3\ttrue\t5\t2\n"
                                   "3\t1\t0.25\t1\tfalse\t5\t2\n");
    assert_int_equal(entries(), 2);
    /* standard output, undirected, threads */
    assert_int_equal(status(run(NULL, 0, graph, "--undirected", "--threads=3", "--source=1", NULL)), 0);
    assert_string_equal(get(stdoutp), "node\tout_degree\trank\tfirst_out\tis_source\ttotal\tsrc\n"
                                      "1\t3\t0.2125\t1\ttrue\t7\t1\n"
                                      "2\t2\t0.2833333333333333\t1\tfalse\t7\t1\n"
                                      "3\t2\t0.2833333333333333\t1\tfalse\t7\t1\n");
    /* --dense-ids: node 0 appears */
    assert_int_equal(status(run("scalars", 0, graph, "--dense-ids", "-o", "-", NULL)), 0);
    assert_string_equal(get(stdoutp), "name\tvalue\ntotal\t5\nmean_degree\t1.25\nsrc\t0\nhas_loops\ttrue\n");
}

static void test_time(void **state)
{
    assert_int_equal(status(run(NULL, 0, graph, "--source=1", "--time", "-o", outp, NULL)), 0);
    const char *e = get(errp);
    const char *keys[] = {"time.load_s ", "time.build_s ", "time.run_s ", "time.write_s ",
                          "time.total_s ", "load.mb_per_s ", "load.bytes 33\n", "graph.nodes 3\n",
                          "graph.edges 5\n", "graph.self_loops 1\n", "graph.duplicate_edges 0\n",
                          "threads "};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strstr(e, keys[i]))
            fail_msg("missing '%s' in:\n%s", keys[i], e);
}

static void test_usage_errors(void **state)
{
    assert_int_equal(status(run(NULL, 0, graph, "--damping=abc", NULL)), 2);
    assert_string_equal(get(errp), "fake: error: --damping=abc: expected a float\n");
    assert_int_equal(status(run(NULL, 0, NULL)), 2);
    assert_string_equal(get(errp), "fake: error: missing the graph file (usage: fake GRAPH [options]; see --help)\n");
    assert_int_equal(status(run(NULL, 0, graph, "--threads=0", NULL)), 2);
    assert_string_equal(get(errp), "fake: error: --threads=0: expected a positive integer\n");
    assert_int_equal(status(run("required", 0, graph, NULL)), 2);
    assert_string_equal(get(errp), "fake: error: missing required parameter --source (node)\n");
    assert_int_equal(status(run(NULL, 0, graph, "--help", NULL)), 0);
    assert_non_null(strstr(get(stdoutp), "usage: fake GRAPH"));
    assert_string_equal(get(errp), "");
}

static void test_input_errors(void **state)
{
    put(outp, "old\n");
    assert_int_equal(status(run(NULL, 0, graph, "--source=17", "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: --source=17: node 17 is not in the graph\n");
    assert_string_equal(get(outp), "old\n");
    assert_int_equal(entries(), 2);

    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.txt", dir);
    put(bad, "1 2\n3 x\n");
    assert_int_equal(status(run(NULL, 0, bad, "-o", outp, NULL)), 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: error: expected a node id, got 'x'\n", bad);
    assert_string_equal(get(errp), want);
    assert_string_equal(get(outp), "old\n");
    unlink(bad);
    assert_int_equal(entries(), 2);

    assert_int_equal(status(run(NULL, 0, "/nonexistent.txt", "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: cannot open '/nonexistent.txt': No such file or directory\n");

    assert_int_equal(status(run("weighted", 0, graph, "--source=1", "-o", outp, NULL)), 1);
    snprintf(want, sizeof want,
             "%s: error: the program is weighted but the file has no weights (third column)\n", graph);
    assert_string_equal(get(errp), want);
    assert_string_equal(get(outp), "old\n");
    assert_int_equal(entries(), 2);
}

static void test_run_failures(void **state)
{
    put(outp, "old\n");
    assert_int_equal(status(run("fail", 0, graph, "--source=1", "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: fake failure in a parallel loop\n");
    assert_string_equal(get(outp), "old\n");
    assert_int_equal(entries(), 2);

    assert_int_equal(status(run("unset", 0, graph, "--source=1", "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: internal: output column 'is_source' was not set\n");
    assert_int_equal(entries(), 2);

    assert_int_equal(status(run("reserved", 0, graph, NULL)), 1);
    assert_string_equal(get(errp),
                        "fake: error: internal: parameter 'threads' has the name of a runtime option\n");

    /* SIGTERM while running: exit 128+15, temporary removed, old file kept */
    assert_int_equal(status(run("sleep", 300, graph, "--source=1", "-o", outp, NULL)), 128 + SIGTERM);
    assert_string_equal(get(outp), "old\n");
    assert_int_equal(entries(), 2);
}

/* Formats through the whole program: by extension, by --format, declared
 * node sets in the output, the nonnegative rule, --help. */
static void test_formats(void **state)
{
    char mtx[160], txt[160], gr[160], want[400];
    snprintf(mtx, sizeof mtx, "%s/g.mtx", dir);
    snprintf(txt, sizeof txt, "%s/m.txt", dir);
    snprintf(gr, sizeof gr, "%s/g.gr", dir);
    const char *m = "%%MatrixMarket matrix coordinate real general\n% node 4 has no entry\n"
                    "4 3 3\n1 2 0.5\n3 1 2\n1 3 1e3\n";
    put(mtx, m);
    put(txt, m);
    const char *sums = "node\tweight_sum\n1\t1000.5\n2\t0\n3\t2\n4\t0\n";
    assert_int_equal(status(run("nonneg", 0, mtx, "--source=1", "-o", outp, "--time", NULL)), 0);
    assert_string_equal(get(outp), sums);
    assert_non_null(strstr(get(errp), "graph.id_map declared\n"));
    assert_non_null(strstr(get(errp), "graph.nodes 4\n"));
    /* the same file as .txt needs --format (else it is an edge list) */
    assert_int_equal(status(run("nonneg", 0, txt, "--source=1", "-o", outp, NULL)), 1);
    snprintf(want, sizeof want,
             "%s:1: error: this is a Matrix Market file, not an el edge list: read it with --format=mtx\n",
             txt);
    assert_string_equal(get(errp), want);
    assert_int_equal(status(run("nonneg", 0, txt, "--format=mtx", "--source=1", "-o", outp, NULL)), 0);
    assert_string_equal(get(outp), sums);
    /* --dense-ids changes nothing for a declared node set */
    assert_int_equal(status(run("weighted", 0, mtx, "--dense-ids", "--source=1", "-o", outp, NULL)), 0);
    assert_string_equal(get(outp), sums);
    /* node ids are 1-based as written: the fake program's default --source=0 is no node */
    assert_int_equal(status(run(NULL, 0, mtx, "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: --source: the default node 0 is not in the graph; "
                                   "choose one with --source=ID\n");
    assert_int_equal(status(run(NULL, 0, mtx, "--source=4", "-o", outp, NULL)), 0);
    assert_int_equal(status(run(NULL, 0, mtx, "--source=0", "-o", outp, NULL)), 1);
    assert_string_equal(get(errp), "fake: error: --source=0: node 0 is not in the graph\n");
    /* nonnegative: a negative weight stops the program; weighted takes it */
    put(gr, "c x\np sp 3 2\na 1 2 1\na 2 3 -2.5\n");
    put(outp, "old\n");
    assert_int_equal(status(run("nonneg", 0, gr, "--source=1", "-o", outp, NULL)), 1);
    snprintf(want, sizeof want,
             "%s:4: error: negative edge weight -2.5 (the program needs weights >= 0)\n", gr);
    assert_string_equal(get(errp), want);
    assert_string_equal(get(outp), "old\n");
    assert_int_equal(status(run("weighted", 0, gr, "--source=1", "-o", outp, NULL)), 0);
    assert_string_equal(get(outp), "node\tweight_sum\n1\t1\n2\t-2.5\n3\t0\n");
    assert_int_equal(status(run(NULL, 0, gr, "--format", "gr", "--source=3", "-o", outp, NULL)), 0);
    /* an unknown --format is a usage error */
    assert_int_equal(status(run(NULL, 0, gr, "--format=dimacs", NULL)), 2);
    assert_string_equal(get(errp), "fake: error: --format=dimacs: unknown format (known: el, wel, csv, mtx, gr)\n");
    /* --help lists every format with its extensions */
    assert_int_equal(status(run("nonneg", 0, "--help", NULL)), 0);
    const char *h = get(stdoutp);
    const char *lines[] = {"(weighted, weights >= 0)",
                           "--format=FMT               input format: el wel csv mtx gr (default: by the file's extension, el for any other)\n",
                           "el (.el .txt .edges .tsv): ", "wel (.wel): ", "csv (.csv): ",
                           "mtx (.mtx): Matrix Market", "gr (.gr): DIMACS"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(h, lines[i]))
            fail_msg("--help lacks '%s':\n%s", lines[i], h);
    unlink(mtx);
    unlink(txt);
    unlink(gr);
    assert_int_equal(entries(), 2);
}

static void test_print(void **state)
{
    assert_int_equal(status(run("print", 0, graph, "--source=1", "-o", outp, NULL)), 0);
    assert_string_equal(get(errp), "node 1 degree 3 0.2125 true\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_success),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_run_failures),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
