/*
 * Commands whose words a knowledge row cannot describe alone: the mode of
 * tar, find's start points and -delete, crontab and keychain access, git's
 * subcommands; the network commands are in special_net.c.
 */
#include <string.h>

#include "shell/carriers.h"
#include "shell/special.h"

typedef int (*special_fn)(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);

/* ---- archives and file trees ---------------------------------------------- */

/* tar -C DIR, -CDIR, --directory[=]DIR at word j: 1 with the directory,
 * 0 when j is not one; *extra: words it takes after j. */
static int tar_dir(const sh_ctx *c, size_t idx, size_t j, pe_str *dir, size_t *extra)
{
    pe_str a = word(c, idx, j);
    size_t argc = c->cmds[idx].pub.argc;
    *extra = 0;
    if (sh_eq(a, "--directory") || (a.len == 2 && sh_eq(a, "-C"))) {
        if (j + 1 >= argc)
            return 0;
        *dir = word(c, idx, j + 1);
        *extra = 1;
        return 1;
    }
    if (a.len > 12 && !memcmp(a.s, "--directory=", 12)) {
        *dir = (pe_str){a.s + 12, a.len - 12};
        return 1;
    }
    if (a.len > 2 && a.s[0] == '-' && a.s[1] == 'C') {
        *dir = (pe_str){a.s + 2, a.len - 2};
        return 1;
    }
    return 0;
}

/* tar's mode: c/r/u create or add (the archive written, operands read),
 * x extracts (the archive read, files written into -C or here), t lists.
 * The archive is where tar started; -C moves the operands after it. */
static int tar(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    char mode = 0;
    pe_str archive = {NULL, 0};
    unsigned af = 0;
    for (size_t j = 1; j < sc->pub.argc; j++) {
        pe_str a = word(c, idx, j);
        int bundled = j == 1 && a.len && a.s[0] != '-'; /* tar czf x.tgz */
        if (a.len > 1 && a.s[0] == '-' && a.s[1] == '-') {
            if (sh_eq(a, "--create") || sh_eq(a, "--append") || sh_eq(a, "--update"))
                mode = 'c';
            else if (sh_eq(a, "--extract") || sh_eq(a, "--get"))
                mode = 'x';
            else if (sh_eq(a, "--list"))
                mode = 't';
            else if (sh_eq(a, "--file") && j + 1 < sc->pub.argc)
                archive = word(c, idx, j + 1), af = wflags(c, idx, j + 1);
            else if (a.len > 7 && memcmp(a.s, "--file=", 7) == 0)
                archive = (pe_str){a.s + 7, a.len - 7}, af = wflags(c, idx, j);
            continue;
        }
        if (!bundled && !(a.len > 1 && a.s[0] == '-'))
            continue;
        for (size_t i = bundled ? 0 : 1; i < a.len; i++) {
            char ch = a.s[i];
            if (strchr("crux", ch) && !mode)
                mode = ch == 'x' ? 'x' : 'c';
            else if (ch == 't' && !mode)
                mode = 't';
            if (ch == 'f') {
                if (i + 1 < a.len && !bundled)
                    archive = (pe_str){a.s + i + 1, a.len - i - 1}, af = wflags(c, idx, j);
                else if (j + 1 < sc->pub.argc)
                    archive = word(c, idx, j + 1), af = wflags(c, idx, j + 1);
                break;
            }
            if (ch == 'C' && !bundled)
                break; /* -C's directory follows */
        }
    }
    sh_where start = sh_where_of(c, sc->scope);
    if (sc->chdir.len)
        start = sh_where_enter(c, sc->scope, start, sc->chdir, sc->chdir_flags);
    if (archive.s && !sh_eq(archive, "-"))
        sh_path_in(c, sc->scope, start, archive, af,
                   mode == 'c' ? PE_SHELL_P_WRITE : PE_SHELL_P_READ);
    size_t skip = 0; /* the bundled word and the archive named after it */
    if (wk->nops && word(c, idx, wk->ops[0]).s[0] != '-' && wk->ops[0] == 1)
        skip = 1;
    if (skip && archive.s && wk->nops > 1 && word(c, idx, wk->ops[1]).s == archive.s)
        skip = 2;
    if (mode == 'c') { /* each operand where the -C before it left tar */
        sh_where here = start;
        size_t op = skip;
        for (size_t j = 1; j < sc->pub.argc && op < wk->nops; j++) {
            pe_str dir;
            size_t extra;
            if (tar_dir(c, idx, j, &dir, &extra)) {
                here = sh_where_enter(c, sc->scope, here, dir, wflags(c, idx, j + extra));
                j += extra;
            } else if (j == wk->ops[op]) {
                sh_path_in(c, sc->scope, here, word(c, idx, j), wflags(c, idx, j), PE_SHELL_P_READ);
                op++;
            }
            sc = &c->cmds[idx];
        }
    } else if (mode == 'x') { /* it writes where it extracts */
        pe_str here = {".", 1};
        sh_path_in(c, sc->scope, wk->w, here, 0, PE_SHELL_P_WRITE);
    }
    (void)k;
    return 1;
}

/* find: the start points come before the expression. */
static int is_find_start(pe_str a)
{
    return a.len && a.s[0] != '-' && a.s[0] != '(' && a.s[0] != '!';
}

pe_str sh_find_found(sh_ctx *c, const pe_str *w, const unsigned *f, size_t n, int *partial,
                     unsigned *flags)
{
    static const char *const tests[] = {
        "-type",  "-mtime",     "-mmin",       "-atime", "-amin",     "-ctime", "-cmin",   "-size",
        "-empty", "-newer",     "-user",       "-group", "-perm",     "-regex", "-iregex", "-links",
        "-inum",  "-uid",       "-gid",        "-xtype", "-samefile", "-name",  "-iname",  "-path",
        "-ipath", "-wholename", "-iwholename", "-lname", "-ilname",   NULL};
    pe_str start = {".", 1}, pat = {NULL, 0};
    int whole = 0;
    *partial = 0;
    *flags = 0;
    if (n > 1 && is_find_start(w[1]))
        start = w[1], *flags = f[1];
    for (size_t j = 1; j < n; j++) {
        pe_str a = w[j];
        if (!sh_in_list(tests, a.s, a.len))
            continue;
        *partial = 1;
        int negated = j > 1 && (sh_eq(w[j - 1], "!") || sh_eq(w[j - 1], "-not"));
        if (pat.s || negated || j + 1 >= n)
            continue;
        if (sh_eq(a, "-name") || sh_eq(a, "-iname"))
            pat = w[j + 1];
        else if (sh_eq(a, "-path") || sh_eq(a, "-ipath") || sh_eq(a, "-wholename") ||
                 sh_eq(a, "-iwholename"))
            pat = w[j + 1], whole = 1;
    }
    if (whole) {
        *flags = PE_SHELL_W_GLOB;
        return pat;
    }
    if (!pat.s && !*partial)
        return start;
    if (!pat.s) /* some of what is under start */
        pat = (pe_str){"*", 1};
    *flags |= PE_SHELL_W_GLOB;
    char *t = sh_alloc(c, start.len + 4 + pat.len + 1);
    if (!t)
        return start;
    memcpy(t, start.s, start.len);
    size_t o = start.len;
    while (o > 1 && t[o - 1] == '/')
        o--;
    memcpy(t + o, "/**/", 4);
    memcpy(t + o + 4, pat.s, pat.len);
    t[o + 4 + pat.len] = '\0';
    return (pe_str){t, o + 4 + pat.len};
}

/* The start points are listed; -delete deletes them whole, or what the
 * tests select under them. */
static int find(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    int partial;
    unsigned ff;
    pe_str found = sh_find_found(c, sc->pub.argv, sc->pub.argf, sc->pub.argc, &partial, &ff);
    sc = &c->cmds[idx];
    unsigned del = wk->delete_flag ? PE_SHELL_P_DELETE : 0;
    unsigned role = PE_SHELL_P_LIST | (partial ? 0 : del);
    size_t n = 0;
    for (size_t j = 1; j < sc->pub.argc && is_find_start(word(c, idx, j)); j++, n++)
        sh_path_in(c, sc->scope, wk->w, word(c, idx, j), wflags(c, idx, j), role);
    if (!n) { /* find with no start point searches "." */
        pe_str here = {".", 1};
        sh_path_in(c, sc->scope, wk->w, here, 0, role);
    }
    if (partial && del)
        sh_path_in(c, sc->scope, wk->w, found, ff, del);
    return 1;
}

/* crontab FILE and crontab -e replace the user's crontab; -l lists it. */
static int crontab(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    int list = has_letter(c, idx, 'l', sc->pub.argc);
    int remove = has_letter(c, idx, 'r', sc->pub.argc);
    for (size_t i = 0; i < wk->nops; i++)
        if (!sh_eq(word(c, idx, wk->ops[i]), "-"))
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_READ);
    pe_str tab = {"/var/spool/cron/crontabs", 24};
    if (!list || remove)
        sh_path_in(c, sc->scope, wk->w, tab, 0, remove ? PE_SHELL_P_DELETE : PE_SHELL_P_WRITE);
    else
        sh_path_in(c, sc->scope, wk->w, tab, 0, PE_SHELL_P_READ);
    return 1;
}

/* gpg --export-secret-keys reads the secret keyring. */
static int gpg(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    const sh_cmd *sc = &c->cmds[idx];
    for (size_t j = 1; j < sc->pub.argc; j++) {
        pe_str a = word(c, idx, j);
        if (sh_eq(a, "--export-secret-keys") || sh_eq(a, "--export-secret-subkeys") ||
            sh_eq(a, "--export-secret-key")) {
            pe_str ring = {"~/.gnupg/private-keys-v1.d", 26};
            sh_path_in(c, sc->scope, wk->w, ring, PE_SHELL_W_TILDE, PE_SHELL_P_READ);
        }
    }
    sh_operand_roles(c, sc, k, wk, OP_READ);
    return 1;
}

/* macOS security: dumping or finding passwords reads the keychain. */
static int security(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    if (!wk->nops)
        return 1;
    pe_str s = word(c, idx, wk->ops[0]);
    if (sh_eq(s, "dump-keychain") || sh_eq(s, "find-generic-password") ||
        sh_eq(s, "find-internet-password") || sh_eq(s, "export") || sh_eq(s, "find-certificate")) {
        pe_str chain = {"~/Library/Keychains", 19};
        sh_path_in(c, sc->scope, wk->w, chain, PE_SHELL_W_TILDE, PE_SHELL_P_READ);
    }
    return 1;
}

/* The directory git makes for URL when none is named: the last path
 * component, without a trailing ".git" (https://h/o/repo.git -> repo). */
static void clone_dir(sh_ctx *c, unsigned scope, pe_str url)
{
    size_t n = url.len;
    while (n && url.s[n - 1] == '/')
        n--;
    if (n > 4 && memcmp(url.s + n - 4, ".git", 4) == 0)
        n -= 4;
    size_t b = n;
    while (b && url.s[b - 1] != '/' && url.s[b - 1] != ':')
        b--;
    if (b < n)
        sh_dir_downloaded(c, scope, (pe_str){url.s + b, n - b}, 0);
}

/* The files under dir, at any depth, as the glob find's selections use. */
static pe_str under(sh_ctx *c, pe_str dir)
{
    while (dir.len > 1 && dir.s[dir.len - 1] == '/')
        dir.len--;
    char *d = sh_alloc(c, dir.len + 6);
    if (!d)
        return dir;
    memcpy(d, dir.s, dir.len);
    memcpy(d + dir.len, "/**/*", 6);
    return (pe_str){d, dir.len + 5};
}

/* git subcommands that run commands: submodule foreach CMD, rebase
 * --exec CMD, filter-branch --tree-filter CMD ... (through sh), bisect
 * run CMD ARGS. */
static void git_runs(sh_ctx *c, size_t idx)
{
    static const char *const code_opts[] = {
        "-x",           "--exec",          "--tree-filter",   "--index-filter",    "--msg-filter",
        "--env-filter", "--commit-filter", "--parent-filter", "--tag-name-filter", NULL};
    const pe_shell_cmd *p = &c->cmds[idx].pub;
    size_t s = p->subidx, argc = p->argc;
    pe_str sub = p->argv[s], two = p->nsub > 1 ? p->argv[s + 1] : (pe_str){"", 0};
    if ((sh_eq(sub, "submodule") && sh_eq(two, "foreach")) ||
        (sh_eq(sub, "bisect") && sh_eq(two, "run"))) {
        size_t j = s + 2;
        while (j < argc && p->argv[j].len > 1 && p->argv[j].s[0] == '-')
            j++; /* foreach --recursive */
        if (j >= argc)
            return;
        if (sh_eq(two, "run")) /* bisect run: a command and its arguments */
            sh_run_words(c, p->argv + j, p->argf + j, argc - j, p->depth + 1, PE_SHELL_EXEC,
                         c->cmds[idx].scope, -1);
        else { /* submodule foreach: its words joined, run by sh */
            unsigned f = 0;
            pe_str code = sh_joined_args(c, idx, j, &f);
            sh_carry_code(c, &c->cmds[idx], code, f);
        }
        return;
    }
    if (!sh_eq(sub, "rebase") && !sh_eq(sub, "filter-branch"))
        return;
    for (size_t j = s + 1; j < argc; j++) {
        pe_str a = c->cmds[idx].pub.argv[j];
        const char *eq = memchr(a.s, '=', a.len);
        pe_str name = {a.s, eq ? (size_t)(eq - a.s) : a.len};
        if (!sh_in_list(code_opts, name.s, name.len))
            continue;
        if (eq)
            sh_carry_code(c, &c->cmds[idx], (pe_str){eq + 1, a.len - name.len - 1},
                          c->cmds[idx].pub.argf[j]);
        else if (j + 1 < argc)
            sh_carry_code(c, &c->cmds[idx], c->cmds[idx].pub.argv[j + 1],
                          c->cmds[idx].pub.argf[j + 1]);
    }
}

/* git: the subcommand's own file roles (clean and rm delete, the rest is
 * left to rules on the subcommand), in the directory -C names. */
static int git(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    (void)k;
    const sh_cmd *sc = &c->cmds[idx];
    if (!sc->pub.nsub)
        return 1;
    git_runs(c, idx);
    sc = &c->cmds[idx];
    pe_str sub = sc->pub.argv[sc->pub.subidx];
    size_t after = 0;
    while (after < wk->nops && wk->ops[after] <= sc->pub.subidx + sc->pub.nsub - 1)
        after++;
    if (sh_eq(sub, "checkout") || sh_eq(sub, "restore")) {
        /* paths put back from the index or a commit: their changes are lost
         * (checkout's paths follow "--" or are "."; a bare word is a branch) */
        int restore = sh_eq(sub, "restore"), staged_only = 0, worktree = 0, dashes = 0;
        for (size_t j = sc->pub.subidx + 1; j < sc->pub.argc; j++) {
            pe_str a = word(c, idx, j);
            staged_only |= sh_eq(a, "--staged") || sh_eq(a, "-S");
            worktree |= sh_eq(a, "--worktree") || sh_eq(a, "-W");
            if (sh_eq(a, "--")) {
                dashes = 1;
                continue;
            }
            if (a.len && a.s[0] == '-' && !dashes)
                continue;
            if ((restore && (!staged_only || worktree)) || dashes || sh_eq(a, ".") ||
                sh_eq(a, ":/"))
                sh_path_in(c, sc->scope, wk->w, a, wflags(c, idx, j), PE_SHELL_P_WRITE);
        }
    } else if (sh_eq(sub, "clean")) { /* untracked files go, under each path or here */
        if (has_word(c, idx, "--dry-run") || has_letter(c, idx, 'n', sc->pub.argc))
            return 1;
        for (size_t i = after; i <= wk->nops; i++) {
            if (i == wk->nops && i > after)
                break;
            pe_str dir = i < wk->nops ? word(c, idx, wk->ops[i]) : (pe_str){".", 1};
            unsigned f = i < wk->nops ? wflags(c, idx, wk->ops[i]) : 0;
            sh_path_in(c, sc->scope, wk->w, under(c, dir), f | PE_SHELL_W_GLOB, PE_SHELL_P_DELETE);
            sc = &c->cmds[idx];
        }
    } else if (sh_eq(sub, "apply") || sh_eq(sub, "am")) { /* patches read */
        for (size_t i = after; i < wk->nops; i++)
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_READ);
    } else if (sh_eq(sub, "commit") || sh_eq(sub, "tag")) { /* -F FILE: the message */
        for (size_t j = sc->pub.subidx + 1; j < sc->pub.argc; j++) {
            pe_str a = word(c, idx, j);
            if ((sh_eq(a, "-F") || sh_eq(a, "--file")) && j + 1 < sc->pub.argc)
                sh_path_in(c, sc->scope, wk->w, word(c, idx, j + 1), wflags(c, idx, j + 1),
                           PE_SHELL_P_READ);
            else if (a.len > 7 && !memcmp(a.s, "--file=", 7))
                sh_path_in(c, sc->scope, wk->w, (pe_str){a.s + 7, a.len - 7}, wflags(c, idx, j),
                           PE_SHELL_P_READ);
        }
    } else if (sh_eq(sub, "rm")) {
        if (has_word(c, idx, "--cached"))
            return 1; /* only out of the index: the files stay */
        for (size_t i = after; i < wk->nops; i++)
            sh_path_in(c, sc->scope, wk->w, word(c, idx, wk->ops[i]), wflags(c, idx, wk->ops[i]),
                       PE_SHELL_P_DELETE);
    } else if (sh_eq(sub, "clone") || sh_eq(sub, "fetch") || sh_eq(sub, "pull") ||
               sh_eq(sub, "push") || sh_eq(sub, "ls-remote") || sh_eq(sub, "submodule") ||
               sh_eq(sub, "remote")) {
        int clone = sh_eq(sub, "clone");
        /* git submodule add URL [PATH] fetches as clone does */
        int add = sh_eq(sub, "submodule") && sc->pub.nsub >= 2 &&
                  sh_eq(sc->pub.argv[sc->pub.subidx + 1], "add");
        size_t first = after;
        pe_str url = {NULL, 0};
        int dir = 0;
        for (size_t i = after; i < wk->nops; i++) {
            pe_str a = word(c, idx, wk->ops[i]);
            unsigned f = wflags(c, idx, wk->ops[i]);
            /* git clone URL DIR: the directory is written */
            if (sh_net_word(c, sc->scope, a, f, PE_URL_SCP)) {
                if (!url.len)
                    url = a;
            } else if ((clone || add) && i > first && !dir) {
                sh_path_in(c, sc->scope, wk->w, a, f, PE_SHELL_P_WRITE);
                sh_dir_downloaded(c, sc->scope, a, f);
                dir = 1;
            }
        }
        if ((clone || add) && url.len && !dir)
            clone_dir(c, sc->scope, url);
    }
    return 1;
}

static const struct {
    const char *name;
    special_fn fn;
} handlers[] = {
    {"aws", sh_cloud_copy},
    {"azcopy", sh_cloud_copy},
    {"gh", sh_gh},
    {"gsutil", sh_cloud_copy},
    {"rclone", sh_cloud_copy},
    {"crontab", crontab},
    {"curl", sh_web},
    {"find", find},
    {"git", git},
    {"gpg", gpg},
    {"gpg2", gpg},
    {"http", sh_httpie},
    {"https", sh_httpie},
    {"xh", sh_httpie},
    {"nc", sh_netcat},
    {"ncat", sh_netcat},
    {"netcat", sh_netcat},
    {"nc.openbsd", sh_netcat},
    {"nc.traditional", sh_netcat},
    {"rsync", sh_copy_remote},
    {"scp", sh_copy_remote},
    {"security", security},
    {"socat", sh_socat},
    {"ssh", sh_ssh},
    {"tar", tar},
    {"wget", sh_web},
};

int sh_special(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (strcmp(handlers[i].name, k->name) == 0)
            return handlers[i].fn(c, idx, k, wk);
    return 0;
}
