#include <stdlib.h>

#include "prempti/common.h"
#include "prempti/version.h"

const char *prempti_version_string(void)
{
    return PREMPTI_VERSION_STRING;
}

int prempti_version_number(void)
{
    return PREMPTI_VERSION_NUMBER;
}

const char *prempti_strerror(int status)
{
    switch (status) {
    case PREMPTI_OK:
        return "success";
    case PREMPTI_E_NOMEM:
        return "out of memory";
    case PREMPTI_E_INVALID_ARG:
        return "invalid argument";
    case PREMPTI_E_IO:
        return "input/output error";
    case PREMPTI_E_YAML:
        return "invalid YAML";
    case PREMPTI_E_RULE:
        return "invalid rules";
    case PREMPTI_E_JSON:
        return "invalid JSON";
    case PREMPTI_E_EVENT:
        return "invalid event";
    case PREMPTI_E_LIMIT:
        return "limit exceeded";
    case PREMPTI_E_UNSUPPORTED:
        return "unsupported";
    case PREMPTI_E_INTERNAL:
        return "internal error";
    case PREMPTI_E_IMAGE:
        return "compiled image not usable";
    default:
        return "unknown error";
    }
}

const char *prempti_decision_name(int decision)
{
    static const char *const names[] = {"defer", "allow", "ask", "deny"};
    return decision >= 0 && decision <= 3 ? names[decision] : NULL;
}

const char *prempti_priority_name(int priority)
{
    static const char *const names[] = {"Emergency", "Alert",  "Critical",      "Error",
                                        "Warning",   "Notice", "Informational", "Debug"};
    return priority >= 0 && priority <= 7 ? names[priority] : NULL;
}

void prempti_free(void *ptr)
{
    free(ptr);
}
