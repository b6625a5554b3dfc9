/*
 * Lexical analysis of inline interpreter code: the text of `python -c`,
 * `node -e`, `perl -e`, `ruby -e`, `php -r`, `lua -e`, `Rscript -e`,
 * `osascript -e`, `pwsh -c`, an awk program, or a here-doc fed to one of
 * them. It reports what the code would run, read, write, delete and
 * connect to, when the arguments are literals, and flags what it cannot
 * know.
 *
 * It is a tokenizer per language (comments and every string syntax:
 * Python r/b/f-strings and triple quotes, JS template literals, Perl
 * q/qq/qw/qx and here-docs, Ruby %q/%x and #{} interpolation and here-docs,
 * PHP quotes, here-docs and tags, Lua long strings, R raw strings,
 * PowerShell here-strings and command mode, AppleScript and awk), plus a
 * recogniser of calls - not an interpreter. Knowledge of the APIs is kept
 * as data tables (inline_api*.c), one row per API.
 *
 * Followed:
 *   - calls by their resolved names, through aliases made by imports
 *     (`import os as o`, `from os import system as s`, `from subprocess
 *     import *`, `const {execSync: x} = require('child_process')`, `import *
 *     as cp from 'node:child_process'`, `local h = require "socket.http"`,
 *     `library(httr)`, Ruby `include FileUtils`), by attribute or dynamic
 *     member access with a literal name (`__import__('os').system`,
 *     `getattr(os, 'system')`, `cp['exec']`, `Kernel.send(:system, ..)`,
 *     PHP `call_user_func('system', ..)` and `$f = 'system'; $f(..)`), and
 *     by plain assignment (`s = os.system`, `sock = socket.socket()`);
 *   - values: string literals with escapes decoded, literal concatenation
 *     (+ . .. & juxtaposition, as each language writes it), variables
 *     assigned a literal earlier in the text (the last assignment before
 *     the use, in text order; one assigned twice or from something unknown
 *     makes its uses dynamic), interpolations of such variables, argv
 *     lists, `" ".join([...])`, `.split()`, path joins, and literal
 *     decoding (`base64.b64decode('...')`, `atob`, `Buffer.from(x,
 *     'base64')`, `decode_base64`, `base64_decode`, `Base64.decode64`,
 *     `[Convert]::FromBase64String` with UTF-16 text, `bytes.fromhex`,
 *     `codecs.decode(x, 'rot13')`, `str_rot13`, `chr(..)` concatenations,
 *     reversal);
 *   - code run by eval/exec/Function/compile/Invoke-Expression/`run
 *     script` on a literal: analysed again in the same language, one level
 *     deeper (PE_INLINE_MAX_DEPTH), its items carry the depth;
 *   - code inside interpolations (`f"{os.system('x')}"`, `${..}`, `#{..}`)
 *     is analysed in place.
 * Not followed (and flagged where it matters): values computed at run time
 * (conditions, loops, function parameters, string formatting other than the
 * cases above, data read from files, the network or the environment), a
 * function's body called through its name (bodies are analysed where they
 * are written), reflection beyond literal names, monkey-patching, code
 * loaded from files or modules (`import x` is not followed into x), and
 * any language feature that changes how the text is tokenised at run time
 * (Perl source filters, PowerShell aliases defined in the code).
 *
 * Results: items in the order found. A RUN item's value is shell command
 * text: a string given to a shell as written; an argv list joined with
 * POSIX sh quoting (PE_INLINE_I_ARGV). Parts that are not literal are
 * written ${_} (PE_INLINE_I_DYNAMIC), which the shell analysis sees as a
 * parameter expansion; a value with nothing literal is "". Paths are as
 * written (no ~ or $HOME expansion). CONNECT items hold a URL
 * (PE_INLINE_I_URL) or host:port, with the host normalised by
 * pe_url_parse / pe_host_normalize (util/host.h).
 *
 * Pure (no globals, no filesystem, no clock), allocation only in the
 * caller's arena, linear in the input with a work budget; malformed code
 * never fails: it sets PE_INLINE_PARSE_ERROR and what was found is kept.
 * Details: docs/inline-code.md.
 */
#ifndef PE_SHELL_INLINE_H
#define PE_SHELL_INLINE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/host.h"
#include "util/pstr.h"

typedef enum pe_lang {
    PE_LANG_NONE = 0,
    PE_LANG_PYTHON,
    PE_LANG_JS, /* node, deno, bun */
    PE_LANG_PERL,
    PE_LANG_RUBY,
    PE_LANG_PHP,
    PE_LANG_LUA,
    PE_LANG_R,
    PE_LANG_APPLESCRIPT,
    PE_LANG_POWERSHELL,
    PE_LANG_AWK
} pe_lang;

/* Limits. Reaching one sets PE_INLINE_LIMIT and its own flag (and
 * PE_INLINE_DYNAMIC): what was found before is kept. */
#define PE_INLINE_MAX_INPUT (1u << 20) /* bytes analysed */
#define PE_INLINE_MAX_DEPTH 4u         /* eval levels */
#define PE_INLINE_MAX_NEST  64u        /* brackets, interpolations, nested values */
#define PE_INLINE_MAX_ITEMS 4096u
#define PE_INLINE_MAX_VALUE (64u << 10) /* bytes of one evaluated value */
#define PE_INLINE_WORK(len) (65536u + 48u * (size_t)(len))

typedef enum pe_inline_kind {
    PE_INLINE_RUN,    /* runs a command (value: shell command text) */
    PE_INLINE_READ,   /* reads a file */
    PE_INLINE_WRITE,  /* writes (creates, appends to, truncates) a file */
    PE_INLINE_DELETE, /* deletes a file or directory (also the source of a move) */
    PE_INLINE_CONNECT /* connects to a URL or host:port */
} pe_inline_kind;

/* Item flags. */
enum {
    PE_INLINE_I_DYNAMIC = 1u << 0,  /* not entirely literal (holes written ${_}) */
    PE_INLINE_I_ARGV = 1u << 1,     /* RUN: an argv run without a shell, words quoted */
    PE_INLINE_I_DECODED = 1u << 2,  /* the value came through a decoder */
    PE_INLINE_I_ELEVATED = 1u << 3, /* RUN with elevation (administrator privileges, RunAs) */
    PE_INLINE_I_URL = 1u << 4,      /* CONNECT: the value is a URL (else host:port) */
    PE_INLINE_I_STDIN = 1u << 5     /* RUN: the code writes to the command's stdin (awk's
                                       print | "cmd") */
};

typedef struct pe_inline_item {
    pe_inline_kind kind;
    pe_str value;   /* see above; NUL-terminated */
    pe_str api;     /* the API called, as the tables name it ("subprocess.run") */
    pe_host host;   /* CONNECT: the host, normalised (kind PE_HOST_NONE when unknown) */
    long port;      /* CONNECT: the port, or -1 */
    unsigned flags; /* PE_INLINE_I_* */
    unsigned depth; /* 0 in the text; +1 per eval level */
    size_t offset;  /* byte offset in the analysed text (of the eval call when nested) */
} pe_inline_item;

/* Result flags. */
enum {
    PE_INLINE_DYNAMIC_EXEC = 1u << 0,  /* a shell-out, exec or eval of something not literal */
    PE_INLINE_DYNAMIC = 1u << 1,       /* a name or module that cannot be resolved (dynamic
                                          import, getattr, call through a computed name), or
                                          a limit */
    PE_INLINE_DECODE = 1u << 2,        /* decodes data (base64, hex, zlib, atob, pack, ...) */
    PE_INLINE_NETWORK = 1u << 3,       /* uses the network (any network API, literal or not) */
    PE_INLINE_REVERSE_SHELL = 1u << 4, /* a socket whose peer drives a shell or exec */
    PE_INLINE_EVAL = 1u << 5,          /* literal code was evaluated (and analysed) */
    PE_INLINE_SOCKET = 1u << 6,        /* opens a raw socket */
    PE_INLINE_PARSE_ERROR = 1u << 7,   /* unterminated string, comment, here-doc or bracket */
    PE_INLINE_LIMIT = 1u << 8,
    PE_INLINE_LIMIT_DEPTH = 1u << 9,
    PE_INLINE_LIMIT_COUNT = 1u << 10, /* items */
    PE_INLINE_LIMIT_WORK = 1u << 11,  /* work budget, input size or value size */
    PE_INLINE_EVAL_DECODED = 1u << 12 /* decoded data was evaluated as code (eval(atob(s)),
                                         exec(b64decode(s))): decoded_code holds it */
};

typedef struct pe_inline_result {
    const pe_inline_item *items;
    size_t nitems;
    unsigned flags;    /* PE_INLINE_* */
    const char *error; /* the first parse error (static text), or NULL */
    pe_str decoded_code; /* PE_INLINE_EVAL_DECODED: the first decoded program evaluated */
} pe_inline_result;

/*
 * Analyses code (len bytes; need not be NUL-terminated) as lang. *out
 * receives the result, allocated in arena like everything it points to.
 * Returns 0 - malformed code and limits are in the result - PREMPTI_E_NOMEM
 * (then *out is NULL), or PREMPTI_E_INVALID_ARG.
 */
int pe_inline_analyze(pe_inline_result **out, pe_lang lang, const char *code, size_t len,
                      pe_arena *arena);

/*
 * The language of an interpreter's base name (len bytes): python,
 * python3, python3.12, pypy3 -> PE_LANG_PYTHON; node, nodejs, deno, bun
 * -> PE_LANG_JS; perl, perl5.36; ruby, ruby3.2; php, php8.2; lua, luajit,
 * lua5.4; Rscript, R; osascript; pwsh, powershell (also .exe); awk, gawk,
 * mawk, nawk, original-awk, busybox's awk as "awk". PE_LANG_NONE otherwise.
 */
pe_lang pe_inline_lang(const char *interpreter_base, size_t len);

/* The language's name ("python", "javascript", ...), static text. */
const char *pe_lang_name(pe_lang lang);

#endif
