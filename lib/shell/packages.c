#include "shell/packages.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "prempti/common.h"
#include "util/hash.h"
#include "util/lookalike.h"

/* The registries, in the order of the ECO_* values. */
enum { ECO_PYPI, ECO_NPM, ECO_CRATES, ECO_GEMS };
static const char *const ecosystems[] = {"pypi", "npm", "crates", "rubygems"};

/* Which operands of a command are packages. */
enum {
    PK_ALL,        /* every operand (pip install a b) */
    PK_FIRST,      /* the first operand, the rest are its arguments (npx pkg args); none
                      when a FROM option named the package (npx -p pkg cmd) */
    PK_CREATE,     /* the first operand names an initializer: npm init x runs create-x */
    PK_SKIP_FIRST, /* every operand but the first (pipx inject VENV a b) */
    PK_NONE        /* no operand: only option values (uv run --with x cmd) */
};

/* One command that installs or runs packages from a registry. */
typedef struct pkg_cmd {
    const char *cmd;         /* base name; a trailing '*' also accepts a version after it
                                (pip3, pip3.12) */
    const char *sub;         /* the subcommand path after the global options: words
                                separated by spaces, spellings by '|'; "" when none */
    unsigned char eco;       /* ECO_* */
    unsigned char style;     /* PK_* */
    const char *const *vals; /* options that take a value ("-r", "--index-url") */
    const char *const *from; /* options whose value is a package (npx -p, uvx --from) */
    const char *const *with; /* options whose value lists more packages, comma-separated
                                (uvx --with a,b) */
    const char *const *off;  /* options that take the packages off the registry: they
                                come from git or a local path (cargo --git, --no-index) */
} pkg_cmd;

/* Options, as each command spells them. */
/* clang-format off */
static const char *const none[] = {NULL};
#define PIP_VALS \
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "-d", \
    "--dest", "-w", "--wheel-dir", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", \
    "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--root", \
    "--prefix", "--src", "--upgrade-strategy", "-C", "--config-settings", "--global-option", \
    "--build-option", "--install-option", "--no-binary", "--only-binary", "--progress-bar", \
    "--report", "--log", "--log-file", "--proxy", "--retries", "--timeout", "--exists-action", \
    "--cert", "--client-cert", "--cache-dir", "--python", "--keyring-provider", "--use-feature", \
    "--use-deprecated", "--root-user-action", "--group", "--resume-retries"
#define UV_VALS \
    "-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints", "--override", \
    "--overrides", "-b", "--build-constraint", "--build-constraints", "--extra", "--group", \
    "--only-group", "--no-group", "--index", "--default-index", "-i", "--index-url", \
    "--extra-index-url", "-f", "--find-links", "--index-strategy", "--keyring-provider", "-P", \
    "--upgrade-package", "--reinstall-package", "--refresh-package", "--no-build-package", \
    "--no-binary-package", "--no-build-isolation-package", "--no-binary", "--only-binary", \
    "--resolution", "--prerelease", "--fork-strategy", "--exclude-newer", "-C", \
    "--config-setting", "--link-mode", "-p", "--python", "--target", "--prefix", \
    "--python-version", "--python-platform", "--torch-backend", "--cache-dir", "--color", \
    "--config-file", "--directory", "--project", "--allow-insecure-host", "--python-preference", \
    "--optional", "--tag", "--branch", "--rev", "-m", "--marker", "--package", "--script", \
    "--bounds", "--env-file", "--from", "--with", "-w", "--with-requirements", "--with-editable"
#define NPM_VALS \
    "--registry", "--prefix", "-C", "--workspace", "-w", "--tag", "--save-prefix", "--otp", \
    "--cache", "--userconfig", "--globalconfig", "--loglevel", "--omit", "--include", \
    "--install-strategy", "--before", "--cpu", "--os", "--libc", "--scope", "--auth-type", \
    "--access", "--script-shell", "--fetch-retries", "--fetch-timeout", "--ca", "--cafile", \
    "--cert", "--key", "--proxy", "--https-proxy", "--noproxy", "--location", "-L", \
    "--lockfile-version", "--node-options", "--depth", "--init-author-name", \
    "--init-author-email", "--init-author-url", "--init-license", "--init-module", "--init-version"
#define YARN_VALS \
    "--cwd", "--registry", "--cache-folder", "--modules-folder", "--mutex", "--network-timeout", \
    "--use-yarnrc", "--global-folder", "--link-folder", "--mode"
#define BUN_VALS \
    "--cwd", "-c", "--config", "--registry", "--cache-dir", "--backend", "--concurrent-scripts", \
    "--network-concurrency", "--omit", "--ca", "--cafile", "--filter", "--linker", "--cpu", "--os"

static const char *const pip_vals[] = {PIP_VALS, NULL};
static const char *const no_index[] = {"--no-index", NULL};
static const char *const uv_vals[] = {UV_VALS, NULL};
static const char *const uv_pip_vals[] = {UV_VALS, "-e", "--editable", NULL};
static const char *const uv_from[] = {"--from", NULL};
static const char *const uv_with[] = {"--with", "-w", NULL};
static const char *const pipx_vals[] = {
    "--spec", "--python", "--pip-args", "-i", "--index-url", "--suffix", "--preinstall",
    "--backend", NULL};
static const char *const pipx_from[] = {"--spec", NULL};
static const char *const pipx_with[] = {"--preinstall", NULL};
static const char *const poetry_vals[] = {
    "-G", "--group", "-E", "--extras", "--python", "--platform", "--source", "--markers", "-C",
    "--directory", "-P", "--project", NULL};
static const char *const pdm_vals[] = {
    "-G", "--group", "-p", "--project", "-L", "--lockfile", "-e", "--editable", "--venv", "-k",
    "--skip", "--config-setting", NULL};
static const char *const pipenv_vals[] = {
    "--python", "-r", "--requirements", "-i", "--index", "--extra-index-url", "--categories",
    "--pypi-mirror", "-e", "--editable", NULL};
static const char *const npm_vals[] = {NPM_VALS, NULL};
static const char *const npx_vals[] = {NPM_VALS, "-p", "--package", "-c", "--call", NULL};
static const char *const npx_from[] = {"-p", "--package", NULL};
static const char *const pnpm_vals[] = {
    "-C", "--dir", "--filter", "-F", "--registry", "--store-dir", "--virtual-store-dir",
    "--workspace-dir", "--reporter", "--loglevel", "--lockfile-dir", "--modules-dir",
    "--network-concurrency", "--child-concurrency", "--node-linker", "--config", "--allow-build",
    "--package", NULL};
static const char *const pnpm_from[] = {"--package", NULL};
static const char *const yarn_vals[] = {YARN_VALS, NULL};
static const char *const yarn_dlx_vals[] = {YARN_VALS, "-p", "--package", NULL};
static const char *const bun_vals[] = {BUN_VALS, NULL};
static const char *const bunx_vals[] = {BUN_VALS, "-p", "--package", NULL};
static const char *const cargo_vals[] = {
    "-F", "--features", "--rename", "-p", "--package", "--manifest-path", "--registry", "--index",
    "--git", "--branch", "--tag", "--rev", "--path", "--base", "--target", "--target-dir",
    "--config", "-Z", "--color", "--lockfile-path", "--version", "--vers", "--root", "-j",
    "--jobs", "--profile", "--bin", "--example", "--targets", "--pkg-url", "--pkg-fmt",
    "--bin-dir", "--install-path", "--strategies", "--disable-strategies", "--log-level",
    "--min-tls-version", "--github-token", "--rate-limit", "--maximum-resolution-timeout", NULL};
static const char *const cargo_off[] = {"--git", "--path", NULL};
static const char *const gem_vals[] = {
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--document", "--build-root",
    "-P", "--trust-policy", "-s", "--source", "--platform", "-g", "--file", "--gem", "--without",
    "--config-file", "--target-rbconfig", NULL};
static const char *const gem_off[] = {"-l", "--local", NULL};
static const char *const gem_from[] = {"-g", "--gem", NULL};
static const char *const bundle_vals[] = {
    "-v", "--version", "-g", "--group", "-s", "--source", "--require", "--path", "--git",
    "--github", "--branch", "--ref", "--glob", NULL};
static const char *const bundle_off[] = {"--path", "--git", "--github", NULL};

#define NPM_INSTALL \
    "install|i|in|ins|inst|insta|instal|isnt|isnta|isntal|isntall|add|install-test|it"

/* conda and mamba are left out: their channels name packages their own
 * way (py-xgboost, pytorch), so PyPI's lists would misjudge them. */
static const pkg_cmd cmds[] = {
    /* command, subcommand, registry, operands, options: value, from, with, off */
    {"pip*", "install|download|wheel", ECO_PYPI, PK_ALL, pip_vals, none, none, no_index},
    {"uv", "pip install", ECO_PYPI, PK_ALL, uv_pip_vals, none, none, no_index},
    {"uv", "add", ECO_PYPI, PK_ALL, uv_vals, none, none, no_index},
    {"uv", "tool install", ECO_PYPI, PK_ALL, uv_vals, uv_from, uv_with, no_index},
    {"uv", "tool run", ECO_PYPI, PK_FIRST, uv_vals, uv_from, uv_with, no_index},
    {"uv", "run", ECO_PYPI, PK_NONE, uv_vals, none, uv_with, no_index},
    {"uvx", "", ECO_PYPI, PK_FIRST, uv_vals, uv_from, uv_with, no_index},
    {"pipx", "install", ECO_PYPI, PK_ALL, pipx_vals, pipx_from, pipx_with, none},
    {"pipx", "run", ECO_PYPI, PK_FIRST, pipx_vals, pipx_from, none, none},
    {"pipx", "inject", ECO_PYPI, PK_SKIP_FIRST, pipx_vals, none, none, none},
    {"poetry", "add", ECO_PYPI, PK_ALL, poetry_vals, none, none, none},
    {"pdm", "add", ECO_PYPI, PK_ALL, pdm_vals, none, none, none},
    {"pipenv", "install", ECO_PYPI, PK_ALL, pipenv_vals, none, none, none},
    {"npm", NPM_INSTALL, ECO_NPM, PK_ALL, npm_vals, none, none, none},
    {"npm", "exec|x", ECO_NPM, PK_FIRST, npx_vals, npx_from, none, none},
    {"npm", "init|create|innit", ECO_NPM, PK_CREATE, npm_vals, none, none, none},
    {"npx", "", ECO_NPM, PK_FIRST, npx_vals, npx_from, none, none},
    {"pnpm", "add|install|i", ECO_NPM, PK_ALL, pnpm_vals, none, none, none},
    {"pnpm", "dlx", ECO_NPM, PK_FIRST, pnpm_vals, pnpm_from, none, none},
    {"pnpm", "create", ECO_NPM, PK_CREATE, pnpm_vals, none, none, none},
    {"pnpx", "", ECO_NPM, PK_FIRST, pnpm_vals, pnpm_from, none, none},
    {"yarn", "add", ECO_NPM, PK_ALL, yarn_vals, none, none, none},
    {"yarn", "global add", ECO_NPM, PK_ALL, yarn_vals, none, none, none},
    {"yarn", "dlx", ECO_NPM, PK_FIRST, yarn_dlx_vals, npx_from, none, none},
    {"yarn", "create", ECO_NPM, PK_CREATE, yarn_vals, none, none, none},
    {"bun", "add|a|install|i", ECO_NPM, PK_ALL, bun_vals, none, none, none},
    {"bun", "x", ECO_NPM, PK_FIRST, bunx_vals, npx_from, none, none},
    {"bun", "create|c", ECO_NPM, PK_CREATE, bun_vals, none, none, none},
    {"bunx", "", ECO_NPM, PK_FIRST, bunx_vals, npx_from, none, none},
    {"cargo", "add|install|binstall", ECO_CRATES, PK_ALL, cargo_vals, none, none, cargo_off},
    {"gem", "install|i", ECO_GEMS, PK_ALL, gem_vals, none, none, gem_off},
    {"gem", "exec", ECO_GEMS, PK_FIRST, gem_vals, gem_from, none, none},
    {"bundle", "add", ECO_GEMS, PK_ALL, bundle_vals, none, none, bundle_off},
};
/* clang-format on */
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* ---- words ------------------------------------------------------------------ */

static int in(const char *const *l, pe_str w)
{
    for (; *l; l++)
        if (strlen(*l) == w.len && memcmp(*l, w.s, w.len) == 0)
            return 1;
    return 0;
}

static int has_suffix(pe_str w, const char *s)
{
    size_t n = strlen(s);
    return w.len > n && memcmp(w.s + w.len - n, s, n) == 0;
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the run of letters, digits and bytes of extra in w from i. */
static size_t span(pe_str w, size_t i, const char *extra)
{
    size_t j = i;
    while (j < w.len && w.s[j] && (is_alnum(w.s[j]) || strchr(extra, w.s[j])))
        j++;
    return j - i;
}

static int holds(pe_str w, char c)
{
    return memchr(w.s, c, w.len) != NULL;
}

/* A package file rather than a name (pip install x.whl, npm i x.tgz). */
static int archive(pe_str name)
{
    static const char *const ext[] = {".whl",    ".zip", ".tar.gz", ".tgz", ".tar.bz2",
                                      ".tar.xz", ".tar", ".egg",    ".gem", NULL};
    for (const char *const *e = ext; *e; e++)
        if (has_suffix(name, *e))
            return 1;
    return 0;
}

/* The name of a version or range given after '@' (pkg@1.2, ruff@latest),
 * or none when what follows is a URL, a path or a repository. */
static pe_str versioned(pe_str name, pe_str spec)
{
    pe_str no = {NULL, 0};
    return holds(spec, ':') || holds(spec, '/') ? no : name;
}

/* ---- how each registry writes a package ------------------------------------- */

/* PEP 508: name, then [extras], a version specifier, a ; marker, or
 * "@ version" as uvx and poetry take it; "name @ URL" comes from the URL. */
static pe_str pypi_name(pe_str w)
{
    pe_str no = {NULL, 0};
    size_t n = span(w, 0, "._-");
    if (!n || !is_alnum(w.s[0]))
        return no; /* ./dir, ~/x, $PKG, $(...) */
    pe_str name = {w.s, n};
    size_t i = n; /* what follows: a URL's scheme or a path's slash is none of these */
    while (i < w.len && w.s[i] == ' ')
        i++;
    if (archive(name))
        return no;
    if (i == w.len)
        return name;
    if (w.s[i] == '@')
        return versioned(name, (pe_str){w.s + i + 1, w.len - i - 1});
    return w.s[i] && strchr("[=<>!~;,(", w.s[i]) ? name : no;
}

/* npm-package-arg: [@scope/]name[@version|@tag|@range], or
 * alias@npm:real[@version], which installs real. Anything else is a path,
 * a URL, a git or GitHub spec (user/repo) or a tarball. */
static pe_str npm_name(pe_str w, int alias)
{
    pe_str no = {NULL, 0};
    size_t i = 0;
    if (w.len && w.s[0] == '@') {
        size_t s = span(w, 1, "._-~");
        if (!s || !is_alnum(w.s[1]) || 1 + s >= w.len || w.s[1 + s] != '/')
            return no;
        i = s + 2;
    }
    size_t n = span(w, i, "._-~");
    if (!n || !is_alnum(w.s[i]))
        return no;
    pe_str name = {w.s, i + n};
    if (archive(name))
        return no;
    if (name.len == w.len)
        return name;
    if (w.s[name.len] != '@')
        return no;
    pe_str spec = {w.s + name.len + 1, w.len - name.len - 1};
    if (alias && spec.len > 4 && memcmp(spec.s, "npm:", 4) == 0)
        return npm_name((pe_str){spec.s + 4, spec.len - 4}, 0);
    return versioned(name, spec);
}

/* cargo: name[@version]; crate names start with a letter. */
static pe_str crate_name(pe_str w)
{
    pe_str no = {NULL, 0};
    size_t n = span(w, 0, "_-");
    if (!n || !is_alnum(w.s[0]) || (w.s[0] >= '0' && w.s[0] <= '9'))
        return no;
    pe_str name = {w.s, n};
    if (n == w.len)
        return name;
    return w.s[n] == '@' ? versioned(name, (pe_str){w.s + n + 1, w.len - n - 1}) : no;
}

/* gem install: name[:version]; a .gem file is local. */
static pe_str gem_name(pe_str w)
{
    pe_str no = {NULL, 0};
    size_t n = span(w, 0, "._-");
    if (!n || !is_alnum(w.s[0]))
        return no;
    pe_str name = {w.s, n};
    if (archive(name))
        return no;
    if (n == w.len)
        return name;
    return w.s[n] == ':' ? versioned(name, (pe_str){w.s + n + 1, w.len - n - 1}) : no;
}

static pe_str package_name(unsigned eco, pe_str w)
{
    switch (eco) {
    case ECO_PYPI:
        return pypi_name(w);
    case ECO_NPM:
        return npm_name(w, 1);
    case ECO_CRATES:
        return crate_name(w);
    default:
        return gem_name(w);
    }
}

/* ---- the list --------------------------------------------------------------- */

/* Packages found, each once (a hash index over the items). */
typedef struct pkg_list {
    pe_arena *a;
    pe_str *items;
    size_t n, cap;
    uint32_t *slots; /* index + 1 of an item; 0: empty */
    size_t mask;
} pkg_list;

static size_t slot_of(const pkg_list *l, pe_str s)
{
    size_t k = (size_t)pe_hash_bytes(s.s, s.len) & l->mask;
    while (l->slots[k] && !pe_str_eq(l->items[l->slots[k] - 1], s))
        k = (k + 1) & l->mask;
    return k;
}

/* Doubles the room; the old arrays stay in the arena (their total is less
 * than the last ones). */
static int grow(pkg_list *l)
{
    size_t cap = l->cap ? 2 * l->cap : 8;
    pe_str *items = pe_arena_alloc_raw(l->a, cap * sizeof(*items));
    uint32_t *slots = pe_arena_alloc(l->a, 2 * cap * sizeof(*slots));
    if (!items || !slots)
        return -1;
    if (l->n)
        memcpy(items, l->items, l->n * sizeof(*items));
    l->items = items;
    l->slots = slots;
    l->cap = cap;
    l->mask = 2 * cap - 1;
    for (size_t i = 0; i < l->n; i++)
        l->slots[slot_of(l, items[i])] = (uint32_t)(i + 1);
    return 0;
}

/* Adds "eco:" pre mid post unless it is there. */
static int add(pkg_list *l, unsigned eco, pe_str pre, const char *mid, pe_str post)
{
    const char *e = ecosystems[eco];
    size_t el = strlen(e), ml = strlen(mid), len = el + 1 + pre.len + ml + post.len;
    if (l->n == l->cap && grow(l))
        return -1;
    pe_arena_mark m = pe_arena_get_mark(l->a);
    char *d = pe_arena_alloc_raw(l->a, len + 1);
    if (!d)
        return -1;
    memcpy(d, e, el);
    d[el] = ':';
    memcpy(d + el + 1, pre.s, pre.len);
    memcpy(d + el + 1 + pre.len, mid, ml);
    memcpy(d + el + 1 + pre.len + ml, post.s, post.len);
    d[len] = '\0';
    pe_str s = {d, len};
    size_t k = slot_of(l, s);
    if (l->slots[k]) {
        pe_arena_release(l->a, m); /* a repeat: the copy is not kept */
        return 0;
    }
    l->items[l->n] = s;
    l->slots[k] = (uint32_t)++l->n;
    return 0;
}

/* The package a word names, if it is one of the registry's. */
static int add_word(pkg_list *l, unsigned eco, pe_str w)
{
    pe_str name = package_name(eco, w), empty = {"", 0};
    return name.len ? add(l, eco, name, "", empty) : 0;
}

/* uvx --with a,b: a comma starts another package unless a version
 * specifier goes on (--with 'flask>=2,<3'). */
static int add_list(pkg_list *l, unsigned eco, pe_str v)
{
    size_t start = 0;
    for (size_t i = 0; i <= v.len; i++) {
        if (i < v.len && !(v.s[i] == ',' && i + 1 < v.len && is_alnum(v.s[i + 1])))
            continue;
        if (add_word(l, eco, (pe_str){v.s + start, i - start}))
            return -1;
        start = i + 1;
    }
    return 0;
}

/* npm init x / create x runs the package create-x; npm init @s runs
 * @s/create, npm init @s/x runs @s/create-x. */
static int add_initializer(pkg_list *l, pe_str w)
{
    pe_str empty = {"", 0};
    const char *slash = memchr(w.s, '/', w.len);
    if (w.len > 1 && w.s[0] == '@' && !slash) {
        size_t s = 1 + span(w, 1, "._-~");
        if (s == 1 || (s < w.len && w.s[s] != '@'))
            return 0;
        pe_str scope = {w.s, s};
        return add(l, ECO_NPM, scope, "/create", empty);
    }
    pe_str name = npm_name(w, 0);
    if (!name.len)
        return 0;
    size_t cut =
        name.s[0] == '@' ? (size_t)((const char *)memchr(name.s, '/', name.len) - name.s) + 1 : 0;
    pe_str scope = {name.s, cut}, rest = {name.s + cut, name.len - cut};
    return add(l, ECO_NPM, scope, "create-", rest);
}

/* ---- walking a command -------------------------------------------------------- */

/* What an option's value is. */
enum { V_NONE, V_OTHER, V_FROM, V_WITH };

static int value_kind(const pkg_cmd *t, pe_str name)
{
    return in(t->from, name) ? V_FROM : in(t->with, name) ? V_WITH : V_OTHER;
}

/*
 * The option word k->argv[j] (starting with '-', not "--"): *kind says
 * whether it has a value and what it is, *val receives it (after '=', the
 * rest of a letter cluster, or the next word); *off is set when it takes the
 * packages off the registry. Returns the words used after j (0 or 1).
 */
static size_t option(const pkg_cmd *t, const pe_shell_cmd *k, size_t j, int *kind, pe_str *val,
                     int *off)
{
    pe_str a = k->argv[j];
    *kind = V_NONE;
    if (a.s[1] == '-') {
        const char *eq = memchr(a.s, '=', a.len);
        pe_str name = {a.s, eq ? (size_t)(eq - a.s) : a.len};
        *off |= in(t->off, name);
        if (eq) {
            *val = (pe_str){eq + 1, a.len - name.len - 1};
            *kind = value_kind(t, name);
            return 0;
        }
        if (!in(t->vals, name) || j + 1 >= k->argc)
            return 0;
        *val = k->argv[j + 1];
        *kind = value_kind(t, name);
        return 1;
    }
    for (size_t i = 1; i < a.len; i++) { /* -qUr file: letters until one takes a value */
        char o[2] = {'-', a.s[i]};
        pe_str name = {o, 2};
        *off |= in(t->off, name);
        if (!in(t->vals, name))
            continue;
        size_t at = i + 1 + (i + 1 < a.len && a.s[i + 1] == '=');
        *kind = value_kind(t, name);
        if (at < a.len) {
            *val = (pe_str){a.s + at, a.len - at};
            return 0;
        }
        if (j + 1 >= k->argc) {
            *kind = V_NONE;
            return 0;
        }
        *val = k->argv[j + 1];
        return 1;
    }
    return 0;
}

/*
 * Walks k's words from j as t reads them. Adds the packages to l, unless l
 * is NULL: then only looks for an option that takes them off the registry.
 * Returns 1 when there is one, 0 when not, -1 when out of memory.
 */
static int walk(pkg_list *l, const pkg_cmd *t, const pe_shell_cmd *k, size_t j)
{
    int off = 0, from = 0, opts = 1, rc = 0;
    size_t operands = 0;
    for (; j < k->argc && !rc; j++) {
        pe_str a = k->argv[j];
        if (opts && a.len > 1 && a.s[0] == '-') {
            if (a.len == 2 && a.s[1] == '-') {
                opts = 0;
                continue;
            }
            int kind;
            pe_str v;
            j += option(t, k, j, &kind, &v, &off);
            from |= kind == V_FROM;
            if (l && kind == V_FROM)
                rc = add_word(l, t->eco, v);
            else if (l && kind == V_WITH)
                rc = add_list(l, t->eco, v);
            continue;
        }
        operands++;
        if (t->style == PK_FIRST || t->style == PK_CREATE) {
            if (l && !from)
                rc = t->style == PK_CREATE ? add_initializer(l, a) : add_word(l, t->eco, a);
            break; /* the rest are the program's arguments */
        }
        if (l && t->style != PK_NONE && !(t->style == PK_SKIP_FIRST && operands == 1))
            rc = add_word(l, t->eco, a);
    }
    return rc ? -1 : off;
}

/* Whether the command name is cmd ("pip*": pip, then digits and dots). */
static int named(const char *cmd, pe_str base)
{
    size_t n = strlen(cmd);
    int ver = n && cmd[n - 1] == '*';
    n -= (size_t)ver;
    if (base.len < n || memcmp(base.s, cmd, n) != 0)
        return 0;
    if (!ver)
        return base.len == n;
    for (size_t i = n; i < base.len; i++)
        if (!((base.s[i] >= '0' && base.s[i] <= '9') || base.s[i] == '.'))
            return 0;
    return 1;
}

/* Whether w is one of the spellings alts[0..n) ("install|i"). */
static int spelled(const char *alts, size_t n, pe_str w)
{
    for (const char *p = alts, *e = alts + n; p < e;) {
        const char *bar = memchr(p, '|', (size_t)(e - p));
        size_t m = bar ? (size_t)(bar - p) : (size_t)(e - p);
        if (m == w.len && memcmp(p, w.s, m) == 0)
            return 1;
        p += m + 1;
    }
    return 0;
}

/* Whether k's words from p spell t's subcommand path; *j receives the
 * index of the word after it. */
static int sub_matches(const pkg_cmd *t, const pe_shell_cmd *k, size_t p, size_t *j)
{
    if (!*t->sub) {
        *j = 1;
        return 1;
    }
    for (const char *s = t->sub; *s; p++) {
        const char *sp = strchr(s, ' ');
        size_t n = sp ? (size_t)(sp - s) : strlen(s);
        if (p >= k->argc || !spelled(s, n, k->argv[p]))
            return 0;
        s += n + (sp != NULL);
    }
    *j = p;
    return 1;
}

/* Where k's subcommand starts: the analysis found it after the global
 * options when it knows the command; else the first word that is not an
 * option. A toolchain (cargo +nightly install) comes before it. */
static size_t sub_start(const pe_shell_cmd *k)
{
    size_t p = k->nsub ? k->subidx : 1;
    while (!k->nsub && p < k->argc && k->argv[p].len > 1 && k->argv[p].s[0] == '-')
        p++;
    while (p < k->argc && k->argv[p].len > 1 && k->argv[p].s[0] == '+')
        p++;
    return p;
}

static int command_packages(pkg_list *l, const pe_shell_cmd *k)
{
    if (!k->base.len || (k->flags & PE_SHELL_C_RESOLVED)) /* its expansion is recorded too */
        return 0;
    size_t p = 0, j;
    for (size_t i = 0; i < NCMDS; i++) {
        const pkg_cmd *t = &cmds[i];
        if (t->cmd[0] != k->base.s[0] || !named(t->cmd, k->base))
            continue;
        if (!p)
            p = sub_start(k);
        if (!sub_matches(t, k, p, &j))
            continue;
        int off = walk(NULL, t, k, j);
        return off ? 0 : walk(l, t, k, j) < 0 ? -1 : 0;
    }
    return 0;
}

int pe_packages_of(const pe_shell_result *r, pe_arena *arena, const pe_str **items, size_t *n)
{
    pkg_list l = {arena, NULL, 0, 0, NULL, 0};
    *items = NULL;
    *n = 0;
    for (size_t i = 0; r && i < r->ncmds; i++)
        if (command_packages(&l, &r->cmds[i]))
            return PREMPTI_E_NOMEM;
    *items = l.items;
    *n = l.n;
    return 0;
}

/* ---- lookalikes --------------------------------------------------------------- */

/* "reqeusts (pypi; looks like requests)" for "pypi:reqeusts", or an empty
 * string when the name imitates nothing. */
static int lookalike(pe_arena *a, pe_str pkg, pe_str *out)
{
    static const char like[] = "; looks like ";
    const char *colon = memchr(pkg.s, ':', pkg.len);
    *out = (pe_str){"", 0};
    for (size_t e = 0; colon && e < sizeof(ecosystems) / sizeof(ecosystems[0]); e++) {
        size_t el = strlen(ecosystems[e]);
        if (el != (size_t)(colon - pkg.s) || memcmp(pkg.s, ecosystems[e], el) != 0)
            continue;
        pe_str name = {colon + 1, pkg.len - el - 1};
        const char *pop = pe_package_lookalike(ecosystems[e], name.s, name.len);
        if (!pop)
            return 0;
        size_t pl = strlen(pop), len = name.len + 2 + el + sizeof(like) - 1 + pl + 1;
        char *d = pe_arena_alloc_raw(a, len + 1);
        if (!d)
            return -1;
        snprintf(d, len + 1, "%.*s (%s%s%s)", (int)name.len, name.s, ecosystems[e], like, pop);
        *out = (pe_str){d, len};
        return 0;
    }
    return 0;
}

int pe_packages_lookalikes(const pe_str *pkgs, size_t n, pe_arena *arena, const pe_str **items,
                           size_t *nout)
{
    size_t checked = n < PE_PACKAGES_MAX_CHECKED ? n : PE_PACKAGES_MAX_CHECKED;
    pe_str *out = pe_arena_alloc_raw(arena, (checked + 1) * sizeof(*out));
    *items = NULL;
    *nout = 0;
    if (!out)
        return PREMPTI_E_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < checked; i++) {
        if (lookalike(arena, pkgs[i], &out[m]))
            return PREMPTI_E_NOMEM;
        m += out[m].len > 0;
    }
    if (n > checked) { /* not checked is not safe: say so */
        char t[96];
        int len = snprintf(t, sizeof(t), "%zu packages not checked (more than %u named)",
                           n - checked, (unsigned)PE_PACKAGES_MAX_CHECKED);
        char *d = pe_arena_strndup(arena, t, (size_t)len);
        if (!d)
            return PREMPTI_E_NOMEM;
        out[m++] = (pe_str){d, (size_t)len};
    }
    *items = m ? out : NULL;
    *nout = m;
    return 0;
}
