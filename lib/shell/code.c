/*
 * Code given to a language interpreter as text - python -c, node -e, perl
 * -e, ruby -e, php -r, lua -e, Rscript -e, osascript -e, pwsh -Command or
 * -EncodedCommand, an awk program, a here-doc fed to one of them - handed
 * to the inline-code analysis (inline.h), and what it finds recorded as
 * the facts of the command that runs it: shell commands it runs are
 * analysed as shell (origin INLINE), files it reads, writes and deletes
 * are paths, what it connects to are URLs and hosts. Code that runs what
 * it cannot know makes the command dynamic; code that runs what it
 * downloads, or hands a socket to a shell, is said so.
 */
#include <string.h>

#include "prempti/common.h"
#include "shell/decode.h"
#include "shell/facts.h"
#include "shell/code.h"
#include "shell/inline.h"
#include "shell/interp.h"

static unsigned role_of(pe_inline_kind k)
{
    switch (k) {
    case PE_INLINE_READ:
        return PE_SHELL_P_READ;
    case PE_INLINE_WRITE:
        return PE_SHELL_P_WRITE;
    case PE_INLINE_DELETE:
        return PE_SHELL_P_DELETE;
    default:
        return 0;
    }
}

/* A path as the code wrote it: "~" is the home directory (Python's
 * expanduser, Ruby's File.expand_path), a "${_}" hole is not known. */
static unsigned path_flags(pe_str p, unsigned iflags)
{
    unsigned f = 0;
    if (p.len && p.s[0] == '~')
        f |= PE_SHELL_W_TILDE;
    if (iflags & PE_INLINE_I_DYNAMIC)
        f |= PE_SHELL_W_PARAM;
    return f;
}

/* A PowerShell path: backslashes become '/' (PowerShell takes both as
 * separators). Its home directory variables were already bound to "~" by
 * the inline analysis, which leaves single-quoted text as written. */
static pe_str ps_path(sh_ctx *c, pe_str p)
{
    if (!memchr(p.s, '\\', p.len))
        return p;
    char *d = sh_alloc(c, p.len + 1);
    if (!d)
        return p;
    for (size_t i = 0; i < p.len; i++)
        d[i] = p.s[i] == '\\' ? '/' : p.s[i];
    d[p.len] = '\0';
    return (pe_str){d, p.len};
}

static void record_item(sh_ctx *c, size_t idx, unsigned depth, pe_lang lang,
                        const pe_inline_item *it, int *runs_dynamic)
{
    unsigned scope = c->cmds[idx].scope;
    switch (it->kind) {
    case PE_INLINE_RUN:
        if (it->flags & PE_INLINE_I_DYNAMIC)
            *runs_dynamic = 1;
        if (it->flags & PE_INLINE_I_DECODED) {
            c->flags |= PE_SHELL_DECODES;
            sh_strs_add(c, &c->decoded, it->value, 0);
        }
        sh_run_code(c, it->value, depth, PE_SHELL_INLINE, scope,
                    (it->flags & PE_INLINE_I_STDIN) != 0);
        break;
    case PE_INLINE_CONNECT:
        if (it->flags & PE_INLINE_I_URL)
            sh_net_word(c, scope, it->value, 0, PE_URL_WEB);
        else /* host:port, the host already normalised */
            sh_add_host(c, &it->host);
        break;
    default:
        if (it->value.len) {
            pe_str p = lang == PE_LANG_POWERSHELL ? ps_path(c, it->value) : it->value;
            sh_path_add(c, scope, p, path_flags(p, it->flags), role_of(it->kind));
        }
        break;
    }
}

void sh_inline_text(sh_ctx *c, size_t idx, unsigned depth, unsigned *cmd_flags, pe_lang lang,
                    pe_str code, unsigned wflags)
{
    if (lang == PE_LANG_NONE || !code.len || sh_work(c, code.len))
        return;
    sh_strs_add(c, &c->langs, (pe_str){pe_lang_name(lang), strlen(pe_lang_name(lang))}, 0);
    if (wflags & (PE_SHELL_W_PARAM | PE_SHELL_W_CMDSUB | PE_SHELL_W_ARITH | PE_SHELL_W_PROCSUB))
        *cmd_flags |= PE_SHELL_C_DYNAMIC; /* the program is not all in the text */
    pe_inline_result *r = NULL;
    if (pe_inline_analyze(&r, lang, code.s, code.len, c->arena) < 0 || !r) {
        sh_nomem(c);
        return;
    }
    int runs_dynamic = 0;
    for (size_t i = 0; i < r->nitems && !c->stop; i++)
        record_item(c, idx, depth, lang, &r->items[i], &runs_dynamic);
    if (r->flags & PE_INLINE_REVERSE_SHELL)
        c->flags |= PE_SHELL_REVERSE_SHELL;
    if (r->flags & (PE_INLINE_DYNAMIC_EXEC | PE_INLINE_DYNAMIC | PE_INLINE_PARSE_ERROR |
                    PE_INLINE_LIMIT) ||
        runs_dynamic)
        *cmd_flags |= PE_SHELL_C_DYNAMIC;
    /* running what it cannot know while it talks to the network: most
     * likely what it downloads (exec(urlopen(u).read()), eval(get(u))) */
    if ((r->flags & PE_INLINE_NETWORK) && (r->flags & PE_INLINE_DYNAMIC_EXEC))
        c->flags |= PE_SHELL_RUNS_DOWNLOAD;
    if ((r->flags & PE_INLINE_DECODE) && (r->flags & (PE_INLINE_EVAL | PE_INLINE_DYNAMIC_EXEC)))
        c->flags |= PE_SHELL_DECODES;
    /* a decoded program evaluated in the language itself (eval(atob(s)),
     * exec(b64decode(s))): what it decodes, as for a shell's payload */
    if ((r->flags & PE_INLINE_EVAL_DECODED) && r->decoded_code.len) {
        c->flags |= PE_SHELL_DECODES;
        sh_strs_add(c, &c->decoded, r->decoded_code, 0);
    }
}

void sh_inline_code(sh_interp *st, pe_str code, unsigned wflags)
{
    pe_str base = sh_basename(st->w[st->i]);
    sh_inline_text(st->c, st->idx, st->depth, &st->flags, pe_inline_lang(base.s, base.len), code,
                   wflags);
}

pe_lang sh_script_lang(pe_str runner, pe_str content)
{
    pe_str name = runner;
    if (content.len > 2 && content.s[0] == '#' && content.s[1] == '!') {
        /* #!/usr/bin/env python3, #!/usr/bin/python3 -u: the interpreter */
        size_t e = 2;
        while (e < content.len && content.s[e] != '\n')
            e++;
        pe_str line = {content.s + 2, e - 2}, w[3];
        size_t n = 0, i = 0;
        while (n < 3 && i < line.len) {
            while (i < line.len && (line.s[i] == ' ' || line.s[i] == '\t'))
                i++;
            size_t j = i;
            while (j < line.len && line.s[j] != ' ' && line.s[j] != '\t' && line.s[j] != '\r')
                j++;
            if (j > i)
                w[n++] = (pe_str){line.s + i, j - i};
            i = j;
        }
        if (n)
            name = sh_basename(w[0]);
        if (n > 1 && sh_eq(name, "env"))
            name = sh_basename(w[1].s[0] == '-' && n > 2 ? w[2] : w[1]);
    }
    return pe_inline_lang(name.s, name.len);
}

/* ---- interpreters the runner table cannot read ------------------------- */

/* Whether w is a prefix (at least min letters) of the PowerShell parameter
 * name, case-insensitive, after its dash: -c, -Com, -Command. */
static int ps_param(pe_str w, const char *name, size_t min)
{
    if (w.len < 2 || (w.s[0] != '-' && w.s[0] != '/'))
        return 0;
    size_t n = w.len - 1, full = strlen(name);
    if (n < min || n > full)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = w.s[i + 1];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != name[i])
            return 0;
    }
    return 1;
}

/* pwsh / powershell: -Command CODE... (the rest of the line), -Encoded-
 * Command BASE64 (UTF-16LE), -File SCRIPT; a first word that is not a
 * parameter is -Command for Windows PowerShell and -File for pwsh. */
static void run_powershell(sh_interp *st)
{
    static const char *const valued[] = {
        "executionpolicy", "windowstyle",  "workingdirectory", "configurationname", "outputformat",
        "inputformat",     "settingsfile", "version",          "psconsolefile",     NULL};
    int pwsh = sh_eq(sh_basename(st->w[st->i]), "pwsh");
    for (size_t j = st->i + 1; j < st->n; j++) {
        pe_str w = st->w[j];
        if (ps_param(w, "encodedcommand", 1) || ps_param(w, "ec", 2)) {
            if (j + 1 >= st->n)
                return;
            pe_decoded b64, text;
            if (pe_decode_base64(&b64, st->w[j + 1].s, st->w[j + 1].len, PE_B64_GARBAGE,
                                 st->c->arena) ||
                pe_decode_utf16le(&text, b64.bytes.s, b64.bytes.len, st->c->arena)) {
                sh_nomem(st->c);
                return;
            }
            st->c->flags |= PE_SHELL_DECODES;
            sh_strs_add(st->c, &st->c->decoded, text.bytes, 0);
            sh_inline_code(st, text.bytes, st->f[j + 1]);
            return;
        }
        if (ps_param(w, "command", 1) || (w.s[0] != '-' && w.s[0] != '/' && !pwsh)) {
            size_t from = w.s[0] == '-' || w.s[0] == '/' ? j + 1 : j;
            unsigned uf = 0;
            pe_str none = {"", 0};
            if (from < st->n)
                sh_inline_code(st, sh_join_words(st, from, st->n, none, &uf), uf);
            return;
        }
        if (ps_param(w, "file", 1) || w.s[0] != '-') {
            size_t s = w.s[0] == '-' ? j + 1 : j;
            if (s < st->n)
                sh_path_add(st->c, st->c->cmds[st->idx].scope, st->w[s], st->f[s],
                            PE_SHELL_P_EXEC | PE_SHELL_P_READ);
            return;
        }
        for (const char *const *v = valued; *v; v++)
            if (ps_param(w, *v, 2)) {
                j++;
                break;
            }
    }
}

/* awk, gawk, mawk, nawk: the program is the first operand, unless -f
 * names a file; gawk's -e / --source give it too. */
static void run_awk(sh_interp *st)
{
    for (size_t j = st->i + 1; j < st->n; j++) {
        pe_str w = st->w[j];
        if (sh_eq(w, "--")) {
            if (j + 1 < st->n)
                sh_inline_code(st, st->w[j + 1], st->f[j + 1]);
            return;
        }
        if (sh_eq(w, "-f") || sh_eq(w, "--file"))
            return; /* the program is a file (read, see knowledge.c) */
        if (sh_eq(w, "-e") || sh_eq(w, "--source")) {
            if (j + 1 < st->n)
                sh_inline_code(st, st->w[j + 1], st->f[j + 1]);
            return;
        }
        if (w.len > 1 && w.s[0] == '-') {
            /* -F fs, -v var=val take a value unless attached */
            if ((sh_eq(w, "-F") || sh_eq(w, "-v") || sh_eq(w, "--assign") ||
                 sh_eq(w, "--field-separator")) &&
                j + 1 < st->n)
                j++;
            continue;
        }
        sh_inline_code(st, w, st->f[j]);
        return;
    }
}

/* Code given by one option, the first one found (osascript -e, Rscript -e,
 * bun -e / --eval, deno eval CODE). */
static void run_option_code(sh_interp *st, const char *const *opts, const char *sub)
{
    for (size_t j = st->i + 1; j + 1 < st->n; j++) {
        pe_str w = st->w[j];
        if (sh_in_list(opts, w.s, w.len) || (sub && sh_eq(w, sub))) {
            sh_inline_code(st, st->w[j + 1], st->f[j + 1]);
            return;
        }
        if (sub && w.len && w.s[0] != '-')
            return; /* deno run, deno test ...: not eval */
    }
}

int sh_run_foreign(sh_interp *st)
{
    static const char *const e_opts[] = {"-e", "--eval", "--expr", NULL};
    static const char *const none[] = {NULL};
    pe_str b = sh_basename(st->w[st->i]);
    pe_lang lang = pe_inline_lang(b.s, b.len);
    if (lang == PE_LANG_POWERSHELL)
        run_powershell(st);
    else if (lang == PE_LANG_AWK)
        run_awk(st);
    else if (lang == PE_LANG_APPLESCRIPT || lang == PE_LANG_R)
        run_option_code(st, e_opts, NULL);
    else if (sh_eq(b, "bun"))
        run_option_code(st, e_opts, NULL);
    else if (sh_eq(b, "deno"))
        run_option_code(st, none, "eval");
    else
        return 0;
    return 1;
}
