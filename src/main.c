/* main.c - the graphc command line: wires the stages together, nothing more.
 *
 *   source --parse--> AST --check--> typed AST --ir_build--> IR --kernelize--> IR --cg--> program
 *
 * Exit status: 0 success, 1 errors in the program (or code generation), 2 a bad
 * command line. */
#include <errno.h>
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
#include "ir/ir.h"
#include "ir/ir_build.h"

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

typedef struct Options {
    const char *input, *output, *march, *dump_gccjit, *dump_ir;
    CgOutputKind kind;
    int opt_level;
    bool check_only, dump_ast, verify_ir;
} Options;

static void usage(FILE *out) {
    fputs("usage: graphc [options] PROGRAM.galg\n"
          "\n"
          "Compiles a .galg graph algorithm to a native, parallel program.\n"
          "\n"
          "options:\n"
          "  -o FILE            write the output to FILE (default: PROGRAM, PROGRAM.s or PROGRAM.o)\n"
          "  -S                 write assembly\n"
          "  -c                 write an object file (link it with libgraphc_rt.a -fopenmp -lm)\n"
          "  -O0 -O1 -O2 -O3    optimization level (default -O2)\n"
          "  -march=CPU         target CPU (default: the host's level, e.g. x86-64-v3)\n"
          "  --check            parse and check only\n"
          "  --dump-ast         print the checked syntax tree\n"
          "  --dump-ir[=after-STAGE]  print the IR (STAGE: build, kernelize; default build)\n"
          "  --dump-gccjit=FILE write libgccjit's C-like view of the generated code to FILE\n"
          "  --verify-ir        check IR invariants after every stage (on in debug builds)\n"
          "  --version          print the version\n"
          "  --help             print this help\n"
          "\n"
          "environment: GRAPHC_RUNTIME overrides the path of libgraphc_rt.a.\n"
          "See graphc(1) for the options of the generated program.\n",
          out);
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o")) {
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
            o->march = a + 7;
        } else if (!strcmp(a, "--check")) {
            o->check_only = true;
        } else if (!strcmp(a, "--dump-ast")) {
            o->dump_ast = true;
        } else if (!strcmp(a, "--dump-ir")) {
            o->dump_ir = "build";
        } else if (!strncmp(a, "--dump-ir=after-", 16)) {
            o->dump_ir = a + 16;
            if (strcmp(o->dump_ir, "build") && strcmp(o->dump_ir, "kernelize"))
                return usage_error("%s: unknown stage (build, kernelize)", a);
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

static int compile(const Options *o, const char *src, size_t len) {
    Arena arena;
    arena_init(&arena);
    Diag diag;
    diag_init(&diag, o->input, src, len);
    int status = 1;
    char *runtime = NULL, *output = NULL;

    Program *prog = parse_program(&arena, &diag);
    if (!prog || diag.nerrors) goto done;
    if (!check_program(prog, &arena, &diag) || diag.nerrors) goto done;
    if (o->dump_ast) ast_dump(prog, stdout);
    if (o->check_only) { status = 0; goto done; }

    IrFunc *f = ir_build(prog, &arena, &diag);
    if (!f || diag.nerrors) goto done;
    if (!verify(o, f, "build")) goto done;
    if (o->dump_ir && !strcmp(o->dump_ir, "build")) ir_print(f, stdout);
    ir_kernelize(f);
    if (!verify(o, f, "kernelize")) goto done;
    if (o->dump_ir && !strcmp(o->dump_ir, "kernelize")) ir_print(f, stdout);
    if (o->dump_ir || o->dump_ast) {
        if (!o->output) { status = 0; goto done; } /* a dump alone does not compile */
    }

    CgOptions cg = {.kind = o->kind, .opt_level = o->opt_level, .dump_gccjit = o->dump_gccjit};
    cg.march = o->march ? o->march : cg_host_march();
    output = o->output ? strdup(o->output)
                       : default_output(o->input, o->kind == CG_ASSEMBLY ? ".s" : o->kind == CG_OBJECT ? ".o" : "");
    cg.output = output;
#ifdef GRAPHC_SAN_LINK
    cg.extra_link = GRAPHC_SAN_LINK;
#endif
    if (o->kind == CG_EXECUTABLE) {
        runtime = find_runtime();
        if (!runtime) goto done;
        cg.runtime_lib = runtime;
    }
    status = cg_compile(f, &cg) ? 0 : 1;

done:
    free(runtime);
    free(output);
    arena_free(&arena);
    return status;
}

int main(int argc, char **argv) {
    Options o = {0};
    int st = parse_args(argc, argv, &o);
    if (st >= 0) return st;
    size_t len = 0;
    char *src = read_file(o.input, &len);
    if (!src) return 1;
    st = compile(&o, src, len);
    free(src);
    return st;
}
