/*
 * The response table, reachable without a result so that every agent x hook
 * event x decision can be tested (and used) from a decision and a reason.
 */
#ifndef PE_OUTPUT_RESPONSE_INTERNAL_H
#define PE_OUTPUT_RESPONSE_INTERNAL_H

#include <stddef.h>

#include "prempti/response.h"

/*
 * Renders decision (enum prempti_decision) with reason for agent's hook
 * event, exactly as prempti_response_new() does for a result.
 * @return PREMPTI_OK; PREMPTI_E_UNSUPPORTED for an agent or hook event the
 *         table has no row for; PREMPTI_E_INVALID_ARG; PREMPTI_E_NOMEM.
 */
int pe_response_render(prempti_response **out, const char *agent, const char *hook, int decision,
                       const char *reason, prempti_error **err);

/* The same with the user's text apart: user fills the fields the agent
 * shows the user ("" or NULL: the reason). */
int pe_response_render_texts(prempti_response **out, const char *agent, const char *hook,
                             int decision, const char *reason, const char *user,
                             prempti_error **err);

/* Number of rows of the table (agent x hook event). */
size_t pe_response_row_count(void);

/* The agent and hook event of row i (i < pe_response_row_count()). */
void pe_response_row(size_t i, const char **agent, const char **hook);

#endif
