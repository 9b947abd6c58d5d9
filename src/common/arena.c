/* arena.c - bump allocator; see arena.h. */
#include "common/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaChunk {
    ArenaChunk *next;
    size_t size, used;
    max_align_t data[]; /* aligned payload */
};

enum { ARENA_CHUNK = 64 * 1024 };

void arena_init(Arena *a) { a->head = NULL; a->used_bytes = 0; }

void arena_free(Arena *a) {
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_bytes = 0;
}

static void arena_oom(size_t size) {
    fprintf(stderr, "graphc: error: out of memory (needed %zu bytes for the compiler's arena)\n", size);
    exit(1);
}

void *arena_alloc(Arena *a, size_t size) {
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align) arena_oom(size);
    size = (size + align - 1) & ~(align - 1);
    ArenaChunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        if (cap > SIZE_MAX - sizeof(ArenaChunk)) arena_oom(size);
        c = malloc(sizeof(ArenaChunk) + cap);
        if (!c) arena_oom(size);
        c->size = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->used_bytes += size;
    memset(p, 0, size);
    return p;
}

void *arena_array(Arena *a, size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) arena_oom(SIZE_MAX);
    return arena_alloc(a, count * size);
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void ptrvec_push(Arena *a, PtrVec *v, void *item) {
    if (v->len == v->cap) {
        int cap = v->cap ? v->cap * 2 : 8;
        void **items = arena_array(a, (size_t)cap, sizeof(void *));
        if (v->len) memcpy(items, v->items, (size_t)v->len * sizeof(void *));
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
}
