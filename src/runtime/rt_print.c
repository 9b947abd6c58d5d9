/* rt_print.c - print(...) of .galg programs (ABI): one line to stderr per
 * print, items separated by one space. Each thread assembles its line in a
 * thread-local buffer and writes it with a single call, so lines printed from
 * several threads never interleave. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_abi.h"
#include "runtime/rt_fmt.h"

enum { SMALL = 512 };

typedef struct line_buf {
    char small[SMALL];
    char *big; /* heap buffer once the line outgrows `small`; freed at end */
    size_t len, cap;
    int items;
} line_buf;

static _Thread_local line_buf lb;

static char *data(void) { return lb.big ? lb.big : lb.small; }

static void append(const char *s, size_t n)
{
    size_t cap = lb.big ? lb.cap : SMALL;
    if (lb.len + n + 2 > cap) { /* +2: newline and NUL */
        size_t ncap = cap * 2;
        while (lb.len + n + 2 > ncap)
            ncap *= 2;
        char *nb = malloc(ncap);
        if (!nb)
            return; /* drop the item rather than fail the program over a print */
        memcpy(nb, data(), lb.len);
        free(lb.big);
        lb.big = nb;
        lb.cap = ncap;
    }
    memcpy(data() + lb.len, s, n);
    lb.len += n;
}

static void item(const char *s, size_t n)
{
    if (lb.items++ > 0)
        append(" ", 1);
    append(s, n);
}

void rt_print_begin(void)
{
    free(lb.big);
    lb.big = NULL;
    lb.len = 0;
    lb.items = 0;
}

void rt_print_str(const char *s)
{
    if (!s)
        s = "";
    item(s, strlen(s));
}

void rt_print_int(int64_t v)
{
    char b[RT_FMT_MAX];
    item(b, (size_t)rt_fmt_i64(b, v));
}

void rt_print_float(double v)
{
    char b[RT_FMT_MAX];
    item(b, (size_t)rt_fmt_double(b, v));
}

void rt_print_bool(int32_t v) { rt_print_str(v ? "true" : "false"); }

void rt_print_node(const rt_graph *g, int64_t dense)
{
    char b[RT_FMT_MAX];
    if (g && dense >= 0 && dense < g->n)
        item(b, (size_t)rt_fmt_u64(b, g->ids[dense]));
    else
        item("-1", 2); /* no node (documented in docs/runtime.md) */
}

void rt_print_end(void)
{
    append("\n", 1);
    fwrite(data(), 1, lb.len, stderr); /* stderr is unbuffered: one write */
    free(lb.big);
    lb.big = NULL;
    lb.len = 0;
    lb.items = 0;
}
