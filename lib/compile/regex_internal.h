/* The compiled form of a regex, shared by the compiler and the matcher. */
#ifndef PE_COMPILE_REGEX_INTERNAL_H
#define PE_COMPILE_REGEX_INTERNAL_H

#include <stdint.h>

#include "compile/regex.h"
#include "util/arena.h"

typedef enum rx_op {
    RX_CHAR,  /* one rune equal to x, then pc+1 */
    RX_CLASS, /* one rune in ranges[x .. x+y), then pc+1 */
    RX_ANY,   /* one rune other than '\n', then pc+1 */
    RX_BOL,   /* at the start of the text or after '\n', then pc+1 */
    RX_EOL,   /* at the end of the text or before '\n', then pc+1 */
    RX_JMP,   /* go to x */
    RX_SPLIT, /* go to x and to y */
    RX_MATCH
} rx_op;

typedef struct rx_inst {
    uint32_t op;
    uint32_t x, y;
} rx_inst;

typedef struct rx_range {
    uint32_t lo, hi;
} rx_range;

#define RX_BYTES_MAX 3

struct pe_regex {
    pe_ref insts; /* ninst rx_inst, the last one RX_MATCH */
    uint32_t ninst;
    pe_ref ranges; /* nranges rx_range */
    uint32_t nranges;
    /* Bytes every matching text contains (regex_need.c), looked for before
     * the automaton runs; off 0: none worth looking for. */
    pe_rstr need;
    /* Texts one of which every matching text contains (regex_need.c): an
     * alternation of words gives each word. nneeds pe_rstr; 0: none known.
     * Not used by matching: they let a list of patterns be filtered by one
     * scan (compile/program.h rx_aho) and rules be triggered. */
    pe_ref needs;
    uint32_t nneeds;
    /* Bytes every matching text contains besides need's (regex_need.c),
     * each looked for (memchr) before the automaton runs: "://...:...@"
     * needs '@' and ':' as well as "://". */
    uint8_t nbytes;
    char bytes[RX_BYTES_MAX];
};

#define RX_MAX_RUNE 0x10FFFFu

/* Decodes the UTF-8 sequence at s (len > 0 bytes); an invalid byte is one
 * U+FFFD. *w receives the bytes used. */
uint32_t rx_decode(const unsigned char *s, size_t len, size_t *w);

/* ---- the parse tree (regex_parse.c), input of the code generator ---- */

typedef enum rx_kind {
    RX_N_EMPTY,
    RX_N_LIT,
    RX_N_CLASS,
    RX_N_ANY,
    RX_N_BOL,
    RX_N_EOL,
    RX_N_CAT,
    RX_N_ALT,
    RX_N_REP
} rx_kind;

typedef struct rx_node {
    rx_kind k;
    uint32_t rune;           /* LIT */
    uint32_t rfirst, rcount; /* CLASS: ranges in the tree's pool */
    struct rx_node **kids;   /* CAT, ALT */
    uint32_t nkids;
    struct rx_node *sub; /* REP */
    int min, max;        /* REP: max -1 is unbounded */
    int counted;         /* REP: written {n,m} (not * + ?) */
    unsigned depth;      /* nesting below and including this node */
    unsigned prod;       /* largest product of nested {n,m} counts */
} rx_node;

typedef struct rx_tree {
    rx_node *root;
    rx_range *pool; /* every class's ranges (malloc'd) */
    size_t npool;
    pe_arena tmp; /* the nodes */
} rx_tree;

/* Parses pattern into *t: 0, -1 with RE2's message in msg for a bad
 * pattern, -2 when out of memory. Free *t with rx_tree_free() either way. */
int rx_parse(rx_tree *t, const char *pattern, size_t len, char *msg, size_t msgsz);
void rx_tree_free(rx_tree *t);

/* The longest literal every text matching t contains, into out (up to
 * RX_NEED_MAX bytes; possibly empty): its length. */
#define RX_NEED_MAX 64
size_t rx_need(const rx_tree *t, char out[RX_NEED_MAX]);

/* Texts one of which every text matching t contains: the alternatives of
 * an alternation of words, or the one needed literal, whichever filters
 * better; at most RX_SET_MAX of up to RX_NEED_MAX bytes each, none empty.
 * The count (0: none known), or -1 when out of memory. */
#define RX_SET_MAX 64
typedef struct rx_set {
    size_t n;
    size_t len[RX_SET_MAX];
    char s[RX_SET_MAX][RX_NEED_MAX];
} rx_set;
int rx_need_set(const rx_tree *t, rx_set *out);

/* Up to RX_BYTES_MAX ASCII bytes every text matching t contains, none of
 * them in need (need_len bytes), punctuation first: how many, into out. */
size_t rx_need_bytes(const rx_tree *t, const char *need, size_t need_len, char *out);

#endif
