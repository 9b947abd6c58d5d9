/* arena.h - bump allocator for AST and IR: everything is freed at once. */
#ifndef GRAPHC_ARENA_H
#define GRAPHC_ARENA_H
#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head;
    size_t used_bytes;  /* total bytes handed out, for statistics */
} Arena;

void  arena_init(Arena *a);
void  arena_free(Arena *a);
/* Zeroed memory, aligned for any type. Exits with a message when out of memory. */
void *arena_alloc(Arena *a, size_t size);
/* count * size with overflow check. */
void *arena_array(Arena *a, size_t count, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Growable array of pointers living in an arena (old storage is abandoned on growth,
 * which is fine: the arena frees it with everything else). */
typedef struct PtrVec {
    void **items;
    int len, cap;
} PtrVec;
void ptrvec_push(Arena *a, PtrVec *v, void *item);

#endif
