/* Explanations of rules for people: which parts of a condition held. */
#ifndef PT_EXPLAIN_H
#define PT_EXPLAIN_H

#include <json-c/json.h>
#include <stdio.h>

#include <prempti/prempti.h>

/*
 * The explanation of every active rule on ev (prempti_explain's JSON,
 * parsed). NULL with *errmsg set (caller frees) when it cannot be made.
 */
json_object *pt_explain(const prempti_engine *engine, const prempti_event *ev, char **errmsg);

/*
 * Prints, for each of the names (or, when names is NULL, for each rule
 * that matched), the rule's condition as an indented tree, each node
 * marked with whether it held:
 *     [no ] and
 *       [yes] is_bash
 *       [no ] tool.input_command contains "| sh"
 */
void pt_explain_print(FILE *out, json_object *explain, const char *const *names, size_t n,
                      const char *indent);

#endif
