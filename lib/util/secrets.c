#include "util/secrets.h"

#include <string.h>

#include "util/secrets_internal.h"

/* ---- kinds ------------------------------------------------------------------------ */

const char *const pe_secret_kind_names[PE_SECRET_KIND_COUNT + 1] = {
    "private_key",
    "aws_access_key",
    "aws_secret_key",
    "github_token",
    "gitlab_token",
    "slack_token",
    "slack_webhook",
    "stripe_key",
    "openai_key",
    "anthropic_key",
    "google_api_key",
    "google_oauth",
    "npm_token",
    "pypi_token",
    "huggingface_token",
    "digitalocean_token",
    "sendgrid_key",
    "shopify_token",
    "databricks_token",
    "vault_token",
    "atlassian_token",
    "grafana_token",
    "sentry_token",
    "postman_key",
    "doppler_token",
    "pulumi_token",
    "linear_key",
    "groq_key",
    "perplexity_key",
    "rubygems_token",
    "jwt",
    "generic_bearer",
    "basic_auth",
    "url_credentials",
    "password_assignment",
    NULL,
};

const char *pe_secret_kind_name(int k)
{
    return k >= 0 && k < PE_SECRET_KIND_COUNT ? pe_secret_kind_names[k] : NULL;
}

/* ---- bytes ------------------------------------------------------------------------ */

/* The classes of secrets_internal.h: 1 alphanumeric, 2 word, 4 key, 8 upper
 * case; bytes 0x80 and above are none. */
const unsigned char pe_secret_byte_class[256] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  4,  4,  0,
    7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  0,  0,  0,  0,  0,  0,  0,  15, 15, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 0,  0,  0,  0,  6,
    0,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
    7,  7,  7,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

/* ---- 1. issuer tokens ------------------------------------------------------------- */

/* Issuer tokens: a prefix, then a body (see secrets.h, section 1). */
enum { SHAPE_PLAIN, SHAPE_JWT, SHAPE_OPENAI_LEGACY };

typedef struct token_row {
    const char *prefix;
    unsigned alpha;
    unsigned short min, max; /* body length */
    unsigned char distinct;  /* fewest distinct bytes in the body */
    unsigned char need;      /* K_ classes the body must hold */
    unsigned char shape;
    unsigned char kind;
} token_row;

#define ROW(p, a, lo, hi, d, k)                                                                    \
    {                                                                                              \
        p, a, lo, hi, d, 0, SHAPE_PLAIN, PE_SECRET_##k                                             \
    }

/* Sorted by prefix (byte order): rows with one first byte are found by
 * binary search. */
static const token_row rows[] = {
    ROW("A3T", A_UPNUM, 17, 17, 6, AWS_ACCESS_KEY),
    ROW("ABIA", A_UPNUM, 16, 16, 6, AWS_ACCESS_KEY),
    ROW("ACCA", A_UPNUM, 16, 16, 6, AWS_ACCESS_KEY),
    ROW("AGE-SECRET-KEY-1", A_UPNUM, 58, 58, 10, PRIVATE_KEY),
    ROW("AIza", A_URLSAFE, 35, 35, 10, GOOGLE_API_KEY),
    ROW("AKIA", A_UPNUM, 16, 16, 6, AWS_ACCESS_KEY),
    ROW("ASIA", A_UPNUM, 16, 16, 6, AWS_ACCESS_KEY),
    ROW("ATATT3", A_URLSAFE | A_EQ, 100, 300, 10, ATLASSIAN_TOKEN),
    ROW("GOCSPX-", A_URLSAFE, 28, 28, 10, GOOGLE_OAUTH),
    ROW("GR1348941", A_URLSAFE, 20, 64, 8, GITLAB_TOKEN),
    ROW("PMAK-", A_HEX | A_DASH, 59, 59, 8, POSTMAN_KEY),
    ROW("SG.", A_URLSAFE | A_DOT, 66, 66, 10, SENDGRID_KEY),
    ROW("api_org_", A_ALNUM, 34, 34, 10, HUGGINGFACE_TOKEN),
    ROW("dapi", A_HEX, 32, 32, 8, DATABRICKS_TOKEN),
    ROW("doo_v1_", A_HEX, 64, 64, 8, DIGITALOCEAN_TOKEN),
    ROW("dop_v1_", A_HEX, 64, 64, 8, DIGITALOCEAN_TOKEN),
    ROW("dor_v1_", A_HEX, 64, 64, 8, DIGITALOCEAN_TOKEN),
    ROW("dp.ct.", A_ALNUM, 40, 44, 10, DOPPLER_TOKEN),
    ROW("dp.pt.", A_ALNUM, 40, 44, 10, DOPPLER_TOKEN),
    ROW("dp.sa.", A_ALNUM, 40, 44, 10, DOPPLER_TOKEN),
    ROW("dp.st.", A_ALNUM | A_DOT, 40, 80, 10, DOPPLER_TOKEN),
    {"eyJ", A_URLSAFE | A_DOT | A_EQ, 30, 16384, 10, 0, SHAPE_JWT, PE_SECRET_JWT},
    ROW("gho_", A_ALNUM, 36, 36, 10, GITHUB_TOKEN),
    ROW("ghp_", A_ALNUM, 36, 36, 10, GITHUB_TOKEN),
    ROW("ghr_", A_ALNUM, 36, 36, 10, GITHUB_TOKEN),
    ROW("ghs_", A_ALNUM, 36, 36, 10, GITHUB_TOKEN),
    ROW("ghu_", A_ALNUM, 36, 36, 10, GITHUB_TOKEN),
    ROW("github_pat_", A_ALNUM | A_US, 82, 82, 10, GITHUB_TOKEN),
    ROW("glagent-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glc_", A_ALNUM | A_PLUS | A_SLASH | A_EQ, 32, 400, 10, GRAFANA_TOKEN),
    ROW("glcbt-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("gldt-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glffct-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glft-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glimt-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("gloas-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glpat-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glptt-", A_HEX, 40, 40, 8, GITLAB_TOKEN),
    ROW("glrt-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("glsa_", A_ALNUM | A_US, 40, 41, 10, GRAFANA_TOKEN),
    ROW("glsoat-", A_URLSAFE | A_DOT, 20, 300, 8, GITLAB_TOKEN),
    ROW("gsk_", A_ALNUM, 52, 52, 10, GROQ_KEY),
    ROW("hf_", A_ALNUM, 34, 34, 10, HUGGINGFACE_TOKEN),
    ROW("hooks.slack.com/services/", A_ALNUM | A_SLASH, 30, 120, 10, SLACK_WEBHOOK),
    ROW("hooks.slack.com/triggers/", A_ALNUM | A_SLASH, 30, 120, 10, SLACK_WEBHOOK),
    ROW("hooks.slack.com/workflows/", A_ALNUM | A_SLASH, 30, 120, 10, SLACK_WEBHOOK),
    ROW("hvb.", A_URLSAFE, 138, 300, 10, VAULT_TOKEN),
    ROW("hvs.", A_URLSAFE, 90, 300, 10, VAULT_TOKEN),
    ROW("lin_api_", A_ALNUM, 40, 40, 10, LINEAR_KEY),
    ROW("npm_", A_ALNUM, 36, 36, 10, NPM_TOKEN),
    ROW("pplx-", A_ALNUM, 48, 48, 10, PERPLEXITY_KEY),
    ROW("pul-", A_HEX, 40, 40, 8, PULUMI_TOKEN),
    ROW("pypi-AgEIcHlwaS5vcmc", A_URLSAFE, 50, 1000, 10, PYPI_TOKEN),
    ROW("pypi-AgENdGVzdC5weXBpLm9yZw", A_URLSAFE, 50, 1000, 10, PYPI_TOKEN),
    ROW("rk_live_", A_ALNUM, 16, 247, 8, STRIPE_KEY),
    ROW("rk_test_", A_ALNUM, 16, 247, 8, STRIPE_KEY),
    ROW("rubygems_", A_HEX, 48, 48, 8, RUBYGEMS_TOKEN),
    ROW("shpat_", A_ANYHEX, 32, 32, 8, SHOPIFY_TOKEN),
    ROW("shpca_", A_ANYHEX, 32, 32, 8, SHOPIFY_TOKEN),
    ROW("shppa_", A_ANYHEX, 32, 32, 8, SHOPIFY_TOKEN),
    ROW("shpss_", A_ANYHEX, 32, 32, 8, SHOPIFY_TOKEN),
    {"sk-", A_ALNUM, 48, 48, 10, 0, SHAPE_OPENAI_LEGACY, PE_SECRET_OPENAI_KEY},
    ROW("sk-admin-", A_URLSAFE, 40, 300, 10, OPENAI_KEY),
    ROW("sk-ant-", A_URLSAFE, 32, 300, 10, ANTHROPIC_KEY),
    ROW("sk-proj-", A_URLSAFE, 40, 300, 10, OPENAI_KEY),
    ROW("sk-svcacct-", A_URLSAFE, 40, 300, 10, OPENAI_KEY),
    ROW("sk_live_", A_ALNUM, 16, 247, 8, STRIPE_KEY),
    ROW("sk_test_", A_ALNUM, 16, 247, 8, STRIPE_KEY),
    ROW("sntrys_", A_B64 | A_US, 50, 400, 10, SENTRY_TOKEN),
    ROW("sntryu_", A_HEX, 64, 64, 8, SENTRY_TOKEN),
    ROW("whsec_", A_ALNUM, 32, 100, 8, STRIPE_KEY),
    {"xapp-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxa-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxb-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxe-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxe.xoxb-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxe.xoxp-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxo-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxp-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxr-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    {"xoxs-", A_ALNUM | A_DASH, 10, 300, 6, K_DIGIT, SHAPE_PLAIN, PE_SECRET_SLACK_TOKEN},
    ROW("ya29.", A_URLSAFE, 30, 2048, 10, GOOGLE_OAUTH),
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))
_Static_assert(NROWS < 256, "row indexes are stored in a byte");

typedef struct body {
    size_t len; /* without trailing dots */
    size_t end; /* raw offset after the run */
    int next;   /* byte after the run; -1 at the end */
    unsigned cls;
    int distinct;
    int marker;    /* SHAPE_OPENAI_LEGACY: "T3BlbkFJ" seen */
    int nseg;      /* SHAPE_JWT: segments, trailing dots dropped */
    size_t seg[3]; /* their lengths */
    int ey;        /* the second segment starts "ey" */
    int trailing;  /* trailing dots */
} body;

static void walk_body(const scan *sc, size_t p, const token_row *r, body *b)
{
    uint64_t seen[4] = {0, 0, 0, 0}, window = 0;
    size_t len = 0, seglen = strlen(r->prefix), seg2 = 0;
    int dots = 0;
    memset(b, 0, sizeof(*b));
    for (;;) {
        size_t q = p;
        int c = rd(sc, &q);
        if (c < 0 || !in_alpha(c, r->alpha)) {
            b->next = c;
            break;
        }
        p = q;
        len++;
        b->trailing = c == '.' ? b->trailing + 1 : 0;
        if (!(seen[c >> 6] & (uint64_t)1 << (c & 63))) {
            seen[c >> 6] |= (uint64_t)1 << (c & 63);
            b->distinct++;
        }
        b->cls |= klass(c);
        window = window << 8 | (unsigned char)c;
        b->marker |= window == 0x5433426c626b464aull; /* "T3BlbkFJ" */
        if (c == '.') {
            if (dots < 3)
                b->seg[dots] = seglen;
            dots++;
            seglen = 0;
            seg2 = 0;
        } else {
            seglen++;
            if (dots == 1 && seg2 < 2) { /* the second segment starts "ey" */
                if (c != (seg2 ? 'y' : 'e'))
                    b->ey = -1;
                else if (seg2 && !b->ey)
                    b->ey = 1;
                seg2++;
            }
        }
    }
    if (dots < 3)
        b->seg[dots] = seglen;
    b->len = len - (size_t)b->trailing;
    b->nseg = dots - b->trailing + 1;
    b->end = p;
}

static int jwt_ok(const body *b)
{
    if (b->ey != 1 || b->seg[0] < 19 || b->seg[1] < 19)
        return 0;
    if (b->nseg == 3)
        return b->seg[2] >= 10;
    return b->nseg == 2 && b->trailing == 1; /* unsigned: "header.payload." */
}

static int row_ok(const token_row *r, const body *b)
{
    if (b->len < r->min || b->len > r->max || b->distinct < r->distinct ||
        (b->cls & r->need) != r->need || (b->next >= 0 && is_word(b->next)))
        return 0;
    if (r->shape == SHAPE_JWT)
        return jwt_ok(b);
    if (r->shape == SHAPE_OPENAI_LEGACY)
        return b->marker;
    return 1;
}

int pe_secret_rows_sorted(void)
{
    for (size_t i = 1; i < NROWS; i++)
        if (strcmp(rows[i - 1].prefix, rows[i].prefix) >= 0)
            return 0;
    return 1;
}

static void try_rows(scan *sc, size_t at, int c)
{
    if (c >= 128 || sc->row_start[c] == sc->row_start[c + 1])
        return;
    size_t q = at;
    rd(sc, &q);
    int d = peek(sc, q);
    for (size_t i = sc->row_start[c]; i < sc->row_start[c + 1]; i++) {
        const token_row *r = &rows[i];
        size_t p = at;
        if ((unsigned char)r->prefix[1] != d || at < sc->row_resume[i] ||
            !read_lit(sc, &p, r->prefix, 0))
            continue;
        body b;
        walk_body(sc, p, r, &b);
        sc->row_resume[i] = b.end;
        if (row_ok(r, &b))
            sc->found |= PE_SECRET_BIT(r->kind);
    }
}

/* ---- 2. private keys -------------------------------------------------------------- */

/* A line break at *p: a newline, or a literal "\n" "\r" "\t"; advances. */
static int read_break(const scan *sc, size_t *p, int c)
{
    if (is_space(c))
        return 1;
    if (c != '\\')
        return 0;
    size_t q = *p;
    int d = rd(sc, &q);
    if (d != 'n' && d != 'r' && d != 't')
        return 0;
    *p = q;
    return 1;
}

/* Skips up to four PEM header lines ("Proc-Type: 4,ENCRYPTED"). */
static void skip_pem_headers(const scan *sc, size_t *p)
{
    for (int line = 0; line < 4; line++) {
        size_t q = *p;
        int c, colon = 0, n = 0;
        while ((c = rd(sc, &q)) >= 0 && read_break(sc, &q, c))
            ;
        for (; c >= 0 && n < 128; c = rd(sc, &q), n++) {
            if (c == '\n' || (c == '\\' && peek(sc, q) == 'n'))
                break;
            colon |= c == ':';
        }
        if (!colon || c < 0 || n == 128)
            return;
        if (c == '\\')
            rd(sc, &q); /* the 'n' of a literal "\n" */
        *p = q;
    }
}

static int pem_label_ok(char *label, size_t n)
{
    while (n && label[n - 1] == ' ')
        n--;
    label[n] = '\0';
    return (n >= 11 && strcmp(label + n - 11, "PRIVATE KEY") == 0) ||
           (n >= 17 && strcmp(label + n - 17, "PRIVATE KEY BLOCK") == 0);
}

static void try_pem(scan *sc, size_t at)
{
    size_t p = at;
    if (at < sc->resume[M_PEM] || !read_lit(sc, &p, "-----begin", 1))
        return;
    char label[MAX_LABEL + 1];
    size_t n = 0;
    int c;
    for (;;) {
        size_t q = p;
        c = rd(sc, &q);
        if (c < 0 || !(is_alnum(c) || c == ' ' || c == '+' || c == '_') || n == MAX_LABEL)
            break;
        label[n++] = (char)(c == '+' ? ' ' : c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
        p = q;
    }
    if (!read_lit(sc, &p, "-----", 0) || !pem_label_ok(label, n)) {
        sc->resume[M_PEM] = p;
        return;
    }
    skip_pem_headers(sc, &p);
    size_t total = 0, word = 0, longest = 0;
    for (;;) {
        size_t q = p;
        c = rd(sc, &q);
        if (c >= 0 && read_break(sc, &q, c)) {
            word = 0;
        } else if (c >= 0 && in_alpha(c, A_B64)) {
            total++;
            longest = ++word > longest ? word : longest;
        } else {
            break;
        }
        p = q;
        if (total >= 64 && longest >= 40) {
            sc->found |= PE_SECRET_BIT(PE_SECRET_PRIVATE_KEY);
            break;
        }
    }
    sc->resume[M_PEM] = p;
}

/* ---- the scan ---------------------------------------------------------------------- */

/* The run of key bytes being read (section 6 of secrets.h). Only its last
 * two letters or digits are kept as it is read: a run is read again only
 * when they end a keyword. */
typedef struct key_run {
    size_t at, len;
    int before, option;
    unsigned last2;
} key_run;

static void key_byte(key_run *k, size_t at, int c, int prev)
{
    if (!k->len) {
        k->at = at;
        k->before = prev;
        k->option = c == '-';
        k->last2 = 0;
    }
    k->len++;
    if (is_alnum(c))
        k->last2 = (k->last2 << 8 | (unsigned)lower(c)) & 0xffff;
}

/* The last two bytes of every keyword of pe_secret_key_kind(). */
static int keyword_end(unsigned last2)
{
    static const char ends[][3] = {"rd", "wd", "se", "et", "en", "th", "ey"};
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
        if (last2 == ((unsigned)ends[i][0] << 8 | (unsigned)ends[i][1]))
            return 1;
    return 0;
}

/* The key run ends at raw offset p: an assignment when it names a secret. */
static void key_end(scan *sc, key_run *k, size_t p)
{
    size_t len = k->len;
    k->len = 0;
    if (len > MAX_KEY || k->at < sc->resume[M_ASSIGN] || !keyword_end(k->last2))
        return;
    char key[MAX_KEY];
    size_t n = 0;
    for (size_t q = k->at; q < p;) {
        int c = rd(sc, &q);
        if (is_alnum(c))
            key[n++] = (char)lower(c);
    }
    int kind = pe_secret_key_kind(key, n, pe_secret_has_ci(key, n, "aws"));
    if (kind)
        pe_secret_try_assign(sc, p, k->before, k->option, kind);
}

static void scan_view(scan *sc)
{
    memset(sc->resume, 0, sizeof(sc->resume));
    memset(sc->row_resume, 0, NROWS * sizeof(sc->row_resume[0]));
    key_run key = {0};
    int prev = -1, prev2 = -1;
    size_t p = 0;
    while (p < sc->n) {
        size_t at = p;
        int c = sc->decode ? rd(sc, &p) : sc->s[p++];
        if (key_char(c))
            key_byte(&key, at, c, prev);
        else if (key.len)
            key_end(sc, &key, at);
        int boundary = prev < 0 || !is_word(prev) ||
                       (prev2 == '\\' && (prev == 'n' || prev == 'r' || prev == 't'));
        if (boundary && is_word(c)) {
            try_rows(sc, at, c);
            if (c == 'b' || c == 'B' || (c == 'u' && prev == '-'))
                pe_secret_try_word(sc, at, c, prev, prev2);
        } else if (c == '-' && peek(sc, p) == '-') {
            try_pem(sc, at);
        } else if (c == ':' && prev >= 0 && is_alnum(prev)) {
            pe_secret_try_url(sc, p);
        }
        prev2 = prev;
        prev = c;
    }
}

static int has_escape(const char *s, size_t n)
{
    for (const char *e = s + n; (s = memchr(s, '%', (size_t)(e - s))) != NULL; s++)
        if (e - s >= 3 && hexval((unsigned char)s[1]) >= 0 && hexval((unsigned char)s[2]) >= 0)
            return 1;
    return 0;
}

uint64_t pe_secret_scan(const char *s, size_t len)
{
    scan sc;
    size_t row_resume[NROWS], r = 0;
    sc.row_resume = row_resume;
    for (int c = 0; c <= 128; c++) {
        while (r < NROWS && (unsigned char)rows[r].prefix[0] < c)
            r++;
        sc.row_start[c] = (unsigned char)r;
    }
    sc.s = (const unsigned char *)s;
    sc.n = s ? len : 0;
    sc.decode = 0;
    sc.found = 0;
    scan_view(&sc);
    if (sc.n && has_escape(s, len)) {
        sc.decode = 1;
        scan_view(&sc);
    }
    return sc.found;
}
