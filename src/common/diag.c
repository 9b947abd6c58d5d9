/* diag.c - diagnostics with source line and caret; see diag.h. */
#include "common/diag.h"

#include <stdarg.h>
#include <string.h>

void diag_init(Diag *d, const char *filename, const char *src, size_t len) {
    d->filename = filename;
    d->src = src;
    d->len = len;
    d->out = stderr;
    d->nerrors = 0;
    d->max_errors = 20;
}

/* Print the source line of loc and a caret under its column. */
static void show_line(Diag *d, SrcLoc loc) {
    if (!d->src || loc.line <= 0) return;
    size_t i = 0;
    for (int line = 1; line < loc.line && i < d->len; i++)
        if (d->src[i] == '\n') line++;
    size_t start = i;
    while (i < d->len && d->src[i] != '\n') i++;
    size_t end = i;
    if (end > start && d->src[end - 1] == '\r') end--;
    /* Very long lines are cut around the caret so the output stays readable. */
    size_t caret = loc.col > 0 ? (size_t)(loc.col - 1) : 0;
    if (caret > end - start) caret = end - start;
    size_t from = start, to = end;
    if (end - start > 160) {
        from = start + (caret > 80 ? caret - 80 : 0);
        to = from + 160 < end ? from + 160 : end;
    }
    fputs("  ", d->out);
    for (size_t k = from; k < to; k++) {
        unsigned char c = (unsigned char)d->src[k];
        fputc(c == 0 || (c < 32 && c != '\t') ? '?' : c, d->out);
    }
    fputs("\n  ", d->out);
    for (size_t k = from; k < start + caret; k++) fputc(d->src[k] == '\t' ? '\t' : ' ', d->out);
    fputs("^\n", d->out);
}

static void vreport(Diag *d, const char *kind, SrcLoc loc, const char *fmt, va_list ap) {
    if (loc.line > 0)
        fprintf(d->out, "%s:%d:%d: %s: ", d->filename, loc.line, loc.col, kind);
    else
        fprintf(d->out, "%s: %s: ", d->filename, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    show_line(d, loc);
}

void diag_error(Diag *d, SrcLoc loc, const char *fmt, ...) {
    int max = d->max_errors > 0 ? d->max_errors : 20;
    d->nerrors++;
    if (d->nerrors > max) {
        if (d->nerrors == max + 1) fprintf(d->out, "%s: note: too many errors, stopping here\n", d->filename);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", loc, fmt, ap);
    va_end(ap);
}

void diag_note(Diag *d, SrcLoc loc, const char *fmt, ...) {
    if (d->nerrors > (d->max_errors > 0 ? d->max_errors : 20)) return;
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "note", loc, fmt, ap);
    va_end(ap);
}
