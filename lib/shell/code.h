/*
 * Code given to language interpreters (code.c), for the stages that meet
 * it after a command was interpreted: a script the line wrote and then
 * runs. Never installed.
 */
#ifndef PE_SHELL_CODE_H
#define PE_SHELL_CODE_H

#include "shell/inline.h"
#include "shell/internal.h"

/* Analyses code in lang as command idx's program and records what it does;
 * *cmd_flags gets PE_SHELL_C_DYNAMIC when what runs cannot be known. */
void sh_inline_text(sh_ctx *c, size_t idx, unsigned depth, unsigned *cmd_flags, pe_lang lang,
                    pe_str code, unsigned wflags);

/* The language a script is in: its #! line's interpreter (also through
 * env), else the program that runs it (runner: python3, node ...).
 * PE_LANG_NONE for a shell or anything else. */
pe_lang sh_script_lang(pe_str runner, pe_str content);

#endif
