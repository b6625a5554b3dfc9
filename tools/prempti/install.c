/* prempti install / uninstall: register the hook adapter with an agent. */
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "codextrust.h"
#include "fileio.h"
#include "hookfile.h"
#include "hookstate.h"
#include "paths.h"
#include "probe.h"

#define CONFIG_TOML_MAX_BYTES ((size_t)4 << 20)
#define PROBE_SECONDS         20

static const char install_help[] =
    "usage: prempti install [--hook PATH] [--dry-run] AGENT\n"
    "\n"
    "Registers the hook adapter with AGENT (claude_code, codex, copilot, gemini,\n"
    "cursor) in the agent's user configuration, leaving every other hook and\n"
    "setting as it was. Installing twice changes nothing. A file that changes is\n"
    "first copied to FILE.prempti-backup-TIME; a file that is not valid JSON is\n"
    "never touched. The adapter must answer a sample tool call first; for Codex\n"
    "the hook is also marked trusted in Codex's config.toml.\n"
    "\n"
    "  --hook PATH   the adapter to register (default: prempti-hook beside this\n"
    "                program, else " PT_INSTALL_BINDIR "/prempti-hook)\n"
    "  --dry-run     print the change instead of making it\n";

static const char uninstall_help[] =
    "usage: prempti uninstall [--dry-run] AGENT\n"
    "\n"
    "Removes the hook adapter's handlers from AGENT's configuration, and only\n"
    "those. A file that changes is first copied to FILE.prempti-backup-TIME.\n"
    "\n"
    "  --dry-run     print the change instead of making it\n";

typedef struct change {
    const char *cmd; /* "install" or "uninstall" */
    const pt_agent_spec *spec;
    char *file; /* the configuration file (symlinks resolved) */
    json_object *root;
    int exists;
    int dry_run;
} change;

/* Follows a symbolic link, so that a managed dotfile keeps being a link. */
static char *target_of(const char *path)
{
    char buf[PATH_MAX];
    if (pt_exists(path) && realpath(path, buf))
        return pt_strdup(buf);
    return pt_strdup(path);
}

static int open_change(change *c, const char *agent)
{
    char *msg = NULL;
    if (!(c->spec = pt_agent_spec_find(agent)))
        return cli_error(c->cmd, PT_EXIT_USAGE,
                         "unknown agent '%s' (use claude_code, codex, copilot, gemini or cursor)",
                         agent);
    char *path = pt_agent_file(c->spec, &msg);
    c->file = path ? target_of(path) : NULL;
    free(path);
    if (c->file && pt_json_file_load(c->file, &c->root, &c->exists, &msg) == 0)
        return PT_EXIT_OK;
    cli_error(c->cmd, PT_EXIT_FAIL, "%s; nothing was changed", msg ? msg : "out of memory");
    free(msg);
    return PT_EXIT_FAIL;
}

static char *backup_name(const char *file)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
        return NULL;
    char *name = pt_fmt("%s.prempti-backup-%s", file, stamp);
    for (int i = 2; name && pt_exists(name) && i < 1000; i++) {
        free(name);
        name = pt_fmt("%s.prempti-backup-%s-%d", file, stamp, i);
    }
    return name;
}

/* Writes the new file (or removes it), after a backup of the old one,
 * whose name is left in *backup. */
static int commit_file(const char *cmd, const char *file, int exists, const char *text,
                       int remove_file, char **backup_out)
{
    char *msg = NULL, *backup = NULL, *dir = pt_dirname(file);
    int rc = dir ? 0 : pt_fail(&msg, "out of memory");
    if (!rc && exists) {
        backup = backup_name(file);
        rc = backup ? pt_copy_file(file, backup, &msg) : pt_fail(&msg, "out of memory");
    }
    if (!rc && remove_file && unlink(file) != 0)
        rc = pt_fail(&msg, "cannot remove %s", file);
    if (!rc && !remove_file && !pt_is_dir(dir))
        rc = pt_mkdirs(dir, 0700, &msg);
    if (!rc && !remove_file)
        rc = pt_write_file_atomic(file, text, strlen(text), 0600, 1, &msg);
    if (rc)
        cli_error(cmd, PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
    *backup_out = rc ? NULL : backup;
    if (rc)
        free(backup);
    free(msg);
    free(dir);
    return rc ? PT_EXIT_FAIL : PT_EXIT_OK;
}

static void print_backup(char *backup)
{
    if (backup)
        printf("backup of the previous file: %s\n", backup);
    free(backup);
}

/* Makes (or with --dry-run shows) the change; *backup as commit(). */
static int apply(const change *c, int remove_file, char **backup)
{
    *backup = NULL;
    char *text =
        remove_file
            ? NULL
            : pt_fmt("%s\n", json_object_to_json_string_ext(
                                 c->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                              JSON_C_TO_STRING_NOSLASHESCAPE));
    if (!remove_file && !text)
        return cli_error(c->cmd, PT_EXIT_FAIL, "out of memory");
    int status = PT_EXIT_OK;
    if (c->dry_run && remove_file)
        printf("dry run: would remove %s (it would hold nothing else)\n", c->file);
    else if (c->dry_run)
        printf("dry run: would write %s:\n%s", c->file, text);
    else
        status = commit_file(c->cmd, c->file, c->exists, text, remove_file, backup);
    free(text);
    return status;
}

static int hook_command(const char *hook, const pt_agent_spec *a, char **out)
{
    char buf[PATH_MAX];
    *out = NULL;
    if (!realpath(hook, buf) || access(buf, X_OK) != 0)
        return cli_error("install", PT_EXIT_FAIL,
                         "the adapter %s is not an executable file; build and install libprempti "
                         "(cmake --install) or name the adapter with --hook PATH",
                         hook);
    char *quoted = pt_shell_quote(buf);
    /* Codex runs the tool when a hook cannot start (exit 127) and has no
     * fail-closed setting: the shell turns any status but 0 and 2 into a
     * block, and the adapter stays the command's first word */
    if (quoted && a->block_start_failure)
        *out = pt_fmt("%s --agent %s || { rc=$?; [ $rc -eq 2 ] || echo \"prempti-hook failed to "
                      "start (exit $rc)\" >&2; exit 2; }",
                      quoted, a->agent);
    else if (quoted)
        *out = pt_fmt("%s --agent %s", quoted, a->agent);
    free(quoted);
    return *out ? PT_EXIT_OK : cli_error("install", PT_EXIT_FAIL, "out of memory");
}

/* The first line of text, for a message. */
static char *first_line(const char *text)
{
    const char *t = text + strspn(text, " \t\r\n");
    return pt_fmt("%.*s", (int)strcspn(t, "\r\n"), t);
}

/* Runs the command as the agent would, on a harmless sample call: it must
 * answer (exit status 0, no error of its own) before it is registered. */
static int check_adapter(const pt_agent_spec *a, const char *command)
{
    pt_probe p;
    char *msg = NULL;
    int status = PT_EXIT_OK;
    if (pt_probe_run(command, a->probe, "PREMPTI_AUDIT_LOG=none", PROBE_SECONDS, &p, &msg)) {
        status = cli_error("install", PT_EXIT_FAIL, "%s; nothing was changed",
                           msg ? msg : "out of memory");
    } else if (p.timeout || p.status != 0 || pt_starts_with(p.err, "prempti: ") ||
               pt_starts_with(p.err, "prempti-hook failed")) {
        char *why = first_line(p.err[0] ? p.err : p.out);
        char *exit = p.timeout ? pt_fmt("no answer within %d s", PROBE_SECONDS)
                               : pt_fmt("exit status %d", p.status);
        status = cli_error("install", PT_EXIT_FAIL,
                           "the adapter did not answer a sample %s tool call (%s)%s%s; it would "
                           "block or miss every call, so it was not registered and nothing was "
                           "changed",
                           a->title, exit ? exit : "?", why && why[0] ? ": " : "", why ? why : "");
        free(why);
        free(exit);
    }
    pt_probe_free(&p);
    free(msg);
    return status;
}

static void print_events(const pt_agent_spec *a)
{
    for (const char *const *e = a->events; *e; e++)
        printf("%s%s", e == a->events ? "" : ", ", *e);
}

/* Codex's config.toml and what it becomes once the trust in the handlers
 * keys name is set (hashes) or cleared (hashes NULL). */
typedef struct trust_edit {
    char *path, *text, *edited;
    int exists;
} trust_edit;

static int prepare_trust(const change *c, const pt_strv *keys, const pt_strv *hashes, trust_edit *t)
{
    char *msg = NULL;
    size_t len = 0;
    memset(t, 0, sizeof(*t));
    t->path = pt_codex_config_toml(&msg);
    t->exists = t->path && pt_exists(t->path);
    if (!t->path ||
        (t->exists && pt_read_path(t->path, CONFIG_TOML_MAX_BYTES, &t->text, &len, &msg)) ||
        !(t->edited = pt_codex_trust_edit(t->text ? t->text : "", keys, hashes, &msg))) {
        cli_error(c->cmd, PT_EXIT_FAIL, "%s%s%s; nothing was changed", t->path ? t->path : "",
                  t->path ? ": " : "", msg ? msg : "out of memory");
        free(msg);
        return PT_EXIT_FAIL;
    }
    return PT_EXIT_OK;
}

static int commit_trust(const change *c, trust_edit *t, int set)
{
    char *backup = NULL;
    int status = PT_EXIT_OK;
    if (!t->edited || strcmp(t->edited, t->text ? t->text : "") == 0)
        ; /* already as wanted */
    else if (c->dry_run)
        printf("dry run: would write %s:\n%s", t->path, t->edited);
    else if ((status = commit_file(c->cmd, t->path, t->exists, t->edited, 0, &backup)) ==
             PT_EXIT_OK) {
        printf("prempti %s: %s Codex's trust in the adapter's hooks in %s\n", c->cmd,
               set ? "recorded" : "removed", t->path);
        print_backup(backup);
    }
    return status;
}

static void free_trust(trust_edit *t)
{
    free(t->path);
    free(t->text);
    free(t->edited);
}

/* The trust edit for the adapter's handlers in c->root. */
static int prepare_our_trust(const change *c, int set, trust_edit *t)
{
    pt_strv keys = {0}, hashes = {0};
    char *msg = NULL;
    int status = pt_codex_our_trust(c->root, c->spec, &keys, &hashes, &msg)
                     ? cli_error(c->cmd, PT_EXIT_FAIL, "%s", msg ? msg : "out of memory")
                     : prepare_trust(c, &keys, set ? &hashes : NULL, t);
    pt_strv_clear(&keys);
    pt_strv_clear(&hashes);
    free(msg);
    return status;
}

/* Says why the agent may still not run the adapter. */
static void print_warnings(const change *c)
{
    pt_strv w = {0};
    pt_hook_warnings(c->spec, c->root, &w);
    for (size_t i = 0; i < w.count; i++)
        printf("warning: %s\n", w.items[i]);
    pt_strv_clear(&w);
}

static int do_install(change *c, const char *hook)
{
    char *command = NULL, *msg = NULL, *backup = NULL;
    trust_edit trust = {0};
    int codex = strcmp(c->spec->agent, "codex") == 0;
    int changed = 0, status = hook_command(hook, c->spec, &command);
    if (status == PT_EXIT_OK)
        status = check_adapter(c->spec, command);
    if (status == PT_EXIT_OK && pt_hooks_install(c->root, c->spec, command, &changed, &msg)) {
        status = cli_error("install", PT_EXIT_FAIL, "%s: %s; nothing was changed", c->file,
                           msg ? msg : "out of memory");
    } else if (status == PT_EXIT_OK && codex && (status = prepare_our_trust(c, 1, &trust))) {
        /* a config.toml that cannot take the trust: nothing is registered */
    } else if (status == PT_EXIT_OK && !changed) {
        printf("prempti install: already installed for %s in %s; nothing changed\n", c->spec->title,
               c->file);
    } else if (status == PT_EXIT_OK && (status = apply(c, 0, &backup)) == PT_EXIT_OK) {
        printf("prempti install: %s %s for %s (", c->dry_run ? "would register" : "registered",
               command, c->spec->title);
        print_events(c->spec);
        printf(") in %s\n", c->file);
        print_backup(backup);
    }
    if (status == PT_EXIT_OK && codex)
        status = commit_trust(c, &trust, 1);
    free_trust(&trust);
    if (status == PT_EXIT_OK && c->spec->note)
        printf("%s\n", c->spec->note);
    if (status == PT_EXIT_OK && !c->dry_run)
        print_warnings(c);
    free(command);
    free(msg);
    return status;
}

static int do_uninstall(change *c)
{
    char *msg = NULL, *backup = NULL;
    trust_edit trust = {0};
    int changed = 0, status = PT_EXIT_OK;
    /* the trust keys name positions: note them before the handlers go */
    if (strcmp(c->spec->agent, "codex") == 0 && (status = prepare_our_trust(c, 0, &trust)))
        ;
    else if (pt_hooks_uninstall(c->root, c->spec, &changed, &msg)) {
        status = cli_error("uninstall", PT_EXIT_FAIL, "%s: %s; nothing was changed", c->file,
                           msg ? msg : "out of memory");
    } else if (!changed) {
        printf("prempti uninstall: not installed for %s (%s); nothing changed\n", c->spec->title,
               c->file);
    } else if ((status = apply(c, c->spec->own_file && pt_hooks_file_empty(c->root), &backup)) ==
               PT_EXIT_OK) {
        printf("prempti uninstall: %s the adapter from %s's %s\n",
               c->dry_run ? "would remove" : "removed", c->spec->title, c->file);
        print_backup(backup);
    }
    if (status == PT_EXIT_OK)
        status = commit_trust(c, &trust, 0);
    free_trust(&trust);
    free(msg);
    return status;
}

static int run(int argc, char **argv, const char *cmd, const char *help)
{
    enum { OPT_HOOK = OPT_LOCAL, OPT_DRY_RUN };
    static const struct option opts[] = {{"hook", required_argument, NULL, OPT_HOOK},
                                         {"dry-run", no_argument, NULL, OPT_DRY_RUN},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};
    change c = {cmd, NULL, NULL, NULL, 0, 0};
    const char *hook = NULL;
    int opt, install = strcmp(cmd, "install") == 0;
    while ((opt = cli_next(argc, argv, opts, cmd)) != -1) {
        if (opt == OPT_HELP)
            return cli_help(help);
        if (opt == OPT_HOOK && install)
            hook = optarg;
        else if (opt == OPT_DRY_RUN)
            c.dry_run = 1;
        else
            return opt == OPT_HOOK ? cli_error(cmd, PT_EXIT_USAGE, "--hook is for install")
                                   : PT_EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return cli_error(cmd, PT_EXIT_USAGE,
                         "name one agent: claude_code, codex, copilot, "
                         "gemini or cursor");
    char *default_hook = hook ? NULL : pt_default_hook();
    int status = hook || default_hook ? open_change(&c, argv[optind])
                                      : cli_error(cmd, PT_EXIT_FAIL, "out of memory");
    if (status == PT_EXIT_OK)
        status = install ? do_install(&c, hook ? hook : default_hook) : do_uninstall(&c);
    free(default_hook);
    json_object_put(c.root);
    free(c.file);
    return status;
}

int cmd_install(int argc, char **argv)
{
    return run(argc, argv, "install", install_help);
}

int cmd_uninstall(int argc, char **argv)
{
    return run(argc, argv, "uninstall", uninstall_help);
}
