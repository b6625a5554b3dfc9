/*
 * Positions inside YAML scalars. libyaml gives a scalar's value and where
 * the scalar starts; a diagnostic about byte k of a folded, quoted or block
 * scalar needs the line and column of that byte. This stage decodes the
 * scalar's source text again the way libyaml's scanner does (folding,
 * escapes, indentation, chomping), recording where each output byte comes
 * from, and keeps the result only when it equals libyaml's value.
 */
#ifndef PE_RULES_YSCALAR_H
#define PE_RULES_YSCALAR_H

#include "rules/srcmap.h"
#include "rules/ytree.h"

/*
 * The value of scalar n of text (the whole rules file) with its source map,
 * allocated in a. When the value cannot be mapped byte for byte (a YAML
 * feature this decoder does not follow), every byte points at the scalar's
 * start. Returns 0, or -1 when out of memory.
 */
int pe_scalar_mtext(pe_arena *a, const pe_ynode *n, const char *text, pe_mtext *out);

/* The decoding alone: appends to b; 0, or -1 when it differs from libyaml's. */
int pe_scalar_decode(pe_mbuf *b, const pe_ynode *n, const char *text);

#endif
