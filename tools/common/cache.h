/*
 * The compiled-pack cache shared by the prempti command and the hook
 * adapter: an engine compiled from a configuration's rules is saved as an
 * image (prempti_engine_save) under $XDG_CACHE_HOME/prempti/, else
 * ~/.cache/prempti/, and later runs map it (prempti_engine_load_compiled)
 * instead of reading the YAML. The library decides whether an image may be
 * used (same library build, options and rules files, unchanged, intact);
 * this module decides where images live and keeps that directory ours
 * alone: 0700, owned by the user, not a symbolic link; images are 0600. A
 * cache that cannot be used is ignored and the rules are read from YAML.
 * docs/cache.md describes it all.
 */
#ifndef PT_CACHE_H
#define PT_CACHE_H

#include <prempti/prempti.h>

#include "settings.h"
#include "str.h"

/* The cache directory ($XDG_CACHE_HOME/prempti or $HOME/.cache/prempti): a
 * new string, or NULL when neither variable is set (or out of memory). */
char *pt_cache_dir(void);

/*
 * Makes sure dir is usable: created (mode 0700, parents as needed) when
 * missing; refused when it is a symbolic link, not a directory, or not
 * owned by the effective user; made 0700 when it is ours with a looser
 * mode. 0, or -1 with a new message in *errmsg.
 */
int pt_cache_dir_ready(const char *dir, char **errmsg);

/* The image file for these rules paths and options, in dir (new string). */
char *pt_cache_entry(const char *dir, const prempti_config *cfg, const pt_strv *paths);

/*
 * Creates an engine with cfg's options and the rules of paths: mapped from
 * the cache when use_cache is set and the cache holds a valid image for
 * them, else loaded from the rules files (and then saved to the cache when
 * use_cache is set). For each diagnostic calls on_diag as pt_load_rules()
 * does. *from_cache says which way it went (may be NULL). On failure
 * *errmsg is "rules failed to load: ..." and *out is NULL.
 */
int pt_engine_load(prempti_engine **out, const prempti_config *cfg, const pt_strv *paths,
                   int use_cache, pt_diag_fn on_diag, void *ctx, int *from_cache, char **errmsg);

/*
 * After an evaluation (or explanation) with an engine from the cache failed
 * with PREMPTI_E_IMAGE (a part of the image turned out damaged when first
 * used): drops the cache entry, loads the rules from YAML again (saving a
 * new entry) and replaces *engine, so that the caller repeats the step and
 * a damaged cache never decides. 0, or -1 with *errmsg set (*engine is
 * then unchanged).
 */
int pt_engine_reload(prempti_engine **engine, const prempti_config *cfg, const pt_strv *paths,
                     char **errmsg);

#endif
