/* ir_print.c - the textual form of the IR behind `graphc --dump-ir`.
 *
 *   %ranks.4 : float[N] = mul %ranks.4, %inv_deg.3
 *
 * A variable prints as %NAME.ID (program variables) or %ID (temporaries); its
 * type follows the first definition on each line: `float` for a scalar,
 * `float[N]` for a node vector. Regions print indented in braces. */
#include "ir/ir.h"

#include <inttypes.h>

#include "common/numfmt.h"

static void print_var(const IrFunc *f, int v, FILE *out) {
    if (v < 0 || v >= f->nvars) { fprintf(out, "%%<bad %d>", v); return; }
    if (f->vars[v].name) fprintf(out, "%%%s.%d", f->vars[v].name, v);
    else fprintf(out, "%%%d", v);
}

static void print_type(IrType t, FILE *out) {
    fprintf(out, "%s%s", dtype_name(t.dtype), t.shape == SH_VECTOR ? "[N]" : "");
}

static void print_const(IrConst c, FILE *out) {
    switch (c.dtype) {
    case DT_FLOAT: {
        char buf[32];
        fmt_double(buf, c.f);
        fputs(buf, out);
        break;
    }
    case DT_BOOL: fputs(c.i ? "true" : "false", out); break;
    default: fprintf(out, "%" PRId64, c.i); break;
    }
}

static void print_block(const IrFunc *f, const IrBlock *b, int depth, FILE *out);

static void print_op(const IrFunc *f, const IrOp *op, int depth, FILE *out) {
    fprintf(out, "%*s", depth * 2, "");
    if (op->dst >= 0) {
        print_var(f, op->dst, out);
        fputs(" : ", out);
        print_type(f->vars[op->dst].ty, out);
        fputs(" = ", out);
    }
    fputs(ir_opcode_name(op->code), out);
    switch (op->code) {
    case IR_REDUCE: case IR_NBR_AGG: fprintf(out, ".%s", ir_agg_name(op->agg)); break;
    default: break;
    }
    if (op->code == IR_NBR_AGG) {
        static const char *const dirs[] = {"in", "out", "both"};
        fprintf(out, "[%s%s]", dirs[op->dir], op->weighted ? ",weighted" : "");
    }
    if (op->code == IR_CONST) { fputc(' ', out); print_const(op->c, out); }
    if (op->code == IR_PARAM) fprintf(out, " %d", op->index);
    if (op->code == IR_ACC) fprintf(out, "[%d]", op->index);
    if (op->code == IR_PRINT) {
        for (int i = 0; i < op->nitems; i++) {
            fputs(i ? ", " : " ", out);
            if (op->items[i].str) fprintf(out, "\"%s\"", op->items[i].str);
            else print_var(f, op->src[op->items[i].src_index], out);
        }
    } else {
        for (int i = 0; i < op->nsrc; i++) {
            fputs(i ? ", " : " ", out);
            print_var(f, op->src[i], out);
        }
    }
    if (op->code == IR_KERNEL && op->nreds) {
        fputs(" reduce(", out);
        for (int i = 0; i < op->nreds; i++) {
            if (i) fputs(", ", out);
            fprintf(out, "[%d] %s -> ", i, ir_agg_name(op->reds[i].agg));
            print_var(f, op->reds[i].dst, out);
        }
        fputc(')', out);
    }
    if (op->body) {
        fputs(" {\n", out);
        print_block(f, op->body, depth + 1, out);
        fprintf(out, "%*s}", depth * 2, "");
        if (op->code == IR_IF && op->els && op->els->nops) {
            fputs(" else {\n", out);
            print_block(f, op->els, depth + 1, out);
            fprintf(out, "%*s}", depth * 2, "");
        }
    }
    fputc('\n', out);
}

static void print_block(const IrFunc *f, const IrBlock *b, int depth, FILE *out) {
    for (int i = 0; i < b->nops; i++) print_op(f, b->ops[i], depth, out);
}

void ir_print(const IrFunc *f, FILE *out) {
    fprintf(out, "algorithm %s(", f->name);
    for (int i = 0; i < f->nparams; i++) {
        const IrParam *p = &f->params[i];
        fprintf(out, "%s%s: %s", i ? ", " : "", p->name, dtype_name(p->dtype));
        if (p->has_default) {
            IrConst c = {p->dtype, p->idefault, p->fdefault};
            fputs(" = ", out);
            print_const(c, out);
        }
    }
    fputc(')', out);
    if (f->undirected) fputs(" undirected", out);
    if (f->weighted) fputs(" weighted", out);
    if (f->nonnegative) fputs(" nonnegative", out);
    fputs(" {\n", out);
    print_block(f, f->body, 1, out);
    fputs("}\n", out);
}
