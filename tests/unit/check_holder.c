/*
 * Reloading while serving (prempti/holder.h): threads evaluate through a
 * holder without pause while another thread swaps in freshly loaded engines.
 * Every result must come whole from one engine or the other, every reload
 * must complete while the evaluations go on (a starved writer would hang
 * the test until its timeout), and the replaced engines must be destroyed
 * (the suite runs under valgrind, ASan and ThreadSanitizer).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

/* Two packs that decide differently on the same event; the rule name says
 * which pack a result came from. */
#define PACK(name, tag)                                                                            \
    "- rule: " name "\n  desc: d\n  condition: tool.kind = shell and tool.input_command "          \
    "startswith make\n  output: " name " saw %tool.input_command\n  priority: WARNING\n"           \
    "  source: coding_agent\n  tags: [" tag "]\n"
static const char *const packs[2] = {PACK("pack A", "coding_agent_deny"),
                                     PACK("pack B", "coding_agent_allow")};
static const int decisions[2] = {PREMPTI_DENY, PREMPTI_ALLOW};

#define EVENT "{\"agent\":\"t\",\"tool\":{\"kind\":\"shell\",\"input\":{\"command\":\"make all\"}}}"

enum { READERS = 4, RELOADS = 60 };

typedef struct shared {
    prempti_holder *holder;
    const prempti_event *event;
    atomic_int stop;
    atomic_long done; /* evaluations finished, all readers */
} shared;

typedef struct reader {
    shared *s;
    int id;
    long evaluations, seen[2], failures;
} reader;

static prempti_engine *engine_for(int pack)
{
    prempti_engine *e = NULL;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_engine_new(&e, NULL, &err), PREMPTI_OK);
    ck_assert_msg(prempti_engine_load_rules(e, packs[pack], strlen(packs[pack]), "pack", &err) ==
                      PREMPTI_OK,
                  "%s", pe_test_errstr(err));
    return e;
}

/* Which pack a result came from, or -1 when it is not whole. */
static int pack_of(const prempti_result *r)
{
    for (int p = 0; p < 2; p++) {
        const char *rule = p ? "pack B" : "pack A";
        if (prempti_result_decision(r) == decisions[p] && prempti_result_match_count(r) == 1 &&
            strcmp(prempti_result_match_rule(r, 0), rule) == 0 &&
            strncmp(prempti_result_reason(r), rule, strlen(rule)) == 0)
            return p;
    }
    return -1;
}

/* Half the evaluations go through prempti_holder_evaluate(), half acquire
 * the engine and evaluate on it twice (the same engine both times). */
static void *read_loop(void *arg)
{
    reader *rd = arg;
    for (long i = 0; !atomic_load(&rd->s->stop) || i < 100; i++) {
        prempti_result *r = NULL, *again = NULL;
        if ((i + rd->id) % 2) {
            if (prempti_holder_evaluate(&r, rd->s->holder, rd->s->event, NULL) != PREMPTI_OK) {
                rd->failures++;
                continue;
            }
        } else {
            prempti_engine *e = NULL;
            if (prempti_holder_acquire(&e, rd->s->holder, NULL) != PREMPTI_OK ||
                prempti_evaluate(&r, e, rd->s->event, NULL) != PREMPTI_OK ||
                prempti_evaluate(&again, e, rd->s->event, NULL) != PREMPTI_OK ||
                pack_of(r) != pack_of(again))
                rd->failures++;
            prempti_result_free(again);
            prempti_engine_free(e);
        }
        int p = r ? pack_of(r) : -1;
        if (p < 0)
            rd->failures++;
        else
            rd->seen[p]++;
        rd->evaluations++;
        atomic_fetch_add(&rd->s->done, 1);
        prempti_result_free(r);
    }
    return NULL;
}

START_TEST(reload_while_evaluating)
{
    prempti_event *ev = pe_test_event(EVENT, NULL);
    prempti_engine *first = engine_for(0);
    shared s = {NULL, ev, 0, 0};
    ck_assert_int_eq(prempti_holder_new(&s.holder, first, NULL), PREMPTI_OK);
    prempti_engine_free(first); /* the holder keeps its own reference */
    pthread_t t[READERS];
    reader rd[READERS];
    for (int i = 0; i < READERS; i++) {
        rd[i] = (reader){&s, i, 0, {0, 0}, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, read_loop, &rd[i]), 0);
    }
    for (int k = 1; k <= RELOADS; k++) {
        /* Let the readers use each engine a little, so that every swap
         * happens in the middle of evaluations. */
        long until = atomic_load(&s.done) + 2 * READERS;
        while (atomic_load(&s.done) < until)
            sched_yield();
        prempti_engine *e = engine_for(k % 2);
        ck_assert_int_eq(prempti_holder_set(s.holder, e, NULL), PREMPTI_OK);
        prempti_engine_free(e);
    }
    atomic_store(&s.stop, 1);
    long total = 0, seen[2] = {0, 0};
    for (int i = 0; i < READERS; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(rd[i].failures == 0, "reader %d: %ld bad results", i, rd[i].failures);
        total += rd[i].evaluations;
        seen[0] += rd[i].seen[0];
        seen[1] += rd[i].seen[1];
    }
    printf("holder: %d reloads during %ld evaluations (%ld from pack A, %ld from pack B)\n",
           RELOADS, total, seen[0], seen[1]);
    ck_assert_int_gt(seen[0], 0);
    ck_assert_int_gt(seen[1], 0);
    /* The last engine set is current. */
    prempti_result *r = NULL;
    ck_assert_int_eq(prempti_holder_evaluate(&r, s.holder, ev, NULL), PREMPTI_OK);
    ck_assert_int_eq(pack_of(r), RELOADS % 2);
    prempti_result_free(r);
    prempti_holder_free(s.holder);
    prempti_event_free(ev);
}
END_TEST

/* An engine acquired from a holder outlives the holder. */
START_TEST(acquired_engine_outlives_holder)
{
    prempti_event *ev = pe_test_event(EVENT, NULL);
    prempti_engine *e = engine_for(1);
    prempti_holder *h = NULL;
    ck_assert_int_eq(prempti_holder_new(&h, e, NULL), PREMPTI_OK);
    prempti_engine_free(e);
    prempti_engine *got = NULL;
    ck_assert_int_eq(prempti_holder_acquire(&got, h, NULL), PREMPTI_OK);
    ck_assert_ptr_eq(got, e);
    prempti_holder_free(h);
    prempti_result *r = NULL;
    ck_assert_int_eq(prempti_evaluate(&r, got, ev, NULL), PREMPTI_OK);
    ck_assert_int_eq(pack_of(r), 1);
    prempti_engine_free(got);
    prempti_result_free(r); /* results stand on their own */
    prempti_event_free(ev);
}
END_TEST

/* A shared engine refuses loads; once the other references are gone it
 * accepts them again. */
START_TEST(shared_engines_refuse_loads)
{
    prempti_engine *e = engine_for(0);
    prempti_error *err = NULL;
    ck_assert_ptr_eq(prempti_engine_ref(e), e);
    ck_assert_int_eq(prempti_engine_load_rules(e, packs[1], strlen(packs[1]), "b", &err),
                     PREMPTI_E_INVALID_ARG);
    ck_assert_str_eq(prempti_error_kind(err), "ENGINE_SHARED");
    prempti_error_free(err);
    const char *path = PREMPTI_SOURCE_DIR "/rules";
    ck_assert_int_eq(prempti_engine_load_rules_path(e, path, &err), PREMPTI_E_INVALID_ARG);
    prempti_error_free(err);
    prempti_engine_free(e); /* the extra reference */
    ck_assert_int_eq(prempti_engine_load_rules(e, packs[1], strlen(packs[1]), "b", &err),
                     PREMPTI_OK);
    ck_assert_uint_eq(prempti_engine_rule_count(e), 2);

    prempti_holder *h = NULL;
    ck_assert_int_eq(prempti_holder_new(&h, e, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_engine_load_rules(e, packs[1], strlen(packs[1]), "b", NULL),
                     PREMPTI_E_INVALID_ARG);
    prempti_holder_free(h);
    ck_assert_int_eq(prempti_engine_load_rules(e, packs[1], strlen(packs[1]), "b", NULL),
                     PREMPTI_OK);
    prempti_engine_free(e);
    ck_assert_ptr_null(prempti_engine_ref(NULL));
}
END_TEST

START_TEST(null_arguments)
{
    prempti_engine *e = engine_for(0);
    prempti_event *ev = pe_test_event(EVENT, NULL);
    prempti_holder *h = (prempti_holder *)1;
    prempti_error *err = NULL;
    ck_assert_int_eq(prempti_holder_new(&h, NULL, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(h);
    ck_assert_int_eq(prempti_error_code(err), PREMPTI_E_INVALID_ARG);
    prempti_error_free(err);
    ck_assert_int_eq(prempti_holder_new(NULL, e, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_holder_new(&h, e, NULL), PREMPTI_OK);
    ck_assert_int_eq(prempti_holder_set(h, NULL, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_int_eq(prempti_holder_set(NULL, e, NULL), PREMPTI_E_INVALID_ARG);
    prempti_engine *got = e;
    ck_assert_int_eq(prempti_holder_acquire(&got, NULL, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(prempti_holder_acquire(NULL, h, NULL), PREMPTI_E_INVALID_ARG);
    prempti_result *r = (prempti_result *)1;
    ck_assert_int_eq(prempti_holder_evaluate(&r, NULL, ev, NULL), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(prempti_holder_evaluate(&r, h, NULL, &err), PREMPTI_E_INVALID_ARG);
    ck_assert_ptr_null(r);
    prempti_error_free(err);
    ck_assert_int_eq(prempti_holder_evaluate(NULL, h, ev, NULL), PREMPTI_E_INVALID_ARG);
    /* nothing above changed the holder */
    ck_assert_int_eq(prempti_holder_evaluate(&r, h, ev, NULL), PREMPTI_OK);
    ck_assert_int_eq(pack_of(r), 0);
    prempti_result_free(r);
    prempti_holder_free(h);
    prempti_holder_free(NULL);
    prempti_engine_free(e);
    prempti_event_free(ev);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("holder");
    TCase *tc = tcase_create("holder");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, reload_while_evaluating);
    tcase_add_test(tc, acquired_engine_outlives_holder);
    tcase_add_test(tc, shared_engines_refuse_loads);
    tcase_add_test(tc, null_arguments);
    suite_add_tcase(s, tc);
    return pe_test_run(s);
}
