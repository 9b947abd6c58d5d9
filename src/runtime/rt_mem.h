/* rt_mem.h - checked allocation for the runtime.
 *
 * rt_alloc/rt_free (rt_abi.h) exit on failure; they serve generated code.
 * Library code uses rt_try_alloc, which reports failure as an rt_error. All
 * blocks are 64-byte aligned (cache lines, AVX-512 loads) and freed with rt_free. */
#ifndef GRAPHC_RT_MEM_H
#define GRAPHC_RT_MEM_H
#include <stddef.h>
#include <stdint.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_err.h"

#define RT_ALIGN 64

/* *out = a * b, or return 0 when it overflows size_t (or a, b < 0 for the
 * signed variant). Return 1 on success. */
int rt_size_mul(size_t a, size_t b, size_t *out);
int rt_size_add(size_t a, size_t b, size_t *out);
int rt_size_of_array(int64_t count, int64_t elem_size, size_t *out);

/* count * elem_size bytes, 64-byte aligned; NULL and err set ("out of memory:
 * needed B bytes for WHAT") on overflow or failure. A zero size gives a valid
 * block. */
void *rt_try_alloc(int64_t count, int64_t elem_size, const char *what, rt_error *err);

/* Test hook: make allocations larger than `bytes` fail (0 = no limit). */
void rt_mem_set_limit(size_t bytes);

#endif
