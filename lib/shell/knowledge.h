/*
 * Command knowledge as data: for each command, which options take a value,
 * which of its words are files it reads, writes, deletes or runs, which are
 * URLs or hosts, and how its subcommands are found. facts.c walks a
 * command's words against these rows; a row is all it takes to teach the
 * analysis a new command. Never installed.
 */
#ifndef PE_SHELL_KNOWLEDGE_H
#define PE_SHELL_KNOWLEDGE_H

#include <stddef.h>

#include "util/pstr.h"

/* What the operands (words that are not options) are. */
enum {
    OP_NONE,    /* nothing known */
    OP_READ,    /* files read */
    OP_WRITE,   /* files written */
    OP_DELETE,  /* files deleted */
    OP_EDIT,    /* files read and written in place (editors, sed -i) */
    OP_LIST,    /* files or directories looked at (names, metadata) */
    OP_COPY,    /* sources read, the last operand written (cp, ln, install) */
    OP_MOVE,    /* sources read and deleted, the last operand written (mv) */
    OP_FIRST,   /* the first operand written, the rest read (zip, ar) */
    OP_IO,      /* the first operand read, the second (if any) written (xxd, uniq) */
    OP_URL,     /* URLs or hosts (curl, wget, git clone's first) */
    OP_EXEC,    /* files run (source, bash f: see cmd.c for interpreters) */
    OP_EDIT_ONE /* the first operand edited, the rest not files (sqlite3 DB SQL...) */
};

/* Roles of an option's value. */
enum {
    OR_READ = 1,     /* a file read */
    OR_WRITE,        /* a file written */
    OR_DELETE,       /* a file deleted */
    OR_UPLOAD,       /* a file sent (curl -T f) */
    OR_UPLOAD_AT,    /* "@file" or "name=@file" sends file (curl -d, -F) */
    OR_UPLOAD_NAMED, /* "@file" or "name@file" sends file (curl --data-urlencode) */
    OR_CWD,          /* the directory the command works in (git -C, make -C, tar -C) */
    OR_URL,          /* a URL or host (curl --url, git clone) */
    OR_EXEC,         /* a file run (bash --rcfile, BASH_ENV) */
    OR_EDIT_FLAG,    /* no value: operands are edited in place (sed -i) */
    OR_LIST_FLAG,    /* no value: operands are only listed (tar -t) */
    OR_DELETE_FLAG,  /* no value: operands are deleted (find -delete, shred -u) */
    OR_OPERAND_ONE,  /* the value stands for the skipped first operand (grep -e) */
    OR_CODE,         /* shell code the command runs later (git -c core.pager=...) */
    OR_CONFIG,       /* name=value setting (git -c): facts.c reads its meaning */
    OR_RESOLVE,      /* HOST:PORT:ADDR (curl --resolve, --connect-to): ADDR is reached */
    OR_AUTH,         /* a key or credentials file the command authenticates with (ssh -i,
                        --kubeconfig): used, its content not shown or sent - no path */
    OR_READ_ONE,     /* a file read that stands for the first operand (grep -f PATTERNS,
                        sed -f SCRIPT, awk -f PROGRAM) */
    OR_TARGET,       /* the directory written into: every operand is a source (cp -t) */
    OR_KEEP_FLAG,    /* no value: operands are only read (gzip -c, -k, -t) */
    OR_HOSTS         /* hosts separated by commas ([user@]host[:port]): ssh -J */
};

typedef struct sh_optrole {
    const char *opt;    /* "-o" (one letter), "--output", or "if=" (a key=value word) */
    unsigned char role; /* OR_* */
} sh_optrole;

/* How to find a subcommand after the global options. */
typedef struct sh_subspec {
    unsigned char depth;        /* most words in a subcommand path */
    const char *const *groups;  /* first words that take a second word (git stash drop) */
    const char *const *abbrev;  /* long options of dangerous subcommands, to resolve
                                   unambiguous prefixes as git does (--ha is --hard) */
    const char *const *aliases; /* pairs: a first word and the name it stands for
                                   (npm i: install), reported by that name */
    const char *const *verbs;   /* words that end a path, the action on what follows
                                   (gcloud projects delete NAME); also get-* set-* ... */
    const char *const *only;    /* when set, the only words that are subcommands (yq e):
                                   another first operand is an operand */
} sh_subspec;

enum {
    K_NET = 1u << 0,     /* talks to hosts: its URLs and hosts are facts */
    K_DNS = 1u << 1,     /* looks a name up (dig, host, nslookup, ping) */
    K_SUBS = 1u << 2,    /* has subcommands (spec in sub) */
    K_SPECIAL = 1u << 3, /* facts.c has a handler for what a row cannot say */
    K_PERMUTE = 1u << 4, /* options stop at the first operand (POSIX: ssh, env) */
    K_PLUS = 1u << 5,    /* +WORD is a command, a line or a toolchain, not a file or a
                            subcommand (vim +cmd, less +F, cargo +nightly) */
    K_DATA = 1u << 6     /* its words are data: no URL or host among them (echo, printf) */
};

typedef struct sh_know {
    const char *name;
    const char *arg_short;       /* short options taking a value */
    const char *const *arg_long; /* long options taking a value (when written without =) */
    unsigned char operands;      /* OP_* */
    unsigned char skip;          /* leading operands that are not files (a pattern, a mode) */
    const sh_optrole *opts;      /* options whose value (or presence) has a role */
    const sh_subspec *sub;       /* K_SUBS */
    unsigned flags;              /* K_* */
} sh_know;

/* Whether the rows are in strictly increasing name order, as the lookup
 * needs (a test checks it). */
int sh_know_sorted(void);

/* The row of a command's base name, or NULL. */
const sh_know *sh_know_find(pe_str base);

/* The role of option opt ("-o", "--output", "if=") in k's table, 0 if none. */
unsigned sh_know_optrole(const sh_know *k, const char *opt, size_t len);

/* Whether k's short letter c, or long option name (len bytes, without the
 * dashes), takes a value. */
int sh_know_short_arg(const sh_know *k, char c);
int sh_know_long_arg(const sh_know *k, const char *name, size_t len);

#endif
