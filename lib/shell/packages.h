/*
 * The packages a shell command line installs or runs from a registry
 * (shell.packages), and those whose names imitate popular packages
 * (shell.package_lookalikes, util/lookalike.h). Read from the shell
 * analysis's commands, wrappers already stripped: pip, uv, pipx, poetry,
 * pdm, pipenv, npm, npx, pnpm, yarn, bun, cargo, gem and bundle, as one
 * table (packages.c) of where each command's subcommand is, which of its
 * options take a value, and how it writes a package. docs/shell-analysis.md
 * lists what is read.
 */
#ifndef PE_SHELL_PACKAGES_H
#define PE_SHELL_PACKAGES_H

#include "shell/shell.h"
#include "util/arena.h"

/* Most packages of one command line checked against the popular lists:
 * each check of a name that is not popular walks a list (10 to 150
 * microseconds), so a long script naming thousands must not check them
 * all. The others are not checked, and shell.package_lookalikes says how
 * many. */
#define PE_PACKAGES_MAX_CHECKED 64

/*
 * The packages r's commands install or run from a registry, each once, in
 * the order found, as "ecosystem:name" (pypi, npm, crates, rubygems) with
 * the name as typed, without version, extras or tag: "pypi:Requests",
 * "npm:@types/node". Paths, URLs, repositories and archives are not
 * registry packages. *items receives an array allocated in arena with the
 * strings (NULL and 0 when there is none). Returns 0 or PREMPTI_E_NOMEM.
 */
int pe_packages_of(const pe_shell_result *r, pe_arena *arena, const pe_str **items, size_t *n);

/*
 * Of the packages pkgs (n of them, as pe_packages_of() gives them), those
 * whose names imitate a popular package, each as
 * "reqeusts (pypi; looks like requests)"; past PE_PACKAGES_MAX_CHECKED
 * packages, one more item says how many were not checked. *items receives
 * an array allocated in arena (NULL and 0 when there is none). Returns 0
 * or PREMPTI_E_NOMEM.
 */
int pe_packages_lookalikes(const pe_str *pkgs, size_t n, pe_arena *arena, const pe_str **items,
                           size_t *nout);

#endif
