/* cg.h - lowering kernelized IR to native code through libgccjit. */
#ifndef GRAPHC_CG_H
#define GRAPHC_CG_H
#include <stdbool.h>

#include "ir/ir.h"

typedef enum CgOutputKind { CG_EXECUTABLE, CG_OBJECT, CG_ASSEMBLY } CgOutputKind;

typedef struct CgOptions {
    CgOutputKind kind;
    int opt_level;           /* 0..3 */
    const char *march;       /* a concrete -march value (libgccjit refuses "native") */
    const char *output;      /* the file to write */
    const char *runtime_lib; /* libgraphc_rt.a, linked into executables */
    const char *dump_gccjit; /* write libgccjit's C-like dump here, or NULL */
    const char *extra_link;  /* extra driver flags for linking (sanitizers), or NULL */
} CgOptions;

/* Elements per chunk of a kernel's parallel loop. Fixed, so partial reductions
 * (one per chunk, combined in chunk order) never depend on the thread count. */
enum { CG_CHUNK = 1024 };

/* Compiles f (which must be kernelized) to o->output. On failure prints
 * "graphc: error: ..." to stderr and returns false; nothing is left at o->output. */
bool cg_compile(IrFunc *f, const CgOptions *o);

/* The -march level of the host CPU: x86-64-v4, -v3, -v2 or x86-64. */
const char *cg_host_march(void);

#endif
