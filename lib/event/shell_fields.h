/* The shell.* fields: the shell analysis of a view's command, as values. */
#ifndef PE_EVENT_SHELL_FIELDS_H
#define PE_EVENT_SHELL_FIELDS_H

#include "event/build.h"
#include "event/extract.h"

/*
 * Analyses the command of a shell view (tool.kind = shell) when the event
 * is built, relative to the command's directory and the home directory, and
 * keeps the result in the event (v->shell). Nothing the analysis meets is an
 * error: parse errors and limits are flags. Returns PREMPTI_OK or
 * PREMPTI_E_NOMEM.
 */
int pe_shell_view(pe_build *b, pe_view *v);

/* Whether the view's command runs apply_patch (whose patch then makes the
 * event's views). */
int pe_shell_runs_apply_patch(const pe_view *v);

/*
 * Extracts a shell.* field from the view's analysis. They have a value
 * only for shell tools (tool.kind = shell). Returns 1, 0 (no value) or a
 * negative PREMPTI_E_* code.
 */
int pe_shell_field(pe_xctx *x, pe_field_id id, const char *arg, size_t arglen, pe_value *out);

/*
 * The path list whose paths shell.outside_paths[role] takes its own from:
 * shell.read_paths for "read" ..., shell.paths for no role (role NULL);
 * PE_F_COUNT for a name that is no role (that field never has a value).
 */
pe_field_id pe_shell_role_paths(const char *role, size_t len);

/*
 * The lazy fields shell.packages and shell.package_lookalikes of x's view,
 * computed into x's scratch arena: 1 with *out filled, 0 when the view has
 * no shell analysis or the list is empty, or PREMPTI_E_NOMEM.
 */
int pe_packages_field(pe_xctx *x, pe_field_id id, pe_value *out);

#endif
