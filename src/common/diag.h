/* diag.h - the one place compiler diagnostics are printed.
 *
 *   FILE:LINE:COL: error: MESSAGE
 *     <the source line>
 *     <spaces>^
 *
 * Columns are 1-based and count bytes; a tab in the source line is echoed as a
 * tab in the caret line so the caret lines up in a terminal. */
#ifndef GRAPHC_DIAG_H
#define GRAPHC_DIAG_H
#include <stdio.h>
#include <stddef.h>

typedef struct SrcLoc {
    int line, col; /* 1-based; line 0 means "no location" */
} SrcLoc;

typedef struct Diag {
    const char *filename;
    const char *src;  /* whole source text (may contain NUL bytes) */
    size_t len;
    FILE *out;        /* stderr by default */
    int nerrors;
    int max_errors;   /* stop printing (but keep counting) after this many; 0 = 20 */
} Diag;

void diag_init(Diag *d, const char *filename, const char *src, size_t len);
void diag_error(Diag *d, SrcLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_note(Diag *d, SrcLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
