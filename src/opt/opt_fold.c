/* opt_fold.c - constant folding and exact algebraic simplification; see opt.h.
 *
 * A variable is a known constant when its one definition is a CONST
 * (OptDefs: that definition then reaches every read). An element-wise op
 * whose operands are all known is evaluated here exactly as the compiled
 * program and the interpreter would evaluate it at run time, and becomes a
 * CONST:
 *   - ints wrap around (two's complement); div and % floor as Python does,
 *     `x div -1` is `0 - x` (wrapping);
 *   - floats: + - * / sqrt abs neg floor ceil, min/max, casts: IEEE 754,
 *     exactly rounded, the same on the compiler's machine as on the
 *     program's;
 *   - comparisons, and/or/not, and bool/int/float casts (never to or from
 *     the f32 storage type).
 * Never folded, because the run time may compute something else or must
 * stop: exp, log and pow (libm's last bit differs between libms;
 * tests/difftest/regress/libm-constant-folding), an int div or % by zero,
 * int() of a NaN or out-of-range float (run-time errors that must stay).
 *
 * Identities, only those exact for every value including -0.0, NaN and inf:
 *   int:   x + 0, 0 + x, x - 0, x * 1, 1 * x, x div 1 -> x;  x * 0, 0 * x,
 *          x - x, x % 1, x % -1 -> 0;  x div -1 -> -x
 *   float: x * 1.0, 1.0 * x, x / 1.0, x - 0.0, x + -0.0, -0.0 + x -> x
 *          (but not x + 0.0: -0.0 + 0.0 is +0.0; not x * 0.0: -x, NaN, inf)
 *   bool:  x and true, x or false, x and x, x or x -> x; x and false ->
 *          false; x or true -> true
 *   where(true, a, b) -> a, where(false, a, b) -> b, where(c, a, a) -> a;
 *   min(x, x), max(x, x) -> x; x == x, x <= x, x >= x -> true and x != x,
 *   x < x, x > x -> false for ints, bools and nodes (not floats: NaN).
 * An identity leaves `copy x` (copy-prop and dce clean up). An `if` on a
 * known condition is replaced by the branch that runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opt/opt.h"

typedef struct Folder {
    IrFunc *f;
    OptDefs *defs;
    bool changed;
} Folder;

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* The run time's floor division and modulo (interp.c int_floordiv); b != 0. */
static int64_t int_floordiv(int64_t a, int64_t b, bool mod) {
    if (b == -1) return mod ? 0 : wrap_sub(0, a);
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) { q -= 1; r += b; }
    return mod ? r : q;
}

static double float_mod(double a, double b) {
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

static bool fits_int(double x) { return x >= -9223372036854775808.0 && x < 9223372036854775808.0; }

static bool cast_const(const IrConst *a, DType from, DType to, IrConst *r) {
    /* f32 is storage only: its rounding (nearest even, overflow to inf) is
     * the run time's business, and no constant has that type */
    if (from == DT_NODE || to == DT_NODE || from == DT_F32 || to == DT_F32) return false;
    switch (to) {
    case DT_BOOL: r->i = from == DT_FLOAT ? a->f != 0 : a->i != 0; return true;
    case DT_FLOAT: r->f = from == DT_BOOL ? (a->i ? 1.0 : 0.0) : (double)a->i; return true;
    case DT_INT:
        if (from != DT_FLOAT) { r->i = a->i; return true; }
        if (!fits_int(a->f)) return false; /* int() stops the program */
        r->i = (int64_t)a->f;
        return true;
    default: return false;
    }
}

static bool compare(IrOpcode code, DType d, const IrConst *a, const IrConst *b) {
    if (d == DT_FLOAT) {
        double x = a->f, y = b->f;
        switch (code) {
        case IR_EQ: return x == y;
        case IR_NE: return x != y;
        case IR_LT: return x < y;
        case IR_LE: return x <= y;
        case IR_GT: return x > y;
        default: return x >= y;
        }
    }
    int64_t x = a->i, y = b->i;
    switch (code) {
    case IR_EQ: return x == y;
    case IR_NE: return x != y;
    case IR_LT: return x < y;
    case IR_LE: return x <= y;
    case IR_GT: return x > y;
    default: return x >= y;
    }
}

/* The value of op on constant operands k[], into r; false if it must not be
 * folded. */
static bool eval(const IrFunc *f, const IrOp *op, const IrConst *const *k, IrConst *r) {
    DType d = ir_var_type(f, op->dst).dtype;
    DType s0 = ir_var_type(f, op->src[0]).dtype;
    const IrConst *a = k[0], *b = k[1];
    bool fl = d == DT_FLOAT, in = d == DT_INT;
    *r = (IrConst){d, 0, 0.0};
    switch (op->code) {
    case IR_NEG:
        if (fl) r->f = -a->f;
        else if (in) r->i = wrap_sub(0, a->i);
        else return false;
        return true;
    case IR_NOT: r->i = !a->i; return true;
    case IR_ABS:
        if (fl) r->f = fabs(a->f);
        else if (in) r->i = a->i < 0 ? wrap_sub(0, a->i) : a->i;
        else return false;
        return true;
    case IR_SQRT: r->f = sqrt(a->f); return true;
    case IR_FLOOR: r->f = floor(a->f); return true;
    case IR_CEIL: r->f = ceil(a->f); return true;
    case IR_CAST: return cast_const(a, s0, d, r);
    case IR_COPY: *r = *a; return true;
    case IR_ADD: case IR_SUB: case IR_MUL:
        if (fl) r->f = op->code == IR_ADD ? a->f + b->f : op->code == IR_SUB ? a->f - b->f : a->f * b->f;
        else if (in) r->i = op->code == IR_ADD ? wrap_add(a->i, b->i) : op->code == IR_SUB ? wrap_sub(a->i, b->i)
                                                                     : wrap_mul(a->i, b->i);
        else return false;
        return true;
    case IR_DIV: r->f = a->f / b->f; return true;
    case IR_FLOORDIV: case IR_MOD:
        if (fl) {
            r->f = op->code == IR_FLOORDIV ? floor(a->f / b->f) : float_mod(a->f, b->f);
            return true;
        }
        if (!in || b->i == 0) return false; /* division by zero stops the program */
        r->i = int_floordiv(a->i, b->i, op->code == IR_MOD);
        return true;
    case IR_MIN: case IR_MAX: {
        /* min(a, b) is b only when b < a (on ties and NaNs it is a) */
        bool take_b;
        if (fl) take_b = op->code == IR_MIN ? b->f < a->f : b->f > a->f;
        else if (in) take_b = op->code == IR_MIN ? b->i < a->i : b->i > a->i;
        else return false;
        *r = take_b ? *b : *a;
        return true;
    }
    case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE:
        if (s0 == DT_NODE) return false;
        r->i = compare(op->code, s0, a, b);
        return true;
    case IR_AND: r->i = a->i && b->i; return true;
    case IR_OR: r->i = a->i || b->i; return true;
    default:
        return false; /* exp, log, pow (libm), where (below), file_id */
    }
}

static void become_const(Folder *fo, IrOp *op, IrConst c) {
    op->code = IR_CONST;
    op->nsrc = 0;
    op->c = c;
    fo->changed = true;
}

static void become_copy(Folder *fo, IrOp *op, int x) {
    op->code = IR_COPY;
    op->src[0] = x;
    op->nsrc = 1;
    fo->changed = true;
}

static bool is_int(const IrConst *k, int64_t v) { return k && k->dtype == DT_INT && k->i == v; }
static bool is_float(const IrConst *k, double v, bool neg) {
    return k && k->dtype == DT_FLOAT && k->f == v && !signbit(k->f) == !neg;
}
static bool is_bool(const IrConst *k, bool v) { return k && k->dtype == DT_BOOL && (k->i != 0) == v; }

/* Exact identities with some operands known (see the top of the file). */
static void simplify(Folder *fo, IrOp *op, const IrConst *const *k) {
    const IrFunc *f = fo->f;
    DType d = ir_var_type(f, op->dst).dtype;
    int x = op->src[0], y = op->nsrc > 1 ? op->src[1] : -1;
    IrConst zero = {d, 0, 0.0}, yes = {DT_BOOL, 1, 0.0}, no = {DT_BOOL, 0, 0.0};
    bool exact_eq = op->nsrc == 2 && ir_var_type(f, x).dtype != DT_FLOAT; /* x == x holds */
    switch (op->code) {
    case IR_WHERE:
        if (k[0]) become_copy(fo, op, k[0]->i ? op->src[1] : op->src[2]);
        else if (op->src[1] == op->src[2]) become_copy(fo, op, op->src[1]);
        break;
    case IR_ADD:
        if (is_int(k[1], 0) || is_float(k[1], 0.0, true)) become_copy(fo, op, x);
        else if (is_int(k[0], 0) || is_float(k[0], 0.0, true)) become_copy(fo, op, y);
        break;
    case IR_SUB:
        if (is_int(k[1], 0) || is_float(k[1], 0.0, false)) become_copy(fo, op, x);
        else if (d == DT_INT && x == y) become_const(fo, op, zero);
        break;
    case IR_MUL:
        if (is_int(k[1], 1) || is_float(k[1], 1.0, false)) become_copy(fo, op, x);
        else if (is_int(k[0], 1) || is_float(k[0], 1.0, false)) become_copy(fo, op, y);
        else if (is_int(k[0], 0) || is_int(k[1], 0)) become_const(fo, op, zero);
        break;
    case IR_DIV:
        if (is_float(k[1], 1.0, false)) become_copy(fo, op, x);
        break;
    case IR_FLOORDIV:
        if (is_int(k[1], 1)) become_copy(fo, op, x);
        else if (is_int(k[1], -1)) {
            op->code = IR_NEG; /* wraps like the run time's INT64_MIN div -1 */
            op->nsrc = 1;
            fo->changed = true;
        }
        break;
    case IR_MOD:
        if (is_int(k[1], 1) || is_int(k[1], -1)) become_const(fo, op, zero);
        break;
    case IR_MIN: case IR_MAX:
        if (x == y) become_copy(fo, op, x);
        break;
    case IR_AND:
        if (is_bool(k[1], true) || x == y) become_copy(fo, op, x);
        else if (is_bool(k[0], true)) become_copy(fo, op, y);
        else if (is_bool(k[0], false) || is_bool(k[1], false)) become_const(fo, op, no);
        break;
    case IR_OR:
        if (is_bool(k[1], false) || x == y) become_copy(fo, op, x);
        else if (is_bool(k[0], false)) become_copy(fo, op, y);
        else if (is_bool(k[0], true) || is_bool(k[1], true)) become_const(fo, op, yes);
        break;
    case IR_EQ: case IR_LE: case IR_GE:
        if (exact_eq && x == y) become_const(fo, op, yes);
        break;
    case IR_NE: case IR_LT: case IR_GT:
        if (exact_eq && x == y) become_const(fo, op, no);
        break;
    default:
        break;
    }
}

static void fold_op(Folder *fo, IrOp *op) {
    const IrFunc *f = fo->f;
    if (op->dst < 0 || ir_is_vector(f, op->dst) || op->code < IR_NEG || op->code > IR_COPY ||
        op->code == IR_BROADCAST)
        return;
    const IrConst *k[3] = {NULL, NULL, NULL};
    bool all = true;
    for (int s = 0; s < op->nsrc && s < 3; s++) {
        k[s] = opt_const_of(fo->defs, op->src[s]);
        all &= k[s] != NULL;
    }
    IrConst r;
    if (all && op->code != IR_WHERE && eval(f, op, k, &r)) {
        become_const(fo, op, r);
        return;
    }
    simplify(fo, op, k);
}

static void fold_block(Folder *fo, IrBlock *b) {
    IrBlock out = {0}; /* rebuilt only once an if is replaced by a branch */
    bool rebuilt = false;
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        const IrConst *cond = op->code == IR_IF ? opt_const_of(fo->defs, op->src[0]) : NULL;
        if (op->body) fold_block(fo, op->body);
        if (op->els) fold_block(fo, op->els);
        if (!cond) {
            fold_op(fo, op);
            if (rebuilt) ir_block_append(fo->f, &out, op);
            continue;
        }
        if (!rebuilt) {
            for (int j = 0; j < i; j++) ir_block_append(fo->f, &out, b->ops[j]);
            rebuilt = true;
        }
        const IrBlock *taken = cond->i ? op->body : op->els;
        for (int j = 0; taken && j < taken->nops; j++) ir_block_append(fo->f, &out, taken->ops[j]);
        fo->changed = true;
    }
    if (rebuilt) *b = out;
}

bool opt_fold(IrFunc *f) {
    bool any = false;
    /* one walk folds chains in program order; another may follow an if
     * that turned into its branch */
    for (int round = 0; round < 100; round++) {
        OptDefs defs;
        opt_defs_init(&defs, f);
        Folder fo = {f, &defs, false};
        fold_block(&fo, f->body);
        opt_defs_free(&defs);
        if (!fo.changed) break;
        any = true;
    }
    return any;
}
