/*
 * Shell command analysis: the case files under tests/data/shell/ (command
 * -> commands, normalised text, redirections, wrappers, flags, per-command
 * trace), plus robustness (random input), the API's edge cases, purity
 * across threads and, on request, a timing report.
 *
 * Case keys (every result flag not listed under "flags" must be clear):
 *   cmd       the command; continuation lines are joined with newlines
 *   cmd_c     the command with C escapes (\n \r \t \\ \0 \xHH)
 *   repeat    N: the command is before + unit x N + after (C escapes)
 *   unit, before, after
 *   commands  expected summary of command names, in order
 *   wrappers, targets, writes   expected summary lists, in order
 *   text      expected normalised text (one line per command)
 *   text_c    the same, with C escapes
 *   flags     expected result flags: dynamic pipe_to_interpreter parse_error
 *             limit limit_depth limit_count limit_work limit_memory cr
 *   trace     one line per command: origin:depth flags base
 *   flags[X]  expected flags of command X (any order)
 *   invokes, not_invokes   specs (comma-separated) that must (not) match
 *   error     text the first parse error must contain
 *   ncmds     expected number of commands (all records)
 *   paths     every path, in order: ROLES:[CWD|]PATH[?] with roles r w d x u l
 *             (read, write, delete, exec, upload, list), CWD the directory a
 *             cd left it in, "?" when not known
 *   subcommands, hosts, urls, env, decoded, languages   the fact lists, in order
 *   note      free text (why the case is there)
 * Lists are space-separated; a space inside an item is written "\ ". The
 * analysis runs with HOME=/home/user.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_util.h"
#include "shell/interp.h"
#include "shell/knowledge.h"
#include "shell/shell.h"
#include "util/strbuf.h"

/* ---- formatting results as the case files write them ---------------------- */

static void put_item(pe_strbuf *sb, pe_str w)
{
    if (!w.len) {
        pe_sb_puts(sb, "''");
        return;
    }
    for (size_t i = 0; i < w.len; i++) {
        char c = w.s[i];
        const char *e = c == '\\'   ? "\\\\"
                        : c == ' '  ? "\\ "
                        : c == '\t' ? "\\t"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                                    : NULL;
        if (e)
            pe_sb_puts(sb, e);
        else
            pe_sb_putc(sb, c);
    }
}

static void put_list(pe_strbuf *sb, const pe_str *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            pe_sb_putc(sb, ' ');
        put_item(sb, items[i]);
    }
}

static const struct {
    unsigned bit;
    const char *name;
} result_flags[] = {
    {PE_SHELL_DYNAMIC, "dynamic"},
    {PE_SHELL_PIPE_TO_INTERP, "pipe_to_interpreter"},
    {PE_SHELL_PARSE_ERROR, "parse_error"},
    {PE_SHELL_LIMIT, "limit"},
    {PE_SHELL_LIMIT_DEPTH, "limit_depth"},
    {PE_SHELL_LIMIT_COUNT, "limit_count"},
    {PE_SHELL_LIMIT_WORK, "limit_work"},
    {PE_SHELL_CR, "cr"},
    {PE_SHELL_LIMIT_MEMORY, "limit_memory"},
    {PE_SHELL_REVERSE_SHELL, "reverse_shell"},
    {PE_SHELL_LISTEN, "listen"},
    {PE_SHELL_UPLOAD, "upload"},
    {PE_SHELL_DNS_EXFIL, "dns_exfil"},
    {PE_SHELL_ELSEWHERE, "elsewhere"},
    {PE_SHELL_DECODES, "decodes"},
    {PE_SHELL_RUNS_DOWNLOAD, "runs_download"},
};

static const struct {
    unsigned bit;
    const char *name;
} cmd_flags[] = {
    {PE_SHELL_C_DYNAMIC, "dyn"},      {PE_SHELL_C_STDIN_PIPE, "pipe"},
    {PE_SHELL_C_RUNS_OUTPUT, "runs"}, {PE_SHELL_C_INTERPRETER, "interp"},
    {PE_SHELL_C_CODE, "code"},        {PE_SHELL_C_RESOLVED, "res"},
    {PE_SHELL_C_DOWNLOADED, "dl"},
};

static const char *const origins[] = {"top",      "cmdsub", "procsub", "string", "heredoc", "exec",
                                      "expanded", "inline", "decoded", "file",   "remote"};

static void put_trace(pe_strbuf *sb, const pe_shell_result *r)
{
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *k = &r->cmds[i];
        if (i)
            pe_sb_putc(sb, '\n');
        pe_sb_printf(sb, "%s:%u ", origins[k->origin], k->depth);
        int any = 0;
        for (size_t b = 0; b < sizeof(cmd_flags) / sizeof(cmd_flags[0]); b++)
            if (k->flags & cmd_flags[b].bit)
                pe_sb_printf(sb, "%s%s", any++ ? "," : "", cmd_flags[b].name);
        pe_sb_puts(sb, any ? " " : "- ");
        put_item(sb, k->base);
    }
}

/* Words of a space-separated list, sorted, joined again. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_words(const char *s)
{
    char *copy = strdup(s), *save = NULL, *words[512];
    size_t n = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        ck_assert_msg(n < 512, "too many words to sort");
        words[n++] = t;
    }
    qsort(words, n, sizeof(words[0]), cmp_str);
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            pe_sb_putc(&sb, ' ');
        pe_sb_puts(&sb, words[i]);
    }
    free(copy);
    char *out = pe_sb_take(&sb);
    return out ? out : strdup("");
}

/* ---- building commands from cases ------------------------------------------ */

/* A value; written as "key:" followed by indented lines, it starts with
 * the lines (the loader's leading newline is dropped). */
static const char *value(const pe_case *c, const char *key)
{
    const char *v = pe_case_get(c, key);
    return v && v[0] == '\n' ? v + 1 : v;
}

/* Decodes C escapes into sb. */
static void unescape(pe_strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            pe_sb_putc(sb, *s);
            continue;
        }
        char e = *++s;
        if (e == 'x' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            pe_sb_putc(sb, (char)strtol(hex, NULL, 16));
            s += 2;
        } else {
            pe_sb_putc(sb, e == 'n'   ? '\n'
                           : e == 'r' ? '\r'
                           : e == 't' ? '\t'
                           : e == '0' ? '\0'
                                      : e);
        }
    }
}

static void case_command(const pe_case *c, pe_strbuf *cmd)
{
    const char *v;
    if ((v = value(c, "cmd")) != NULL) {
        pe_sb_puts(cmd, v);
    } else if ((v = value(c, "cmd_c")) != NULL) {
        unescape(cmd, v);
    } else if ((v = value(c, "repeat")) != NULL) {
        const char *unit = value(c, "unit"), *before = value(c, "before"),
                   *after = value(c, "after");
        unescape(cmd, before ? before : "");
        for (long n = strtol(v, NULL, 10); n > 0; n--)
            unescape(cmd, unit ? unit : "");
        unescape(cmd, after ? after : "");
    }
}

/* ---- checking one case ------------------------------------------------------ */

typedef struct checker {
    const char *file;
    const pe_case *c;
    int failures;
} checker;

static void mismatch(checker *k, const char *key, const char *want, const char *got)
{
    k->failures++;
    fprintf(stderr, "%s:%zu: %s\n  expected: %s\n  got:      %s\n", k->file, k->c->line, key, want,
            got);
}

static void expect_str(checker *k, const char *key, const char *got)
{
    const char *want = value(k->c, key);
    if (want && strcmp(want, got) != 0)
        mismatch(k, key, want, got);
}

static void expect_list(checker *k, const char *key, const pe_str *items, size_t n)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    put_list(&sb, items, n);
    expect_str(k, key, pe_sb_str(&sb));
    pe_sb_free(&sb);
}

/* Each path as ROLES:[CWD|]PATH[?]: roles r w d x u l, "?" when unknown. */
static void expect_paths(checker *k, const pe_shell_result *r)
{
    static const char roles[] = "rwdxul";
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t i = 0; i < r->npaths; i++) {
        const pe_shell_path *p = &r->paths[i];
        if (i)
            pe_sb_putc(&sb, ' ');
        for (int b = 0; b < 6; b++)
            if (p->role & (1u << b))
                pe_sb_putc(&sb, roles[b]);
        pe_sb_putc(&sb, ':');
        if (p->cwd.len) {
            put_item(&sb, p->cwd);
            pe_sb_putc(&sb, '|');
        }
        put_item(&sb, p->path);
        if (p->flags & PE_SHELL_P_UNKNOWN)
            pe_sb_putc(&sb, '?');
    }
    expect_str(k, "paths", pe_sb_str(&sb));
    pe_sb_free(&sb);
}

static void check_result_flags(checker *k, const pe_shell_result *r)
{
    const char *want = value(k->c, "flags");
    pe_strbuf sb = PE_STRBUF_INIT;
    for (size_t b = 0; b < sizeof(result_flags) / sizeof(result_flags[0]); b++)
        if (r->flags & result_flags[b].bit)
            pe_sb_printf(&sb, "%s%s", sb.len ? " " : "", result_flags[b].name);
    char *a = sorted_words(want ? want : ""), *g = sorted_words(pe_sb_str(&sb));
    if (strcmp(a, g) != 0)
        mismatch(k, "flags", a, g);
    free(a);
    free(g);
    pe_sb_free(&sb);
}

static void check_specs(checker *k, const pe_shell_result *r, const char *key, int want)
{
    const char *v = value(k->c, key);
    if (!v)
        return;
    char *copy = strdup(v), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        if (pe_shell_invokes(r, t, strlen(t)) != want)
            mismatch(k, key, t, want ? "no match" : "a match");
    free(copy);
}

static int nul_terminated(pe_str s)
{
    return s.s && s.s[s.len] == '\0';
}

/* flags[name] keys. */
static void check_cmd_flags(checker *k, const pe_shell_result *r, pe_arena *a)
{
    for (size_t i = 0; i < k->c->nkeys; i++) {
        const char *key = k->c->keys[i];
        size_t n = strlen(key);
        if (strncmp(key, "flags[", 6) != 0 || key[n - 1] != ']')
            continue;
        const pe_str *items;
        size_t nitems;
        ck_assert_int_eq(pe_shell_flags(r, key + 6, n - 7, a, &items, &nitems), 0);
        for (size_t j = 0; j < nitems; j++)
            ck_assert(nul_terminated(items[j]));
        pe_strbuf sb = PE_STRBUF_INIT;
        put_list(&sb, items, nitems);
        char *want = sorted_words(value(k->c, key)), *got = sorted_words(pe_sb_str(&sb));
        if (strcmp(want, got) != 0)
            mismatch(k, key, want, got);
        free(want);
        free(got);
        pe_sb_free(&sb);
    }
}

/* What must hold for every result, whatever the input. */
static void check_invariants(const pe_shell_result *r)
{
    ck_assert(nul_terminated(r->text));
    for (size_t i = 0; i < r->ncommands; i++)
        ck_assert(nul_terminated(r->commands[i]));
    for (size_t i = 0; i < r->ntargets; i++)
        ck_assert(nul_terminated(r->targets[i]));
    for (size_t i = 0; i < r->ncmds; i++) {
        const pe_shell_cmd *k = &r->cmds[i];
        ck_assert(nul_terminated(k->name) && nul_terminated(k->base));
        ck_assert(k->argc <= k->nwords && k->depth <= PE_SHELL_MAX_DEPTH);
        ck_assert(k->argc == 0 || k->argv[0].s == k->name.s);
        for (size_t j = 0; j < k->nwords; j++)
            ck_assert(nul_terminated(k->words[j]));
        for (size_t j = 0; j < k->nredirs; j++)
            ck_assert(nul_terminated(k->redirs[j].target) && nul_terminated(k->redirs[j].body));
        if ((k->flags & PE_SHELL_C_DYNAMIC) && !(k->flags & PE_SHELL_C_RESOLVED))
            ck_assert(r->flags & PE_SHELL_DYNAMIC);
        if (k->flags & PE_SHELL_C_RUNS_OUTPUT)
            ck_assert(r->flags & PE_SHELL_PIPE_TO_INTERP);
    }
    if (r->flags & PE_SHELL_LIMIT)
        ck_assert(r->flags & PE_SHELL_DYNAMIC);
    ck_assert((r->error != NULL) == ((r->flags & PE_SHELL_PARSE_ERROR) != 0));
}

static const char *const known_keys[] = {
    "cmd",      "cmd_c",       "repeat", "unit",    "before",    "after", "commands",
    "wrappers", "targets",     "writes", "text",    "text_c",    "flags", "trace",
    "invokes",  "not_invokes", "error",  "ncmds",   "note",      "paths", "subcommands",
    "hosts",    "urls",        "env",    "decoded", "languages", NULL};

static void check_keys(checker *k)
{
    for (size_t i = 0; i < k->c->nkeys; i++) {
        const char *key = k->c->keys[i];
        int known = strncmp(key, "flags[", 6) == 0;
        for (size_t j = 0; known_keys[j] && !known; j++)
            known = strcmp(key, known_keys[j]) == 0;
        if (!known)
            mismatch(k, "key", "a known key", key);
    }
}

static void run_case(checker *k)
{
    pe_strbuf cmd = PE_STRBUF_INIT;
    case_command(k->c, &cmd);
    ck_assert(!pe_sb_failed(&cmd));
    pe_arena a = PE_ARENA_INIT;
    pe_shell_result *r = NULL;
    const pe_shell_env env = {"/home/user"};
    ck_assert_int_eq(pe_shell_analyze_env(&r, cmd.data ? cmd.data : "", cmd.len, &env, &a),
                     PREMPTI_OK);
    check_keys(k);
    check_invariants(r);
    check_result_flags(k, r);
    expect_list(k, "commands", r->commands, r->ncommands);
    expect_list(k, "wrappers", r->wrappers, r->nwrappers);
    expect_list(k, "targets", r->targets, r->ntargets);
    expect_list(k, "writes", r->writes, r->nwrites);
    expect_paths(k, r);
    expect_list(k, "subcommands", r->subcommands, r->nsubcommands);
    expect_list(k, "hosts", r->hosts, r->nhosts);
    expect_list(k, "urls", r->urls, r->nurls);
    expect_list(k, "env", r->env, r->nenv);
    expect_list(k, "decoded", r->decoded, r->ndecoded);
    expect_list(k, "languages", r->languages, r->nlanguages);
    expect_str(k, "text", r->text.s);
    const char *text_c = value(k->c, "text_c");
    if (text_c) {
        pe_strbuf want = PE_STRBUF_INIT;
        unescape(&want, text_c);
        if (strcmp(pe_sb_str(&want), r->text.s) != 0)
            mismatch(k, "text_c", pe_sb_str(&want), r->text.s);
        pe_sb_free(&want);
    }
    pe_strbuf sb = PE_STRBUF_INIT;
    put_trace(&sb, r);
    expect_str(k, "trace", pe_sb_str(&sb));
    pe_sb_reset(&sb);
    pe_sb_printf(&sb, "%zu", r->ncmds);
    expect_str(k, "ncmds", pe_sb_str(&sb));
    const char *err = value(k->c, "error");
    if (err && (!r->error || !strstr(r->error, err)))
        mismatch(k, "error", err, r->error ? r->error : "(none)");
    check_specs(k, r, "invokes", 1);
    check_specs(k, r, "not_invokes", 0);
    check_cmd_flags(k, r, &a);
    pe_sb_free(&sb);
    pe_sb_free(&cmd);
    pe_arena_free(&a);
}

static size_t run_file(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "shell/%s", name);
    pe_cases cs = pe_cases_load(pe_test_data(rel));
    checker k = {name, NULL, 0};
    for (size_t i = 0; i < cs.count; i++) {
        k.c = &cs.items[i];
        run_case(&k);
    }
    size_t count = cs.count;
    pe_cases_free(&cs);
    ck_assert_msg(k.failures == 0, "%s: %d failed expectation(s), see above", name, k.failures);
    ck_assert_msg(count > 0, "%s has no cases", name);
    return count;
}

static const char *const case_files[] = {
    "basics.cases",    "quoting.cases",        "evasions.cases",     "false_positives.cases",
    "wrappers.cases",  "interpreters.cases",   "nesting.cases",      "heredocs.cases",
    "redirects.cases", "compound.cases",       "flags.cases",        "malformed.cases",
    "limits.cases",    "values.cases",         "cwd.cases",          "carriers.cases",
    "path_args.cases", "subcommands.cases",    "data_vs_code.cases", "encodings.cases",
    "hosts.cases",     "network_idioms.cases",
};
#define NFILES (sizeof(case_files) / sizeof(case_files[0]))

START_TEST(case_file)
{
    run_file(case_files[_i]);
}
END_TEST

/* ---- robustness, API, purity --------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random input built from shell fragments and raw bytes: never a crash,
 * never a broken result (ASan and UBSan watch the memory). */
START_TEST(random_input_is_safe)
{
    static const char *const frags[] = {"$(",      ")",          "(",
                                        "`",       "'",          "\"",
                                        "\\",      "\n",         "<<",
                                        "EOF",     "<<-",        "<<<",
                                        "|",       "||",         "&&",
                                        ";",       ";;",         "&",
                                        "{",       "}",          "$",
                                        "${",      "$((",        "))",
                                        "<(",      ">(",         "bash",
                                        " -c ",    "eval ",      "case ",
                                        " in ",    "esac",       "if ",
                                        "then",    "fi",         "do",
                                        "done",    "for ",       "x",
                                        "=",       "[[",         "]]",
                                        "#",       "\r",         "\t",
                                        " ",       "$'\\x41",    "sudo ",
                                        "env -S ", "xargs ",     "find . -exec ",
                                        "\\;",     "{}",         "*",
                                        "-rf",     "a=(",        ". ",
                                        "<",       ">",          "2>&1",
                                        "watch ",  "timeout 5 ", "\\\n",
                                        "$[",      "function ",  "\xff",
                                        "\x01"};
    size_t nf = sizeof(frags) / sizeof(frags[0]);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    char buf[2048];
    for (int it = 0; it < 20000; it++) {
        size_t len = 0;
        for (int n = (int)(rng_next(&seed) % 64); n > 0; n--) {
            if (rng_next(&seed) % 8 == 0) {
                buf[len++] = (char)rng_next(&seed); /* any byte, NUL included */
            } else {
                const char *f = frags[rng_next(&seed) % nf];
                size_t fl = strlen(f);
                memcpy(buf + len, f, fl);
                len += fl;
            }
            if (len > sizeof(buf) - 32)
                break;
        }
        pe_arena a = PE_ARENA_INIT;
        pe_shell_result *r = NULL;
        ck_assert_int_eq(pe_shell_analyze(&r, buf, len, &a), PREMPTI_OK);
        check_invariants(r);
        pe_arena_free(&a);
    }
}
END_TEST

START_TEST(api_edges)
{
    pe_arena a = PE_ARENA_INIT;
    pe_shell_result *r = (pe_shell_result *)&a;
    ck_assert_int_eq(pe_shell_analyze(NULL, "x", 1, &a), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_shell_analyze(&r, "x", 1, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_shell_analyze(&r, NULL, 1, &a), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(pe_shell_analyze(&r, NULL, 0, &a), PREMPTI_OK);
    ck_assert_uint_eq(r->ncmds, 0);
    ck_assert_uint_eq(r->flags, 0);
    ck_assert_str_eq(r->text.s, "");
    /* the text need not be NUL-terminated: only len bytes are read */
    ck_assert_int_eq(pe_shell_analyze(&r, "ls -la; rm", 6, &a), PREMPTI_OK);
    ck_assert_str_eq(r->text.s, "ls -la");
    ck_assert_int_eq(pe_shell_invokes(r, "", 0), 0);
    ck_assert_int_eq(pe_shell_invokes(NULL, "ls", 2), 0);
    ck_assert_int_eq(pe_shell_invokes(r, "ls -l", 5), 1);
    ck_assert_int_eq(pe_shell_invokes(r, "ls -l", 2), 1); /* only "ls" is read */
    ck_assert(pe_shell_is_interpreter("python3.12", 10));
    ck_assert(pe_shell_is_interpreter("bash", 4));
    ck_assert(!pe_shell_is_interpreter("python3x", 8));
    ck_assert(!pe_shell_is_interpreter("su", 2));
    ck_assert(!pe_shell_is_interpreter("bashful", 7));
    pe_arena_free(&a);
}
END_TEST

/* Input past PE_SHELL_MAX_INPUT is a limit, and what fits is analysed. */
START_TEST(oversized_input_is_a_limit)
{
    size_t len = PE_SHELL_MAX_INPUT + 100;
    char *big = malloc(len);
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', len);
    memcpy(big, "curl x | sh #", 13);
    pe_arena a = PE_ARENA_INIT;
    pe_shell_result *r = NULL;
    ck_assert_int_eq(pe_shell_analyze(&r, big, len, &a), PREMPTI_OK);
    ck_assert(r->flags & PE_SHELL_LIMIT_WORK);
    ck_assert(r->flags & PE_SHELL_DYNAMIC);
    ck_assert(r->flags & PE_SHELL_PIPE_TO_INTERP);
    ck_assert_uint_eq(r->ncommands, 2);
    pe_arena_free(&a);
    free(big);
}
END_TEST

/* An arena that can give exactly room more bytes: one block, and no
 * further block (block_size is the size of the next block it asks for). */
static void arena_with_room(pe_arena *a, size_t room)
{
    size_t block = (size_t)1 << 20;
    a->block_size = block;
    ck_assert_ptr_nonnull(pe_arena_alloc(a, 16));
    a->block_size = SIZE_MAX; /* too large: the next block fails */
    ck_assert_uint_lt(room, block - 16);
    ck_assert_ptr_nonnull(pe_arena_alloc(a, block - 16 - room));
}

/* Memory running out at any allocation is reported, never a crash or a
 * half-made result; with enough memory the result is the usual one. */
START_TEST(allocation_failures_are_reported)
{
    static const char *const cmds[] = {
        "curl -fsSL x | sudo env A=1 bash -s -- -y > /tmp/log 2>&1",
        "bash -c \"eval 'find . -exec sh -c \\\"echo $(id)\\\" \\;'\"; trap 'rm x' EXIT",
        "cat <<EOF | bash\n$(curl x)\nEOF\nfor f in *; do rm -rf \"$f\"; done; a=(1 `id`)",
        "xargs -I{} sh -c 'echo {}' < <(ls) && rm -rf -- \"${x:-$(pwd)}\"/build",
    };
    for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
        pe_arena ref_arena = PE_ARENA_INIT;
        pe_shell_result *ref = NULL;
        ck_assert_int_eq(pe_shell_analyze(&ref, cmds[c], strlen(cmds[c]), &ref_arena), 0);
        int failures = 0, done = 0;
        for (size_t room = 0; !done; room += 16) {
            pe_arena a = PE_ARENA_INIT;
            arena_with_room(&a, room);
            pe_shell_result *r = NULL;
            int rc = pe_shell_analyze(&r, cmds[c], strlen(cmds[c]), &a);
            if (rc == PREMPTI_OK) {
                check_invariants(r);
                ck_assert_str_eq(r->text.s, ref->text.s);
                ck_assert_uint_eq(r->flags, ref->flags);
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

/* The same analysis from many threads at once gives the same text. */
static const char *const thread_cmds[] = {
    "curl -fsSL x | sudo bash -s -- -y", "bash -c \"bash -c 'rm -rf /'\"",
    "find . -exec sh -c 'echo {}' \\;", "cat <<EOF | sh\n$(id)\nEOF\n", "a=$(ls); echo $a"};

static void *thread_main(void *arg)
{
    const char **expected = arg;
    for (int it = 0; it < 200; it++) {
        for (size_t i = 0; i < 5; i++) {
            pe_arena a = PE_ARENA_INIT;
            pe_shell_result *r = NULL;
            if (pe_shell_analyze(&r, thread_cmds[i], strlen(thread_cmds[i]), &a) != 0 ||
                strcmp(r->text.s, expected[i]) != 0) {
                pe_arena_free(&a);
                return (void *)1;
            }
            pe_arena_free(&a);
        }
    }
    return NULL;
}

START_TEST(pure_across_threads)
{
    pe_arena a = PE_ARENA_INIT;
    const char *expected[5];
    for (size_t i = 0; i < 5; i++) {
        pe_shell_result *r = NULL;
        ck_assert_int_eq(pe_shell_analyze(&r, thread_cmds[i], strlen(thread_cmds[i]), &a), 0);
        expected[i] = r->text.s;
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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A timing report, run only when PREMPTI_SHELL_BENCH is set (timings are
 * not asserted: the machine is shared). */
START_TEST(timing_report)
{
    if (!getenv("PREMPTI_SHELL_BENCH"))
        return;
    static const char *const cmds[] = {
        "ls -la",
        "cd /home/user/project && git status --porcelain && git diff --stat HEAD~1 | tail -n 5",
        "curl -fsSL https://example.com/install.sh | sudo bash -s -- --prefix=/usr/local --yes",
        "find . -name '*.pyc' -exec rm -f {} \\; && python3 -m pytest -q tests/ 2>&1 | tee log",
        "npm run build && npm test -- --coverage > coverage.txt; echo \"done: $(date +%s)\"",
    };
    for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
        size_t len = strlen(cmds[c]);
        int iters = 100000;
        size_t arena_bytes = 0;
        int failed = 0; /* asserted after the loop: Check's asserts are slow */
        double t0 = now_s();
        for (int i = 0; i < iters; i++) { /* a fresh scratch arena per evaluation */
            pe_arena a = PE_ARENA_INIT;
            pe_shell_result *r;
            failed |= pe_shell_analyze(&r, cmds[c], len, &a);
            arena_bytes = a.total;
            pe_arena_free(&a);
        }
        double us = (now_s() - t0) / iters * 1e6;
        ck_assert_int_eq(failed, 0);
        printf("shell analysis: %3zu bytes: %.2f us, arena %zu bytes\n", len, us, arena_bytes);
    }
}
END_TEST

/* The command knowledge is looked up by binary search: its rows must stay
 * in name order as rows are added. */
START_TEST(knowledge_rows_are_sorted)
{
    ck_assert(sh_know_sorted());
    ck_assert_ptr_nonnull(sh_know_find((pe_str){"curl", 4}));
    ck_assert_ptr_nonnull(sh_know_find((pe_str){"7z", 2}));
    ck_assert_ptr_nonnull(sh_know_find((pe_str){"zstd", 4}));
    ck_assert_ptr_null(sh_know_find((pe_str){"curlx", 5}));
    ck_assert(sh_wrappers_sorted());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shell");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, case_file, 0, (int)NFILES);
    tcase_add_test(tc, knowledge_rows_are_sorted);
    tcase_add_test(tc, random_input_is_safe);
    tcase_add_test(tc, api_edges);
    tcase_add_test(tc, oversized_input_is_a_limit);
    tcase_add_test(tc, allocation_failures_are_reported);
    tcase_add_test(tc, pure_across_threads);
    tcase_add_test(tc, timing_report);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
