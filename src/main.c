/* main.c - the graphc command line: wires the stages together, nothing more.
 *
 *   source --parse--> AST --check--> typed AST --ir_build--> IR --kernelize--> IR --cg--> program
 *
 * Exit status: 0 success, 1 errors in the program (or code generation), 2 a bad
 * command line. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/cg.h"
#include "common/arena.h"
#include "common/diag.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/parse.h"
#include "interp/interp.h"
#include "ir/ir.h"
#include "ir/ir_build.h"
#include "opt/opt.h"
#include "plan/plan.h"
#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"
#include "runtime/rt_driver.h"

#define GRAPHC_VERSION "0.1.0"
#ifndef GRAPHC_DEBUG
#define GRAPHC_DEBUG 0
#endif

enum { MAX_SOURCE_BYTES = 64 << 20 };

#ifdef __SANITIZE_ADDRESS__
/* libgccjit keeps some of its own allocations until exit; they are not ours to
 * free, and LeakSanitizer would report them on every compile. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libgccjit.so\n"; }
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif

typedef enum Mode { MODE_COMPILE, MODE_INTERPRET, MODE_VERIFY } Mode;

typedef struct Options {
    Mode mode;
    char **prog_argv; /* --interpret / --verify: the program's arguments after PROGRAM.galg */
    int prog_argc;
    double rtol;      /* --verify: relative tolerance for floats */
    const char *input, *output, *march, *dump_gccjit, *dump_ir;
    const char *disabled_passes; /* comma-separated pass names (--no-fuse adds "fuse") */
    CgOutputKind kind;
    int opt_level;
    bool check_only, dump_ast, verify_ir;
    /* plans: --emit-plan (stdout: plan_file "-") or =FILE, --report, and the graph size */
    const char *plan_file, *plan_graph;
    bool report;
    int64_t plan_nodes, plan_edges; /* -1: not given */
} Options;

static void usage(FILE *out) {
    fputs("usage: graphc [options] PROGRAM.galg\n"
          "       graphc --interpret PROGRAM.galg GRAPH [--PARAM=VALUE ...] [-o FILE] [program options]\n"
          "       graphc --verify [-O0..3] [--rtol=X] PROGRAM.galg GRAPH [--PARAM=VALUE ...] [program options]\n"
          "\n"
          "Compiles a .galg graph algorithm to a native, parallel program.\n"
          "--interpret runs the program in the reference interpreter instead (same command\n"
          "line, input and output as the compiled program); --verify compiles it, runs both\n"
          "on the same graph and reports the first node where they differ (exit 0: agree).\n"
          "\n"
          "options:\n"
          "  -o FILE            write the output to FILE (default: PROGRAM, PROGRAM.s or PROGRAM.o)\n"
          "  -S                 write assembly\n"
          "  -c                 write an object file (link it with libgraphc_rt.a -fopenmp -lm)\n"
          "  -O0 -O1 -O2 -O3    optimization level (default -O2)\n"
          "  -march=CPU         target CPU (default: the host's level, e.g. x86-64-v3)\n"
          "  --check            parse and check only\n"
          "  --dump-ast         print the checked syntax tree\n"
          "  --dump-ir[=after-STAGE]  print the IR after a stage: build (default), kernelize, or a\n"
          "                     pass: fuse, dead-vectors, fold, copy-prop, licm, cse, dce\n"
          "  --no-fuse          do not fuse kernels (as at -O0)\n"
          "  --emit-plan[=FILE] write the batch, parallel and memory plans as JSON (schema\n"
          "                     graphc-plan/1, docs/plan-schema.md) to standard output, or to\n"
          "                     FILE next to compiling\n"
          "  --report           print the plans for people\n"
          "  --nodes=N --edges=M  evaluate the plans' formulas for N nodes and M arcs\n"
          "  --graph=FILE       ... for the graph in FILE (as the program would load it)\n"
          "  --disable-pass=P,Q skip optimization passes by name\n"
          "  --dump-gccjit=FILE write libgccjit's C-like view of the generated code to FILE\n"
          "  --verify-ir        check IR invariants after every stage (on in debug builds)\n"
          "  --rtol=X           --verify: relative tolerance for float results (default 1e-9)\n"
          "  --version          print the version\n"
          "  --help             print this help\n"
          "\n"
          "environment: GRAPHC_RUNTIME overrides the path of libgraphc_rt.a.\n"
          "See graphc(1) for the options of the generated program.\n",
          out);
}

/* The -march values of gcc 12 for x86-64 (libgccjit refuses "native"). */
static bool known_march(const char *cpu) {
    static const char *const cpus[] = {
        "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4", "nocona", "core2", "nehalem", "corei7", "westmere",
        "sandybridge", "corei7-avx", "ivybridge", "core-avx-i", "haswell", "core-avx2", "broadwell", "skylake",
        "skylake-avx512", "cannonlake", "icelake-client", "rocketlake", "icelake-server", "cascadelake",
        "tigerlake", "cooperlake", "sapphirerapids", "alderlake", "bonnell", "atom", "silvermont", "slm",
        "goldmont", "goldmont-plus", "tremont", "knl", "knm", "eden-x2", "nano", "nano-1000", "nano-2000",
        "nano-3000", "nano-x2", "eden-x4", "nano-x4", "k8", "k8-sse3", "opteron", "opteron-sse3", "athlon64",
        "athlon64-sse3", "athlon-fx", "amdfam10", "barcelona", "bdver1", "bdver2", "bdver3", "bdver4", "znver1",
        "znver2", "znver3", "btver1", "btver2",
    };
    for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++)
        if (!strcmp(cpu, cpus[i])) return true;
    return false;
}

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "graphc: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see graphc --help)\n");
    return 2;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, Options *o) {
    o->opt_level = 2;
    o->kind = CG_EXECUTABLE;
    o->verify_ir = GRAPHC_DEBUG;
    o->rtol = 1e-9;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (o->mode != MODE_COMPILE && a[0] != '-' && !o->input) {
            /* everything after the program belongs to the program's own command line */
            o->input = a;
            o->prog_argv = argv + i + 1;
            o->prog_argc = argc - i - 1;
            break;
        }
        if (!strcmp(a, "--interpret") || !strcmp(a, "--verify")) {
            if (o->mode != MODE_COMPILE || o->input) return usage_error("%s must come before the program", a);
            o->mode = a[2] == 'i' ? MODE_INTERPRET : MODE_VERIFY;
        } else if (!strncmp(a, "--rtol=", 7)) {
            char *end;
            o->rtol = strtod(a + 7, &end);
            if (*end || !(o->rtol >= 0) || end == a + 7) return usage_error("%s: expected a number >= 0", a);
        } else if (!strcmp(a, "-o")) {
            if (i + 1 >= argc) return usage_error("%s needs a file name", a);
            o->output = argv[++i];
        } else if (!strncmp(a, "-o", 2) && a[2]) {
            o->output = a + 2;
        } else if (!strcmp(a, "-S")) {
            o->kind = CG_ASSEMBLY;
        } else if (!strcmp(a, "-c")) {
            o->kind = CG_OBJECT;
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
            o->opt_level = a[2] - '0';
        } else if (!strncmp(a, "-march=", 7)) {
            if (!a[7] || !strcmp(a + 7, "native"))
                return usage_error("%s: give a concrete CPU (e.g. -march=x86-64-v3); the default is the host's", a);
            if (!known_march(a + 7))
                return usage_error("%s: not a CPU that gcc 12 knows (e.g. x86-64, x86-64-v2, x86-64-v3, "
                                   "x86-64-v4, haswell, skylake, znver3)", a);
            o->march = a + 7;
        } else if (!strcmp(a, "--check")) {
            o->check_only = true;
        } else if (!strcmp(a, "--dump-ast")) {
            o->dump_ast = true;
        } else if (!strcmp(a, "--dump-ir")) {
            o->dump_ir = "build";
        } else if (!strncmp(a, "--dump-ir=after-", 16)) {
            o->dump_ir = a + 16;
            bool known = !strcmp(o->dump_ir, "build") || !strcmp(o->dump_ir, "kernelize");
            for (const OptPass *p = opt_passes; p->name; p++) known |= !strcmp(o->dump_ir, p->name);
            if (!known) {
                char msg[512];
                snprintf(msg, sizeof msg, "%s: unknown stage (build, kernelize", a);
                for (const OptPass *p = opt_passes; p->name; p++)
                    snprintf(msg + strlen(msg), sizeof msg - strlen(msg), ", %s", p->name);
                return usage_error("%s)", msg);
            }
        } else if (!strcmp(a, "--emit-plan")) {
            o->plan_file = "-";
        } else if (!strncmp(a, "--emit-plan=", 12)) {
            if (!a[12]) return usage_error("%s needs a file name", a);
            o->plan_file = a + 12;
        } else if (!strcmp(a, "--report")) {
            o->report = true;
        } else if (!strncmp(a, "--nodes=", 8) || !strncmp(a, "--edges=", 8)) {
            char *end;
            errno = 0;
            long long v = strtoll(a + 8, &end, 10);
            if (!a[8] || *end || errno || v < 0)
                return usage_error("%s: expected a whole number >= 0", a);
            if (a[2] == 'n') o->plan_nodes = v;
            else o->plan_edges = v;
        } else if (!strncmp(a, "--graph=", 8)) {
            if (!a[8]) return usage_error("%s needs a file name", a);
            o->plan_graph = a + 8;
        } else if (!strcmp(a, "--no-fuse")) {
            o->disabled_passes = "fuse";
        } else if (!strncmp(a, "--disable-pass=", 15)) {
            o->disabled_passes = a + 15;
        } else if (!strncmp(a, "--dump-gccjit=", 14) && a[14]) {
            o->dump_gccjit = a + 14;
        } else if (!strcmp(a, "--verify-ir")) {
            o->verify_ir = true;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("graphc %s\n", GRAPHC_VERSION);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (o->input) {
            return usage_error("more than one input file ('%s')", a);
        } else {
            o->input = a;
        }
    }
    if (!o->input) return usage_error("%s", "no input file");
    if ((o->plan_nodes >= 0) != (o->plan_edges >= 0))
        return usage_error("%s", "--nodes and --edges go together");
    if (o->plan_graph && o->plan_nodes >= 0)
        return usage_error("%s", "give --graph or --nodes/--edges, not both");
    if ((o->plan_graph || o->plan_nodes >= 0) && !o->plan_file && !o->report)
        return usage_error("%s", "--graph, --nodes and --edges size the plans: add --emit-plan or --report");
    return -1;
}

/* Reads a whole file; NUL bytes are kept (the scanner reports them). */
static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "graphc: error: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) break;
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap) break;
        if (cap >= MAX_SOURCE_BYTES) {
            fprintf(stderr, "graphc: error: '%s' is larger than %d MB\n", path, MAX_SOURCE_BYTES >> 20);
            free(buf);
            fclose(fp);
            return NULL;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) { free(buf); buf = NULL; break; }
        buf = nb;
    }
    if (!buf) fprintf(stderr, "graphc: error: out of memory reading '%s'\n", path);
    else if (ferror(fp)) {
        fprintf(stderr, "graphc: error: cannot read '%s': %s\n", path, strerror(errno));
        free(buf);
        buf = NULL;
    } else {
        buf[n] = 0;
        *len = n;
    }
    fclose(fp);
    return buf;
}

/* libgraphc_rt.a: $GRAPHC_RUNTIME, next to the graphc binary, or in ../lib/graphc/. */
static char *find_runtime(void) {
    const char *env = getenv("GRAPHC_RUNTIME");
    if (env && *env) {
        if (access(env, R_OK) == 0) return strdup(env);
        fprintf(stderr, "graphc: error: GRAPHC_RUNTIME='%s' is not a readable file\n", env);
        return NULL;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        const char *rel[] = {"/libgraphc_rt.a", "/../lib/graphc/libgraphc_rt.a"};
        for (int i = 0; i < 2; i++) {
            char path[PATH_MAX + 64];
            snprintf(path, sizeof path, "%s%s", exe, rel[i]);
            if (access(path, R_OK) == 0) return strdup(path);
        }
    }
    fprintf(stderr, "graphc: error: cannot find the runtime library libgraphc_rt.a next to graphc or in "
                    "../lib/graphc/; set GRAPHC_RUNTIME to its path\n");
    return NULL;
}

/* PROGRAM.galg -> PROGRAM (+ suffix), in the current directory. */
static char *default_output(const char *input, const char *suffix) {
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".galg")) len -= 5;
    char *out = malloc(len + strlen(suffix) + 8);
    snprintf(out, len + strlen(suffix) + 8, "%.*s%s", (int)len, base, suffix);
    if (!strcmp(out, base)) { /* never overwrite the source itself */
        snprintf(out, len + strlen(suffix) + 8, "%.*s.out", (int)len, base);
    }
    return out;
}

static bool verify(const Options *o, const IrFunc *f, const char *stage) {
    if (!o->verify_ir) return true;
    if (ir_verify(f, stage, stderr)) return true;
    fprintf(stderr, "graphc: internal error: the IR is invalid after %s (please report this with the program)\n", stage);
    return false;
}

/* PROGRAM.galg -> PROGRAM: the name compiled programs and the interpreter
 * use in their messages. */
static char *program_name(const char *input) { return default_output(input, ""); }

/* IR straight from the checked program (what the interpreter runs). */
static IrFunc *build_ir(const Options *o, const Program *prog, Arena *arena, Diag *diag) {
    IrFunc *f = ir_build(prog, arena, diag);
    if (!f || diag->nerrors) return NULL;
    if (!verify(o, f, "build")) return NULL;
    return f;
}

static bool after_pass(IrFunc *f, const OptPass *pass, bool ran, void *ctx) {
    const Options *o = ctx;
    if (ran && !verify(o, f, pass->name)) return false;
    if (o->dump_ir && !strcmp(o->dump_ir, pass->name)) ir_print(f, stdout);
    return true;
}

/* Kernelizes and optimizes f as the options say; false if the IR broke. */
static bool lower(const Options *o, IrFunc *f) {
    ir_kernelize(f);
    if (!verify(o, f, "kernelize")) return false;
    if (o->dump_ir && !strcmp(o->dump_ir, "kernelize")) ir_print(f, stdout);
    return opt_run(f, o->opt_level, true, o->disabled_passes, after_pass, (void *)o);
}

/* N and M of the graph in `path` as the program would see it (--graph). */
static bool graph_size(const char *path, const IrFunc *f, int64_t *n, int64_t *m) {
    rt_error err;
    rt_error_clear(&err);
    rt_file file;
    rt_edges edges;
    memset(&edges, 0, sizeof edges);
    const rt_format *fmt = rt_format_for_path(path);
    if (rt_file_open(path, &file, &err)) goto fail;
    int rc = fmt->parse(file.data, file.len, path, RT_WEIGHTS_NONE, &edges, &err);
    rt_file_close(&file);
    if (rc) goto fail;
    rt_build_opts bo = {.undirected = f->undirected, .dense_ids = 0, .weighted = 0};
    rt_graph g;
    rt_graph_stats st;
    if (rt_graph_build(&edges, &bo, path, &g, &st, &err)) goto fail;
    *n = g.n;
    *m = g.m;
    rt_graph_free(&g);
    return true;
fail:
    if (err.located) fprintf(stderr, "%s\n", err.msg);
    else fprintf(stderr, "graphc: error: %s\n", err.msg);
    return false;
}

/* --emit-plan and --report for the optimized, kernelized f. */
static bool emit_plans(const Options *o, const IrFunc *f) {
    if (!o->plan_file && !o->report) return true;
    int64_t n = o->plan_nodes, m = o->plan_edges;
    if (o->plan_graph && !graph_size(o->plan_graph, f, &n, &m)) return false;
    Plan *p = plan_build(f);
    if (!p) {
        fprintf(stderr, "graphc: error: out of memory while planning\n");
        return false;
    }
    if (n >= 0 && m >= 0) plan_estimate(p, (double)n, (double)m);
    bool ok = true;
    if (o->plan_file) {
        char *json = plan_to_json(p, n, m);
        FILE *out = !strcmp(o->plan_file, "-") ? stdout : fopen(o->plan_file, "w");
        if (!json || !out) {
            fprintf(stderr, "graphc: error: cannot write the plan to '%s': %s\n", o->plan_file,
                    json ? strerror(errno) : "out of memory");
            ok = false;
        } else {
            fputs(json, out);
            fputc('\n', out);
            if (out != stdout && fclose(out) != 0) {
                fprintf(stderr, "graphc: error: cannot write the plan to '%s': %s\n", o->plan_file, strerror(errno));
                ok = false;
            }
        }
        free(json);
    }
    if (o->report) plan_report(p, n, m, stdout);
    plan_free(p);
    return ok;
}

/* Kernelized IR to a file; returns the exit status. */
static int generate(const Options *o, IrFunc *f, const char *output, CgOutputKind kind) {
    struct stat st;
    if (stat(output, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* renaming over a device or FIFO would replace it */
        fprintf(stderr, "graphc: error: cannot write '%s': not a regular file\n", output);
        return 1;
    }
    if (!lower(o, f)) return 1;
    if (!emit_plans(o, f)) return 1;
    CgOptions cg = {.kind = kind, .opt_level = o->opt_level, .dump_gccjit = o->dump_gccjit, .output = output};
    cg.march = o->march ? o->march : cg_host_march();
#ifdef GRAPHC_SAN_LINK
    cg.extra_link = GRAPHC_SAN_LINK;
#endif
    char *runtime = NULL;
    if (kind == CG_EXECUTABLE) {
        runtime = find_runtime();
        if (!runtime) return 1;
        cg.runtime_lib = runtime;
    }
    int status = cg_compile(f, &cg) ? 0 : 1;
    free(runtime);
    return status;
}

static void interp_describe_cb(rt_program *p, void *ctx) { interp_describe(ctx, p); }
static void interp_run_cb(const rt_graph *g, const rt_value *params, rt_output *out, void *ctx) {
    interp_run(ctx, g, params, out);
}

/* The program's command line: argv[0] = name, then args, then extra (may be NULL). */
static char **program_argv(const char *name, char **args, int nargs, char **extra, int nextra) {
    char **argv = calloc((size_t)(nargs + nextra + 2), sizeof *argv);
    if (!argv) return NULL;
    argv[0] = (char *)name;
    for (int i = 0; i < nargs; i++) argv[1 + i] = args[i];
    for (int i = 0; i < nextra; i++) argv[1 + nargs + i] = extra[i];
    return argv;
}

static int interpret(const Options *o, IrFunc *f) {
    char *name = program_name(o->input);
    char **argv = program_argv(name, o->prog_argv, o->prog_argc, NULL, 0);
    rt_entry e = {interp_describe_cb, interp_run_cb, f};
    int status = argv ? rt_main_with(o->prog_argc + 1, argv, &e) : 1;
    free(argv);
    free(name);
    return status;
}

/* Runs a child: the compiled program (path) or, with path NULL, the
 * interpreter on f; stdout discarded, stderr to err_path. Returns the exit
 * status, or -1 if the child died of a signal. */
static int run_child(const char *path, IrFunc *f, char **argv, int argc, const char *err_path) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_WRONLY);
        if (fd >= 0) dup2(fd, 2);
        if (null >= 0) dup2(null, 1);
        if (path) {
            execv(path, argv);
            _exit(127);
        }
        rt_entry e = {interp_describe_cb, interp_run_cb, f};
        _exit(rt_main_with(argc, argv, &e));
    }
    int st;
    if (waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fclose(fp);
    return read_file(path, len);
}

/* Next line of buf at *pos (without the newline), or NULL at the end. */
static char *next_line(char *buf, size_t len, size_t *pos) {
    if (*pos >= len) return NULL;
    char *line = buf + *pos;
    char *nl = memchr(line, '\n', len - *pos);
    if (nl) { *nl = 0; *pos = (size_t)(nl - buf) + 1; }
    else *pos = len;
    return line;
}

static bool floats_agree(const char *a, const char *b, double rtol) {
    if (!strcmp(a, b)) return true;
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (*ea || *eb) return false;
    if (isnan(x) || isnan(y)) return isnan(x) && isnan(y);
    if (x == y) return true;
    if (isinf(x) || isinf(y)) return false;
    return fabs(x - y) <= rtol * fmax(fabs(x), fabs(y));
}

/* Compares the two result files; prints the first difference. */
static bool compare_results(const Options *o, const IrFunc *f, char *a, size_t alen, char *b, size_t blen) {
    const IrOp *ret = f->body->ops[f->body->nops - 1];
    bool any_vector = false;
    for (int k = 0; k < ret->nsrc; k++) any_vector |= f->vars[ret->src[k]].ty.shape == SH_VECTOR;
    size_t pa = 0, pb = 0;
    char *la = next_line(a, alen, &pa), *lb = next_line(b, blen, &pb);
    if (!la || !lb || strcmp(la, lb)) {
        printf("graphc --verify: the headers differ: compiled '%s', interpreter '%s'\n", la ? la : "", lb ? lb : "");
        return false;
    }
    int64_t rows = 0;
    for (int line = 2;; line++) {
        la = next_line(a, alen, &pa);
        lb = next_line(b, blen, &pb);
        if (!la && !lb) break;
        if (!la || !lb) {
            printf("graphc --verify: line %d: the %s output ends early\n", line, la ? "interpreter's" : "compiled program's");
            return false;
        }
        rows++;
        char *sa, *sb;
        char *ta = strtok_r(la, "\t", &sa), *tb = strtok_r(lb, "\t", &sb);
        const char *key = ta ? ta : "";
        if (!ta || !tb || strcmp(ta, tb)) {
            printf("graphc --verify: line %d: compiled row '%s', interpreter row '%s'\n", line, ta ? ta : "", tb ? tb : "");
            return false;
        }
        char keybuf[128];
        snprintf(keybuf, sizeof keybuf, "%s", key);
        for (int col = 0;; col++) {
            ta = strtok_r(NULL, "\t", &sa);
            tb = strtok_r(NULL, "\t", &sb);
            if (!ta && !tb) break;
            int out = any_vector ? col : line - 2;
            const char *name = out < f->nouts ? f->out_names[out] : "?";
            DType d = out < ret->nsrc ? f->vars[ret->src[out]].ty.dtype : DT_VOID;
            bool same = ta && tb && (d == DT_FLOAT ? floats_agree(ta, tb, o->rtol) : !strcmp(ta, tb));
            if (!same) {
                printf("graphc --verify: %s %s: %s differs: compiled %s, interpreter %s", any_vector ? "node" : "value",
                       keybuf, name, ta ? ta : "(missing)", tb ? tb : "(missing)");
                if (d == DT_FLOAT) printf(" (relative tolerance %g)", o->rtol);
                printf("\n");
                return false;
            }
        }
    }
    printf("graphc --verify: the compiled program and the interpreter agree on %" PRId64 " %s (%d column%s; "
           "floats within relative %g)\n",
           rows, any_vector ? "nodes" : "values", f->nouts, f->nouts == 1 ? "" : "s", o->rtol);
    return true;
}

static int verify_program(const Options *o, IrFunc *interp_ir, IrFunc *compile_ir) {
    for (int i = 0; i < o->prog_argc; i++)
        if (!strcmp(o->prog_argv[i], "-o") || !strncmp(o->prog_argv[i], "--output", 8))
            return usage_error("%s: --verify writes no results; leave out -o", o->prog_argv[i]);
    char dir[] = "/tmp/graphc-verify-XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "graphc: error: cannot create a temporary directory: %s\n", strerror(errno));
        return 1;
    }
    char exe[64], out_c[64], out_i[64], err_c[64], err_i[64];
    snprintf(exe, sizeof exe, "%s/prog", dir);
    snprintf(out_c, sizeof out_c, "%s/compiled.tsv", dir);
    snprintf(out_i, sizeof out_i, "%s/interp.tsv", dir);
    snprintf(err_c, sizeof err_c, "%s/compiled.err", dir);
    snprintf(err_i, sizeof err_i, "%s/interp.err", dir);
    int status = generate(o, compile_ir, exe, CG_EXECUTABLE);
    char *name = program_name(o->input);
    char *extra_c[2] = {"-o", out_c}, *extra_i[2] = {"-o", out_i};
    char **argv_c = NULL, **argv_i = NULL;
    char *a = NULL, *b = NULL;
    if (status != 0) goto done;
    status = 1;
    argv_c = program_argv(name, o->prog_argv, o->prog_argc, extra_c, 2);
    argv_i = program_argv(name, o->prog_argv, o->prog_argc, extra_i, 2);
    if (!argv_c || !argv_i) goto done;
    int sc = run_child(exe, NULL, argv_c, o->prog_argc + 3, err_c);
    int si = run_child(NULL, interp_ir, argv_i, o->prog_argc + 3, err_i);
    size_t alen = 0, blen = 0;
    a = slurp(err_c, &alen);
    b = slurp(err_i, &blen);
    if (sc != si || sc != 0) {
        bool same = sc == si && a && b && alen == blen && !memcmp(a, b, alen);
        if (same) {
            printf("graphc --verify: both stop with exit status %d and the same message:\n%s", sc, a);
            status = 0;
        } else {
            printf("graphc --verify: the compiled program exits with %d, the interpreter with %d\n", sc, si);
            printf("compiled program's messages:\n%s\ninterpreter's messages:\n%s\n", a ? a : "", b ? b : "");
        }
        goto done;
    }
    free(a);
    free(b);
    a = slurp(out_c, &alen);
    b = slurp(out_i, &blen);
    if (a && b && alen == blen && !memcmp(a, b, alen)) {
        printf("graphc --verify: the compiled program and the interpreter agree exactly (identical output, %zu bytes)\n",
               alen);
        status = 0;
    } else if (a && b) {
        status = compare_results(o, interp_ir, a, alen, b, blen) ? 0 : 1;
    }
done:
    free(a);
    free(b);
    free(argv_c);
    free(argv_i);
    free(name);
    unlink(exe);
    unlink(out_c);
    unlink(out_i);
    unlink(err_c);
    unlink(err_i);
    rmdir(dir);
    return status;
}

static int run(const Options *o, const char *src, size_t len) {
    Arena arena;
    arena_init(&arena);
    Diag diag;
    diag_init(&diag, o->input, src, len);
    int status = 1;
    char *output = NULL;

    Program *prog = parse_program(&arena, &diag);
    if (!prog || diag.nerrors) goto done;
    if (!check_program(prog, &arena, &diag) || diag.nerrors) goto done;
    if (o->dump_ast) ast_dump(prog, stdout);
    if (o->check_only) { status = 0; goto done; }

    IrFunc *f = build_ir(o, prog, &arena, &diag);
    if (!f) goto done;
    if (o->dump_ir && !strcmp(o->dump_ir, "build")) ir_print(f, stdout);
    if (o->mode == MODE_INTERPRET) { status = interpret(o, f); goto done; }
    if (o->mode == MODE_VERIFY) {
        IrFunc *g = build_ir(o, prog, &arena, &diag); /* kernelized in place: a copy of its own */
        if (g) status = verify_program(o, f, g);
        goto done;
    }
    bool plan_to_stdout = (o->plan_file && !strcmp(o->plan_file, "-")) || o->report;
    if ((o->dump_ir || o->dump_ast || plan_to_stdout) && !o->output) {
        /* a dump alone does not compile, but still shows the later stages */
        if ((o->dump_ir && strcmp(o->dump_ir, "build")) || plan_to_stdout) {
            if (lower(o, f) && emit_plans(o, f)) status = 0;
        } else {
            status = 0;
        }
        goto done;
    }
    output = o->output ? strdup(o->output)
                       : default_output(o->input, o->kind == CG_ASSEMBLY ? ".s" : o->kind == CG_OBJECT ? ".o" : "");
    status = generate(o, f, output, o->kind);

done:
    free(output);
    arena_free(&arena);
    return status;
}

int main(int argc, char **argv) {
    Options o = {0};
    o.plan_nodes = o.plan_edges = -1;
    int st = parse_args(argc, argv, &o);
    if (st >= 0) return st;
    size_t len = 0;
    char *src = read_file(o.input, &len);
    if (!src) return 1;
    st = run(&o, src, len);
    free(src);
    return st;
}
