#define _GNU_SOURCE /* memmem */
#include "mixed.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F_COMMAND, F_PATH, F_INPUT, F_HOST, F_NAME };

/* Rule i: 40% shell commands (four operators), 20% file reads, 20% writes
 * and edits (their input, contents included), 10% web hosts, 10% MCP
 * tools; every rule has its own literal. */
static void make_rule(mixed_rule *r, size_t i)
{
    size_t k = i % 10;
    if (k < 4) {
        static const mixed_op ops[] = {MO_CONTAINS, MO_STARTSWITH, MO_ENDSWITH, MO_ICONTAINS};
        static const char *const prefix[] = {"tok", "cmd", " --opt", "itok"};
        static const char *const suffix[] = {"q", " ", "", "q"};
        size_t v = (i / 10) % 4;
        r->kind = MK_SHELL;
        r->op = ops[v];
        r->field = F_COMMAND;
        snprintf(r->lit, sizeof(r->lit), "%s%zu%s", prefix[v], i, suffix[v]);
    } else if (k < 6) {
        r->kind = MK_READ;
        r->op = k == 4 ? MO_STARTSWITH : MO_CONTAINS;
        r->field = F_PATH;
        snprintf(r->lit, sizeof(r->lit), "/%s%zu/", k == 4 ? "srv/app" : "secret", i);
    } else if (k < 8) {
        r->kind = MK_WRITE;
        r->op = MO_CONTAINS;
        r->field = F_INPUT;
        snprintf(r->lit, sizeof(r->lit), "marker%zu", i);
    } else if (k == 8) {
        r->kind = MK_WEB;
        r->op = MO_EQ;
        r->field = F_HOST;
        snprintf(r->lit, sizeof(r->lit), "host%zu.example.com", i);
    } else {
        r->kind = MK_OTHER;
        r->op = MO_EQ;
        r->field = F_NAME;
        snprintf(r->lit, sizeof(r->lit), "mcp__srv%zu__run", i);
    }
    r->len = strlen(r->lit);
}

void mixed_pack_build(mixed_pack *p, size_t n)
{
    p->n = n;
    p->rules = calloc(n ? n : 1, sizeof(*p->rules));
    if (!p->rules)
        abort();
    for (size_t i = 0; i < n; i++)
        make_rule(&p->rules[i], i);
}

void mixed_pack_free(mixed_pack *p)
{
    free(p->rules);
    p->rules = NULL;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        if (!(*buf = realloc(*buf, *cap)))
            abort();
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static void condition(const mixed_rule *r, char *c, size_t n)
{
    static const char *const ops[] = {"contains", "startswith", "endswith", "=", "icontains"};
    switch (r->kind) {
    case MK_SHELL:
        snprintf(c, n, "tool.kind = shell and tool.input_command %s \"%s\"", ops[r->op], r->lit);
        break;
    case MK_READ:
        snprintf(c, n, "tool.kind = read and tool.real_file_path %s \"%s\"", ops[r->op], r->lit);
        break;
    case MK_WRITE:
        snprintf(c, n, "tool.kind in (write, edit) and tool.input contains \"%s\"", r->lit);
        break;
    case MK_WEB:
        snprintf(c, n, "tool.kind = web and tool.url_host = \"%s\"", r->lit);
        break;
    case MK_OTHER:
        snprintf(c, n, "tool.name = \"%s\"", r->lit);
        break;
    }
}

char *mixed_pack_yaml(const mixed_pack *p)
{
    char *buf = NULL, cond[256], line[768];
    size_t len = 0, cap = 0;
    append(&buf, &len, &cap, "");
    for (size_t i = 0; i < p->n; i++) {
        condition(&p->rules[i], cond, sizeof(cond));
        snprintf(line, sizeof(line),
                 "- rule: mixed rule %zu\n  desc: a rule of the mixed workload\n"
                 "  condition: %s\n  output: matched %%tool.name (%%tool.input_command "
                 "%%tool.real_file_path)\n  priority: WARNING\n  source: coding_agent\n"
                 "  tags: [%s]\n",
                 i, cond, i % 3 == 0 ? "coding_agent_deny" : "coding_agent_ask");
        append(&buf, &len, &cap, line);
    }
    return buf;
}

/* ---- events ---- */

#define CLAUDE(tool, input)                                                                     \
    "{\"session_id\":\"bench\",\"transcript_path\":\"/home/dev/.claude/t.jsonl\","             \
    "\"cwd\":\"/home/dev/project\",\"permission_mode\":\"default\","                           \
    "\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"" tool "\",\"tool_input\":" input      \
    ",\"tool_use_id\":\"toolu_1\"}"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

/* Content for a write: text with a marker of the pack near its end. */
static char *content(size_t n, const char *marker)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < n; i++)
        s[i] = "int main(void) { return 0; } // the quick brown fox \\n"[i % 54];
    size_t m = marker ? strlen(marker) : 0;
    if (m && m < n)
        memcpy(s + n - m - 10, marker, m);
    s[n] = '\0';
    return s;
}

/* The literal of the first rule of a kind at or after index from. */
static const char *lit_of(const mixed_pack *p, mixed_kind kind, size_t from)
{
    for (size_t i = from; i < p->n; i++)
        if (p->rules[i].kind == kind)
            return p->rules[i].lit;
    return "none";
}

static void add(mixed_events *e, char *json, mixed_kind kind)
{
    mixed_event *ev = &e->v[e->n++];
    ev->json = json;
    ev->kind = kind;
}

/* The fields the naive loop reads, found in the event's JSON text. */
static void fields_of(mixed_event *ev)
{
    static const char *const keys[] = {"\"command\":\"", "\"file_path\":\"", "\"tool_input\":",
                                       "\"url\":\"https://", "\"tool_name\":\""};
    for (int f = 0; f < MIXED_FIELDS; f++) {
        const char *at = strstr(ev->json, keys[f]);
        ev->fields[f] = "";
        ev->lens[f] = 0;
        if (!at)
            continue;
        at += strlen(keys[f]);
        const char *end = f == F_INPUT ? strstr(at, ",\"tool_use_id\"")
                          : f == F_HOST ? strpbrk(at, "/\"")
                                        : strchr(at, '"');
        ev->fields[f] = at;
        ev->lens[f] = end ? (size_t)(end - at) : strlen(at);
    }
}

void mixed_events_build(mixed_events *e, const mixed_pack *p)
{
    e->v = calloc(16, sizeof(*e->v));
    e->n = 0;
    size_t mid = p->n / 2;
    char *w4 = content(4096, NULL), *w64 = content(65536, lit_of(p, MK_WRITE, mid));
    add(e, fmt(CLAUDE("Bash", "{\"command\":\"ls -la src\"}")), MK_SHELL);
    add(e, fmt(CLAUDE("Bash", "{\"command\":\"git status && git diff --stat\"}")), MK_SHELL);
    add(e, fmt(CLAUDE("Bash", "{\"command\":\"grep -rn %s src/ | head\"}"),
               lit_of(p, MK_SHELL, mid)), MK_SHELL);
    add(e, fmt(CLAUDE("Bash", "{\"command\":\"npm test -- --watch=false\"}")), MK_SHELL);
    add(e, fmt(CLAUDE("Read", "{\"file_path\":\"/home/dev/project/src/main.c\"}")), MK_READ);
    add(e, fmt(CLAUDE("Read", "{\"file_path\":\"/srv/app%zu/config.yaml\"}"), mid - mid % 10 + 4),
        MK_READ);
    add(e, fmt(CLAUDE("Write", "{\"file_path\":\"/home/dev/project/a.c\",\"content\":\"%s\"}"),
               w4), MK_WRITE);
    add(e, fmt(CLAUDE("Write", "{\"file_path\":\"/home/dev/project/b.c\",\"content\":\"%s\"}"),
               w64), MK_WRITE);
    add(e, fmt(CLAUDE("Edit", "{\"file_path\":\"/home/dev/project/c.py\",\"old_string\":\"x = "
                              "1\",\"new_string\":\"x = 2\"}")), MK_WRITE);
    add(e, fmt(CLAUDE("WebFetch", "{\"url\":\"https://%s/page\",\"prompt\":\"read\"}"),
               lit_of(p, MK_WEB, mid)), MK_WEB);
    add(e, fmt(CLAUDE("WebFetch", "{\"url\":\"https://docs.python.org/3/\",\"prompt\":\"x\"}")),
        MK_WEB);
    add(e, fmt(CLAUDE("mcp__github__create_issue", "{\"title\":\"bug\",\"body\":\"details\"}")),
        MK_OTHER);
    add(e, fmt(CLAUDE("Grep", "{\"pattern\":\"TODO\",\"path\":\"/home/dev/project\"}")),
        MK_OTHER);
    for (size_t i = 0; i < e->n; i++)
        fields_of(&e->v[i]);
    free(w4);
    free(w64);
}

void mixed_events_free(mixed_events *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].json);
    free(e->v);
    e->v = NULL;
    e->n = 0;
}

static int icontains(const char *h, size_t hl, const char *n, size_t nl)
{
    for (size_t i = 0; i + nl <= hl; i++)
        if (strncasecmp(h + i, n, nl) == 0)
            return 1;
    return 0;
}

size_t mixed_naive_eval(const mixed_pack *p, const mixed_event *ev)
{
    size_t matches = 0;
    for (size_t i = 0; i < p->n; i++) {
        const mixed_rule *r = &p->rules[i];
        if (r->kind != ev->kind)
            continue; /* the fair part: skipped by tool kind first */
        const char *v = ev->fields[r->field];
        size_t vl = ev->lens[r->field];
        int m = 0;
        switch (r->op) {
        case MO_CONTAINS:
            m = memmem(v, vl, r->lit, r->len) != NULL;
            break;
        case MO_STARTSWITH:
            m = vl >= r->len && memcmp(v, r->lit, r->len) == 0;
            break;
        case MO_ENDSWITH:
            m = vl >= r->len && memcmp(v + vl - r->len, r->lit, r->len) == 0;
            break;
        case MO_ICONTAINS:
            m = icontains(v, vl, r->lit, r->len);
            break;
        case MO_EQ:
            m = vl == r->len && memcmp(v, r->lit, vl) == 0;
            break;
        }
        matches += (size_t)m;
    }
    return matches;
}
