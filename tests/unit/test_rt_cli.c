/* test_rt_cli.c - program description and command-line parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/rt_cli.h"
#include "runtime/rt_graph.h"

static rt_program prog;

static int setup(void **state)
{
    rt_set_prog_name("/some/dir/pr");
    rt_program_init(&prog);
    rt_program_set(&prog, "pr", 0, 0);
    rt_program_param(&prog, "damping", RT_FLOAT, 1, 0, 0.85);
    rt_program_param(&prog, "max_iter", RT_INT, 1, 100, 0);
    rt_program_param(&prog, "verbose", RT_BOOL, 1, 0, 0);
    rt_program_param(&prog, "source", RT_NODE, 1, 7, 0);
    rt_program_param(&prog, "seed", RT_INT, 0, 0, 0); /* required */
    rt_program_output(&prog, "rank", RT_FLOAT, 1);
    return 0;
}

static int teardown(void **state)
{
    rt_program_free(&prog);
    return 0;
}

/* Parses a space-separated command line. Returns the rc; *o stays for checks. */
static int run(const char *line, rt_options *o, rt_error *err)
{
    static char buf[1024];
    static char *argv[64];
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    argv[argc++] = "pr";
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        argv[argc++] = t;
    rt_error_clear(err);
    return rt_cli_parse(&prog, argc, argv, o, err);
}

static void expect_usage_error(const char *line, const char *msg)
{
    rt_options o;
    rt_error err;
    int rc = run(line, &o, &err);
    if (rc != RT_ERR_USAGE)
        fail_msg("'%s': rc %d, want usage error '%s'", line, rc, msg);
    assert_string_equal(err.msg, msg);
    rt_options_free(&o);
}

static void test_defaults_and_values(void **state)
{
    rt_options o;
    rt_error err;
    assert_int_equal(run("g.txt --seed=3", &o, &err), 0);
    assert_string_equal(o.graph, "g.txt");
    assert_null(o.output);
    assert_int_equal(o.threads, 0);
    assert_true(o.values[0].f == 0.85);
    assert_int_equal(o.values[1].i, 100);
    assert_int_equal(o.values[2].i, 0);
    assert_int_equal(o.node_ids[3], 7);
    assert_int_equal(o.values[4].i, 3);
    assert_false(o.given[0]);
    assert_true(o.given[4]);
    rt_options_free(&o);

    assert_int_equal(run("--damping 0.5 --max-iter=-3 --seed 1 g.txt -o out.tsv --threads 3 "
                         "--format=el --undirected --dense-ids --time --source=18446744073709551615",
                         &o, &err),
                     0);
    assert_true(o.values[0].f == 0.5);
    assert_int_equal(o.values[1].i, -3);
    assert_string_equal(o.output, "out.tsv");
    assert_int_equal(o.threads, 3);
    assert_string_equal(o.format, "el");
    assert_true(o.undirected && o.dense_ids && o.time);
    assert_int_equal(o.node_ids[3], UINT64_MAX);
    rt_options_free(&o);

    /* bools: bare flag, explicit words */
    assert_int_equal(run("g.txt --seed=1 --verbose", &o, &err), 0);
    assert_int_equal(o.values[2].i, 1);
    rt_options_free(&o);
    assert_int_equal(run("--verbose g.txt --seed=1", &o, &err), 0);
    assert_int_equal(o.values[2].i, 1);
    assert_string_equal(o.graph, "g.txt");
    rt_options_free(&o);
    assert_int_equal(run("--verbose false g.txt --seed=1", &o, &err), 0);
    assert_int_equal(o.values[2].i, 0);
    rt_options_free(&o);
    assert_int_equal(run("--verbose=1 g.txt --seed=1 -oX -- --weird-name", &o, &err), RT_ERR_USAGE);
    assert_string_equal(err.msg, "unexpected argument '--weird-name' (the graph file is 'g.txt')");
    rt_options_free(&o);
    assert_int_equal(run("--seed=1 -o - -- -g.txt", &o, &err), 0);
    assert_string_equal(o.graph, "-g.txt");
    assert_string_equal(o.output, "-");
    rt_options_free(&o);
    assert_int_equal(run("--seed=1 - --damping=inf --output=o.tsv", &o, &err), 0);
    assert_string_equal(o.graph, "-");
    assert_true(o.values[0].f > 1e308);
    assert_string_equal(o.output, "o.tsv");
    rt_options_free(&o);
}

static void test_errors(void **state)
{
    expect_usage_error("g.txt --seed=1 --damping=abc", "--damping=abc: expected a float");
    expect_usage_error("g.txt --seed=1 --damping=", "--damping=: expected a float");
    expect_usage_error("g.txt --seed=1 --damping=1e999", "--damping=1e999: out of range for a float");
    expect_usage_error("g.txt --seed=1 --max_iter=1.5", "--max_iter=1.5: expected an int");
    expect_usage_error("g.txt --seed=1 --max_iter=99999999999999999999",
                       "--max_iter=99999999999999999999: out of range for a 64-bit int");
    expect_usage_error("g.txt --seed=1 --verbose=yes", "--verbose=yes: expected true or false");
    expect_usage_error("g.txt --seed=1 --source=-1",
                       "--source=-1: expected a node id (an unsigned 64-bit integer)");
    expect_usage_error("g.txt --seed=1 --source=18446744073709551616",
                       "--source=18446744073709551616: expected a node id (an unsigned 64-bit integer)");
    expect_usage_error("g.txt --seed=1 --threads=0", "--threads=0: expected a positive integer");
    expect_usage_error("g.txt --seed=1 --threads=-2", "--threads=-2: expected a positive integer");
    expect_usage_error("g.txt --seed=1 --threads=x", "--threads=x: expected a positive integer");
    expect_usage_error("g.txt --seed=1 --threads=100000", "--threads=100000: at most 4096 threads");
    expect_usage_error("g.txt --seed=1 --format=xyz", "--format=xyz: unknown format (known: el, wel, csv, mtx, gr)");
    expect_usage_error("g.txt --seed=1 --bogus", "unknown option '--bogus' (see --help)");
    expect_usage_error("g.txt --seed=1 --bogus=3", "unknown option '--bogus' (see --help)");
    expect_usage_error("g.txt --seed=1 -x", "unknown option '-x' (see --help)");
    expect_usage_error("g.txt --seed=1 --time=1", "--time does not take a value");
    expect_usage_error("g.txt --seed=1 -o", "-o: expected a file name");
    expect_usage_error("g.txt --seed", "--seed: expected a value");
    expect_usage_error("g.txt", "missing required parameter --seed (int)");
    expect_usage_error("--seed=1", "missing the graph file (usage: pr GRAPH [options]; see --help)");
    expect_usage_error("a b --seed=1", "unexpected argument 'b' (the graph file is 'a')");
}

static void test_help(void **state)
{
    rt_options o;
    rt_error err;
    assert_int_equal(run("--bogus --help", &o, &err), 0);
    assert_true(o.help);
    rt_options_free(&o);
    assert_int_equal(run("-h", &o, &err), 0);
    assert_true(o.help);
    rt_options_free(&o);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    rt_cli_usage(&prog, f);
    fclose(f);
    assert_non_null(strstr(text, "usage: pr GRAPH"));
    assert_non_null(strstr(text, "--damping=FLOAT"));
    assert_non_null(strstr(text, "float, default 0.85"));
    assert_non_null(strstr(text, "int, default 100"));
    assert_non_null(strstr(text, "bool, default false"));
    assert_non_null(strstr(text, "node, default 7"));
    assert_non_null(strstr(text, "int, required"));
    assert_non_null(strstr(text, "--threads=N"));
    assert_non_null(strstr(text, "--dense-ids"));
    free(text);
}

static void test_bad_descriptions(void **state)
{
    rt_program p;
    rt_program_init(&p);
    rt_program_param(&p, "threads", RT_INT, 1, 0, 0);
    assert_string_equal(p.bad, "parameter 'threads' has the name of a runtime option");
    rt_program_free(&p);
    rt_program_init(&p);
    rt_program_param(&p, "dense_ids", RT_BOOL, 1, 0, 0);
    assert_string_equal(p.bad, "parameter 'dense_ids' has the name of a runtime option");
    rt_program_free(&p);
    rt_program_init(&p);
    rt_program_param(&p, "x", RT_INT, 1, 0, 0);
    rt_program_param(&p, "x", RT_FLOAT, 1, 0, 0);
    assert_string_equal(p.bad, "parameter 'x' is declared twice");
    rt_program_free(&p);
    rt_program_init(&p);
    rt_program_output(&p, "y", 9, 1);
    assert_string_equal(p.bad, "output column 'y' has an unknown type");
    for (int i = 0; i < 40; i++) /* growth */
        rt_program_output(&p, "z", RT_INT, 1);
    assert_int_equal(p.ncols, 41);
    rt_program_free(&p);
    /* weighted: 0, 1, 2 (nonnegative) kept as given; anything else is refused */
    for (int w = 0; w <= 2; w++) {
        rt_program_init(&p);
        rt_program_set(&p, "sssp", 0, w);
        assert_int_equal(p.weighted, w);
        assert_string_equal(p.bad, "");
        rt_program_free(&p);
    }
    rt_program_init(&p);
    rt_program_set(&p, "sssp", 0, 3);
    assert_string_equal(p.bad, "program 'sssp' has an unknown weighted mode");
    rt_program_free(&p);
}

static void test_map_nodes(void **state)
{
    rt_edges e;
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_parse_edge_list("7 9\n9 12\n", 9, "g.txt", 0, &e, &err), 0);
    rt_build_opts bo = {0};
    rt_graph g;
    rt_graph_stats st;
    assert_int_equal(rt_graph_build(&e, &bo, "g.txt", &g, &st, &err), 0);
    rt_options o;
    assert_int_equal(run("g.txt --seed=1", &o, &err), 0);
    assert_int_equal(rt_cli_map_nodes(&prog, &o, &g, &err), 0);
    assert_int_equal(o.values[3].i, 0); /* default 7 -> index 0 */
    rt_options_free(&o);
    assert_int_equal(run("g.txt --seed=1 --source=12", &o, &err), 0);
    assert_int_equal(rt_cli_map_nodes(&prog, &o, &g, &err), 0);
    assert_int_equal(o.values[3].i, 2);
    rt_options_free(&o);
    assert_int_equal(run("g.txt --seed=1 --source=17", &o, &err), 0);
    assert_int_equal(rt_cli_map_nodes(&prog, &o, &g, &err), RT_ERR_INPUT);
    assert_string_equal(err.msg, "--source=17: node 17 is not in the graph");
    rt_options_free(&o);
    rt_graph_free(&g);
    rt_error_clear(&err);
    assert_int_equal(rt_parse_edge_list("1 2\n", 4, "g.txt", 0, &e, &err), 0);
    assert_int_equal(rt_graph_build(&e, &bo, "g.txt", &g, &st, &err), 0);
    assert_int_equal(run("g.txt --seed=1", &o, &err), 0);
    assert_int_equal(rt_cli_map_nodes(&prog, &o, &g, &err), RT_ERR_INPUT);
    assert_string_equal(err.msg,
                        "--source: the default node 7 is not in the graph; choose one with --source=ID");
    rt_options_free(&o);
    rt_graph_free(&g);
}

static void test_parse_u64(void **state)
{
    uint64_t v;
    assert_true(rt_parse_u64("0", &v) && v == 0);
    assert_true(rt_parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
    assert_false(rt_parse_u64("18446744073709551616", &v));
    assert_false(rt_parse_u64("", &v));
    assert_false(rt_parse_u64(" 1", &v));
    assert_false(rt_parse_u64("1x", &v));
    assert_false(rt_parse_u64("+1", &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_descriptions),
        cmocka_unit_test(test_map_nodes),
        cmocka_unit_test(test_parse_u64),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
