/* opt_fuse.c - kernel fusion and dead vectors; see opt.h.
 *
 * Two kernels K1; K2 (K2 later in the same block) become one loop over nodes
 * whose body is K1's body followed by K2's, when that keeps the order of
 * every read and write the program makes:
 *   - K2 does not use K1's reductions (they are complete only after K1);
 *   - K2 reads the vectors K1 writes only at its own node, never at another
 *     node (a gather or a neighbor's value needs all of K1 done first);
 *   - K1 reads the vectors K2 writes only at its own node (else K2 could
 *     overwrite, at an earlier node, a value K1 still has to read).
 * Per node, the fused body then performs the same reads and writes in the
 * same order as the two loops did. A value stored at the node and loaded
 * again at the node is forwarded, so the load disappears; opt_dead_vectors
 * then drops vectors nothing reads any more (PageRank's `next` and its
 * element-wise temporaries live only in registers).
 *
 * Scalar ops standing between K1 and K2 are moved above K1 when they neither
 * use K1's reductions nor write a variable K1 reads. */
#include <stdlib.h>
#include <string.h>

#include "opt/opt.h"

/* What a kernel reads and writes. Sets are bitmaps over variables, each
 * with the list of its members, so that clearing and intersecting cost the
 * kernel's size, not the function's variable count (a program of 100,000
 * scalar statements moves each of them above the same kernel). */
enum { K_SELF, K_STORES, K_OWN_READS, K_FOREIGN, K_CAPTURED, K_DEFINED, K_NSETS };

typedef struct KSet {
    unsigned char *has;
    int *list;
    int n;
} KSet;

typedef struct KInfo {
    /* K_SELF: variables that hold the current node (NODE_ID results);
     * K_STORES: vectors stored at the node; K_OWN_READS: vectors loaded at
     * the node; K_FOREIGN: vectors loaded at another node (gathers,
     * neighbors); K_CAPTURED: top-level scalars and vectors the body reads;
     * K_DEFINED: variables defined inside the body */
    KSet set[K_NSETS];
    bool foreign_write;          /* a store at another node (never made by kernelize) */
    const IrOp *owner;           /* the kernel described, NULL when stale */
} KInfo;

typedef struct Fuser {
    IrFunc *f;
    int nvars;
    bool changed;
    KInfo info[2];               /* [0] the open kernel, [1] the next one */
    int *stored;                 /* forward: value stored at the node, or -1 */
} Fuser;

/* Scratch lives in the IR's arena: freed with the IR, and zeroed. */
static void kinfo_init(KInfo *k, Arena *a, int nvars) {
    size_t n = (size_t)nvars + 1;
    for (int s = 0; s < K_NSETS; s++) {
        k->set[s].has = arena_array(a, n, 1);
        k->set[s].list = arena_array(a, n, sizeof(int));
        k->set[s].n = 0;
    }
    k->foreign_write = false;
    k->owner = NULL;
}

static void kinfo_clear(KInfo *k) {
    for (int s = 0; s < K_NSETS; s++) {
        KSet *x = &k->set[s];
        for (int i = 0; i < x->n; i++) x->has[x->list[i]] = 0;
        x->n = 0;
    }
    k->foreign_write = false;
    k->owner = NULL;
}

static inline bool kin(const KInfo *k, int s, int v) { return k->set[s].has[v] != 0; }

static inline void kadd(KInfo *k, int s, int v) {
    KSet *x = &k->set[s];
    if (!x->has[v]) {
        x->has[v] = 1;
        x->list[x->n++] = v;
    }
}

static void scan_defs(const IrBlock *b, KInfo *k) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->dst >= 0) kadd(k, K_DEFINED, op->dst);
        if (op->code == IR_NODE_ID) kadd(k, K_SELF, op->dst);
        if (op->body) scan_defs(op->body, k);
    }
}

static void scan_uses(const IrFunc *f, const IrBlock *b, KInfo *k) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        if (op->code == IR_STORE) {
            if (kin(k, K_SELF, op->src[1])) kadd(k, K_STORES, op->src[0]);
            else k->foreign_write = true;
        } else if (op->code == IR_LOAD) {
            if (kin(k, K_SELF, op->src[1])) kadd(k, K_OWN_READS, op->src[0]);
            else kadd(k, K_FOREIGN, op->src[0]);
        }
        for (int s = 0; s < op->nsrc; s++) {
            int v = op->src[s];
            if (op->code == IR_STORE && s == 0) continue; /* the written vector */
            if (!kin(k, K_DEFINED, v)) kadd(k, K_CAPTURED, v);
        }
        if (op->body) scan_uses(f, op->body, k);
    }
}

/* The info of kernel `kern` in cache slot `slot`, recomputed unless the slot
 * already describes it (merge and forward mark slots stale). */
static const KInfo *kernel_info(Fuser *fu, const IrOp *kern, int slot) {
    KInfo *k = &fu->info[slot];
    if (k->owner == kern) return k;
    kinfo_clear(k);
    scan_defs(kern->body, k);
    scan_uses(fu->f, kern->body, k);
    k->owner = kern;
    return k;
}

static bool intersects(const KInfo *a, int sa, const KInfo *b, int sb) {
    const KSet *x = &a->set[sa];
    for (int i = 0; i < x->n; i++)
        if (kin(b, sb, x->list[i])) return true;
    return false;
}

static bool block_may_fail(const IrFunc *f, const IrBlock *b);

static bool fusable(Fuser *fu, const IrOp *k1, const IrOp *k2) {
    /* two kernels that can each stop the program stay apart: fused, the
     * error of K2 at an early node would come before K1's at a later one */
    if (block_may_fail(fu->f, k1->body) && block_may_fail(fu->f, k2->body)) return false;
    const KInfo *a = kernel_info(fu, k1, 0), *b = kernel_info(fu, k2, 1);
    bool ok = !a->foreign_write && !b->foreign_write;
    for (int r = 0; ok && r < k1->nreds; r++)
        if (kin(b, K_CAPTURED, k1->reds[r].dst)) ok = false;
    if (ok && intersects(a, K_STORES, b, K_FOREIGN)) ok = false;
    if (ok && intersects(b, K_STORES, a, K_FOREIGN)) ok = false;
    return ok;
}

static bool may_fail(const IrFunc *f, const IrOp *op);

/* May top-level op `op`, which follows kernel k, move above it? (Not an op
 * that can stop the program: which error comes first must not change.) */
static bool movable_above(Fuser *fu, const IrOp *op, const IrOp *k) {
    const IrFunc *f = fu->f;
    if (may_fail(f, op)) return false;
    switch (op->code) {
    case IR_CONST: case IR_PARAM: case IR_GRAPH_N: case IR_GRAPH_M: case IR_LOAD:
        break;
    default:
        if (!ir_is_elementwise(op->code)) return false;
        break;
    }
    if (op->dst < 0 || ir_is_vector(f, op->dst)) return false;
    for (int s = 0; s < op->nsrc; s++)
        if (ir_is_vector(f, op->src[s]) && op->code != IR_LOAD) return false;
    const KInfo *a = kernel_info(fu, k, 0);
    bool ok = !kin(a, K_CAPTURED, op->dst);
    for (int r = 0; r < k->nreds; r++) {
        if (k->reds[r].dst == op->dst) ok = false;
        for (int s = 0; s < op->nsrc; s++)
            if (op->src[s] == k->reds[r].dst) ok = false;
    }
    if (op->code == IR_LOAD && (kin(a, K_STORES, op->src[0]) || a->foreign_write)) ok = false;
    return ok;
}

static void rename_var(IrBlock *b, int from, int to) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        for (int s = 0; s < op->nsrc; s++)
            if (op->src[s] == from) op->src[s] = to;
        if (op->body) rename_var(op->body, from, to);
    }
}

/* Appends k2's body to k1's, sharing k1's node variable and reductions. */
static void merge(Fuser *fu, IrOp *k1, IrOp *k2) {
    IrFunc *f = fu->f;
    IrBlock *b1 = k1->body, *b2 = k2->body;
    int node1 = b1->ops[0]->dst, node2 = b2->ops[0]->dst; /* kernelize puts NODE_ID first */
    rename_var(b2, node2, node1);
    for (int i = 1; i < b2->nops; i++) {
        IrOp *op = b2->ops[i];
        if (op->code == IR_ACC) op->index += k1->nreds;
        ir_block_append(f, b1, op);
    }
    if (k2->nreds) {
        IrKernelRed *reds = arena_array(f->arena, (size_t)(k1->nreds + k2->nreds), sizeof *reds);
        if (k1->nreds) memcpy(reds, k1->reds, (size_t)k1->nreds * sizeof *reds);
        memcpy(reds + k1->nreds, k2->reds, (size_t)k2->nreds * sizeof *reds);
        k1->reds = reds;
        k1->nreds += k2->nreds;
    }
    if (k2->nmembers) {
        IrOp **m = arena_array(f->arena, (size_t)(k1->nmembers + k2->nmembers), sizeof *m);
        if (k1->nmembers) memcpy(m, k1->members, (size_t)k1->nmembers * sizeof *m);
        memcpy(m + k1->nmembers, k2->members, (size_t)k2->nmembers * sizeof *m);
        k1->members = m;
        k1->nmembers += k2->nmembers;
    }
    fu->info[0].owner = fu->info[1].owner = NULL; /* k1 grew; k2 is gone */
    fu->changed = true;
}

/* In a kernel body, a load of x at the node after a store of v to x at the
 * node becomes `copy v`. */
static void forward_block(Fuser *fu, IrBlock *b, const KInfo *k, int *stored) {
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        if (op->code == IR_STORE && kin(k, K_SELF, op->src[1])) {
            stored[op->src[0]] = op->src[2];
        } else if (op->code == IR_LOAD && kin(k, K_SELF, op->src[1]) && stored[op->src[0]] >= 0) {
            op->code = IR_COPY;
            op->src[0] = stored[op->src[0]];
            op->nsrc = 1;
            fu->changed = true;
        }
        /* a neighbor region runs after everything stored so far at this node */
        if (op->body) forward_block(fu, op->body, k, stored);
    }
}

static void forward(Fuser *fu, IrOp *kern) {
    const KInfo *k = kernel_info(fu, kern, 0);
    forward_block(fu, kern->body, k, fu->stored);
    const KSet *st = &k->set[K_STORES]; /* back to all -1 for the next kernel */
    for (int i = 0; i < st->n; i++) fu->stored[st->list[i]] = -1;
    fu->info[0].owner = NULL; /* loads became copies */
}

static void fuse_block(Fuser *fu, IrBlock *b) {
    IrOp **out = arena_array(fu->f->arena, (size_t)b->nops + 1, sizeof *out);
    int n = 0;
    IrOp *open = NULL; /* the kernel at out[n-1] that later kernels may join */
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        if (op->code == IR_LOOP || op->code == IR_IF) {
            if (op->body) fuse_block(fu, op->body);
            if (op->els) fuse_block(fu, op->els);
        }
        if (op->code == IR_KERNEL) {
            if (open && fusable(fu, open, op)) {
                merge(fu, open, op);
                continue;
            }
            out[n++] = op;
            if (open && fu->info[1].owner == op) { /* op's info, computed by fusable, is now the open kernel's */
                KInfo t = fu->info[0];
                fu->info[0] = fu->info[1];
                fu->info[1] = t;
            }
            open = op;
            continue;
        }
        if (open && movable_above(fu, op, open)) {
            out[n] = out[n - 1];
            out[n - 1] = op;
            n++;
            fu->changed = true;
            continue;
        }
        out[n++] = op;
        open = NULL;
    }
    b->ops = out;
    b->nops = n;
    b->cap = b->nops + 1;
    for (int i = 0; i < b->nops; i++)
        if (b->ops[i]->code == IR_KERNEL) forward(fu, b->ops[i]);
}

bool opt_fuse(IrFunc *f) {
    Fuser fu = {.f = f, .nvars = f->nvars};
    kinfo_init(&fu.info[0], f->arena, f->nvars);
    kinfo_init(&fu.info[1], f->arena, f->nvars);
    fu.stored = arena_array(f->arena, (size_t)f->nvars + 1, sizeof(int));
    for (int i = 0; i <= f->nvars; i++) fu.stored[i] = -1;
    fuse_block(&fu, f->body);
    return fu.changed;
}

/* ---- dead vectors ------------------------------------------------------------ */

static void count_reads(const IrFunc *f, const IrBlock *b, int *reads) {
    for (int i = 0; i < b->nops; i++) {
        const IrOp *op = b->ops[i];
        for (int s = 0; s < op->nsrc; s++) {
            if (op->code == IR_STORE && s == 0) continue;
            reads[op->src[s]]++;
        }
        if (op->body) count_reads(f, op->body, reads);
        if (op->els) count_reads(f, op->els, reads);
    }
}

/* Ops that can stop the program (integer division by zero, int() of a
 * float out of range): never dead, whatever their result feeds. */
static bool may_fail(const IrFunc *f, const IrOp *op) {
    if (op->dst < 0) return false;
    DType d = ir_var_type(f, op->dst).dtype;
    if ((op->code == IR_FLOORDIV || op->code == IR_MOD) && d != DT_FLOAT) return true;
    return op->code == IR_CAST && d == DT_INT && ir_var_type(f, op->src[0]).dtype == DT_FLOAT;
}

static bool block_may_fail(const IrFunc *f, const IrBlock *b) {
    for (int i = 0; i < b->nops; i++)
        if (may_fail(f, b->ops[i]) || (b->ops[i]->body && block_may_fail(f, b->ops[i]->body))) return true;
    return false;
}

static bool has_effect(const IrFunc *f, const IrOp *op) {
    if (may_fail(f, op) || (op->code == IR_NBR_AGG && block_may_fail(f, op->body))) return true;
    switch (op->code) {
    case IR_STORE: case IR_ACC: case IR_YIELD: case IR_LOOP: case IR_IF: case IR_BREAK:
    case IR_PRINT: case IR_RETURN: case IR_KERNEL: case IR_PARAM:
        return true;
    default:
        return false;
    }
}

/* Removes stores to dead vectors and, inside kernels, ops whose result is
 * unused; repeats until nothing changes. */
static bool sweep(IrFunc *f, IrBlock *b, const int *reads, bool in_kernel) {
    bool changed = false;
    int n = 0;
    for (int i = 0; i < b->nops; i++) {
        IrOp *op = b->ops[i];
        bool dead = false;
        if (op->code == IR_STORE && ir_is_vector(f, op->src[0]) && reads[op->src[0]] == 0) dead = true;
        else if (in_kernel && !has_effect(f, op) && op->dst >= 0 && reads[op->dst] == 0) dead = true;
        if (op->body && op->code != IR_NBR_AGG) changed |= sweep(f, op->body, reads, in_kernel || op->code == IR_KERNEL);
        if (op->els) changed |= sweep(f, op->els, reads, in_kernel);
        if (op->code == IR_KERNEL && op->nreds == 0) {
            bool stores = false;
            for (int k = 0; k < op->body->nops; k++) stores |= op->body->ops[k]->code == IR_STORE;
            if (!stores && !block_may_fail(f, op->body)) dead = true;
        }
        if (dead) { changed = true; continue; }
        b->ops[n++] = op;
    }
    b->nops = n;
    return changed;
}

bool opt_dead_vectors(IrFunc *f) {
    bool any = false;
    int *reads = malloc(((size_t)f->nvars + 1) * sizeof(int));
    for (;;) {
        memset(reads, 0, ((size_t)f->nvars + 1) * sizeof(int));
        count_reads(f, f->body, reads);
        if (!sweep(f, f->body, reads, false)) break;
        any = true;
    }
    free(reads);
    return any;
}
