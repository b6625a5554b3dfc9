/*
 * The adapter's last line of defence: whatever happens - a pathological
 * input that would take minutes, memory running out, a hung file system,
 * a crash - the agent gets a blocking answer before its own hook timeout,
 * which every agent treats as "no answer" and lets the tool run.
 *
 *  - a wall-clock deadline (alarm) and a CPU limit (RLIMIT_CPU) end the run
 *    with the emergency answer;
 *  - an address-space limit (RLIMIT_AS) turns a runaway allocation into an
 *    ordinary out-of-memory error, which is answered as a block;
 *  - a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) is answered with the
 *    emergency answer too, on its own stack (not in sanitizer builds, whose
 *    reports must not be swallowed).
 *
 * The emergency answer is kept in static memory, so the signal handler
 * allocates nothing; it starts as a bare block (exit status 2 and a message
 * on stderr, which every agent reads as a block) and is replaced by the
 * agent's own error form once the agent is known. Once the real answer is
 * written, the same events only end the run with that answer's status: the
 * audit record comes after the answer and may not delay it.
 *
 * Environment (for tests and unusual machines): PREMPTI_HOOK_DEADLINE_MS
 * (default 10000), PREMPTI_HOOK_MAX_MEMORY_MB (default 4096; 0 for none).
 */
#ifndef PREMPTI_HOOK_GUARD_H
#define PREMPTI_HOOK_GUARD_H

/* Installs the limits and handlers. Call first thing in main(). */
void hook_guard_init(void);

/* Sets the answer to give if the run must be cut short. Texts longer than
 * the static buffers are cut, keeping the exit status (a block stays a
 * block). */
void hook_guard_set_answer(const char *out, const char *err, int code);

/* The real answer has been written with exit status code: from now on a
 * deadline or a crash only ends the run with that status. */
void hook_guard_answered(int code);

#endif
