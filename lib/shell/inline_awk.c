/*
 * awk's ways of running commands and touching files, which are syntax
 * rather than calls: `"cmd" | getline`, `"cmd" |& getline` (gawk's
 * coprocess), `print ... | "cmd"`, `print ... > "file"` / `>>`, `getline
 * < "file"`, and gawk's network files "/inet/tcp/lport/host/rport".
 * system() is a call (the awk table).
 */
#include <string.h>

#include "shell/inline_internal.h"

/* The start of the operand run that ends just before token i (the
 * command of "cmd" | getline). */
static size_t operand_start(const inl_ctx *c, size_t i)
{
    static const char *const stop[] = {"print",  "printf", "getline", "while", "if",
                                       "return", "in",     "do",      NULL};
    size_t k = i;
    while (k > 0) {
        const inl_tok *p = &c->t[k - 1];
        if (p->type == T_NL || p->type == T_EMB_CLOSE)
            break;
        if (p->type == T_PUNCT && (inl_is_p(p, ")") || inl_is_p(p, "]")) && p->match < k - 1) {
            k = p->match;
            continue;
        }
        if (p->type == T_PUNCT && !inl_is_p(p, "$"))
            break;
        int kw = 0;
        for (size_t s = 0; stop[s]; s++)
            kw |= inl_is_id(p, stop[s]);
        if (kw)
            break;
        k--;
    }
    return k;
}

/* The end of the statement containing token i. */
static size_t stmt_end(const inl_ctx *c, size_t i, size_t e)
{
    while (i < e && c->t[i].type != T_NL && !inl_is_p(&c->t[i], ";") && !inl_is_p(&c->t[i], "}") &&
           !inl_is_p(&c->t[i], ")"))
        i = inl_skip(c, i);
    return i;
}

/* "/inet/tcp/0/host/port" and the inet4, inet6, udp forms. */
static void inet_file(inl_ctx *c, const inl_tok *t)
{
    const char *v = t->val.s;
    if (strncmp(v, "/inet", 5) != 0)
        return;
    const char *p = v + 5;
    if (*p == '4' || *p == '6')
        p++;
    if (strncmp(p, "/tcp/", 5) != 0 && strncmp(p, "/udp/", 5) != 0)
        return;
    const char *lport = p + 5, *host = strchr(lport, '/');
    const char *rport = host ? strchr(host + 1, '/') : NULL;
    if (!rport)
        return;
    inl_val h =
        inl_str_val(c, host + 1, (size_t)(rport - host - 1), t->flags & TF_DYN ? VF_DYN : 0);
    inl_val r = inl_str_val(c, rport + 1, strlen(rport + 1), t->flags & TF_DYN ? VF_DYN : 0);
    c->flags |= PE_INLINE_SOCKET | PE_INLINE_NETWORK;
    if (!(h.s.len == 1 && h.s.s[0] == '0')) /* a host of 0 is a server socket */
        inl_add_connect(c, &h, &r, "/inet", t->off);
}

/* `"X" | getline l; print l | "Y"`: what X prints can reach Y's input,
 * which is the pipeline X | Y as far as what runs is concerned (awk may
 * change the lines on the way; a shell reading them runs them). */
static void piped(inl_ctx *c, const inl_val *to, size_t off)
{
    const inl_val *from = c->awk_src;
    if (!from || to->kind != V_STR || !from->s.len || !to->s.len)
        return;
    size_t n = from->s.len + 3 + to->s.len;
    char *buf = inl_alloc(c, n + 1);
    if (!buf)
        return;
    memcpy(buf, from->s.s, from->s.len);
    memcpy(buf + from->s.len, " | ", 3);
    memcpy(buf + from->s.len + 3, to->s.s, to->s.len);
    inl_val v = inl_str_val(c, buf, n, (from->flags | to->flags) & VF_DYN);
    inl_add(c, PE_INLINE_RUN, &v, "| getline ... print |", off, 0);
}

static int inet_val(const inl_val *v)
{
    return v->kind == V_STR && strncmp(v->s.s, "/inet", 5) == 0;
}

void inl_awk_at(inl_ctx *c, size_t i, size_t e)
{
    const inl_tok *t = &c->t[i];
    if (t->type == T_STR) {
        inet_file(c, t);
        return;
    }
    if ((inl_is_p(t, "|") || inl_is_p(t, "|&")) && i + 1 < e &&
        inl_is_id(&c->t[i + 1], "getline")) {
        size_t b = operand_start(c, i);
        inl_val cmd = inl_eval(c, b, i);
        if (!inet_val(&cmd) && b < i) { /* a coprocess on a socket is network I/O */
            inl_add(c, PE_INLINE_RUN, &cmd, inl_is_p(t, "|") ? "| getline" : "|& getline", t->off,
                    0);
            inl_val *keep = inl_alloc(c, sizeof(*keep));
            if (keep && cmd.kind == V_STR) {
                *keep = cmd;
                c->awk_src = keep;
            }
        }
        return;
    }
    if (inl_is_id(t, "getline")) {
        size_t k = i + 1;
        if (k < e && (c->t[k].type == T_IDENT || inl_is_p(&c->t[k], "$")))
            k += 1 + inl_is_p(&c->t[k], "$");
        if (k < e && inl_is_p(&c->t[k], "<") && k + 1 < e) {
            size_t end = inl_skip(c, k + 1);
            inl_val f = inl_eval(c, k + 1, end);
            inl_add(c, PE_INLINE_READ, &f, "getline <", t->off, 0);
        }
        return;
    }
    if (!inl_is_id(t, "print") && !inl_is_id(t, "printf"))
        return;
    size_t end = stmt_end(c, i + 1, e);
    for (size_t k = i + 1; k < end; k = inl_skip(c, k)) {
        const inl_tok *op = &c->t[k];
        int pipe = inl_is_p(op, "|") || inl_is_p(op, "|&");
        if (!pipe && !inl_is_p(op, ">") && !inl_is_p(op, ">>"))
            continue;
        inl_val target = inl_eval(c, k + 1, end);
        if (inet_val(&target))
            return;
        if (pipe) { /* what is printed is the command's input: a shell's program */
            inl_add(c, PE_INLINE_RUN, &target, inl_is_p(op, "|") ? "print |" : "print |&", t->off,
                    PE_INLINE_I_STDIN);
            inl_val data = inl_eval(c, i + 1, k);
            if (k > i + 1 && inl_literal(&data) && target.kind == V_STR && inl_runs_shell(target.s))
                inl_add(c, PE_INLINE_RUN, &data, "print | sh", t->off, 0);
            piped(c, &target, t->off);
        } else {
            inl_add(c, PE_INLINE_WRITE, &target, inl_is_p(op, ">") ? "print >" : "print >>", t->off,
                    0);
        }
        return;
    }
}
