/*
 * tool.input_secrets: the kinds of secret the tool input holds
 * (util/secrets.h), computed during evaluation when a rule needs them.
 */
#ifndef PE_EVENT_INPUT_SECRETS_H
#define PE_EVENT_INPUT_SECRETS_H

#include "event/extract.h"

/*
 * The kind names found in tool.input_text, in the input's
 * {"key": "string"} members taken as key and value, and in objects
 * {"name": "KEY", "value": "string"} (also "Name", "key", "Key" and
 * "Value"), each once, in the
 * order of pe_secret_kind, as a list in x's scratch arena. Returns 1 with
 * *out filled, 0 when there is none (the field has no value), or
 * PREMPTI_E_NOMEM.
 */
int pe_input_secrets(pe_xctx *x, pe_value *out);

#endif
