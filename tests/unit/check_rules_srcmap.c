/*
 * Source maps: decoding YAML scalars with positions (every style, checked
 * against libyaml on generated scalars), explicit positions, and list
 * substitution compared with a literal port of Falco's resolve_list().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "rules/resolve.h"
#include "rules/srcmap.h"
#include "rules/yscalar.h"
#include "rules/ytree.h"
#include "test_util.h"

/* A deterministic generator, so failures reproduce. */
static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct parsed {
    pe_arena arena;
    pe_srcfile *file;
    pe_ynode **docs;
    size_t ndocs;
    const char *text;
} parsed;

static void parse(parsed *p, const char *text, size_t len)
{
    memset(p, 0, sizeof(*p));
    p->text = text;
    p->file = pe_srcfile_new(&p->arena, "t.yaml", text, len);
    ck_assert_ptr_nonnull(p->file);
    pe_yerror err;
    int rc = pe_yaml_parse(&p->docs, &p->ndocs, text, len, p->file, 64, &p->arena, &err);
    ck_assert_msg(rc == 0, "parse: %s\n%s", err.message, text);
}

/* Every byte copied from the file must be the byte the map points at. */
static void check_map(const pe_mtext *t, const char *text)
{
    for (uint32_t r = 0; r < t->nruns; r++) {
        const pe_srcrun *run = &t->runs[r];
        uint32_t end = r + 1 < t->nruns ? t->runs[r + 1].out : t->len;
        ck_assert_uint_le(run->out, end);
        if (run->fixed)
            continue;
        for (uint32_t k = run->out; k < end; k++)
            ck_assert_msg(text[run->raw + (k - run->out)] == t->s[k],
                          "byte %u maps to '%c', is '%c'", k, text[run->raw + (k - run->out)],
                          t->s[k]);
    }
}

static size_t scalars_checked;

static void check_scalars(const pe_ynode *n, const char *text)
{
    if (n->kind != PE_Y_SCALAR) {
        for (size_t i = 0; i < n->nkids; i++)
            check_scalars(n->kids[i], text);
        return;
    }
    pe_mbuf b = PE_MBUF_INIT;
    int rc = pe_scalar_decode(&b, n, text);
    ck_assert_msg(rc == 0, "style %d: libyaml [%s], decoded [%s]\n%s", n->style, n->s,
                  pe_mbuf_str(&b), text);
    pe_arena a = PE_ARENA_INIT;
    pe_mtext t;
    ck_assert_int_eq(pe_mbuf_finish(&b, &a, &t), 0);
    check_map(&t, text);
    pe_arena_free(&a);
    pe_mbuf_free(&b);
    scalars_checked++;
}

/* ---- generated scalars, emitted by libyaml in every style ---- */

static const char *const pieces[] = {"a",        "bc", " ",    "  ",   "\n", "\n\n", "\t",
                                     "\xc3\xa9", "\"", "'",    "\\",   "#",  ":",    "- ",
                                     "x y",      "0",  "\x01", "\r\n", "%"};

static int emit_handler(void *data, unsigned char *buffer, size_t size)
{
    pe_sb_append(data, (const char *)buffer, size);
    return 1;
}

static void emit_scalar(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    ck_assert(yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                           style));
    ck_assert(yaml_emitter_emit(em, &ev));
}

/* A document [s, {k: s}] with s in the given style; 0 when libyaml refuses. */
static int emit_doc(pe_strbuf *out, const char *s, yaml_scalar_style_t style, int width,
                    int unicode)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    ck_assert(yaml_emitter_initialize(&em));
    yaml_emitter_set_output(&em, emit_handler, out);
    yaml_emitter_set_width(&em, width);
    yaml_emitter_set_unicode(&em, unicode);
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
             yaml_emitter_emit(&em, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) &&
             yaml_emitter_emit(&em, &ev) &&
             yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) &&
             yaml_emitter_emit(&em, &ev);
    ck_assert(ok);
    emit_scalar(&em, s, style);
    ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
         yaml_emitter_emit(&em, &ev);
    ck_assert(ok);
    emit_scalar(&em, "k", YAML_PLAIN_SCALAR_STYLE);
    emit_scalar(&em, s, style);
    ok = yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
         yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
         yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    ok = ok && yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    return ok;
}

START_TEST(generated_scalars_decode_like_libyaml)
{
    static const yaml_scalar_style_t styles[] = {
        YAML_PLAIN_SCALAR_STYLE, YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE,
        YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE};
    static const int widths[] = {8, 20, 80};
    scalars_checked = 0;
    for (int i = 0; i < 3000; i++) {
        char s[256] = "";
        for (unsigned k = 0, n = 1 + next(20); k < n; k++)
            strcat(s, pieces[next(sizeof(pieces) / sizeof(pieces[0]))]);
        pe_strbuf doc = PE_STRBUF_INIT;
        if (!emit_doc(&doc, s, styles[i % 5], widths[next(3)], (int)next(2))) {
            pe_sb_free(&doc);
            continue;
        }
        /* the same text with CR LF line ends must map as well */
        for (int crlf = 0; crlf < 2; crlf++) {
            pe_strbuf t = PE_STRBUF_INIT;
            for (size_t k = 0; k < doc.len; k++) {
                if (crlf && doc.data[k] == '\n')
                    pe_sb_putc(&t, '\r');
                pe_sb_putc(&t, doc.data[k]);
            }
            parsed p;
            parse(&p, pe_sb_str(&t), t.len);
            for (size_t d = 0; d < p.ndocs; d++)
                if (p.docs[d])
                    check_scalars(p.docs[d], pe_sb_str(&t));
            pe_arena_free(&p.arena);
            pe_sb_free(&t);
        }
        pe_sb_free(&doc);
    }
    printf("scalars decoded with positions: %zu\n", scalars_checked);
    ck_assert_uint_gt(scalars_checked, 10000);
}
END_TEST

/* ---- explicit positions ---- */

/* The line and column of the first 'X' in the value of key v. */
static const struct {
    const char *yaml;
    unsigned line, col;
} marks[] = {
    {"v: a b X\n", 1, 8},
    {"v: a\n  b\n\n  cX\n", 4, 4},
    {"v: 'it''s X'\n", 1, 11},
    {"v: 'a\n  b X'\n", 2, 5},
    {"v: \"\\t\\u00e9 X\"\n", 1, 14},
    {"v: \"a \\\n   X\"\n", 2, 4},
    {"v: \"\\x41\\\"\\\\X\"\n", 1, 13},
    {"v: |\n  a\n   bX\n", 3, 5},
    {"v: |-\n  a\n\n  X\n", 4, 3},
    {"v: >\n  a\n  b\n  X\n", 4, 3},
    {"v: >+ # c\n  a\n\n    more\n  X\n", 5, 3},
    {"- v: |2\n      a\n    X\n", 3, 5},
    {"v: [a, \"b X\"]\n", 1, 11},
    {"v: {k: X}\n", 1, 8},
    {"\xef\xbb\xbfv: X\n", 1, 4},
    {"v: \xc3\xa9\xc3\xa9 X\n", 1, 9},
};

static const pe_ynode *first_scalar_with_x(const pe_ynode *n)
{
    if (n->kind == PE_Y_SCALAR)
        return memchr(n->s, 'X', n->len) ? n : NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const pe_ynode *s = first_scalar_with_x(n->kids[i]);
        if (s)
            return s;
    }
    return NULL;
}

START_TEST(positions_of_bytes_in_scalars)
{
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        parsed p;
        parse(&p, marks[i].yaml, strlen(marks[i].yaml));
        const pe_ynode *n = first_scalar_with_x(p.docs[0]);
        ck_assert_ptr_nonnull(n);
        pe_mtext t;
        ck_assert_int_eq(pe_scalar_mtext(&p.arena, n, p.text, &t), 0);
        const char *x = memchr(t.s, 'X', t.len);
        unsigned line, col;
        pe_pos_linecol(pe_mtext_pos(&t, (size_t)(x - t.s)), &line, &col);
        ck_assert_msg(line == marks[i].line && col == marks[i].col,
                      "case %zu: X at %u:%u, not %u:%u", i, line, col, marks[i].line, marks[i].col);
        pe_arena_free(&p.arena);
    }
}
END_TEST

/* A scalar the decoder cannot follow still has a position: its start. */
START_TEST(unmapped_scalars_point_at_their_start)
{
    const char *text = "v: abc\n";
    parsed p;
    parse(&p, text, strlen(text));
    pe_ynode fake = *p.docs[0]->kids[1];
    fake.s = "other"; /* not what the text says */
    fake.len = 5;
    pe_mtext t;
    ck_assert_int_eq(pe_scalar_mtext(&p.arena, &fake, text, &t), 0);
    ck_assert_str_eq(t.s, "other");
    unsigned line, col;
    pe_pos_linecol(pe_mtext_pos(&t, 3), &line, &col);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(col, 4);
    pe_arena_free(&p.arena);
}
END_TEST

/* ---- list substitution against Falco's algorithm ---- */

static int is_delim(char c)
{
    return strchr(" \t\n\r(),=", c) != NULL;
}

static int is_blank(char c)
{
    return strchr(" \t\n\r", c) != NULL;
}

/* rule_loader_compiler.cpp resolve_list(), transcribed on C strings. */
static char *falco_resolve_list(const char *cond, const char *name, const char *const *items,
                                size_t n)
{
    char *cnd = strdup(cond);
    size_t nlen = strlen(name);
    char *hit = strstr(cnd, name);
    while (hit) {
        size_t len = strlen(cnd), start = (size_t)(hit - cnd), end = start + nlen;
        if ((start == 0 || is_delim(cnd[start - 1])) && (end >= len || is_delim(cnd[end]))) {
            while (start > 0 && is_blank(cnd[start - 1]))
                start--;
            while (end < len && is_blank(cnd[end]))
                end++;
            pe_strbuf sub = PE_STRBUF_INIT;
            for (size_t i = 0; i < n; i++) {
                if (sub.len)
                    pe_sb_puts(&sub, ", ");
                int q = strchr(items[i], ' ') && items[i][0] != '"' && items[i][0] != '\'';
                pe_sb_printf(&sub, q ? "\"%s\"" : "%s", items[i]);
            }
            if (!sub.len) {
                if (start > 0 && cnd[start - 1] == ',')
                    start--;
                else if (end < len && cnd[end] == ',')
                    end++;
            }
            pe_strbuf nc = PE_STRBUF_INIT;
            if (start > 0) {
                pe_sb_append(&nc, cnd, start);
                pe_sb_putc(&nc, ' ');
            }
            pe_sb_append(&nc, pe_sb_str(&sub), sub.len);
            pe_sb_putc(&nc, ' ');
            if (end <= len)
                pe_sb_puts(&nc, cnd + end);
            free(cnd);
            cnd = pe_sb_take(&nc);
            start += sub.len + 1;
            pe_sb_free(&sub);
            hit = start + 1 <= strlen(cnd) ? strstr(cnd + start + 1, name) : NULL;
        } else {
            hit = strstr(hit + 1, name);
        }
    }
    return cnd;
}

START_TEST(list_substitution_matches_falco)
{
    static const char alphabet[] = "ll (),= \"ax\t";
    static const char *const names[] = {"l", "ll", "a x"};
    static const char *const pool[] = {"v", "two words", "'q r'", "w"};
    pe_arena a = PE_ARENA_INIT;
    size_t changed = 0;
    for (int i = 0; i < 20000; i++) {
        char cond[40];
        size_t len = 1 + next(30);
        for (size_t k = 0; k < len; k++)
            cond[k] = alphabet[next(sizeof(alphabet) - 1)];
        cond[len] = '\0';
        const char *name = names[next(3)];
        size_t n = next(4);
        const char *items[4];
        pe_mtext item_texts[4];
        const pe_mtext *item_ptrs[4];
        pe_pos nowhere = {NULL, 0};
        for (size_t k = 0; k < n; k++) {
            items[k] = pool[next(4)];
            ck_assert_int_eq(
                pe_mtext_fixed(&a, items[k], strlen(items[k]), nowhere, &item_texts[k]), 0);
            item_ptrs[k] = &item_texts[k];
        }
        /* the condition maps to itself: raw offset = text offset */
        pe_srcfile *f = pe_srcfile_new(&a, "c", cond, len);
        pe_mbuf b = PE_MBUF_INIT;
        pe_mbuf_raw(&b, cond, len, f, 0);
        pe_mtext in, out;
        ck_assert_int_eq(pe_mbuf_finish(&b, &a, &in), 0);
        pe_mbuf_free(&b);
        int used;
        ck_assert_int_eq(pe_subst_one(&a, &in, name, item_ptrs, n, &out, &used), 0);
        char *want = falco_resolve_list(cond, name, items, n);
        ck_assert_msg(strcmp(out.s, want) == 0, "[%s] name [%s] %zu items: [%s], Falco [%s]", cond,
                      name, n, out.s, want);
        check_map(&out, cond);
        changed += used;
        free(want);
    }
    printf("substitutions compared with Falco's: 20000 (%zu changed the text)\n", changed);
    ck_assert_uint_gt(changed, 1000);
    pe_arena_free(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules_srcmap");
    TCase *tc = tcase_create("srcmap");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, generated_scalars_decode_like_libyaml);
    tcase_add_test(tc, positions_of_bytes_in_scalars);
    tcase_add_test(tc, unmapped_scalars_point_at_their_start);
    tcase_add_test(tc, list_substitution_matches_falco);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
