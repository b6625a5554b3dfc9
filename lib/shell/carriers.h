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
/* known.c: the output of command idx when the line makes it known (*decoded
 * when a decoder made it); 1, or 0 when not known. */
int sh_known_output(sh_ctx *c, long idx, pe_str *out, int *decoded);
/* Whether what command src writes went through a decoder (base64 -d, xxd
 * -r ...) on its way: src or a command feeding it. */
int sh_decodes_input(sh_ctx *c, long src);
/* Code the line makes known, run by command idx (runner: the program that
 * runs it, which names its language unless a #! line does): analysed with
 * origin (DECODED when decoded, also recorded then); *cmd_flags (NULL: the
 * command's published flags) gets DYNAMIC when what it runs cannot be
 * known. cmd_flags must not point into c->cmds, which may move. */
void sh_run_program(sh_ctx *c, size_t idx, pe_str runner, unsigned *cmd_flags, pe_str code,
                    int decoded, pe_shell_origin origin);
/* Files written with known content by command idx's output (> f, tee f). */
void sh_record_writes(sh_ctx *c, size_t idx);
/* cp, mv, install of files the line wrote: argv[ops[..]] the operands. */
void sh_record_copies(sh_ctx *c, size_t idx, const size_t *ops, size_t nops);
/* A script command idx runs (bash f, . f, ./f), written or downloaded by
 * the line: its content analysed, or the download flagged. */
void sh_run_written(sh_ctx *c, size_t idx, pe_str word, unsigned flags);
/* The known content of a file the line wrote (word as command idx names
 * it); 1, or 0 when there is none. */
int sh_written_content(sh_ctx *c, size_t idx, pe_str word, unsigned flags, pe_str *content,
                       int *decoded);
/* Whether the command line downloaded a file of that name (expanded in
 * scope). */
int sh_file_downloaded(sh_ctx *c, unsigned scope, pe_str word, unsigned flags);
/* argv[from..] of command idx joined by spaces (in the arena); their word
 * flags are added to *flags. */
pe_str sh_joined_args(sh_ctx *c, size_t idx, size_t from, unsigned *flags);
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

/* xargs with input the line makes known: the command it runs (w, n words:
 * its name and arguments) run with the input's items appended, or put in
 * place of repl (-I) once per line (append: or appended when the words do
 * not hold it); delim as sh_interp.xdelim. 1 when it
 * was run so, 2 when it is an interpreter (its input is its program), 0
 * when the input is not known. */
int sh_xargs_known(sh_ctx *c, size_t idx, const pe_str *w, const unsigned *f, size_t n, pe_str repl,
                   int delim, int append);
/* Where the arguments of a command run by xargs come from: 2 when its
 * input is known (the command is analysed again with it), 1 with *word and
 * *flags set to what the find feeding it selects, 0 when not known. */
int sh_xargs_source(sh_ctx *c, size_t idx, pe_str *word, unsigned *flags);

#endif
