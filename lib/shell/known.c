/*
 * What the command line makes known about data before it runs it (known.h):
 * the output of commands whose words fix it - echo, printf, cat of a
 * here-doc or of a file the line wrote, and base64 -d, xxd -r -p, rev, tr
 * and openssl's base64 decoding of a known input - and the files the line
 * writes (with that output, or downloaded), copies and moves. When such
 * output or file reaches an interpreter (through a pipe, a redirection, a
 * substitution or as a script it runs), its program is that text, and it
 * is analysed too.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/code.h"
#include "shell/decode.h"

/* ---- known output ---------------------------------------------------------- */

/* The stdin body of a here-doc or here-string, if the command has one. */
static int heredoc_input(const pe_shell_cmd *k, pe_str *out)
{
    const pe_shell_redir *in = NULL;
    for (size_t j = 0; j < k->nredirs; j++) {
        const pe_shell_redir *r = &k->redirs[j];
        if ((r->fd == -1 || r->fd == 0) && r->op.s[0] == '<')
            in = r;
    }
    if (!in)
        return 0;
    if ((sh_eq(in->op, "<<") || sh_eq(in->op, "<<-")) &&
        !(in->body_flags & (PE_SHELL_W_CMDSUB | PE_SHELL_W_PARAM))) {
        *out = in->body;
        return 1;
    }
    if (sh_eq(in->op, "<<<") && !(in->flags & PE_SHELL_W_EXPANDS)) {
        *out = in->target; /* a here-string gets a newline */
        return 1;
    }
    return 0;
}

/* Words from..argc of k expanded with what the line knows (~, known
 * variables) into *out (in the arena); 0 when one is not known. */
static int known_words(sh_ctx *c, const sh_cmd *sc, size_t from, pe_str **out)
{
    const pe_shell_cmd *k = &sc->pub;
    pe_str *w = sh_alloc(c, (k->argc - from + 1) * sizeof(*w));
    if (!w)
        return 0;
    for (size_t j = from; j < k->argc; j++)
        if ((k->argf[j] & PE_SHELL_W_GLOB) ||
            !sh_expand(c, sc->scope, k->argv[j], k->argf[j], &w[j - from]))
            return 0;
    *out = w;
    return 1;
}

static int has_opt(const pe_shell_cmd *k, const char *a, const char *b)
{
    for (size_t j = 1; j < k->argc; j++)
        if (sh_eq(k->argv[j], a) || (b && sh_eq(k->argv[j], b)))
            return 1;
    return 0;
}

/* Whether a word of k from j on holds an escape that hides a character
 * (echo -e and printf decode \x63, \0143; a newline or a tab written \n
 * or \t hides nothing). */
static int escapes(const pe_shell_cmd *k, size_t j)
{
    for (; j < k->argc; j++) {
        pe_str a = k->argv[j];
        for (size_t i = 0; i + 1 < a.len; i++)
            if (a.s[i] == '\\' && !strchr("nt\\", a.s[++i]))
                return 1;
    }
    return 0;
}

static int known_out(sh_ctx *c, long idx, pe_str *out, int *decoded, unsigned depth);

/* The input of command idx when it is known: its here-doc, or the known
 * output of the command feeding its pipe. */
static int known_input(sh_ctx *c, long idx, pe_str *in, int *decoded, unsigned depth)
{
    const sh_cmd *sc = &c->cmds[idx];
    if (heredoc_input(&sc->pub, in))
        return 1;
    return sc->src >= 0 && known_out(c, sc->src, in, decoded, depth + 1);
}

static int decoded_result(int rc, const pe_decoded *d, pe_str *out, int *decoded)
{
    if (rc != PE_DECODE_OK || (d->flags & PE_DEC_FAILED))
        return 0;
    *out = d->bytes;
    *decoded = 1;
    return 1;
}

static const sh_file *file_named(sh_ctx *c, unsigned scope, pe_str word, unsigned flags);

/* cat FILE of a file the line wrote with known content. */
static int written_content(sh_ctx *c, const sh_cmd *sc, pe_str *out, int *decoded)
{
    const pe_shell_cmd *k = &sc->pub;
    if (k->argc != 2 || (k->argv[1].len && k->argv[1].s[0] == '-'))
        return 0;
    const sh_file *f = c->nfiles ? file_named(c, sc->scope, k->argv[1], k->argf[1]) : NULL;
    if (!f || !f->content.s)
        return 0;
    *out = f->content;
    *decoded |= f->decoded;
    return 1;
}

static int known_out(sh_ctx *c, long idx, pe_str *out, int *decoded, unsigned depth)
{
    if (idx < 0 || (size_t)idx >= c->ncmds || depth > 16 || sh_work(c, 1))
        return 0;
    const sh_cmd *sc = &c->cmds[idx];
    const pe_shell_cmd *k = &sc->pub;
    if (!k->argc)
        return 0;
    pe_str b = k->base, in, *w;
    pe_decoded d;
    if (sh_eq(b, "echo") && known_words(c, sc, 1, &w)) {
        if (pe_decode_echo(&d, w, k->argc - 1, c->arena) != PE_DECODE_OK)
            return 0;
        *out = d.bytes;
        size_t j = 1;
        int e = 0; /* echo -e, -ne ...: escapes decoded */
        for (; j < k->argc && k->argv[j].len > 1 && k->argv[j].s[0] == '-' &&
               strspn(k->argv[j].s + 1, "neE") == k->argv[j].len - 1;
             j++)
            e |= memchr(k->argv[j].s, 'e', k->argv[j].len) != NULL;
        *decoded |= e && escapes(k, j);
        for (; j < k->argc; j++)
            *decoded |= (k->argf[j] & PE_SHELL_W_ANSI_C) != 0;
        return 1;
    }
    if (sh_eq(b, "printf") && k->argc > 1 && known_words(c, sc, 1, &w)) {
        int rc = pe_decode_printf(&d, w, k->argc - 1, c->arena);
        if (rc == PE_DECODE_OK && !(d.flags & PE_DEC_FAILED)) {
            *out = d.bytes;
            *decoded |= escapes(k, 1);
            return 1;
        }
        return 0;
    }
    if (sh_eq(b, "cat") && k->argc == 2)
        return written_content(c, sc, out, decoded);
    if ((sh_eq(b, "cat") && k->argc == 1) || (sh_eq(b, "tee") && k->argc >= 1))
        return known_input(c, idx, out, decoded, depth);
    if (!known_input(c, idx, &in, decoded, depth))
        return 0;
    if ((sh_eq(b, "base64") || sh_eq(b, "basenc")) &&
        (has_opt(k, "-d", "--decode") || has_opt(k, "-D", "-di")))
        return decoded_result(pe_decode_base64(&d, in.s, in.len,
                                               has_opt(k, "-i", "-di") ? PE_B64_GARBAGE : 0,
                                               c->arena),
                              &d, out, decoded);
    if (sh_eq(b, "openssl") && (has_opt(k, "base64", "-base64") || has_opt(k, "-a", NULL)) &&
        has_opt(k, "-d", NULL))
        return decoded_result(pe_decode_base64(&d, in.s, in.len, 0, c->arena), &d, out, decoded);
    if (sh_eq(b, "xxd") && (has_opt(k, "-r", "-revert") || has_opt(k, "-rp", "-r -p")))
        return decoded_result(pe_decode_hex(&d, in.s, in.len, c->arena), &d, out, decoded);
    if (sh_eq(b, "rev") && k->argc == 1)
        return decoded_result(pe_decode_rev(&d, in.s, in.len, c->arena), &d, out, decoded);
    if (sh_eq(b, "tr") && known_words(c, sc, 1, &w))
        return decoded_result(pe_decode_tr(&d, w, k->argc - 1, in.s, in.len, c->arena), &d, out,
                              decoded);
    return 0;
}

int sh_known_output(sh_ctx *c, long idx, pe_str *out, int *decoded)
{
    *decoded = 0;
    return known_out(c, idx, out, decoded, 0);
}

/* Commands that decode what they read (whatever it is). */
static int decoder(const pe_shell_cmd *k)
{
    pe_str b = k->base;
    if (sh_eq(b, "base64") || sh_eq(b, "base32") || sh_eq(b, "basenc"))
        return has_opt(k, "-d", "--decode") || has_opt(k, "-D", "-di");
    if (sh_eq(b, "xxd"))
        return has_opt(k, "-r", "-revert") || has_opt(k, "-rp", "-r -p");
    if (sh_eq(b, "openssl"))
        return has_opt(k, "-d", NULL);
    return sh_eq(b, "uudecode") || sh_eq(b, "rev");
}

int sh_decodes_input(sh_ctx *c, long src)
{
    for (int hops = 0; src >= 0 && (size_t)src < c->ncmds && hops < 16; hops++) {
        const sh_cmd *s = &c->cmds[src];
        if (s->pub.argc && decoder(&s->pub))
            return 1;
        if (!(s->pub.flags & PE_SHELL_C_STDIN_PIPE))
            break;
        src = s->src; /* gunzip, tr ... pass decoded input on */
    }
    return 0;
}

/* ---- programs made known ---------------------------------------------------- */

void sh_run_program(sh_ctx *c, size_t idx, pe_str runner, unsigned *cmd_flags, pe_str code,
                    int decoded, pe_shell_origin origin)
{
    const sh_cmd *sc = &c->cmds[idx];
    unsigned depth = sc->pub.depth, scope = sc->run_scope;
    if (decoded) {
        c->flags |= PE_SHELL_DECODES;
        sh_strs_add(c, &c->decoded, code, 0);
        origin = PE_SHELL_DECODED;
    }
    /* a program in another language is read as that language, never as sh */
    pe_lang lang = sh_script_lang(sh_basename(runner), code);
    unsigned flags = 0;
    if (lang != PE_LANG_NONE)
        sh_inline_text(c, idx, depth, &flags, lang, code, 0);
    else
        sh_run_code(c, code, depth, origin, scope, 0);
    /* the commands it ran may have moved c->cmds: the flags are set after */
    if (cmd_flags)
        *cmd_flags |= flags;
    else
        c->cmds[idx].pub.flags |= flags;
}

/* ---- files written, then run ----------------------------------------------- */

void sh_file_written(sh_ctx *c, unsigned scope, pe_str word, unsigned flags, const pe_str *content,
                     int downloaded)
{
    pe_str p;
    sh_expand(c, scope, word, flags, &p);
    if (sh_grow(c, (void **)&c->files, &c->file_cap, c->nfiles + 1, sizeof(*c->files)))
        return;
    int known;
    sh_file *f = &c->files[c->nfiles++];
    memset(f, 0, sizeof(*f));
    f->path = p;
    f->cwd = sh_cwd(c, scope, &known);
    f->content = content ? *content : (pe_str){NULL, 0};
    f->downloaded = downloaded;
}

void sh_dir_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags)
{
    size_t n = c->nfiles;
    sh_file_written(c, scope, word, flags, NULL, 1);
    if (c->nfiles > n)
        c->files[n].dir = 1;
}

/* A path as the directory it is in and the path from there: "./" and
 * "." steps dropped; the directory is "" for an absolute path. */
typedef struct where_path {
    pe_str dir, path;
} where_path;

static pe_str drop_dot(pe_str p)
{
    while (p.len > 2 && p.s[0] == '.' && p.s[1] == '/')
        p.s += 2, p.len -= 2;
    if (sh_eq(p, "."))
        p.len = 0;
    return p;
}

static where_path where_path_of(pe_str cwd, pe_str p)
{
    where_path w = {{"", 0}, drop_dot(p)};
    if (!(p.len && p.s[0] == '/'))
        w.dir = drop_dot(cwd);
    return w;
}

/* The length of dir + "/" + path (path alone when dir is ""; one '/'
 * between them when dir ends with one). */
static size_t path_len(const where_path *w)
{
    if (!w->dir.len)
        return w->path.len;
    return w->dir.len + (w->dir.s[w->dir.len - 1] != '/') + w->path.len;
}

/* Byte i of that path. */
static int path_byte(const where_path *w, size_t i)
{
    if (w->dir.len) {
        int sep = w->dir.s[w->dir.len - 1] != '/';
        if (i < w->dir.len)
            return (unsigned char)w->dir.s[i];
        if (sep && i == w->dir.len)
            return '/';
        i -= w->dir.len + (size_t)sep;
    }
    return i < w->path.len ? (unsigned char)w->path.s[i] : -1;
}

/* Whether two paths name the same file: the same text from the same
 * directory, or the same once a directory the line made known is joined
 * ("cd /tmp; echo x > a.sh" wrote /tmp/a.sh). */
static int same_file(where_path a, where_path b)
{
    size_t la = path_len(&a), lb = path_len(&b);
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++)
        if (path_byte(&a, i) != path_byte(&b, i))
            return 0;
    return 1;
}

/* Whether b is a file under the directory a: a's path, then '/'. */
static int under_dir(where_path a, where_path b)
{
    size_t la = path_len(&a), lb = path_len(&b);
    while (la > 1 && path_byte(&a, la - 1) == '/')
        la--;
    if (!la || lb <= la || path_byte(&b, la) != '/')
        return 0;
    for (size_t i = 0; i < la; i++)
        if (path_byte(&a, i) != path_byte(&b, i))
            return 0;
    return 1;
}

/* The file the command line wrote under that name, in that directory;
 * with dirs, also a file under a directory it cloned (git clone). */
static const sh_file *file_in(sh_ctx *c, unsigned scope, pe_str word, unsigned flags, int dirs)
{
    pe_str p;
    int known;
    if (!sh_expand(c, scope, word, flags, &p))
        return NULL;
    where_path want = where_path_of(sh_cwd(c, scope, &known), p);
    for (size_t i = c->nfiles; i-- > 0 && !sh_work(c, 1);) {
        where_path have = where_path_of(c->files[i].cwd, c->files[i].path);
        if (c->files[i].dir ? dirs && under_dir(have, want) : same_file(have, want))
            return &c->files[i];
    }
    return NULL;
}

static const sh_file *file_named(sh_ctx *c, unsigned scope, pe_str word, unsigned flags)
{
    return file_in(c, scope, word, flags, 0);
}

int sh_file_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags)
{
    /* a file a command reads as code (make's Makefile) is not counted under
     * a cloned directory: building what was cloned is everyday work */
    const sh_file *f = c->nfiles ? file_named(c, scope, word, flags) : NULL;
    return f && f->downloaded;
}

/* Output redirected into a file (> f, tee f) with known content. */
void sh_record_writes(sh_ctx *c, size_t idx)
{
    const sh_cmd *sc = &c->cmds[idx];
    pe_str out;
    int decoded = 0, known = known_out(c, (long)idx, &out, &decoded, 0);
    if (!known)
        return; /* what is not known is not followed (downloads are recorded apart) */
    size_t first = c->nfiles;
    for (size_t j = 0; j < sc->pub.nredirs; j++) {
        const pe_shell_redir *r = &sc->pub.redirs[j];
        if ((r->flags & PE_SHELL_R_WRITE) && (r->flags & PE_SHELL_R_FILE) &&
            (r->fd == -1 || r->fd == 1))
            sh_file_written(c, sc->scope, r->target, r->flags, &out, 0);
    }
    if (sh_eq(sc->pub.base, "tee"))
        for (size_t j = 1; j < sc->pub.argc; j++)
            if (sc->pub.argv[j].s[0] != '-')
                sh_file_written(c, sc->scope, sc->pub.argv[j], sc->pub.argf[j], &out, 0);
    for (size_t i = first; i < c->nfiles; i++)
        c->files[i].decoded = decoded;
}

/* cp SRC... DEST, mv, install: a file the line wrote, under another name
 * (DEST itself, or DEST/NAME when DEST is a directory, which cannot be
 * told here: both are recorded). */
void sh_record_copies(sh_ctx *c, size_t idx, const size_t *ops, size_t nops)
{
    if (nops < 2 || !c->nfiles)
        return;
    const sh_cmd *sc = &c->cmds[idx];
    for (size_t j = 1; j < sc->pub.argc; j++)
        if (sh_eq(sc->pub.argv[j], "-t") || sh_eq(sc->pub.argv[j], "--target-directory"))
            return; /* cp -t DIR SRC...: not followed */
    pe_str dest = sc->pub.argv[ops[nops - 1]];
    unsigned df = sc->pub.argf[ops[nops - 1]];
    for (size_t i = 0; i + 1 < nops; i++) {
        sc = &c->cmds[idx];
        pe_str src = sc->pub.argv[ops[i]];
        const sh_file *f = file_named(c, sc->scope, src, sc->pub.argf[ops[i]]);
        if (!f)
            continue;
        sh_file copy = *f;
        pe_str base = sh_basename(src);
        char *into = sh_alloc(c, dest.len + 1 + base.len + 1);
        if (!into)
            return;
        size_t n = dest.len;
        memcpy(into, dest.s, n);
        if (!n || into[n - 1] != '/')
            into[n++] = '/';
        memcpy(into + n, base.s, base.len);
        into[n + base.len] = '\0';
        pe_str names[2] = {dest, {into, n + base.len}};
        for (int k = dest.len && dest.s[dest.len - 1] == '/'; k < 2; k++) {
            sh_file_written(c, sc->scope, names[k], df, copy.content.s ? &copy.content : NULL,
                            copy.downloaded);
            if (c->nfiles)
                c->files[c->nfiles - 1].decoded = copy.decoded;
        }
    }
}

void sh_run_written(sh_ctx *c, size_t idx, pe_str word, unsigned flags)
{
    const sh_cmd *sc = &c->cmds[idx];
    const sh_file *f = c->nfiles ? file_in(c, sc->scope, word, flags, 1) : NULL;
    if (!f)
        return;
    if (f->downloaded) {
        c->cmds[idx].pub.flags |= PE_SHELL_C_DOWNLOADED;
        c->flags |= PE_SHELL_RUNS_DOWNLOAD;
    } else if (f->content.s) {
        sh_file w = *f;
        sh_run_program(c, idx, c->cmds[idx].pub.base, NULL, w.content, w.decoded, PE_SHELL_FILE);
    }
}

int sh_written_content(sh_ctx *c, size_t idx, pe_str word, unsigned flags, pe_str *content,
                       int *decoded)
{
    const sh_cmd *sc = &c->cmds[idx];
    const sh_file *f = c->nfiles ? file_named(c, sc->scope, word, flags) : NULL;
    if (!f || !f->content.s)
        return 0;
    *content = f->content;
    *decoded = f->decoded;
    return 1;
}
