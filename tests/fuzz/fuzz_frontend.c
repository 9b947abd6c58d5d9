/* fuzz_frontend.c - libFuzzer harness for the compiler's front half: source
 * text through parse, check, IR build and kernelization (and, once they
 * exist, the optimizer and planner), stopping before code generation.
 *
 * Any crash, sanitizer report, leak or hang is a bug; so is an IR the
 * verifier rejects after a program was accepted (we abort to report it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/diag.h"
#include "frontend/check.h"
#include "frontend/parse.h"
#include "ir/ir.h"
#include "ir/ir_build.h"

static FILE *sink(void) {
    static FILE *null;
    if (!null) null = fopen("/dev/null", "w");
    return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *src = malloc(size + 1);
    if (!src) return 0;
    memcpy(src, data, size);
    src[size] = 0;
    Arena arena;
    arena_init(&arena);
    Diag d;
    diag_init(&d, "fuzz.galg", src, size);
    d.out = sink();
    Program *p = parse_program(&arena, &d);
    if (p && !d.nerrors && check_program(p, &arena, &d) && !d.nerrors) {
        IrFunc *f = ir_build(p, &arena, &d);
        if (f && !d.nerrors) {
            if (!ir_verify(f, "build", stderr)) abort();
            ir_kernelize(f);
            if (!ir_verify(f, "kernelize", stderr)) abort();
            ir_print(f, sink());
        }
    }
    arena_free(&arena);
    free(src);
    return 0;
}
