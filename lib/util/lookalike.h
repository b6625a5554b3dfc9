/*
 * Package names that imitate popular ones (typosquatting).
 *
 * pe_package_lookalike(ecosystem, name, len) answers which popular package
 * of the ecosystem ("pypi", "npm", "crates", "rubygems"; lower case) the
 * name imitates, or NULL. Pure: no globals, no allocation, thread-safe;
 * the answer points into static tables (lookalike_pypi.c, lookalike_npm.c,
 * lookalike_crates.c, lookalike_rubygems.c), normalised as below. A
 * popular name costs a binary search; any other name a bounded walk of the
 * sorted table (lookalike_match.h), most of it skipped after the first few
 * letters. docs/lookalike.md has the lists' sources and measured costs.
 *
 * Names are first normalised:
 *   pypi      ASCII lower case, runs of '-', '_', '.' become one '-' (PEP 503)
 *   npm       ASCII lower case (the registry refuses new names with
 *             capitals); a scope "@scope/" is kept
 *   crates    ASCII lower case, '_' becomes '-' (crates.io treats them as one)
 *   rubygems  ASCII lower case
 * and leading separators are dropped (no registry takes them).
 *
 * Never flagged (NULL):
 *   - a name in the ecosystem's popular list, or in its allow list of known
 *     legitimate packages that sit next to a popular one (pypi "futures"
 *     and "future", npm "unicorn"-style pairs);
 *   - a name shorter than 5 bytes after normalisation, or holding a NUL;
 *   - an npm name under the scope of the popular name it resembles (only
 *     the scope's owner publishes there), and scoped against unscoped names;
 *   - a name longer than PE_LOOKALIKE_CAND_MAX (nothing popular is that
 *     close to it);
 *   - an unknown ecosystem.
 *
 * Flagged, with the popular name P (first in table order among the best):
 *   CONFUSABLE  the name equals P once separators ('-', '_', '.') are
 *               ignored and look-alike characters are folded: '0' = 'o',
 *               '1' = 'l' = 'i', "rn" = 'm', "vv" = 'w'
 *               (pythondateutil, crossenv, 1odash, jeIlyfish);
 *   SPELLING    a Damerau-Levenshtein distance (optimal string alignment)
 *               of at most 1 when both names have 5 bytes or more, at most
 *               2 when both have 10 or more, where the edits counted are:
 *               inserting or deleting a letter (lodas, mongose, colourama),
 *               swapping two neighbours (reqeusts, electorn; the first two
 *               letters too, eract, counted against names that start with
 *               them swapped), and
 *               substituting a letter for one next to it on a QWERTY
 *               keyboard (reqyests) or a vowel for another (djanga);
 *               separators and look-alikes as above cost nothing.
 *               Not counted as typing mistakes, because legitimate names
 *               differ that way all the time:
 *               - any other edit of the first letter: cchardet/chardet,
 *                 ipytest/pytest, usort/isort, preact-router/react-router;
 *               - substituting letters that are neither neighbours on the
 *                 keyboard nor both vowels: match/hatch, scrypt/bcrypt;
 *               - inserting, deleting or changing a digit: pyasn/pyasn1,
 *                 nvidia-cublas-cu11/-cu12 (trailing digits: see AFFIX);
 *               - an edit confined to one separator-delimited segment that
 *                 is shorter than 5 bytes in either name, the rest equal
 *                 (pytest-cov/pytest-csv, aws-sdk-sqs/aws-sdk-sns,
 *                 faiss-cpu/faiss-gpu), unless it is a swap of two
 *                 neighbours (serde_jsno, react-dmo are flagged); or a whole
 *                 segment added or removed (kafka-python/kafka-python-ng).
 *   AFFIX       the name is P with a noise affix of the ecosystem added
 *               (cross-env.js, nodefabric, python-requests), P without its
 *               affix (dateutil for python-dateutil), P with its affix
 *               swapped for another (python3-dateutil), or P with trailing
 *               digits added or removed (urllib for urllib3); the rest must
 *               match as CONFUSABLE does and keep at least 2 bytes (d3.js).
 *               Affixes (with their separator, exactly):
 *                 pypi      python- python3- py- py3-, -python -python3 -py -py3
 *                 npm       node- node nodejs- nodejs js-, -js .js js -node -nodejs
 *                 crates    rust- rs-, -rust -rs
 *                 rubygems  ruby- rb-, -ruby -rb
 *               Not noise: "py" without separator (pyyaml, pyjwt, pyarrow are
 *               the canonical binding names), -cli, -lib, -dev, -sdk, -core
 *               (real companion packages, far too many legitimate pairs).
 *   SCOPE       npm "@s/x" where a popular "@t/x" exists and the scope s
 *               is CONFUSABLE or SPELLING-close to t under the rules above.
 * When several popular names match, CONFUSABLE wins over one edit, one edit
 * over AFFIX, AFFIX over two edits; then table order.
 */
#ifndef PE_UTIL_LOOKALIKE_H
#define PE_UTIL_LOOKALIKE_H

#include <stddef.h>

/* The longest popular or allowed name, in bytes (checked by the tests). */
#define PE_LOOKALIKE_NAME_MAX 64
/* Longer names are never flagged: no popular name is within reach. */
#define PE_LOOKALIKE_CAND_MAX (PE_LOOKALIKE_NAME_MAX + 16)

typedef enum pe_lookalike_kind {
    PE_LOOKALIKE_NONE = 0,
    PE_LOOKALIKE_CONFUSABLE,
    PE_LOOKALIKE_SPELLING,
    PE_LOOKALIKE_AFFIX,
    PE_LOOKALIKE_SCOPE
} pe_lookalike_kind;

typedef struct pe_lookalike {
    const char *popular;    /* static, NUL-terminated; NULL when not flagged */
    pe_lookalike_kind kind; /* PE_LOOKALIKE_NONE when not flagged */
    int distance;           /* SPELLING and SCOPE: edits counted; else 0 */
} pe_lookalike;

/*
 * The popular package that name (len bytes, need not be NUL-terminated)
 * imitates, or NULL (see above). The string is static: never free it.
 */
const char *pe_package_lookalike(const char *ecosystem, const char *name, size_t len);

/*
 * Same, with how the name imitates it, in *out (always written). Returns 1
 * when flagged, 0 when not, -1 when the ecosystem is unknown.
 */
int pe_package_lookalike_explain(pe_lookalike *out, const char *ecosystem, const char *name,
                                 size_t len);

/* ---- the tables (lookalike_pypi.c and kin), exposed for their tests ------ */

typedef enum pe_lookalike_norm {
    PE_NORM_PYPI,
    PE_NORM_NPM,
    PE_NORM_CRATES,
    PE_NORM_RUBYGEMS
} pe_lookalike_norm;

typedef struct pe_lookalike_table {
    const char *ecosystem;
    pe_lookalike_norm norm;
    /* NUL-separated normalised names in byte order; *_size excludes the
     * literal's own final NUL. */
    const char *popular;
    size_t popular_size;
    const char *allow;
    size_t allow_size;
    const char *const *prefixes; /* NULL-terminated */
    const char *const *suffixes; /* NULL-terminated */
} pe_lookalike_table;

/* One table per ecosystem, each in its own data file. */
extern const pe_lookalike_table pe_lookalike_pypi, pe_lookalike_npm, pe_lookalike_crates,
    pe_lookalike_rubygems;

/* All tables; *n receives their count. */
const pe_lookalike_table *const *pe_lookalike_tables(size_t *n);

/* Writes the normalised form of name into out (room for len + 1 bytes) and
 * returns its length. */
size_t pe_lookalike_normalize(pe_lookalike_norm norm, const char *name, size_t len, char *out);

/*
 * As pe_package_lookalike_explain() on a table, with the allow list
 * consulted only when use_allow is set (tests check that every allow entry
 * would otherwise be flagged).
 */
int pe_lookalike_check(pe_lookalike *out, const pe_lookalike_table *t, const char *name, size_t len,
                       int use_allow);

#endif
