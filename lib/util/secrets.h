/*
 * A secret detector for tool inputs: which kinds of credentials a text
 * holds (private keys, issuer tokens with a known prefix, credentials in
 * URLs and headers, passwords assigned to a literal).
 *
 * pe_secret_scan() is pure, allocates nothing, uses a fixed amount of
 * stack, and runs in time linear in the input (every matcher resumes
 * after the text it already walked). It reports kinds, never positions or
 * values: nothing of the secret leaves the scanner.
 *
 * The text is scanned twice when it holds a percent-escape: as written,
 * then with "%XX" decoded (and "%25XX" decoded twice), so
 * "-----BEGIN%20OPENSSH%20PRIVATE%20KEY-----%0A..." and "S3cr3tP%40ss" are
 * seen. Where a matcher looks for a space (between "Bearer" and its token,
 * inside a PEM label) a '+' counts as one, as in form-encoded query
 * strings; elsewhere '+' stays a '+' (base64 bodies hold it). JSON
 * string escapes are the caller's to decode; a literal two-character "\n",
 * "\r" or "\t" (JSON or shell text quoted inside the input) separates words
 * like the character it stands for.
 *
 * Words. A word character is [A-Za-z0-9_]. A token starts at a word
 * boundary: the start of the text, after a byte that is not a word
 * character, or after a literal "\n" "\r" "\t". So "xghp_..." and
 * "my_ghp_..." are not GitHub tokens; "=ghp_...", "\"ghp_..." are.
 *
 * 1. Issuer tokens (the rows of the table in secrets.c): a fixed,
 *    case-sensitive prefix at a word boundary, then the body: the longest
 *    run of bytes of the row's alphabet (trailing '.' dropped, so a token
 *    can end a sentence). The body length must lie in the row's [min, max],
 *    the byte after the body must not be a word character (a prefix inside
 *    a longer identifier is not a token), the body must hold at least the
 *    row's number of distinct bytes, 6 to 10 (so "ghp_xxxx..." templates
 *    are not tokens) and every class the row needs (a digit for Slack).
 *    Shapes, from gitleaks' rules and the issuers' documentation:
 *      aws_access_key     AKIA ASIA ABIA ACCA + [A-Z0-9]{16}; A3T + [A-Z0-9]{17}
 *                         (AWS's documented example AKIAIOSFODNN7EXAMPLE is one:
 *                         a scanner cannot tell examples from keys)
 *      github_token       ghp_ gho_ ghu_ ghs_ ghr_ + [A-Za-z0-9]{36};
 *                         github_pat_ + [A-Za-z0-9_]{82}
 *      gitlab_token       glpat- gldt- glrt- glcbt- glft- glimt- glagent- gloas-
 *                         glsoat- glffct- + [A-Za-z0-9_.-]{20,300};
 *                         glptt- + [0-9a-f]{40}; GR1348941 + [A-Za-z0-9_-]{20,64}
 *      slack_token        xoxb- xoxp- xoxa- xoxr- xoxs- xoxo- xoxe- xoxe.xoxb-
 *                         xoxe.xoxp- xapp- + [A-Za-z0-9-]{10,300} with a digit
 *      slack_webhook      hooks.slack.com/services/ (or /workflows/, /triggers/)
 *                         + [A-Za-z0-9/]{30,120}
 *      stripe_key         sk_live_ sk_test_ rk_live_ rk_test_ + [A-Za-z0-9]{16,247};
 *                         whsec_ + [A-Za-z0-9]{32,100}
 *      openai_key         sk-proj- sk-svcacct- sk-admin- + [A-Za-z0-9_-]{40,300};
 *                         sk- + [A-Za-z0-9]{48} holding "T3BlbkFJ" (legacy)
 *      anthropic_key      sk-ant- + [A-Za-z0-9_-]{32,300} (api03, admin01,
 *                         oat01 and ort01 keys)
 *      google_api_key     AIza + [A-Za-z0-9_-]{35}
 *      google_oauth       GOCSPX- + [A-Za-z0-9_-]{28}; ya29. + [A-Za-z0-9_-]{30,2048}
 *      npm_token          npm_ + [A-Za-z0-9]{36}
 *      pypi_token         pypi-AgEIcHlwaS5vcmc, pypi-AgENdGVzdC5weXBpLm9yZw
 *                         + [A-Za-z0-9_-]{50,1000}
 *      huggingface_token  hf_ api_org_ + [A-Za-z0-9]{34}
 *      digitalocean_token dop_v1_ doo_v1_ dor_v1_ + [0-9a-f]{64}
 *      sendgrid_key       SG. + [A-Za-z0-9_.-]{66}
 *      shopify_token      shpat_ shpca_ shppa_ shpss_ + [0-9a-fA-F]{32}
 *      databricks_token   dapi + [0-9a-f]{32}
 *      vault_token        hvs. + [A-Za-z0-9_-]{90,300}; hvb. + [A-Za-z0-9_-]{138,300}
 *      atlassian_token    ATATT3 + [A-Za-z0-9_=-]{100,300}
 *      grafana_token      glc_ + [A-Za-z0-9+/=]{32,400}; glsa_ + [A-Za-z0-9_]{40,41}
 *      sentry_token       sntryu_ + [0-9a-f]{64}; sntrys_ + [A-Za-z0-9+/=_]{50,400}
 *      postman_key        PMAK- + [0-9a-f-]{59}
 *      doppler_token      dp.pt. dp.sa. dp.ct. + [A-Za-z0-9]{40,44};
 *                         dp.st. + [A-Za-z0-9.]{40,80}
 *      pulumi_token       pul- + [0-9a-f]{40}
 *      linear_key         lin_api_ + [A-Za-z0-9]{40}
 *      groq_key           gsk_ + [A-Za-z0-9]{52}
 *      perplexity_key     pplx- + [A-Za-z0-9]{48}
 *      rubygems_token     rubygems_ + [0-9a-f]{48}
 *      private_key        AGE-SECRET-KEY-1 + [A-Z0-9]{58} (an age identity)
 *      jwt                eyJ + [A-Za-z0-9_=.-]: exactly three dot-separated
 *                         segments, the first two at least 19 bytes and the
 *                         second starting "ey", the third empty or at least
 *                         10 bytes
 *
 * 2. private_key: "-----BEGIN" (any case), a label of letters, digits,
 *    spaces, '+' (a space) and '_' ending "PRIVATE KEY" or "PRIVATE KEY
 *    BLOCK", "-----", then a body: up to four header lines holding ':'
 *    ("Proc-Type:", "Version:") are skipped, then words of [A-Za-z0-9+/=]
 *    separated by white space (or literal "\n" "\r" "\t") must hold 64
 *    bytes in all and one word of 40. A header alone (a grep pattern, a
 *    document naming the format) or a body of "..." is not a key.
 *
 * 3. generic_bearer: "Bearer" (any case) at a word boundary, one to eight
 *    spaces, tabs or '+', then a token of [A-Za-z0-9._~+/=-] that passes
 *    the literal test below with at least 16 bytes and mixed classes.
 *
 * 4. basic_auth: "Basic" (any case) at a word boundary, separators as for
 *    Bearer, then base64 of at most 384 bytes whose decoding is printable
 *    "user:password" with a password that passes the literal test (at
 *    least 4 bytes); or a "-u" / "--user" option (curl, wget) followed by
 *    a space or '=' and "user:password" whose password passes the literal
 *    test with at least 6 bytes and mixed classes.
 *
 * 5. url_credentials: "://" after a letter or digit, then an authority
 *    (up to '/', '?', '#', '\', white space, a quote, a bracket or a
 *    '|', at most 512 bytes) with a '@'; the user info is before the last
 *    '@' and the password after its first ':'. The password must pass the
 *    literal test with at least 6 bytes. "user@host", "user:@host",
 *    "${USER}:${PASS}@", "user:<pass>@", "user:****@", "user:password@"
 *    are not credentials.
 *
 * 6. password_assignment and aws_secret_key: a key (a whole run of
 *    [A-Za-z0-9_.-], at most 64 bytes) whose letters and digits,
 *    lower-cased, end with a keyword (password passwd passphrase
 *    pwd secret token auth apikey accesskey secretkey privatekey authkey
 *    accountkey masterkey encryptionkey signingkey) and do not end with a
 *    pagination or anti-forgery token name (pagetoken nexttoken
 *    continuationtoken synctoken cursortoken csrftoken xsrftoken
 *    cancellationtoken); an optional closing quote; up to eight spaces or
 *    tabs; an operator: '=', ':', ":=", "=>", "?=", '>' after "<key" (XML),
 *    or white space after "-key"/"--key" (a command-line option) ("==" and
 *    "::" are not operators); up to eight spaces or tabs; the value:
 *      quoted ('"', '\'' or '`'): up to the same quote (or the end), with
 *        no white space inside (a sentence is not a password);
 *      unquoted: up to white space or one of "'`,;&<>(){}[]\ ; followed
 *        by '(' or '[' it is code (getenv("X"), os.environ["X"],
 *        request.form[...]), and a dotted identifier (process.env.X,
 *        self.password) or an upper-case variable name (DB_PASSWORD) is
 *        a reference, not a value.
 *    The value must pass the literal test with at least 8 bytes and mixed
 *    classes. A key ending "secretaccesskey" (or holding "aws" and ending
 *    "secretkey") with a 40-byte [A-Za-z0-9/+=] value gives aws_secret_key
 *    instead. pe_secret_scan_pair() applies the same test to a key and a
 *    value given apart (a JSON member).
 *
 * The literal test (a value is a real secret, not a reference, a
 * placeholder or prose): at least the minimum length and at most 256
 * bytes (Bearer tokens: any length); no white space or control byte; not
 * one repeated byte; not starting with '$', '{', '<', '[', '(', '@', '%'
 * or '&'; not holding "${", "{{", "$(" or a '<' and a '>'; not a path
 * (starting '/', "./", "../", "~/"); no "://"; when shorter than 32 bytes,
 * not holding (any case) xxx, ***, ..., your, example, placeholder,
 * changeme, change_me, change-me, changeit, redacted, dummy, sample,
 * password, passwd, secret, token, here, todo, fixme, replace, insert,
 * fake, none, null, undefined or x-oauth-basic. "Mixed classes": letters
 * with a digit or a symbol, or a digit with a symbol, where a symbol is
 * printable ASCII other than a letter, a digit, '_', '-', '.' and '/' (so
 * identifiers, plain words, numbers, hyphenated words and slash-separated
 * names are not secrets).
 *
 * Limits, by design: a token broken across lines is not seen; a password
 * with white space, or given as a separate word ("mysql -p secret",
 * "sshpass -p"), is not seen; base64 or other encodings of a whole secret
 * (other than percent-encoding) are not decoded here (shell.decoded has
 * the payloads a command line decodes); hashes, UUIDs and git SHAs are
 * secrets only as the value of a secret-named key.
 */
#ifndef PE_UTIL_SECRETS_H
#define PE_UTIL_SECRETS_H

#include <stddef.h>
#include <stdint.h>

/* Kinds, in the fixed order in which they are reported. */
typedef enum pe_secret_kind {
    PE_SECRET_PRIVATE_KEY,
    PE_SECRET_AWS_ACCESS_KEY,
    PE_SECRET_AWS_SECRET_KEY,
    PE_SECRET_GITHUB_TOKEN,
    PE_SECRET_GITLAB_TOKEN,
    PE_SECRET_SLACK_TOKEN,
    PE_SECRET_SLACK_WEBHOOK,
    PE_SECRET_STRIPE_KEY,
    PE_SECRET_OPENAI_KEY,
    PE_SECRET_ANTHROPIC_KEY,
    PE_SECRET_GOOGLE_API_KEY,
    PE_SECRET_GOOGLE_OAUTH,
    PE_SECRET_NPM_TOKEN,
    PE_SECRET_PYPI_TOKEN,
    PE_SECRET_HUGGINGFACE_TOKEN,
    PE_SECRET_DIGITALOCEAN_TOKEN,
    PE_SECRET_SENDGRID_KEY,
    PE_SECRET_SHOPIFY_TOKEN,
    PE_SECRET_DATABRICKS_TOKEN,
    PE_SECRET_VAULT_TOKEN,
    PE_SECRET_ATLASSIAN_TOKEN,
    PE_SECRET_GRAFANA_TOKEN,
    PE_SECRET_SENTRY_TOKEN,
    PE_SECRET_POSTMAN_KEY,
    PE_SECRET_DOPPLER_TOKEN,
    PE_SECRET_PULUMI_TOKEN,
    PE_SECRET_LINEAR_KEY,
    PE_SECRET_GROQ_KEY,
    PE_SECRET_PERPLEXITY_KEY,
    PE_SECRET_RUBYGEMS_TOKEN,
    PE_SECRET_JWT,
    PE_SECRET_GENERIC_BEARER,
    PE_SECRET_BASIC_AUTH,
    PE_SECRET_URL_CREDENTIALS,
    PE_SECRET_PASSWORD_ASSIGNMENT,
    PE_SECRET_KIND_COUNT
} pe_secret_kind;

/* The bit of kind k in a scan result. */
#define PE_SECRET_BIT(k) ((uint64_t)1 << (k))

/* The kinds of secret in s[0..len): a mask of PE_SECRET_BIT()s (0: none).
 * s need not be NUL-terminated and may hold any bytes. */
uint64_t pe_secret_scan(const char *s, size_t len);

/* The kinds a key and its value given apart hold ({"password": "..."}):
 * password_assignment or aws_secret_key by the rules of section 6, with
 * the value taken as a quoted literal. */
uint64_t pe_secret_scan_pair(const char *key, size_t keylen, const char *value, size_t vallen);

/* The stable lower-case name of kind k ("github_token"); NULL when k is
 * out of range. Static storage. */
const char *pe_secret_kind_name(int k);

/* Every kind name in kind order, then NULL (for lists of valid values). */
extern const char *const pe_secret_kind_names[PE_SECRET_KIND_COUNT + 1];

#endif
