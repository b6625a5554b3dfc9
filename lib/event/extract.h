/*
 * Field extraction during evaluation. Values computed when the event was
 * built are returned directly; values that cost something and are pure
 * functions of the event (decoded input text, tool.input[...] selections)
 * are computed on demand into the evaluation's scratch arena.
 */
#ifndef PE_EVENT_EXTRACT_H
#define PE_EVENT_EXTRACT_H

#include "event/event_internal.h"

/* Per-view literal answers of the evaluation index (eval/prefilter.c). */
typedef struct pe_lits pe_lits;

typedef struct pe_xctx {
    const prempti_event *event;
    const pe_view *view;
    pe_arena *scratch;
    /* Values computed on demand, once per evaluation of the view. */
    pe_value lazy[PE_F_COUNT];
    signed char lazy_state[PE_F_COUNT]; /* 0: not yet, 1: present, -1: absent */
    pe_lits *lits;                      /* NULL: checks compute their answers directly */
    /* Regex steps left to the evaluation (shared by its views); NULL: no
     * bound (see pe_regex_match). */
    uint64_t *regex_work;
    /* The compiled data the evaluation reads (compile/program.h); set by
     * the caller after pe_xctx_init(). */
    const unsigned char *img;
} pe_xctx;

/* Prepares x for evaluating one view. */
void pe_xctx_init(pe_xctx *x, const prempti_event *ev, const pe_view *view, pe_arena *scratch);

/*
 * Extracts field id (with its [arg], if any: arg NULL means no argument).
 * Returns 1 and fills *out when the field has a value, 0 when it has none,
 * or a negative PREMPTI_E_* code (out of memory).
 */
int pe_extract(pe_xctx *x, pe_field_id id, const char *arg, size_t arglen, pe_value *out);

#endif
