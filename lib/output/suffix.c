#include "output/suffix.h"

#include <string.h>

#include "error_internal.h"

/* Keeps the first error of the compilation. */
static void first_error(void *user, int severity, const char *kind, const pe_cond_src *src,
                        uint32_t pos, const char *msg)
{
    (void)src;
    prempti_error **first = user;
    if (severity == PREMPTI_SEVERITY_ERROR && !*first)
        *first = pe_error_new(PREMPTI_E_INVALID_ARG, severity, kind,
                              "invalid reason_suffix at offset %u: %s", pos, msg);
}

const pe_format *pe_suffix_compile(pe_arena *arena, const char *text, int *code,
                                   prempti_error **err)
{
    prempti_error *first = NULL;
    pe_compile_ctx cc = {arena, first_error, &first, 0, 0, NULL, 0, 0};
    const pe_format *f = pe_format_compile(&cc, text, strlen(text), NULL);
    if (f)
        return f; /* only errors are kept, and a compiled format had none */
    if (first)
        *code = pe_raise(err, first);
    else
        *code = pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    return NULL;
}

int pe_suffix_check(const char *text, prempti_error **err)
{
    pe_arena arena = PE_ARENA_INIT;
    int code = PREMPTI_OK;
    pe_suffix_compile(&arena, text, &code, err);
    pe_arena_free(&arena);
    return code;
}
