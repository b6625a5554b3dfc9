/* The shell.* fields: the shell analysis of a view's command, as values. */
#ifndef PE_EVENT_SHELL_FIELDS_H
#define PE_EVENT_SHELL_FIELDS_H

#include "event/extract.h"

/*
 * Extracts a shell.* field. The command is analysed once per view and
 * evaluation, and only when a rule needs one of these fields. They have a
 * value only for shell tools (tool.kind = shell). Returns 1, 0 (no value) or
 * a negative PREMPTI_E_* code.
 */
int pe_shell_field(pe_xctx *x, pe_field_id id, const char *arg, size_t arglen, pe_value *out);

#endif
