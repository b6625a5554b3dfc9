#define _GNU_SOURCE /* memmem */
#include "naive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rule i uses operator i % 4 with literals derived from i, so every rule
 * has its own literals:
 *   0: contains "tok<i>q"
 *   1: startswith "cmd<i> "
 *   2: pmatch (/opt/app<i>)
 *   3: in ("exact-<i>", "exact-<i>-b") */

void naive_pack_build(naive_pack *p, size_t n)
{
    p->n = n;
    p->rules = calloc(n, sizeof(*p->rules));
    if (!p->rules)
        abort();
    for (size_t i = 0; i < n; i++) {
        naive_rule *r = &p->rules[i];
        r->op = (int)(i % 4);
        if (r->op == 0)
            snprintf(r->lit, sizeof(r->lit), "tok%zuq", i);
        else if (r->op == 1)
            snprintf(r->lit, sizeof(r->lit), "cmd%zu ", i);
        else if (r->op == 2)
            snprintf(r->lit, sizeof(r->lit), "/opt/app%zu", i);
        else
            snprintf(r->lit, sizeof(r->lit), "exact-%zu", i);
        snprintf(r->lit2, sizeof(r->lit2), "exact-%zu-b", i);
        r->len = strlen(r->lit);
        r->len2 = strlen(r->lit2);
    }
}

void naive_pack_free(naive_pack *p)
{
    free(p->rules);
    p->rules = NULL;
    p->n = 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf)
            abort();
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

char *naive_pack_yaml(const naive_pack *p)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char line[512];
    for (size_t i = 0; i < p->n; i++) {
        const char *cond;
        char c[256];
        switch (i % 4) {
        case 0:
            snprintf(c, sizeof(c), "tool.input_command contains \"tok%zuq\"", i);
            break;
        case 1:
            snprintf(c, sizeof(c), "tool.input_command startswith \"cmd%zu \"", i);
            break;
        case 2:
            snprintf(c, sizeof(c), "tool.input_command pmatch (/opt/app%zu)", i);
            break;
        default:
            snprintf(c, sizeof(c), "tool.input_command in (\"exact-%zu\", \"exact-%zu-b\")", i, i);
            break;
        }
        cond = c;
        snprintf(line, sizeof(line),
                 "- rule: synthetic rule %zu\n  desc: synthetic\n  condition: %s\n"
                 "  output: matched %%tool.input_command\n  priority: WARNING\n"
                 "  source: coding_agent\n  tags: [%s]\n",
                 i, cond, i % 2 ? "coding_agent_ask" : "coding_agent_deny");
        append(&buf, &len, &cap, line);
    }
    return buf;
}

char *naive_pack_command(const naive_pack *p, size_t i)
{
    char *s = malloc(256);
    if (!s)
        abort();
    if (i % 3 == 0) {
        size_t r = (i * 7919 + 13) % p->n;
        switch (r % 4) {
        case 0:
            snprintf(s, 256, "grep -rn tok%zuq src/ | head -20", r);
            break;
        case 1:
            snprintf(s, 256, "cmd%zu --verbose --output build/out.txt", r);
            break;
        case 2:
            snprintf(s, 256, "/opt/app%zu/bin/run", r);
            break;
        default:
            snprintf(s, 256, "exact-%zu", r);
            break;
        }
    } else {
        static const char *const plain[] = {
            "ls -la /home/dev/project/src",
            "git status && git diff --stat HEAD~1",
            "npm test -- --watch=false --coverage",
            "python3 -m pytest tests/ -q -x --tb=short",
            "cargo build --release 2>&1 | tail -n 50",
        };
        snprintf(s, 256, "%s", plain[i % 5]);
    }
    return s;
}

static int pmatch1(const char *pat, const char *s, size_t len)
{
    /* components of pat must be a prefix of the components of s */
    size_t pi = 0, si = 0, plen = strlen(pat);
    for (;;) {
        while (pi < plen && pat[pi] == '/')
            pi++;
        if (pi >= plen)
            return 1;
        while (si < len && s[si] == '/')
            si++;
        size_t pe = pi, se = si;
        while (pe < plen && pat[pe] != '/')
            pe++;
        while (se < len && s[se] != '/')
            se++;
        if (pe - pi != se - si || memcmp(pat + pi, s + si, pe - pi) != 0)
            return 0;
        pi = pe;
        si = se;
    }
}

size_t naive_pack_eval(const naive_pack *p, const char *cmd, size_t len)
{
    size_t matches = 0;
    for (size_t i = 0; i < p->n; i++) {
        const naive_rule *r = &p->rules[i];
        int m;
        switch (r->op) {
        case 0:
            m = memmem(cmd, len, r->lit, r->len) != NULL;
            break;
        case 1:
            m = r->len <= len && memcmp(cmd, r->lit, r->len) == 0;
            break;
        case 2:
            m = pmatch1(r->lit, cmd, len);
            break;
        default:
            m = (r->len == len && memcmp(cmd, r->lit, len) == 0) ||
                (r->len2 == len && memcmp(cmd, r->lit2, len) == 0);
            break;
        }
        matches += (size_t)m;
    }
    return matches;
}
