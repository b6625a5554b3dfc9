/*
 * Handlers of commands whose words a knowledge row cannot describe alone
 * (special.c: files and trees; special_net.c: the network), and the small
 * accessors they share. Never installed.
 */
#ifndef PE_SHELL_SPECIAL_H
#define PE_SHELL_SPECIAL_H

#include "shell/facts.h"

static inline pe_str word(const sh_ctx *c, size_t idx, size_t j)
{
    return c->cmds[idx].pub.argv[j];
}

static inline unsigned wflags(const sh_ctx *c, size_t idx, size_t j)
{
    return c->cmds[idx].pub.argf[j];
}

static inline int has_word(const sh_ctx *c, size_t idx, const char *w)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    for (size_t j = 1; j < k->argc; j++)
        if (sh_eq(k->argv[j], w))
            return 1;
    return 0;
}

/* Whether a short option letter appears in a cluster before the operand
 * at index stop (ssh -fNR ..., nc -lvp). */
static inline int has_letter(const sh_ctx *c, size_t idx, char letter, size_t stop)
{
    const pe_shell_cmd *k = &c->cmds[idx].pub;
    for (size_t j = 1; j < k->argc && j < stop; j++) {
        pe_str a = k->argv[j];
        if (a.len > 1 && a.s[0] == '-' && a.s[1] != '-' && memchr(a.s + 1, letter, a.len - 1))
            return 1;
    }
    return 0;
}

/* special_net.c: each handles a command's row (see sh_special); 1 when it
 * gave the operands their roles. */
int sh_web(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_httpie(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_ssh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_copy_remote(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_netcat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_socat(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_gh(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);
int sh_cloud_copy(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);

#endif
