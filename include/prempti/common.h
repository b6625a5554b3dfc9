/*
 * prempti/common.h - export macros, opaque handle types and status codes.
 *
 * Part of the libprempti public API; see prempti/prempti.h for the rules on
 * ownership and threads that every function follows.
 */
#ifndef PREMPTI_COMMON_H
#define PREMPTI_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* PREMPTI_API marks every exported function. Define PREMPTI_STATIC when
 * linking the static library on Windows (the CMake target does it for you). */
#if defined(SWIG)
#define PREMPTI_API
#elif defined(_WIN32) || defined(__CYGWIN__)
#if defined(PREMPTI_BUILDING)
#define PREMPTI_API __declspec(dllexport)
#elif defined(PREMPTI_STATIC)
#define PREMPTI_API
#else
#define PREMPTI_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define PREMPTI_API __attribute__((visibility("default")))
#else
#define PREMPTI_API
#endif

#ifdef __cplusplus
#define PREMPTI_BEGIN_DECL extern "C" {
#define PREMPTI_END_DECL }
#else
#define PREMPTI_BEGIN_DECL
#define PREMPTI_END_DECL
#endif

PREMPTI_BEGIN_DECL

/* Opaque handles. Their layout is private and may change in any release. */

/** A set of compiled rules. Immutable once loading is finished. */
typedef struct prempti_engine prempti_engine;
/** Options, set by key (see prempti/config.h). */
typedef struct prempti_config prempti_config;
/** One tool call, parsed and normalised into fields. Immutable. */
typedef struct prempti_event prempti_event;
/** The outcome of evaluating one event against one engine. */
typedef struct prempti_result prempti_result;
/** A diagnostic: an error or a warning, with its position in the input. */
typedef struct prempti_error prempti_error;

/**
 * Status codes. Every fallible function returns PREMPTI_OK (0) or one of
 * these negative values. The values are pinned forever and never reused;
 * later releases may add codes, so treat any unknown negative value as a
 * generic failure.
 */
enum prempti_status {
    PREMPTI_OK = 0,
    PREMPTI_E_NOMEM = -1,       /**< out of memory */
    PREMPTI_E_INVALID_ARG = -2, /**< a NULL or out-of-range argument */
    PREMPTI_E_IO = -3,          /**< a file could not be read */
    PREMPTI_E_YAML = -4,        /**< a rules file is not valid YAML */
    PREMPTI_E_RULE = -5,        /**< a rules file is valid YAML but not a valid rule pack */
    PREMPTI_E_JSON = -6,        /**< an event payload is not valid JSON */
    PREMPTI_E_EVENT = -7,       /**< an event payload has the wrong shape */
    PREMPTI_E_LIMIT = -8,       /**< a configured size or depth limit was exceeded */
    PREMPTI_E_UNSUPPORTED = -9, /**< an unknown option, agent or hook event */
    PREMPTI_E_INTERNAL = -10,   /**< a bug in libprempti; never means "allow" */
    PREMPTI_E_IMAGE = -11       /**< a compiled image is damaged, or does not match the rules
                                     files, options or library build it is used with */
};

/**
 * Decisions, ordered so that a larger value is stricter: when several rules
 * decide, the largest wins (deny > ask > allow > defer). Values are pinned.
 */
enum prempti_decision {
    PREMPTI_DEFER = 0, /**< no opinion: the agent's own permission flow goes on */
    PREMPTI_ALLOW = 1, /**< run the tool call without asking */
    PREMPTI_ASK = 2,   /**< ask the user */
    PREMPTI_DENY = 3   /**< block the tool call */
};

/**
 * Rule priorities, Falco's eight levels; a smaller value is more severe.
 * Values are pinned.
 */
enum prempti_priority {
    PREMPTI_PRIORITY_EMERGENCY = 0,
    PREMPTI_PRIORITY_ALERT = 1,
    PREMPTI_PRIORITY_CRITICAL = 2,
    PREMPTI_PRIORITY_ERROR = 3,
    PREMPTI_PRIORITY_WARNING = 4,
    PREMPTI_PRIORITY_NOTICE = 5,
    PREMPTI_PRIORITY_INFORMATIONAL = 6,
    PREMPTI_PRIORITY_DEBUG = 7
};

/**
 * Returns a static, human-readable name for a status code ("out of memory",
 * ...). Never returns NULL; unknown codes give "unknown error".
 */
PREMPTI_API const char *prempti_strerror(int status);

/** Returns "defer", "allow", "ask" or "deny"; NULL for an unknown value. */
PREMPTI_API const char *prempti_decision_name(int decision);

/**
 * Returns Falco's name of a priority ("Emergency" ... "Debug"); NULL for an
 * unknown value.
 */
PREMPTI_API const char *prempti_priority_name(int priority);

/**
 * Frees memory the library returned through a `char **` out-parameter.
 * Accepts NULL. Never pass such memory to libc free() (allocators may differ).
 */
PREMPTI_API void prempti_free(void *ptr);

PREMPTI_END_DECL

#endif /* PREMPTI_COMMON_H */
