/* rt_err.h - errors as values, the program name, and fatal exits.
 *
 * Library code (loader, graph build, CLI parsing) never exits: it fills an
 * rt_error and returns non-zero, so fuzz harnesses and tests can call it.
 * Only the driver (rt_driver.c) and the ABI entry points used by generated
 * code (rt_fail, rt_alloc) end the process, through rt_die. */
#ifndef GRAPHC_RT_ERR_H
#define GRAPHC_RT_ERR_H
#include <stdint.h>
#include <stdio.h>

enum {
    RT_OK = 0,
    RT_ERR_INPUT = 1, /* malformed input file or value that depends on it */
    RT_ERR_USAGE = 2, /* bad command line */
    RT_ERR_NOMEM = 3, /* allocation failed or size overflow */
    RT_ERR_LIMIT = 4, /* input exceeds a documented limit */
    RT_ERR_IO = 5,    /* read/write failure */
};

#define RT_ERROR_MSG_MAX 1024

typedef struct rt_error {
    int code;      /* RT_OK when no error */
    uint64_t line; /* 1-based line of an input error, 0 when not about a line */
    int located;   /* msg starts with "FILE[:LINE]: error: "; otherwise the
                      driver prints it after "PROG: error: " */
    char msg[RT_ERROR_MSG_MAX]; /* the full message without trailing newline */
} rt_error;

/* Sets *err (first error wins: a second call on a failed err is ignored).
 * Returns code so that `return rt_error_set(...)` reads naturally. */
int rt_error_set(rt_error *err, int code, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same, for a message about a file: "FILE:LINE: error: MSG" ("FILE: error:
 * MSG" when line is 0); sets err->located. */
int rt_error_set_at(rt_error *err, int code, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rt_error_clear(rt_error *err);

/* Writes s[0..len) for a message: at most `max` bytes, non-printable bytes as
 * \xNN, "..." when cut. Returns out (always NUL-terminated, size outsz). */
char *rt_quote_token(char *out, size_t outsz, const char *s, size_t len, size_t max);

/* The program name used in messages ("PROG: error: ..."), default "graphc-program". */
void rt_set_prog_name(const char *argv0); /* keeps the basename */
const char *rt_prog_name(void);

/* Called by rt_die before exiting (the output module removes its temporary file). */
void rt_set_fail_hook(void (*hook)(void));

/* Prints "PROG: error: MESSAGE", runs the fail hook, exits with status.
 * Safe to call from several threads at once: only the first one prints. */
_Noreturn void rt_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
