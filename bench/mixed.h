/*
 * The realistic mixed workload: packs of N rules gated by tool kind (shell
 * commands, file reads, writes and edits, web fetches) with different
 * operators on different fields, the events of a coding session (shell
 * commands, reads, 4 KiB and 64 KiB writes, an edit, a fetch, an MCP call,
 * a search), and a fair naive baseline: each rule in turn, skipped at once
 * when its tool kind does not match, then its operator on the event's
 * field, with the fields extracted once per event beforehand.
 */
#ifndef PE_BENCH_MIXED_H
#define PE_BENCH_MIXED_H

#include <stddef.h>

typedef enum mixed_kind { MK_SHELL, MK_READ, MK_WRITE, MK_WEB, MK_OTHER } mixed_kind;
typedef enum mixed_op { MO_CONTAINS, MO_STARTSWITH, MO_ENDSWITH, MO_EQ, MO_ICONTAINS } mixed_op;

typedef struct mixed_rule {
    mixed_kind kind;
    mixed_op op;
    int field; /* index into mixed_event.fields */
    char lit[48];
    size_t len;
} mixed_rule;

typedef struct mixed_pack {
    size_t n;
    mixed_rule *rules;
} mixed_pack;

/* An event: its Claude Code payload and, for the naive loop, its tool kind
 * and the fields the rules read (command, real file path, the input as
 * JSON text, URL host, tool name). */
#define MIXED_FIELDS 5
typedef struct mixed_event {
    char *json;
    mixed_kind kind;
    const char *fields[MIXED_FIELDS];
    size_t lens[MIXED_FIELDS];
} mixed_event;

typedef struct mixed_events {
    mixed_event *v;
    size_t n;
} mixed_events;

void mixed_pack_build(mixed_pack *p, size_t n);
void mixed_pack_free(mixed_pack *p);
/* The pack as a rules file (caller frees). */
char *mixed_pack_yaml(const mixed_pack *p);
/* The session's events for pack p (some hit its rules). */
void mixed_events_build(mixed_events *e, const mixed_pack *p);
void mixed_events_free(mixed_events *e);
/* The naive loop; returns the number of matching rules. */
size_t mixed_naive_eval(const mixed_pack *p, const mixed_event *ev);

#endif
