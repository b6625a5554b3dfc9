/* Shared by the decoder files (decode.c, decode_fmt.c). */
#ifndef PE_SHELL_DECODE_INTERNAL_H
#define PE_SHELL_DECODE_INTERNAL_H

#include "shell/decode.h"
#include "util/abuf.h"

/* Finishes b into out with flags: PE_DECODE_OK, PE_DECODE_NONE when flags
 * hold PE_DEC_FAILED, or PREMPTI_E_NOMEM. */
int pe_decode_done(pe_decoded *out, pe_abuf *b, unsigned flags);

#endif
