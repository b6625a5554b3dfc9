/*
 * Commands and settings that carry other commands (carriers.c): code in an
 * option (tar --to-command, rsync -e), in a setting (git -c
 * core.sshCommand=...), in a variable (GIT_SSH_COMMAND, PROMPT_COMMAND,
 * BASH_ENV), in a command's own language (sed's e, vim -c '!...'), in
 * arguments another command supplies (xargs, parallel), and payloads that
 * are decoded or written to a file before a shell runs them. Never
 * installed.
 */
#ifndef PE_SHELL_CARRIERS_H
#define PE_SHELL_CARRIERS_H

#include "shell/facts.h"

/* Shell code given as an option's value. */
void sh_carry_code(sh_ctx *c, const sh_cmd *sc, pe_str code, unsigned flags);
/* A name=value setting (git -c) that may carry code or a file to run. */
void sh_carry_setting(sh_ctx *c, const sh_cmd *sc, pe_str setting, unsigned flags);
/* A NAME=value variable given to a command or exported. */
void sh_carry_variable(sh_ctx *c, const sh_cmd *sc, pe_str assignment, unsigned flags);
/* What a command carries through its words or input (k may be NULL). */
void sh_carry_command(sh_ctx *c, size_t idx, const sh_know *k, const sh_walk *wk);
/* launchers.c: package runners, tmux, debuggers and pagers, HTTP servers. */
void sh_launchers(sh_ctx *c, size_t idx);
/* Whether the command line downloaded a file of that name (expanded in
 * scope). */
int sh_file_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags);
/* argv[from..] of command idx run on another host or in a container. */
void sh_carry_remote(sh_ctx *c, size_t idx, size_t from);
/* Records that the command line wrote a file (a word expanded in scope):
 * with content when known (NULL: not known), or downloaded from the
 * network. */
void sh_file_written(sh_ctx *c, unsigned scope, pe_str word, unsigned flags, const pe_str *content,
                     int downloaded);
/* A directory the command line fetched (git clone URL DIR): a file under it
 * that a shell runs is downloaded code. */
void sh_dir_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags);

/* Where the arguments of a command run by xargs come from: 2 when its
 * input is known (the command is analysed again with it), 1 with *word and
 * *flags set to what the find feeding it selects, 0 when not known. */
int sh_xargs_source(sh_ctx *c, size_t idx, pe_str *word, unsigned *flags);

#endif
