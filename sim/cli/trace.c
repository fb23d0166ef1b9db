/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/trace.c - the engine's trace records, collected during one
 * trial and written as a Chrome Trace Event Format file (see trace.h).
 *
 * Records are stored as they come (engine order); the writer matches each
 * delivery to its send through a hash table keyed by (message pointer,
 * from, to) - lookups only, so the pointer values never reach the output -
 * numbers flows by their send's rank, groups each party's message
 * endpoints per simulated ns into one 1 ns slice, sorts the events by
 * (pid, tid, ts, slices first, engine order) and prints them.  Memory:
 * one record per engine record (about 64 bytes) plus one output event per
 * JSON event; the limit bounds both.
 */
#include "sim/cli/trace.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/json.h"
#include "sim/cli/scenario.h"

#define TID_CPU 1
#define TID_MSG 2
#define TID_UP 3
#define TID_DOWN 4

struct rec {
    uint8_t kind; /* enum sim_trace_kind */
    int32_t party, peer, round;
    int64_t t0, t1, t2;
    uint64_t bytes;
    const void *msg; /* matching only */
    char *text;      /* abort reason, owned */
    uint64_t flow;   /* SEND, DELIVER, DROP: flow id once matched, 0 = none */
};

struct cli_trace {
    struct rec *r;
    size_t n, cap;
    uint64_t max_events;
    uint64_t certain; /* JSON events the stored records will certainly produce */
    int over;         /* more than max_events: records dropped */
    int oom;
    int n_parties;
    char **labels;
    char **down;
    char *scenario;
    char *status;
    int trial;
    uint64_t seed;
    int has_info;
};

static _Atomic(struct cli_trace *) current = NULL;

/* see trace.h */
void
cli_trace_set_current(struct cli_trace *t)
{
    atomic_store(&current, t);
}

/* see trace.h */
struct cli_trace *
cli_trace_current(void)
{
    return atomic_load(&current);
}

/* see trace.h */
int
cli_trace_create(struct cli_trace **out, uint64_t max_events)
{
    struct cli_trace *t = mpcsim_calloc(1, sizeof(*t));

    if (t == NULL) {
        return MPCSIM_ENOMEM;
    }
    t->max_events = max_events;
    *out = t;
    return 0;
}

static void
free_records(struct cli_trace *t)
{
    for (size_t i = 0; i < t->n; i++) {
        mpcsim_free(t->r[i].text);
    }
    mpcsim_free(t->r);
    t->r = NULL;
    t->n = t->cap = 0;
}

static void
free_parties(struct cli_trace *t)
{
    for (int i = 0; i < t->n_parties; i++) {
        mpcsim_free(t->labels != NULL ? t->labels[i] : NULL);
        mpcsim_free(t->down != NULL ? t->down[i] : NULL);
    }
    mpcsim_free(t->labels);
    mpcsim_free(t->down);
    t->labels = t->down = NULL;
    t->n_parties = 0;
}

/* see trace.h */
void
cli_trace_destroy(struct cli_trace *t)
{
    if (t == NULL) {
        return;
    }
    free_records(t);
    free_parties(t);
    mpcsim_free(t->scenario);
    mpcsim_free(t->status);
    mpcsim_free(t);
}

/* JSON events a record certainly yields (SEND: none of its own - its flow
 * is counted with the delivery that ends it, its slice may be shared;
 * DELIVER: the flow's two ends and its handler's slice). */
static unsigned
certain_events(const struct sim_trace_record *r)
{
    switch (r->kind) {
    case SIM_TRACE_SEND:
        return 0;
    case SIM_TRACE_DELIVER:
        return 3;
    case SIM_TRACE_DROP:
        return 2;
    default:
        return 1;
    }
}

/* see trace.h */
void
cli_trace_sink(void *ctx, const struct sim_trace_record *rec)
{
    struct cli_trace *t = ctx;
    struct rec *r;

    if (t->over || t->oom) {
        return;
    }
    if (rec->kind == SIM_TRACE_HANDLER && rec->round == SIM_TRACE_SETUP && rec->t1 == rec->t0) {
        return; /* no setup compute: nothing to show */
    }
    t->certain += certain_events(rec);
    if (t->certain > t->max_events) {
        t->over = 1;
        free_records(t);
        return;
    }
    if (t->n == t->cap) {
        size_t c = t->cap == 0 ? 1024 : 2 * t->cap;
        struct rec *nr = mpcsim_reallocarray(t->r, c, sizeof(*nr));

        if (nr == NULL) {
            t->oom = 1;
            return;
        }
        t->r = nr;
        t->cap = c;
    }
    r = &t->r[t->n];
    memset(r, 0, sizeof(*r));
    r->kind = (uint8_t)rec->kind;
    r->party = rec->party;
    r->peer = rec->peer;
    r->round = rec->round;
    r->t0 = rec->t0;
    r->t1 = rec->t1;
    r->t2 = rec->t2;
    r->bytes = rec->bytes;
    r->msg = rec->msg;
    if (rec->text != NULL) {
        r->text = mpcsim_strdup(rec->text);
        if (r->text == NULL) {
            t->oom = 1;
            return;
        }
    }
    t->n++;
}

static char *
dup_or_empty(const char *s)
{
    return mpcsim_strdup(s != NULL ? s : "");
}

/* see trace.h */
int
cli_trace_set_parties(struct cli_trace *t, int n, const char *const *labels,
                      const char *const *down)
{
    free_parties(t);
    t->labels = mpcsim_calloc((size_t)n, sizeof(char *));
    t->down = mpcsim_calloc((size_t)n, sizeof(char *));
    if (t->labels == NULL || t->down == NULL) {
        free_parties(t);
        return MPCSIM_ENOMEM;
    }
    t->n_parties = n;
    for (int i = 0; i < n; i++) {
        t->labels[i] = dup_or_empty(labels != NULL ? labels[i] : NULL);
        t->down[i] = dup_or_empty(down != NULL ? down[i] : NULL);
        if (t->labels[i] == NULL || t->down[i] == NULL) {
            free_parties(t);
            return MPCSIM_ENOMEM;
        }
    }
    return 0;
}

/* see trace.h */
int
cli_trace_set_info(struct cli_trace *t, const char *scenario, int trial, uint64_t seed,
                   const char *status)
{
    mpcsim_free(t->scenario);
    mpcsim_free(t->status);
    t->scenario = dup_or_empty(scenario);
    t->status = dup_or_empty(status);
    if (t->scenario == NULL || t->status == NULL) {
        return MPCSIM_ENOMEM;
    }
    t->trial = trial;
    t->seed = seed;
    t->has_info = 1;
    return 0;
}

/* see trace.h */
int
cli_trace_finish(struct cli_trace *t, const struct sim *sim, const struct scenario *sc, int server,
                 int trial, uint64_t seed, const char *status)
{
    int n = sc->parties;
    char **labels = mpcsim_calloc((size_t)n, sizeof(char *));
    const char **down = mpcsim_calloc((size_t)n, sizeof(char *));
    int rc = 0;

    if (labels == NULL || down == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        const struct sim_party_result *pr = sim_party_result(sim, i);
        int listed = 0;
        char buf[128];

        for (int k = 0; k < sc->faults.n_crashes; k++) {
            listed |= sc->faults.crashes[k].party == i;
        }
        down[i] = !pr->crashed ? "" : listed ? "crash" : "dropout";
        snprintf(buf, sizeof(buf), "P%d%s%s%s%s", i,
                 !server  ? ""
                 : i == 0 ? " server"
                          : " client",
                 pr->honest ? "" : " corrupted", down[i][0] != '\0' ? ", " : "", down[i]);
        labels[i] = mpcsim_strdup(buf);
        rc = labels[i] == NULL ? MPCSIM_ENOMEM : 0;
    }
    if (rc == 0) {
        rc = cli_trace_set_parties(t, n, (const char *const *)labels, down);
    }
    if (rc == 0) {
        rc = cli_trace_set_info(t, sc->name, trial, seed, status);
    }
out:
    for (int i = 0; labels != NULL && i < n; i++) {
        mpcsim_free(labels[i]);
    }
    mpcsim_free(labels);
    mpcsim_free(down);
    return rc;
}

/* ---- matching sends and deliveries ------------------------------------ */

struct slot {
    const void *msg;
    int32_t from, to;
    size_t rec; /* SIZE_MAX: empty; SIZE_MAX - 1: deleted */
};
#define SLOT_EMPTY SIZE_MAX
#define SLOT_DELETED (SIZE_MAX - 1)

static size_t
slot_hash(const void *msg, int from, int to)
{
    uint64_t x = (uint64_t)(uintptr_t)msg ^ ((uint64_t)(uint32_t)from << 32) ^ (uint32_t)to;

    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (size_t)x;
}

/* Give every SEND whose DELIVER or DROP follows a flow id (1 + its rank
 * among sends), and that DELIVER/DROP the same id.  0 or MPCSIM_ENOMEM. */
static int
match_flows(struct cli_trace *t)
{
    size_t sends = 0, cap = 16, mask;
    struct slot *tab;
    uint64_t rank = 0;

    for (size_t i = 0; i < t->n; i++) {
        sends += t->r[i].kind == SIM_TRACE_SEND;
    }
    while (cap < 2 * sends + 16) {
        cap *= 2;
    }
    tab = mpcsim_malloc(cap * sizeof(*tab));
    if (tab == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t j = 0; j < cap; j++) {
        tab[j].rec = SLOT_EMPTY;
    }
    mask = cap - 1;
    for (size_t i = 0; i < t->n; i++) {
        struct rec *r = &t->r[i];
        int from, to;
        size_t j;

        if (r->kind == SIM_TRACE_SEND) {
            /* Inserts never reuse deleted slots, so the table fills at most
             * to `sends` of its 2 * sends + 16 slots. */
            j = slot_hash(r->msg, r->party, r->peer) & mask;
            while (tab[j].rec != SLOT_EMPTY) {
                j = (j + 1) & mask;
            }
            tab[j].msg = r->msg;
            tab[j].from = r->party;
            tab[j].to = r->peer;
            tab[j].rec = i;
            r->flow = ++rank; /* provisional: cleared below if never delivered */
            continue;
        }
        if (r->kind != SIM_TRACE_DELIVER && r->kind != SIM_TRACE_DROP &&
            r->kind != SIM_TRACE_LOST) {
            continue;
        }
        from = r->kind == SIM_TRACE_LOST ? r->party : r->peer; /* LOST: party is the sender */
        to = r->kind == SIM_TRACE_LOST ? r->peer : r->party;
        j = slot_hash(r->msg, from, to) & mask;
        while (tab[j].rec != SLOT_EMPTY) {
            if (tab[j].rec != SLOT_DELETED && tab[j].msg == r->msg && tab[j].from == from &&
                tab[j].to == to) {
                break;
            }
            j = (j + 1) & mask;
        }
        if (tab[j].rec == SLOT_EMPTY) {
            continue; /* cannot happen: every delivery or loss follows its send */
        }
        if (r->kind != SIM_TRACE_LOST) {
            r->flow = t->r[tab[j].rec].flow;
            t->r[tab[j].rec].flow |= UINT64_C(1) << 63; /* delivered */
        }
        tab[j].rec = SLOT_DELETED;
    }
    for (size_t i = 0; i < t->n; i++) {
        struct rec *r = &t->r[i];

        if (r->kind == SIM_TRACE_SEND) {
            r->flow = (r->flow >> 63) != 0 ? r->flow & ~(UINT64_C(1) << 63) : 0;
        }
    }
    mpcsim_free(tab);
    return 0;
}

/* ---- output events ------------------------------------------------------ */

enum ev_type {
    EV_HANDLER = 0, /* X on cpu */
    EV_GROUP,       /* X on messages: members[first, first + count) */
    EV_UP,          /* X on uplink */
    EV_DOWN,        /* X on downlink */
    EV_FLOW_S,
    EV_FLOW_F,
    EV_INSTANT, /* crash, output, abort, accuse (cpu); lost (messages) */
};

struct ev {
    int32_t pid, tid;
    int64_t ts, dur;
    uint8_t type;
    uint8_t cls; /* 0: slices, 1: the rest (after slices at equal ts) */
    size_t seq;  /* engine order (record index, or first member's) */
    size_t rec;  /* the record, or the first member for EV_GROUP */
    size_t count;
};

/* A message endpoint on a party's messages track. */
struct member {
    int32_t pid;
    int64_t ts;
    size_t rec;
};

static int
cmp_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;

    if (x->pid != y->pid) {
        return x->pid < y->pid ? -1 : 1;
    }
    if (x->ts != y->ts) {
        return x->ts < y->ts ? -1 : 1;
    }
    return (x->rec > y->rec) - (x->rec < y->rec);
}

static int
cmp_ev(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;

    if (x->pid != y->pid) {
        return x->pid < y->pid ? -1 : 1;
    }
    if (x->tid != y->tid) {
        return x->tid < y->tid ? -1 : 1;
    }
    if (x->ts != y->ts) {
        return x->ts < y->ts ? -1 : 1;
    }
    if (x->cls != y->cls) {
        return x->cls < y->cls ? -1 : 1;
    }
    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }
    return (x->type > y->type) - (x->type < y->type);
}

/* The time at which member record r sits on its party's messages track. */
static int64_t
member_ts(const struct rec *r)
{
    return r->kind == SIM_TRACE_DELIVER ? r->t1 : r->t0;
}

/* "1234.567": ns as exact decimal microseconds. */
static void
put_us(FILE *f, int64_t ns)
{
    uint64_t v = ns < 0 ? 0 : (uint64_t)ns;

    fprintf(f, "%" PRIu64 ".%03u", v / 1000u, (unsigned)(v % 1000u));
}

static void
put_head(FILE *f, const char *ph, const struct ev *e)
{
    fprintf(f, "{\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":", ph, (int)e->pid, (int)e->tid);
    put_us(f, e->ts);
}

static const char *
handler_name(int h)
{
    switch (h) {
    case SIM_TRACE_SETUP:
        return "setup";
    case SIM_TRACE_START:
        return "on_start";
    default:
        return "on_timer";
    }
}

/* One message of a group, for the slice's args. */
static void
put_member(FILE *f, const struct rec *r)
{
    if (r->kind == SIM_TRACE_SEND) {
        fprintf(f, "\"to P%d, round %d, %" PRIu64 " B%s\"", (int)r->peer, (int)r->round, r->bytes,
                r->flow == 0 ? ", not delivered (lost, or in flight at the end)" : "");
    } else if (r->kind == SIM_TRACE_DELIVER) {
        fprintf(f, "\"from P%d, round %d, %" PRIu64 " B, arrived ", (int)r->peer, (int)r->round,
                r->bytes);
        put_us(f, r->t0);
        fputs(" us\"", f);
    } else {
        fprintf(f, "\"from P%d, round %d, %" PRIu64 " B, dropped: P%d had crashed\"", (int)r->peer,
                (int)r->round, r->bytes, (int)r->party);
    }
}

static void
put_group(FILE *f, const struct cli_trace *t, const struct member *m, const struct ev *e)
{
    static const char *const keys[3] = {"recv", "drop", "send"};
    static const uint8_t kinds[3] = {SIM_TRACE_DELIVER, SIM_TRACE_DROP, SIM_TRACE_SEND};
    char name[64] = "";
    int round = -2;

    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < e->count; i++) {
            if (t->r[m[e->rec + i].rec].kind == kinds[k]) {
                if (name[0] != '\0') {
                    strcat(name, "+");
                }
                strcat(name, keys[k]);
                break;
            }
        }
    }
    for (size_t i = 0; i < e->count; i++) {
        int r = (int)t->r[m[e->rec + i].rec].round;

        round = round == -2 || round == r ? r : -1;
    }
    if (round >= 0) {
        snprintf(name + strlen(name), sizeof(name) - strlen(name), " r%d", round);
    }
    put_head(f, "X", e);
    fprintf(f, ",\"dur\":0.001,\"name\":\"%s\",\"cat\":\"message\",\"args\":{", name);
    for (int k = 0, first_key = 1; k < 3; k++) {
        int first = 1;

        for (size_t i = 0; i < e->count; i++) {
            const struct rec *r = &t->r[m[e->rec + i].rec];

            if (r->kind != kinds[k]) {
                continue;
            }
            if (first) {
                fprintf(f, "%s\"%s\":[", first_key ? "" : ",", keys[k]);
                first_key = 0;
            }
            fputs(first ? "" : ",", f);
            first = 0;
            put_member(f, r);
        }
        if (!first) {
            fputc(']', f);
        }
    }
    fputs("}}", f);
}

static void
put_event(FILE *f, const struct cli_trace *t, const struct member *m, const struct ev *e)
{
    const struct rec *r = &t->r[e->rec];

    switch ((enum ev_type)e->type) {
    case EV_HANDLER:
        put_head(f, "X", e);
        fputs(",\"dur\":", f);
        put_us(f, e->dur);
        if (r->kind == SIM_TRACE_DELIVER) {
            fprintf(f, ",\"name\":\"on_message from P%d", (int)r->peer);
        } else {
            fprintf(f, ",\"name\":\"%s", handler_name(r->round));
        }
        fputs("\",\"cat\":\"compute\",\"args\":{\"compute_us\":", f);
        put_us(f, e->dur);
        fputs("}}", f);
        break;
    case EV_GROUP:
        put_group(f, t, m, e);
        break;
    case EV_UP:
    case EV_DOWN:
        put_head(f, "X", e);
        fputs(",\"dur\":", f);
        put_us(f, e->dur);
        fprintf(f,
                ",\"name\":\"%s P%d r%d\",\"cat\":\"link\",\"args\":{\"bytes\":%" PRIu64
                ",\"round\":%d}}",
                e->type == EV_UP ? "to" : "from", (int)r->peer, (int)r->round, r->bytes,
                (int)r->round);
        break;
    case EV_FLOW_S:
        put_head(f, "s", e);
        fprintf(f,
                ",\"id\":%" PRIu64
                ",\"cat\":\"message\",\"name\":\"message\",\"args\":{\"from\":%d,"
                "\"to\":%d,\"round\":%d,\"bytes\":%" PRIu64 "}}",
                r->flow, (int)r->party, (int)r->peer, (int)r->round, r->bytes);
        break;
    case EV_FLOW_F:
        put_head(f, "f", e);
        fprintf(f, ",\"bp\":\"e\",\"id\":%" PRIu64 ",\"cat\":\"message\",\"name\":\"message\"}",
                r->flow);
        break;
    case EV_INSTANT:
        put_head(f, "i", e);
        fputs(",\"s\":\"t\",\"name\":", f);
        switch (r->kind) {
        case SIM_TRACE_CRASH: {
            const char *d = t->down[r->party];

            mpcsim_json_string(f, d[0] != '\0' ? d : "crash");
            fputs(",\"cat\":\"fault\",\"args\":{\"at\":", f);
            if (r->round >= 0) {
                fprintf(f, "\"round %d\"}}", (int)r->round);
            } else {
                fputs("\"time\"}}", f);
            }
            break;
        }
        case SIM_TRACE_OUTPUT:
            fprintf(f, "\"output\",\"cat\":\"result\",\"args\":{\"round\":%d}}", (int)r->round);
            break;
        case SIM_TRACE_ABORT:
            fputs("\"abort\",\"cat\":\"result\",\"args\":{\"reason\":", f);
            mpcsim_json_string(f, r->text != NULL ? r->text : "");
            fputs("}}", f);
            break;
        case SIM_TRACE_ACCUSE:
            fprintf(f, "\"accuse P%d\",\"cat\":\"fault\",\"args\":{\"accused\":%d}}", (int)r->peer,
                    (int)r->peer);
            break;
        default: /* SIM_TRACE_LOST */
            fprintf(f,
                    "\"lost to P%d\",\"cat\":\"fault\",\"args\":{\"to\":%d,\"round\":%d,"
                    "\"bytes\":%" PRIu64 "}}",
                    (int)r->peer, (int)r->peer, (int)r->round, r->bytes);
            break;
        }
        break;
    }
}

static void
put_meta(FILE *f, const char *what, int pid, int tid, const char *key, const char *value,
         int is_number, int number)
{
    fprintf(f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%d,\"tid\":%d,\"args\":{\"%s\":", what, pid,
            tid, key);
    if (is_number) {
        fprintf(f, "%d}}", number);
    } else {
        mpcsim_json_string(f, value);
        fputs("}}", f);
    }
}

/* see trace.h */
uint64_t
cli_trace_events(const struct cli_trace *t)
{
    return t->certain;
}

/* Append e to the event array (capacity known in advance). */
static struct ev *
ev_add(struct ev *evs, size_t *n, int pid, int tid, int64_t ts, int64_t dur, int type, int cls,
       size_t seq, size_t rec)
{
    struct ev *e = &evs[(*n)++];

    e->pid = pid;
    e->tid = tid;
    e->ts = ts;
    e->dur = dur;
    e->type = (uint8_t)type;
    e->cls = (uint8_t)cls;
    e->seq = seq;
    e->rec = rec;
    e->count = 1;
    return e;
}

/* see trace.h */
int
cli_trace_write(struct cli_trace *t, FILE *f)
{
    struct member *m = NULL;
    struct ev *evs = NULL;
    size_t nm = 0, ne = 0, cap;
    int up = 0, down = 0;
    int rc;
    uint64_t total;

    if (t->oom) {
        return MPCSIM_ENOMEM;
    }
    if (t->over) {
        return MPCSIM_ELIMIT;
    }
    if (t->n_parties == 0) {
        return MPCSIM_EINVAL;
    }
    rc = match_flows(t);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < t->n; i++) {
        uint8_t k = t->r[i].kind;

        nm += k == SIM_TRACE_SEND || k == SIM_TRACE_DELIVER || k == SIM_TRACE_DROP;
    }
    /* At most: two events per record (a delivery: flow end and handler
     * slice), plus one group slice per member. */
    cap = 2 * t->n + nm + 1;
    m = mpcsim_calloc(nm + 1, sizeof(*m));
    evs = mpcsim_calloc(cap, sizeof(*evs));
    if (m == NULL || evs == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    nm = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct rec *r = &t->r[i];
        int pid = (int)r->party + 1;

        switch ((enum sim_trace_kind)r->kind) {
        case SIM_TRACE_SEND:
        case SIM_TRACE_DELIVER:
        case SIM_TRACE_DROP:
            m[nm].pid = pid;
            m[nm].ts = member_ts(r);
            m[nm].rec = i;
            nm++;
            if (r->flow != 0) {
                ev_add(evs, &ne, pid, TID_MSG, member_ts(r), 0,
                       r->kind == SIM_TRACE_SEND ? EV_FLOW_S : EV_FLOW_F, 1, i, i);
            }
            if (r->kind == SIM_TRACE_DELIVER) {
                ev_add(evs, &ne, pid, TID_CPU, r->t1, r->t2 - r->t1, EV_HANDLER, 0, i, i);
            }
            break;
        case SIM_TRACE_HANDLER:
            ev_add(evs, &ne, pid, TID_CPU, r->t0, r->t1 - r->t0, EV_HANDLER, 0, i, i);
            break;
        case SIM_TRACE_UPLINK:
            ev_add(evs, &ne, pid, TID_UP, r->t0, r->t1 - r->t0, EV_UP, 0, i, i);
            up = 1;
            break;
        case SIM_TRACE_DOWNLINK:
            ev_add(evs, &ne, pid, TID_DOWN, r->t0, r->t1 - r->t0, EV_DOWN, 0, i, i);
            down = 1;
            break;
        case SIM_TRACE_LOST:
            ev_add(evs, &ne, pid, TID_MSG, r->t0, 0, EV_INSTANT, 1, i, i);
            break;
        case SIM_TRACE_CRASH:
        case SIM_TRACE_ACCUSE:
        case SIM_TRACE_OUTPUT:
        case SIM_TRACE_ABORT:
            ev_add(evs, &ne, pid, TID_CPU, r->t0, 0, EV_INSTANT, 1, i, i);
            break;
        default: /* SIM_TRACE_RETRANSMIT and later kinds: not drawn yet */
            break;
        }
    }
    /* One 1 ns slice per (party, ns) with message endpoints. */
    qsort(m, nm, sizeof(*m), cmp_member);
    for (size_t i = 0; i < nm;) {
        size_t j = i + 1;
        struct ev *e;

        while (j < nm && m[j].pid == m[i].pid && m[j].ts == m[i].ts) {
            j++;
        }
        e = ev_add(evs, &ne, m[i].pid, TID_MSG, m[i].ts, 1, EV_GROUP, 0, m[i].rec, i);
        e->count = j - i;
        i = j;
    }
    total = ne + (uint64_t)(4 + up + down) * (uint64_t)t->n_parties; /* + metadata */
    if (total > t->max_events) {
        t->certain = total;
        rc = MPCSIM_ELIMIT;
        goto out;
    }
    t->certain = total;
    qsort(evs, ne, sizeof(*evs), cmp_ev);
    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"mpcsim\",\"scenario\":", f);
    mpcsim_json_string(f, t->has_info ? t->scenario : "");
    fprintf(f, ",\"trial\":%d,\"seed\":\"%" PRIu64 "\",\"status\":", t->trial, t->seed);
    mpcsim_json_string(f, t->has_info ? t->status : "");
    fputs(",\"clock\":\"simulated time, microseconds\"},\n\"traceEvents\":[\n", f);
    for (int i = 0; i < t->n_parties; i++) {
        put_meta(f, "process_name", i + 1, 0, "name", t->labels[i], 0, 0);
        fputs(",\n", f);
        put_meta(f, "process_sort_index", i + 1, 0, "sort_index", NULL, 1, i + 1);
        fputs(",\n", f);
        put_meta(f, "thread_name", i + 1, TID_CPU, "name", "cpu", 0, 0);
        fputs(",\n", f);
        put_meta(f, "thread_name", i + 1, TID_MSG, "name", "messages", 0, 0);
        if (up) {
            fputs(",\n", f);
            put_meta(f, "thread_name", i + 1, TID_UP, "name", "uplink", 0, 0);
        }
        if (down) {
            fputs(",\n", f);
            put_meta(f, "thread_name", i + 1, TID_DOWN, "name", "downlink", 0, 0);
        }
        fputs(i + 1 < t->n_parties || ne > 0 ? ",\n" : "\n", f);
    }
    for (size_t i = 0; i < ne; i++) {
        put_event(f, t, m, &evs[i]);
        fputs(i + 1 < ne ? ",\n" : "\n", f);
    }
    fputs("]}\n", f);
    rc = 0;
out:
    mpcsim_free(m);
    mpcsim_free(evs);
    return rc;
}
