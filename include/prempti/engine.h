/*
 * prempti/engine.h - loading rule packs written in the Falco rules language.
 *
 * An engine is built empty, then given rules files in order, the way Falco
 * is given `-r` files: later files may override, append to or redefine items
 * of earlier ones, and a redefined rule keeps its place in evaluation order.
 * After each load the whole rule set is compiled again. A load either
 * succeeds completely or leaves the engine exactly as it was.
 *
 * Once loading is finished the engine is immutable and any number of threads
 * may evaluate events on it at once (prempti/result.h). To reload rules while
 * serving, build a new engine and swap it in with a prempti_holder
 * (prempti/holder.h). Engines are reference-counted: loading into an engine
 * that someone else also holds fails with PREMPTI_E_INVALID_ARG.
 *
 * For a NULL engine, prempti_engine_rule_count() and
 * prempti_engine_warning_count() return 0 and the other getters what their
 * comment says for an index out of range.
 */
#ifndef PREMPTI_ENGINE_H
#define PREMPTI_ENGINE_H

#include "prempti/common.h"
#include "prempti/error.h"

PREMPTI_BEGIN_DECL

/**
 * Creates an engine with no rules.
 * @param[out] out receives a new engine (its first reference); release it
 *             with prempti_engine_free().
 * @param cfg options (copied; may be NULL for the defaults, see prempti/config.h).
 * @return PREMPTI_OK; PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG (out NULL, or
 *         a reason_suffix that does not compile - which prempti_config_set()
 *         already refuses). On failure *out is NULL.
 */
PREMPTI_API int prempti_engine_new(prempti_engine **out, const prempti_config *cfg,
                                   prempti_error **err);

/**
 * Releases the caller's reference to an engine; the engine is destroyed with
 * its last reference. Accepts NULL. No evaluation may be running on that
 * reference (evaluations through a holder use their own).
 */
PREMPTI_API void prempti_engine_free(prempti_engine *engine);

/**
 * Loads a rules text (YAML, possibly several documents) after the rules
 * already loaded. The text is copied; source_name (may be NULL) names it in
 * diagnostics. Not thread-safe: nothing else may use the engine meanwhile.
 * @return PREMPTI_OK; PREMPTI_E_YAML, PREMPTI_E_RULE or PREMPTI_E_LIMIT with a
 *         diagnostic pointing at the offending text (the engine is unchanged);
 *         PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG (engine NULL, text NULL with
 *         len > 0, or an engine that is shared: kind "ENGINE_SHARED").
 */
PREMPTI_API int prempti_engine_load_rules(prempti_engine *engine, const char *text, size_t len,
                                          const char *source_name, prempti_error **err);

/**
 * Loads a rules file, or every `*.yaml` / `*.yml` regular file of a
 * directory in name order (not recursive), after the rules already loaded.
 * All the files of a directory load as one step: if any fails, the engine is
 * unchanged. path is NUL-terminated.
 * @return as prempti_engine_load_rules(), plus PREMPTI_E_IO when the path
 *         cannot be read.
 */
PREMPTI_API int prempti_engine_load_rules_path(prempti_engine *engine, const char *path,
                                               prempti_error **err);

/**
 * Loads several paths, each a rules file or a directory (as
 * prempti_engine_load_rules_path()), in the order given, as one step: the
 * files are read in that order with Falco's semantics (later files override
 * and append), the set is compiled and indexed once, and if any path or
 * file fails the engine is unchanged. Prefer it to one call per path: each
 * load call compiles the engine's whole rule set again. paths holds npaths
 * NUL-terminated strings, borrowed for the call.
 * @return as prempti_engine_load_rules_path(); PREMPTI_E_INVALID_ARG when
 *         paths or one of its strings is NULL.
 */
PREMPTI_API int prempti_engine_load_rules_paths(prempti_engine *engine,
                                                const char *const *paths, size_t npaths,
                                                prempti_error **err);

/**
 * Saves the engine's compiled rules as an image file (docs/cache.md): the
 * rules, their index and what the engine derived from its options, with
 * the library build, the options and every rules file and text loaded
 * (name, size, modification time, content hash) they are valid for. The
 * file is written under a temporary name in path's directory, with mode
 * 0600, then renamed over path, so a reader sees the old file or the new
 * one, never a part. path is NUL-terminated, borrowed.
 * @return PREMPTI_OK; PREMPTI_E_INVALID_ARG (NULL, or no rules loaded yet);
 *         PREMPTI_E_IO when the file cannot be written; PREMPTI_E_NOMEM.
 */
PREMPTI_API int prempti_engine_save(const prempti_engine *engine, const char *path,
                                    prempti_error **err);

/**
 * Creates an engine from an image file written by prempti_engine_save(),
 * mapped read-only and used in place: nothing is parsed or compiled. The
 * image is used only when all of this holds, and is never trusted
 * otherwise:
 * - it is a regular file (a symbolic link is refused), owned by the
 *   effective user and writable by nobody else;
 * - it was made by this build of the library;
 * - cfg's engine options (those prempti_engine_new() reads) are the ones it
 *   was compiled with;
 * - paths (npaths NUL-terminated strings, borrowed), expanded as
 *   prempti_engine_load_rules_paths() expands them, name exactly the files
 *   it was compiled from, in order, each with the same size, modification
 *   time and content;
 * - its checksum matches, and every offset and length in it is in bounds
 *   and every part well formed.
 * The new engine cannot load more rules (PREMPTI_E_UNSUPPORTED) and
 * reports the warnings the original load gave. Its parts are checked as
 * they are first used (option image_check): a damaged one makes
 * prempti_evaluate() fail with PREMPTI_E_IMAGE. A rules file that changed
 * shortly before the image was made is compared by content; once it has
 * stayed unchanged a few seconds, the image file is written again (as
 * prempti_engine_save() writes) with its current status, so that later
 * loads compare status only - best effort, and only when every page of the
 * image checks.
 * @param[out] out receives a new engine; release it with prempti_engine_free().
 * @param cfg options (copied; NULL for the defaults).
 * @return PREMPTI_OK; PREMPTI_E_IMAGE when the image cannot be used (the
 *         message says why: load the rules files instead); PREMPTI_E_IO
 *         when it cannot be read; PREMPTI_E_NOMEM; PREMPTI_E_INVALID_ARG.
 */
PREMPTI_API int prempti_engine_load_compiled(prempti_engine **out, const char *image_path,
                                             const prempti_config *cfg, const char *const *paths,
                                             size_t npaths, prempti_error **err);

/** Number of rules loaded (enabled or not, of any source); 0 for NULL. */
PREMPTI_API size_t prempti_engine_rule_count(const prempti_engine *engine);

/** The i-th rule's name, in evaluation order; NULL when out of range. Borrowed. */
PREMPTI_API const char *prempti_engine_rule_name(const prempti_engine *engine, size_t i);

/**
 * Whether the i-th rule takes part in evaluation (enabled, of the
 * coding_agent source, at or above the minimum priority): 1 or 0 (0 when
 * out of range).
 */
PREMPTI_API int prempti_engine_rule_active(const prempti_engine *engine, size_t i);

/*
 * Rule metadata. Every getter takes the rule's index in evaluation order
 * (0 .. prempti_engine_rule_count() - 1). Strings are borrowed: valid until
 * the next load or until the engine is freed. For a NULL engine or an index
 * out of range, string getters return NULL and number getters the value
 * named below.
 */

/**
 * The rule's `desc:` text, as the rules files leave it (an appended
 * description is joined to the earlier one with a space).
 */
PREMPTI_API const char *prempti_engine_rule_description(const prempti_engine *engine, size_t i);

/** The rule's priority (enum prempti_priority); -1 when out of range. */
PREMPTI_API int prempti_engine_rule_priority(const prempti_engine *engine, size_t i);

/** Number of the rule's tags (0 when out of range). */
PREMPTI_API size_t prempti_engine_rule_tag_count(const prempti_engine *engine, size_t i);

/** Tag j of rule i, in sorted order; NULL when out of range. */
PREMPTI_API const char *prempti_engine_rule_tag(const prempti_engine *engine, size_t i, size_t j);

/**
 * The name of the rules file (or in-memory text) where the rule was last
 * fully defined: the path as given to the load call, or the source_name of
 * prempti_engine_load_rules() ("<rules>" when none was given).
 */
PREMPTI_API const char *prempti_engine_rule_file(const prempti_engine *engine, size_t i);

/** 1-based line of that definition's `- rule:` item; 0 when out of range. */
PREMPTI_API unsigned prempti_engine_rule_line(const prempti_engine *engine, size_t i);

/** 1-based column (in bytes) of that item; 0 when out of range. */
PREMPTI_API unsigned prempti_engine_rule_column(const prempti_engine *engine, size_t i);

/** Number of warnings produced by the loads so far (0 for NULL). */
PREMPTI_API size_t prempti_engine_warning_count(const prempti_engine *engine);

/**
 * The i-th warning; NULL when out of range. Borrowed: valid until the next
 * load or until the engine is freed; do not free it.
 */
PREMPTI_API const prempti_error *prempti_engine_warning(const prempti_engine *engine, size_t i);

PREMPTI_END_DECL

#endif /* PREMPTI_ENGINE_H */
