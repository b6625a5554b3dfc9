/*
 * Agent responses: what a hook process prints and how it exits, for every
 * agent x hook event x decision, and for failures. Everything an agent sees
 * is in the table below; docs/responses.md explains each choice, and
 * tests/data/responses/ pins every cell byte for byte.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "output/response_internal.h"
#include "util/jsonw.h"
#include "util/strbuf.h"
#include "verdict/result_internal.h"

struct prempti_response {
    char *out; /* stdout text */
    char *err; /* stderr text */
    int code;  /* exit status */
};

/*
 * One cell: the stdout text (a template in which each $R becomes the text
 * for the model and each $U the text for the user, as JSON strings; NULL
 * prints nothing), the exit status, and whether the model's text also goes
 * to stderr (for blocking answers, so a hook log shows why, and because
 * Codex needs a non-empty reason on stderr too).
 *
 * The model's text is the result's reason ("<rule>: <output><suffix>", the
 * suffix written for the model); the user's is "<rule>: <output>". An ask
 * the agent can only express as a block (a BLOCK cell in the ask column)
 * tells the model why it was blocked, so that it does not wait for a
 * confirmation that never comes.
 */
typedef struct cell {
    const char *out;
    unsigned char code;
    unsigned char err;
} cell;

/* clang-format off */
#define NOTHING  {NULL, 0, 0}
#define PRINT(t) {t, 0, 0}
#define BLOCK(t) {t, 0, 1}
#define EXIT2    {NULL, 2, 1} /* the blocking exit status, reason on stderr */
/* clang-format on */

/* Claude Code, Codex, and Copilot's VS Code-compatible dialect; PRE_U for
 * the decisions whose reason Claude shows the user (allow, ask). */
#define PRE(d)                                                                                     \
    "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"" d        \
    "\",\"permissionDecisionReason\":$R}}"
#define PRE_U(d)                                                                                   \
    "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"" d        \
    "\",\"permissionDecisionReason\":$U}}"
#define PERM_ALLOW                                                                                 \
    "{\"hookSpecificOutput\":{\"hookEventName\":\"PermissionRequest\",\"decision\":{"              \
    "\"behavior\":\"allow\"}}}"
#define PERM_DENY                                                                                  \
    "{\"hookSpecificOutput\":{\"hookEventName\":\"PermissionRequest\",\"decision\":{"              \
    "\"behavior\":\"deny\",\"message\":$R}}}"
#define SYSTEM_MESSAGE "{\"systemMessage\":$U}"
/* Copilot CLI. */
#define FLAT_T(d, t) "{\"permissionDecision\":\"" d "\",\"permissionDecisionReason\":" t "}"
#define FLAT_AND_PRE_T(d, t)                                                                       \
    "{\"permissionDecision\":\"" d "\",\"permissionDecisionReason\":" t ","                        \
    "\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"" d         \
    "\",\"permissionDecisionReason\":" t "}}"
#define FLAT(d)           FLAT_T(d, "$R")
#define FLAT_U(d)         FLAT_T(d, "$U")
#define FLAT_AND_PRE(d)   FLAT_AND_PRE_T(d, "$R")
#define FLAT_AND_PRE_U(d) FLAT_AND_PRE_T(d, "$U")
#define BEHAVIOR_ALLOW    "{\"behavior\":\"allow\"}"
#define BEHAVIOR_DENY     "{\"behavior\":\"deny\",\"message\":$R}"
/* One answer that denies on both of Copilot's events, for an error on an
 * event that could not be identified. */
#define COPILOT_ANY_DENY                                                                           \
    "{\"permissionDecision\":\"deny\",\"permissionDecisionReason\":$R,\"behavior\":\"deny\","      \
    "\"message\":$R}"
/* Gemini CLI. */
#define GEMINI_ALLOW "{\"decision\":\"allow\"}"
#define GEMINI(d)    "{\"decision\":\"" d "\",\"reason\":$R,\"systemMessage\":$U}"
/* Cursor. */
#define CURSOR_ALLOW "{\"permission\":\"allow\"}"
#define CURSOR(d)    "{\"permission\":\"" d "\",\"user_message\":$U,\"agent_message\":$R}"

/* One agent hook event: a cell per decision (indexed by enum
 * prempti_decision), then the answer to an error, closed and open. */
typedef struct row {
    const char *agent;
    const char *hook;
    cell decision[4];
    cell closed;
    cell open;
} row;

/* clang-format off */
static const row table[] = {
    /* agent         hook                    defer                  allow                          ask                          deny                         error, closed                 error, open */
    {"claude_code", "PreToolUse",           {NOTHING,              PRINT(PRE_U("allow")),         PRINT(PRE_U("ask")),         BLOCK(PRE("deny"))},         EXIT2,                        NOTHING},
    {"claude_code", "PermissionRequest",    {NOTHING,              PRINT(PERM_ALLOW),             PRINT(SYSTEM_MESSAGE),       BLOCK(PERM_DENY)},           BLOCK(PERM_DENY),             NOTHING},
    {"codex",       "PreToolUse",           {NOTHING,              NOTHING,                       BLOCK(PRE("deny")),          BLOCK(PRE("deny"))},         EXIT2,                        NOTHING},
    {"codex",       "PermissionRequest",    {NOTHING,              PRINT(PERM_ALLOW),             BLOCK(PERM_DENY),            BLOCK(PERM_DENY)},           BLOCK(PERM_DENY),             NOTHING},
    {"copilot",     "preToolUse",           {NOTHING,              PRINT(FLAT_U("allow")),        PRINT(FLAT_U("ask")),        BLOCK(FLAT("deny"))},        BLOCK(FLAT("deny")),          NOTHING},
    {"copilot",     "PreToolUse",           {NOTHING,              PRINT(FLAT_AND_PRE_U("allow")), PRINT(FLAT_AND_PRE_U("ask")), BLOCK(FLAT_AND_PRE("deny"))}, BLOCK(FLAT_AND_PRE("deny")), NOTHING},
    {"copilot",     "permissionRequest",    {NOTHING,              PRINT(BEHAVIOR_ALLOW),         BLOCK(BEHAVIOR_DENY),        BLOCK(BEHAVIOR_DENY)},       BLOCK(BEHAVIOR_DENY),         NOTHING},
    {"copilot",     "PermissionRequest",    {NOTHING,              PRINT(BEHAVIOR_ALLOW),         BLOCK(BEHAVIOR_DENY),        BLOCK(BEHAVIOR_DENY)},       BLOCK(BEHAVIOR_DENY),         NOTHING},
    {"gemini",      "BeforeTool",           {NOTHING,              PRINT(GEMINI_ALLOW),           BLOCK(GEMINI("deny")),       BLOCK(GEMINI("deny"))},      EXIT2,                        NOTHING},
    {"cursor",      "beforeShellExecution", {PRINT(CURSOR_ALLOW),  PRINT(CURSOR_ALLOW),           PRINT(CURSOR("ask")),        BLOCK(CURSOR("deny"))},      EXIT2,                        NOTHING},
    {"cursor",      "beforeMCPExecution",   {PRINT(CURSOR_ALLOW),  PRINT(CURSOR_ALLOW),           PRINT(CURSOR("ask")),        BLOCK(CURSOR("deny"))},      EXIT2,                        NOTHING},
    {"cursor",      "beforeReadFile",       {PRINT(CURSOR_ALLOW),  PRINT(CURSOR_ALLOW),           BLOCK(CURSOR("deny")),       BLOCK(CURSOR("deny"))},      EXIT2,                        NOTHING},
    {"cursor",      "preToolUse",           {PRINT(CURSOR_ALLOW),  PRINT(CURSOR_ALLOW),           BLOCK(CURSOR("deny")),       BLOCK(CURSOR("deny"))},      EXIT2,                        NOTHING},
};

/* An error on a hook event that is not in the table (or not known, e.g.
 * when the payload could not be parsed): the agent's most general block.
 * Failing open prints nothing, as on every row. pre_tool is the event
 * prempti_response_render() answers on when given none. */
static const struct {
    const char *agent;
    const char *title;
    cell closed;
    const char *pre_tool;
} any_hook[] = {
    {"claude_code", "Claude Code", EXIT2,                   "PreToolUse"},
    {"codex",       "Codex",       EXIT2,                   "PreToolUse"},
    {"copilot",     "Copilot CLI", BLOCK(COPILOT_ANY_DENY), "preToolUse"},
    {"gemini",      "Gemini CLI",  EXIT2,                   "BeforeTool"},
    {"cursor",      "Cursor",      EXIT2,                   "preToolUse"},
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const cell unknown_agent = EXIT2;
static const cell fail_open_any = NOTHING;

size_t pe_response_row_count(void)
{
    return COUNT(table);
}

void pe_response_row(size_t i, const char **agent, const char **hook)
{
    *agent = i < COUNT(table) ? table[i].agent : NULL;
    *hook = i < COUNT(table) ? table[i].hook : NULL;
}

static int known_agent(const char *agent)
{
    for (size_t i = 0; agent && i < COUNT(any_hook); i++)
        if (strcmp(any_hook[i].agent, agent) == 0)
            return (int)i;
    return -1;
}

static const row *find_row(const char *agent, const char *hook)
{
    for (size_t i = 0; agent && hook && i < COUNT(table); i++)
        if (strcmp(table[i].agent, agent) == 0 && strcmp(table[i].hook, hook) == 0)
            return &table[i];
    return NULL;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Fills the template: each $R becomes text, each $U user, as JSON strings. */
static void fill(pe_strbuf *sb, const char *tpl, const char *text, const char *user)
{
    const char *p;
    while ((p = strchr(tpl, '$')) != NULL && (p[1] == 'R' || p[1] == 'U')) {
        const char *t = p[1] == 'R' ? text : user;
        pe_sb_append(sb, tpl, (size_t)(p - tpl));
        pe_json_quote(sb, t, strlen(t));
        tpl = p + 2;
    }
    pe_sb_puts(sb, tpl);
}

static int build(prempti_response **out, const cell *c, const char *text, const char *user,
                 prempti_error **err)
{
    prempti_response *r = calloc(1, sizeof(*r));
    pe_strbuf o = PE_STRBUF_INIT, e = PE_STRBUF_INIT;
    if (c->out) {
        fill(&o, c->out, text, user);
        pe_sb_putc(&o, '\n');
    }
    if (c->err) {
        pe_sb_puts(&e, text);
        pe_sb_putc(&e, '\n');
    }
    if (r) {
        r->out = pe_sb_take(&o);
        r->err = pe_sb_take(&e);
        r->code = c->code;
    }
    pe_sb_free(&o);
    pe_sb_free(&e);
    if (!r || !r->out || !r->err) {
        prempti_response_free(r);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    *out = r;
    return PREMPTI_OK;
}

/* A blocking answer always carries a reason (Codex ignores a deny whose
 * reason is empty or blank, and lets the call run). */
static const char *reason_or_default(int decision, const char *reason)
{
    if (!blank(reason))
        return reason;
    if (decision == PREMPTI_DENY)
        return "prempti: blocked by a policy rule";
    if (decision == PREMPTI_ASK)
        return "prempti: a policy rule asks for confirmation";
    return "";
}

int pe_response_render(prempti_response **out, const char *agent, const char *hook, int decision,
                       const char *reason, prempti_error **err)
{
    return pe_response_render_texts(out, agent, hook, decision, reason, reason, err);
}

/* The model's text for an ask the agent can only answer with a block:
 * why it was blocked, then the reason. */
static char *ask_as_block(const char *agent, const char *reason)
{
    pe_strbuf sb = PE_STRBUF_INIT;
    pe_sb_printf(&sb,
                 "libprempti blocked this call because a policy rule requires the user's "
                 "confirmation for it, which %s cannot ask for from a hook; tell the user, who "
                 "can run it themselves if they want it.",
                 any_hook[known_agent(agent)].title);
    if (!blank(reason))
        pe_sb_printf(&sb, " %s", reason);
    char *text = pe_sb_failed(&sb) ? NULL : pe_sb_take(&sb);
    pe_sb_free(&sb);
    return text;
}

int pe_response_render_texts(prempti_response **out, const char *agent, const char *hook,
                             int decision, const char *reason, const char *user,
                             prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    if (decision < PREMPTI_DEFER || decision > PREMPTI_DENY)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "%d is not a decision", decision);
    if (known_agent(agent) < 0)
        return pe_fail(err, PREMPTI_E_UNSUPPORTED, "RESPONSE_UNKNOWN_AGENT",
                       "cannot answer agent '%s': it is not one of claude_code, codex, "
                       "copilot, gemini, cursor",
                       agent ? agent : "");
    const row *rw = find_row(agent, hook);
    if (!rw)
        return pe_fail(err, PREMPTI_E_UNSUPPORTED, "RESPONSE_UNKNOWN_HOOK",
                       "cannot answer %s on hook event '%s': libprempti answers only its "
                       "pre-tool and permission events (see docs/responses.md)",
                       agent, hook ? hook : "");
    const cell *c = &rw->decision[decision];
    const char *text = reason_or_default(decision, reason);
    const char *shown = blank(user) ? text : user;
    if (decision != PREMPTI_ASK || !c->err)
        return build(out, c, text, shown, err);
    char *blocked = ask_as_block(agent, reason);
    int rc = blocked ? build(out, c, blocked, shown, err)
                     : pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    free(blocked);
    return rc;
}

/* hook, or the agent's pre-tool event when hook is NULL or "". */
static const char *hook_or_pre_tool(const char *agent, const char *hook)
{
    int a = known_agent(agent);
    return (!hook || !hook[0]) && a >= 0 ? any_hook[a].pre_tool : hook;
}

int prempti_response_render(prempti_response **out, const char *agent, const char *hook_event,
                            int decision, const char *reason, const char *user_text,
                            prempti_error **err)
{
    return pe_response_render_texts(out, agent, hook_or_pre_tool(agent, hook_event), decision,
                                    reason ? reason : "", user_text, err);
}

int prempti_response_new(prempti_response **out, const prempti_result *result, prempti_error **err)
{
    if (!result) {
        if (out)
            *out = NULL;
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "result is NULL");
    }
    /* An event in the neutral shape has no hook event: it is answered on
     * its agent's pre-tool event when its agent is one of the five. */
    /* the user reads the deciding rule and its output, without the suffix
     * written for the model */
    const char *user = result->reason;
    pe_strbuf sb = PE_STRBUF_INIT;
    if (result->deciding >= 0) {
        size_t d = (size_t)result->deciding;
        const char *output = pe_match_output(result, d); /* rendered with the reason */
        pe_sb_puts(&sb, pe_match_rule(result, d));
        if (output && output[0])
            pe_sb_printf(&sb, ": %s", output);
        if (!output || pe_sb_failed(&sb)) {
            pe_sb_free(&sb);
            return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
        }
        user = pe_sb_str(&sb);
    }
    const char *hook = hook_or_pre_tool(result->agent, result->hook);
    int rc = pe_response_render_texts(out, result->agent, hook, result->decision, result->reason,
                                      user, err);
    pe_sb_free(&sb);
    return rc;
}

/* The cell for an error: the row's, else the agent's general block. */
static const cell *error_cell(const char *agent, const char *hook, int fail_open)
{
    int a = known_agent(agent);
    if (a < 0)
        return &unknown_agent; /* a misconfiguration: loud even when failing open */
    const row *rw = find_row(agent, hook);
    if (rw)
        return fail_open ? &rw->open : &rw->closed;
    return fail_open ? &fail_open_any : &any_hook[a].closed;
}

int prempti_response_for_error(prempti_response **out, const char *agent, const char *hook_event,
                               const char *message, int fail_open, prempti_error **err)
{
    if (err)
        *err = NULL;
    if (!out)
        return pe_fail(err, PREMPTI_E_INVALID_ARG, "", "out is NULL");
    *out = NULL;
    const cell *c = error_cell(agent, hook_event, fail_open);
    pe_strbuf text = PE_STRBUF_INIT;
    /* The prefix names the source, and keeps the text from ever parsing as
     * JSON (Gemini parses stderr as JSON when it can). */
    pe_sb_puts(&text, "prempti: ");
    if (agent && agent[0] && known_agent(agent) < 0)
        pe_sb_printf(&text, "unknown agent '%s': ", agent);
    pe_sb_puts(&text, blank(message) ? "internal error" : message);
    if (pe_sb_failed(&text)) {
        pe_sb_free(&text);
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    }
    int rc = build(out, c, pe_sb_str(&text), pe_sb_str(&text), err);
    pe_sb_free(&text);
    return rc;
}

const char *prempti_response_stdout(const prempti_response *r)
{
    return r && r->out ? r->out : "";
}

const char *prempti_response_stderr(const prempti_response *r)
{
    return r && r->err ? r->err : "";
}

int prempti_response_exit_code(const prempti_response *r)
{
    /* No response means nothing was decided: block rather than allow. */
    return r ? r->code : 2;
}

void prempti_response_free(prempti_response *r)
{
    if (!r)
        return;
    free(r->out);
    free(r->err);
    free(r);
}
