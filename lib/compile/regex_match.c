/*
 * Regex matching by Thompson's simulation: the set of NFA states alive at
 * each input position is kept explicitly, each state is visited at most
 * once per position, and nothing ever backtracks. Time is
 * O(len(input) * instructions) whatever the pattern and the input, which
 * is what makes agent-controlled text safe to match.
 */
#include "compile/regex_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/sys.h"
#include "util/utf8.h"

#define STACK_INSTS 512 /* programs up to this size need no allocation */

typedef struct sim {
    const pe_regex *re;
    const rx_inst *insts;
    const rx_range *ranges;
    const unsigned char *s;
    size_t len;
    uint32_t *cur, *next; /* state lists */
    uint32_t ncur, nnext;
    uint32_t *stack; /* for following jumps: 2 entries per instruction */
    uint32_t *mark;  /* generation in which a state was last added */
    uint32_t gen;
    uint64_t steps; /* states visited */
} sim;

uint32_t rx_decode(const unsigned char *s, size_t len, size_t *w)
{
    if (s[0] < 0x80) {
        *w = 1;
        return s[0];
    }
    size_t n = pe_utf8_seq(s, len);
    *w = n ? n : 1;
    switch (n) {
    case 2:
        return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    case 3:
        return ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    case 4:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
               ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
    default:
        return 0xFFFD;
    }
}

static int in_class(const rx_range *r, uint32_t n, uint32_t c)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c < r[mid].lo)
            hi = mid;
        else if (c > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Adds the states reachable from pc without consuming input, at position
 * pos, to the next list. */
static void add(sim *m, uint32_t pc, size_t pos)
{
    const rx_inst *insts = m->insts;
    uint32_t sp = 0;
    m->stack[sp++] = pc;
    while (sp) {
        pc = m->stack[--sp];
        m->steps++;
        if (m->mark[pc] == m->gen)
            continue;
        m->mark[pc] = m->gen;
        const rx_inst *in = &insts[pc];
        switch (in->op) {
        case RX_JMP:
            m->stack[sp++] = in->x;
            break;
        case RX_SPLIT:
            m->stack[sp++] = in->y;
            m->stack[sp++] = in->x;
            break;
        case RX_BOL:
            if (pos == 0 || m->s[pos - 1] == '\n')
                m->stack[sp++] = pc + 1;
            break;
        case RX_EOL:
            if (pos == m->len || m->s[pos] == '\n')
                m->stack[sp++] = pc + 1;
            break;
        default:
            m->next[m->nnext++] = pc;
        }
    }
}

static void next_generation(sim *m)
{
    if (++m->gen == 0) { /* wrapped: forget every mark */
        memset(m->mark, 0, m->re->ninst * sizeof(*m->mark));
        m->gen = 1;
    }
}

static void swap(sim *m)
{
    uint32_t *t = m->cur;
    m->cur = m->next;
    m->next = t;
    m->ncur = m->nnext;
    m->nnext = 0;
}

/* Runs the simulation; -2 as soon as it has taken more than `limit` steps
 * (a step: a state added, or a live state tried against a character). */
static int run(sim *m, uint64_t limit)
{
    const rx_inst *insts = m->insts;
    next_generation(m);
    add(m, 0, 0);
    swap(m);
    size_t pos = 0;
    while (pos < m->len) {
        if (m->steps > limit)
            return -2;
        if (m->ncur == 0)
            return 0;
        size_t w;
        uint32_t c = rx_decode(m->s + pos, m->len - pos, &w);
        next_generation(m);
        m->steps += m->ncur;
        for (uint32_t i = 0; i < m->ncur; i++) {
            const rx_inst *in = &insts[m->cur[i]];
            int ok = (in->op == RX_CHAR && in->x == c) || (in->op == RX_ANY && c != '\n') ||
                     (in->op == RX_CLASS && in_class(m->ranges + in->x, in->y, c));
            if (ok)
                add(m, m->cur[i] + 1, pos + w);
        }
        swap(m);
        pos += w;
    }
    if (m->steps > limit)
        return -2;
    for (uint32_t i = 0; i < m->ncur; i++)
        if (insts[m->cur[i]].op == RX_MATCH)
            return 1;
    return 0;
}

int pe_regex_match(const unsigned char *base, const pe_regex *re, const char *s, size_t len,
                   uint64_t *work)
{
    /* a text without the needed literal cannot match (regex_need.c) */
    if (re->need.off && (re->need.len > len || !pe_sys_memmem(s, len, base + re->need.off, re->need.len)))
        return 0;
    for (uint32_t i = 0; i < re->nbytes && i < RX_BYTES_MAX; i++)
        if (!memchr(s, re->bytes[i], len))
            return 0;
    uint32_t local[STACK_INSTS * 5 + 2];
    uint32_t *mem = local;
    size_t n = re->ninst;
    if (n > STACK_INSTS) {
        mem = malloc((n * 5 + 2) * sizeof(*mem));
        if (!mem)
            return -1;
    }
    sim m = {.re = re,
             .insts = PE_AT(base, re->insts, rx_inst),
             .ranges = PE_AT(base, re->ranges, rx_range),
             .s = (const unsigned char *)s,
             .len = len,
             .cur = mem,
             .next = mem + n,
             .stack = mem + 2 * n,
             .mark = mem + 4 * n + 2};
    memset(m.mark, 0, n * sizeof(*m.mark));
    int r = run(&m, work ? *work : UINT64_MAX);
    if (work)
        *work = m.steps >= *work ? 0 : *work - m.steps;
    if (mem != local)
        free(mem);
    return r;
}
