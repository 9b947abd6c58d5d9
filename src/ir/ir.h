/* ir.h - graphc's typed dataflow IR.
 *
 * A function is a tree of structured blocks. Every op writes at most one
 * variable (`dst`) and reads variables (`src`). Variables are typed (dtype and
 * shape: scalar or node vector) and may be assigned more than once (a program
 * variable assigned in a loop is loop-carried); temporaries are assigned once.
 *
 * Ops live at three levels:
 *   top level    scalar ops, whole-vector ops (one value per node), control flow
 *   node level   inside a KERNEL body, or the per-node part of a vector op:
 *                every variable defined there is a scalar; NODE_ID is the node
 *   edge level   inside an NBR_AGG region: per (node, neighbor) pair; NBR is the
 *                neighbor, EDGE_W the edge weight, YIELD ends the region
 *
 * The builder (ir_build.h) emits top-level vector ops and NBR_AGG regions;
 * ir_kernelize turns every top-level vector op and reduction into a KERNEL, the
 * only form of vector work the code generator handles. Everything lives in the
 * function's arena.
 *
 * f32 (DT_F32) is a storage type: binary32 values, stored as C float (4 bytes
 * per vector element). The invariant, from ir_build on and kept by every pass
 * (ir_verify checks it):
 *   - only CAST, LOAD, STORE, COPY and RETURN have a DT_F32 operand or result;
 *   - a CAST with an f32 result has a float operand (rounds to nearest even;
 *     overflow gives inf, NaN stays NaN: C's (float) conversion), and a CAST
 *     of an f32 operand has a float result (exact);
 *   - LOAD of an f32 vector gives an f32 scalar, STORE into an f32 vector
 *     takes an f32 scalar, COPY copies f32 to f32;
 *   - RETURN may name an f32 variable: its output column is float (the
 *     generated program converts an f32 vector into a fresh double column).
 * So arithmetic, comparisons, where, broadcasts, gathers, reductions,
 * aggregations, prints, constants and parameters never see f32: a read of an
 * f32 variable is a CAST to float (kernelized: LOAD the f32 element, CAST),
 * a write is a CAST to f32 (kernelized: CAST, STORE the f32 element). */
#ifndef GRAPHC_IR_H
#define GRAPHC_IR_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/arena.h"
#include "common/diag.h"
#include "frontend/ast.h" /* DType, Shape, Type, NbrDir */

typedef Type IrType;

typedef enum IrOpcode {
    /* values */
    IR_CONST,      /* dst = attr.c */
    IR_PARAM,      /* dst = the index-th parameter */
    IR_GRAPH_N,    /* dst = N */
    IR_GRAPH_M,    /* dst = M */
    IR_NODE_ID,    /* top: dst = node vector 0..N-1; node/edge level: dst = the current node */
    IR_OUT_DEGREE, /* no src: vector (top) or current node's (node level); 1 src: of that node */
    IR_IN_DEGREE,
    IR_DEGREE,
    IR_NODE_FILE_ID, /* dst int = the file's id of node src (int(node)) */
    /* element-wise: shape of dst is vector iff some src is a vector */
    IR_NEG, IR_NOT, IR_ABS, IR_SQRT, IR_EXP, IR_LOG, IR_FLOOR, IR_CEIL,
    IR_CAST,       /* dst dtype from its variable (f32: only float <-> f32, see above) */
    IR_ADD, IR_SUB, IR_MUL, IR_DIV, IR_FLOORDIV, IR_MOD, IR_POW, IR_MIN, IR_MAX,
    IR_EQ, IR_NE, IR_LT, IR_LE, IR_GT, IR_GE, IR_AND, IR_OR,
    IR_WHERE,      /* src: cond, a, b */
    IR_BROADCAST,  /* vector dst = scalar src (init_nodes) */
    IR_COPY,       /* dst = src (same type; vectors: whole-vector copy) */
    /* memory */
    IR_GATHER,     /* vector dst[v] = src0[src1[v]] (src1 a node vector) */
    IR_LOAD,       /* scalar dst = src0[src1] (src0 a vector, src1 a node scalar) */
    IR_STORE,      /* src0[src1] = src2 (no dst) */
    /* reductions and aggregations */
    IR_REDUCE,     /* scalar dst = attr.agg over vector src0 */
    IR_NBR_AGG,    /* dst = attr.agg over the neighbors (attr.dir, attr.weighted); body = edge region */
    IR_NBR,        /* edge level: dst = the neighbor */
    IR_EDGE_W,     /* edge level: dst = the edge weight */
    IR_YIELD,      /* edge level, last op: src0 the value, optional src1 the filter (bool) */
    /* control */
    IR_LOOP,       /* body = region; nsrc == 1: at most src0 iterations (repeat) */
    IR_IF,         /* src0 cond; body = then, els = else (may be empty) */
    IR_BREAK,      /* leaves the innermost LOOP */
    IR_PRINT,      /* prints attr.items (strings and srcs) */
    IR_RETURN,     /* the output columns, in order */
    /* kernels (after ir_kernelize) */
    IR_KERNEL,     /* a parallel loop over nodes: body = node-level region; reds = its reductions */
    IR_ACC,        /* node level: accumulate src0 (and src1 = node for argmin/argmax) into reds[attr.index] */
    IR__COUNT
} IrOpcode;

typedef enum IrAgg {
    AGG_SUM, AGG_MIN, AGG_MAX, AGG_MEAN, AGG_COUNT, AGG_ANY, AGG_ALL,
    AGG_ARGMIN, AGG_ARGMAX, AGG_MODE,
} IrAgg;

typedef struct IrConst {
    DType dtype;
    int64_t i; /* bool, int, node */
    double f;  /* float */
} IrConst;

typedef struct IrPrintItem {
    const char *str; /* a string piece, or NULL: the value of src[var_index] */
    int src_index;
} IrPrintItem;

/* A reduction of a KERNEL: its result variable (a top-level scalar) and kind.
 * in_dtype is the dtype of the accumulated values. */
typedef struct IrKernelRed {
    int dst;
    IrAgg agg;
    DType in_dtype;
} IrKernelRed;

typedef struct IrOp IrOp;
typedef struct IrBlock {
    IrOp **ops;
    int nops, cap;
} IrBlock;

struct IrOp {
    IrOpcode code;
    int id;         /* unique within the function (for printing and plans) */
    int dst;        /* variable written, or -1 */
    int *src;
    int nsrc;
    /* attributes (by opcode) */
    IrConst c;      /* CONST */
    int index;      /* PARAM: position; ACC: reduction number */
    IrAgg agg;      /* REDUCE, NBR_AGG */
    NbrDir dir;     /* NBR_AGG */
    bool weighted;  /* NBR_AGG */
    IrPrintItem *items; int nitems; /* PRINT */
    IrKernelRed *reds; int nreds;   /* KERNEL */
    struct IrOp **members; int nmembers; /* KERNEL: the vector ops it computes (kept from before kernelize; fusion concatenates) */
    IrBlock *body, *els;            /* LOOP, IF, NBR_AGG, KERNEL */
    SrcLoc loc;
};

typedef struct IrVar {
    IrType ty;
    const char *name; /* program variable or parameter name; NULL for temporaries */
} IrVar;

typedef struct IrParam {
    const char *name;
    DType dtype;
    bool has_default;
    int64_t idefault;
    double fdefault;
} IrParam;

typedef struct IrFunc {
    Arena *arena;
    const char *name;
    bool undirected, weighted, nonnegative;
    IrParam *params; int nparams;
    const char **out_names; int nouts; /* columns of the RETURN op */
    IrVar *vars; int nvars, vars_cap;
    IrBlock *body;
    int next_op_id;
    bool kernelized;
} IrFunc;

/* --- construction --- */
IrFunc *ir_func_new(Arena *a, const char *name);
int     ir_var_new(IrFunc *f, IrType ty, const char *name);
IrBlock *ir_block_new(IrFunc *f);
IrOp   *ir_op_new(IrFunc *f, IrOpcode code, int dst, int nsrc, const int *src, SrcLoc loc);
void    ir_block_append(IrFunc *f, IrBlock *b, IrOp *op);

/* --- queries --- */
const char *ir_opcode_name(IrOpcode code);
const char *ir_agg_name(IrAgg agg);
bool ir_is_elementwise(IrOpcode code); /* NEG..COPY: reads only index v of vector srcs */
static inline IrType ir_var_type(const IrFunc *f, int v) { return f->vars[v].ty; }
static inline bool ir_is_vector(const IrFunc *f, int v) { return f->vars[v].ty.shape == SH_VECTOR; }

/* --- passes and tools --- */
void ir_print(const IrFunc *f, FILE *out);
/* Checks the structural and type invariants; prints each violation to `out`
 * (prefixed "ir-verify: STAGE:") and returns false if there was any. */
bool ir_verify(const IrFunc *f, const char *stage, FILE *out);
/* Wraps every top-level vector op and reduction in a KERNEL. */
void ir_kernelize(IrFunc *f);

#endif
