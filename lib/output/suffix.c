#include "output/suffix.h"

#include <string.h>

#include "compile/compile.h"
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

int pe_suffix_compile(pe_region *r, const char *text, pe_ref *out, prempti_error **err)
{
    prempti_error *first = NULL;
    pe_compile_ctx cc = {r, first_error, &first, 0, 0, NULL, 0};
    const pe_format *f = pe_format_compile(&cc, text, strlen(text), NULL);
    if (f) {
        *out = pe_ref_of(r, f);
        return PREMPTI_OK; /* only errors are kept, and a compiled format had none */
    }
    if (first)
        return pe_raise(err, first);
    if (cc.over)
        return pe_fail(err, PREMPTI_E_LIMIT, "",
                       "the reason suffix is larger than max_compiled_bytes");
    return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
}

int pe_suffix_check(const char *text, prempti_error **err)
{
    size_t len = strlen(text);
    if (!len)
        return PREMPTI_OK;
    pe_region r = PE_REGION_INIT;
    if (pe_region_init_fixed(&r, 16 * len + 65536, 8))
        return pe_fail(err, PREMPTI_E_NOMEM, "", "out of memory");
    pe_ref unused;
    int rc = pe_suffix_compile(&r, text, &unused, err);
    pe_region_free(&r);
    return rc;
}
