/* prempti install / uninstall: register the hook adapter with an agent. */
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "hookfile.h"

static const char install_help[] =
    "usage: prempti install [--hook PATH] [--dry-run] AGENT\n"
    "\n"
    "Registers the hook adapter with AGENT (claude_code, codex, copilot, gemini,\n"
    "cursor) in the agent's user configuration, leaving every other hook and\n"
    "setting as it was. Installing twice changes nothing. A file that changes is\n"
    "first copied to FILE.prempti-backup-TIME; a file that is not valid JSON is\n"
    "never touched.\n"
    "\n"
    "  --hook PATH   the adapter to register (default: " PT_INSTALL_BINDIR "/prempti-hook)\n"
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
static int commit(const change *c, const char *text, int remove_file, char **backup_out)
{
    char *msg = NULL, *backup = NULL, *dir = pt_dirname(c->file);
    int rc = dir ? 0 : pt_fail(&msg, "out of memory");
    if (!rc && c->exists) {
        backup = backup_name(c->file);
        rc = backup ? pt_copy_file(c->file, backup, &msg) : pt_fail(&msg, "out of memory");
    }
    if (!rc && remove_file && unlink(c->file) != 0)
        rc = pt_fail(&msg, "cannot remove %s", c->file);
    if (!rc && !remove_file && !pt_is_dir(dir))
        rc = pt_mkdirs(dir, 0700, &msg);
    if (!rc && !remove_file)
        rc = pt_write_file_atomic(c->file, text, strlen(text), 0600, 1, &msg);
    if (rc)
        cli_error(c->cmd, PT_EXIT_FAIL, "%s", msg ? msg : "out of memory");
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
        status = commit(c, text, remove_file, backup);
    free(text);
    return status;
}

static int hook_command(const char *hook, const char *agent, char **out)
{
    char buf[PATH_MAX];
    *out = NULL;
    if (!realpath(hook, buf) || access(buf, X_OK) != 0)
        return cli_error("install", PT_EXIT_FAIL,
                         "the adapter %s is not an executable file; build and install libprempti "
                         "(cmake --install) or name the adapter with --hook PATH",
                         hook);
    char *quoted = pt_shell_quote(buf);
    *out = quoted ? pt_fmt("%s --agent %s", quoted, agent) : NULL;
    free(quoted);
    return *out ? PT_EXIT_OK : cli_error("install", PT_EXIT_FAIL, "out of memory");
}

static void print_events(const pt_agent_spec *a)
{
    for (const char *const *e = a->events; *e; e++)
        printf("%s%s", e == a->events ? "" : ", ", *e);
}

static int do_install(change *c, const char *hook)
{
    char *command = NULL, *msg = NULL, *backup = NULL;
    int changed = 0, status = hook_command(hook, c->spec->agent, &command);
    if (status == PT_EXIT_OK && pt_hooks_install(c->root, c->spec, command, &changed, &msg)) {
        status = cli_error("install", PT_EXIT_FAIL, "%s: %s; nothing was changed", c->file,
                           msg ? msg : "out of memory");
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
    if (status == PT_EXIT_OK && c->spec->note)
        printf("%s\n", c->spec->note);
    free(command);
    free(msg);
    return status;
}

static int do_uninstall(change *c)
{
    char *msg = NULL, *backup = NULL;
    int changed = 0, status = PT_EXIT_OK;
    if (pt_hooks_uninstall(c->root, c->spec, &changed, &msg)) {
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
    const char *hook = PT_INSTALL_BINDIR "/prempti-hook";
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
    int status = open_change(&c, argv[optind]);
    if (status == PT_EXIT_OK)
        status = install ? do_install(&c, hook) : do_uninstall(&c);
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
