#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "fileio.h"
#include "settings.h"
#include "str.h"

char *pt_self_dir(void)
{
    char buf[PATH_MAX];
    /* /proc/self/exe names the program whatever argv[0] says; elsewhere the
     * configured paths apply */
    if (!realpath("/proc/self/exe", buf))
        return NULL;
    return pt_dirname(buf);
}

/* <program dir>/rel when ok(path) holds, else a copy of fallback. */
static char *beside_self(const char *rel, int (*ok)(const char *), const char *fallback)
{
    char *dir = pt_self_dir();
    char *path = dir ? pt_fmt("%s/%s", dir, rel) : NULL;
    free(dir);
    if (path && ok(path))
        return path;
    free(path);
    return pt_strdup(fallback);
}

static int executable(const char *path)
{
    return !pt_is_dir(path) && access(path, X_OK) == 0;
}

char *pt_default_rules_dir(void)
{
    return beside_self(PT_RULES_FROM_BINDIR, pt_is_dir, PT_DEFAULT_RULES_DIR);
}

char *pt_default_hook(void)
{
    return beside_self("prempti-hook", executable, PT_INSTALL_BINDIR "/prempti-hook");
}
