/*
 * What a file tool writes: the new text of a write, an edit or a patch,
 * and the hosts of the URLs in it, for rules that look at what is written
 * into files that run code or choose dependencies (a postinstall script,
 * a CI step, a registry in a lockfile).
 */
#ifndef PE_EVENT_NEW_TEXT_H
#define PE_EVENT_NEW_TEXT_H

#include "event/extract.h"

/*
 * tool.new_text: for write, edit and patch tools, the text the call puts
 * into the file - the values of the members content, contents, file_text,
 * new_string, new_str, new_source and newText anywhere in the tool input
 * (so MultiEdit's edits[] and NotebookEdit count), or the '+' lines of a
 * patch view's hunk - joined with newlines. Returns 1 with *out filled, 0
 * for other tools, or PREMPTI_E_NOMEM.
 */
int pe_new_text(pe_xctx *x, pe_value *out);

/*
 * The hosts of the scheme://URLs in text, normalised as tool.url_host,
 * each once, in order; into the scratch arena. Returns 1 (0 when text holds
 * none) or PREMPTI_E_NOMEM.
 */
int pe_text_hosts(pe_arena *scratch, pe_str text, pe_value *out);

#endif
