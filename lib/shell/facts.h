/*
 * Walking a command's words against its knowledge row (facts.c), shared
 * with the handlers of commands a row cannot describe alone (special.c)
 * and with the commands that carry others (carriers.c). Never installed.
 */
#ifndef PE_SHELL_FACTS_H
#define PE_SHELL_FACTS_H

#include "shell/internal.h"
#include "shell/knowledge.h"
#include "util/host.h"

/* A directory paths are relative to: "" is the command line's start. */
typedef struct sh_where {
    pe_str cwd;
    int known;
} sh_where;

/* What walking a command's words found. */
typedef struct sh_walk {
    size_t ops[64]; /* argv indexes of the operands (the first 64) */
    size_t nops;
    int skip_given; /* an option gave what the first operand would be (grep -e) */
    int edit, list, delete_flag;
    int keep;   /* operands only read (gzip -c) */
    int target; /* a target directory was given: every operand is a source (cp -t) */
    sh_where w; /* where its relative paths are */
} sh_walk;

/* The directory of a scope; the directory dir (a word) entered from w. */
sh_where sh_where_of(sh_ctx *c, unsigned scope);
sh_where sh_where_enter(sh_ctx *c, unsigned scope, sh_where w, pe_str dir, unsigned flags);

/* Records a path (a word, expanded in scope) with role, relative to w. */
void sh_path_in(sh_ctx *c, unsigned scope, sh_where w, pe_str word, unsigned wflags, unsigned role);

/* A word naming a URL or host, read in style (pe_url_style); records the
 * URL and its normalised host. Returns the parse's host kind (PE_HOST_*),
 * 0 when there is none. */
int sh_net_word(sh_ctx *c, unsigned scope, pe_str word, unsigned wflags, int style);
/* The command whose facts are recorded sends its standard input: the
 * paths the commands feeding its pipe read are sent too. */
void sh_stdin_sent(sh_ctx *c);
/* The output of command src (-1: none) is sent: the paths it and the
 * commands feeding it read are sent too. */
void sh_output_sent(sh_ctx *c, long src);
/* The command whose output word j of sc is (one substitution), or -1. */
static inline long sh_word_sub(const sh_cmd *sc, size_t j)
{
    size_t first = (size_t)(sc->pub.argv - sc->pub.words); /* j counts from argv */
    return sc->wsub && first + j < sc->pub.nwords ? sc->wsub[first + j] : -1;
}
/* Records a normalised host (and the IPv4 address an IPv6 one carries). */
void sh_add_host(sh_ctx *c, const pe_host *h);

/* facts_net.c */
/* Whether a word is a URL (scheme://). */
int sh_is_url(pe_str w);
/* The names a lookup or connection command (K_NET, OP_URL) is given. */
void sh_lookup_words(sh_ctx *c, const sh_cmd *sc, const sh_know *k, const sh_walk *wk);
/* The facts of a command's redirections; 1 when its output goes to the
 * network (> /dev/tcp/h/p, >&3 with 3 a connection). */
int sh_redir_facts(sh_ctx *c, const sh_cmd *sc);
/* Command idx's output goes to the network: it is sent, and what it read. */
void sh_output_to_network(sh_ctx *c, size_t idx);
/* A shell fed by a connection, or feeding one, in a pipeline: the network
 * drives it (nc -l 4444 < f | sh > f; sh < f | nc h 4444 > f). */
void sh_net_pipeline(sh_ctx *c, size_t idx);

/* Gives the operands found by the walk their roles (op: OP_*). */
void sh_operand_roles(sh_ctx *c, const sh_cmd *sc, const sh_know *k, sh_walk *wk, unsigned op);

/* special.c: handles a command whose row has K_SPECIAL; 1 when it gave the
 * operands their roles itself. */
int sh_special(sh_ctx *c, size_t idx, const sh_know *k, sh_walk *wk);

#endif
