/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/commands.c - `mpcsim run`, `mpcsim sweep` and `mpcsim validate`.
 *
 * All three load a scenario the same way (load.h): `--seed` and
 * `--trials` become `--set`s applied after the user's.
 *
 * run and sweep share one executor: the (point, trial) pairs are a task
 * list that N threads pull from with an atomic counter; each result lands
 * in its own slot, and output is written after all tasks end, in task
 * order.  So the files are identical for any -j, and any trial can be
 * replayed alone: its seed depends on (seed, point, trial) only.
 */
#include "sim/cli/commands.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef MPCSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "common/alloc.h"
#include "sim/cli/diag.h"
#include "sim/cli/load.h"
#include "sim/cli/registry.h"
#include "sim/cli/results.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/ytree.h"

#define MAX_SETS CLI_MAX_SETS
#define MAX_SWEEP_KEYS CLI_MAX_SWEEP_KEYS
#define MAX_JOBS 256

static int
parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long x;

    errno = 0;
    x = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

/* "512M", "2G", "1.5g", "100000000" -> bytes; 0 on a bad value. */
static size_t
parse_size(const char *s)
{
    char *end = NULL;
    double x;
    double mult = 1;

    errno = 0;
    x = strtod(s, &end);
    if (errno != 0 || end == s || !(x > 0)) {
        return 0;
    }
    if (*end == 'k' || *end == 'K') {
        mult = 1024.0;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        mult = 1024.0 * 1024;
        end++;
    } else if (*end == 'g' || *end == 'G') {
        mult = 1024.0 * 1024 * 1024;
        end++;
    }
    if (*end == 'B' || *end == 'b') {
        end++;
    }
    if (*end != '\0' || x * mult < 1024 * 1024 || x * mult > 1e15) {
        return 0;
    }
    return (size_t)(x * mult);
}

static FILE *
open_out(const char *path)
{
    if (strcmp(path, "-") == 0) {
        return stdout;
    }
    return fopen(path, "w");
}

static int
close_out(FILE *f)
{
    if (f == stdout) {
        return fflush(f);
    }
    return fclose(f);
}

/* see commands.h */
int
cli_mpi_rank(void)
{
#ifdef MPCSIM_HAVE_MPI
    int inited = 0;
    int rank = 0;

    MPI_Initialized(&inited);
    if (inited) {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    }
    return rank;
#else
    return 0;
#endif
}

/* ---- options shared by run and sweep --------------------------------- */

struct exec_opts {
    const char *cmd; /* "run" or "sweep" */
    const char *path;
    char *sets[MAX_SETS + 2];
    size_t n_sets;
    char seed_set[64];
    char trials_set[64];
    const char *csv_path;
    const char *json_path;
    const char *summary_path; /* sweep: aggregate CSV */
    int jobs;
    int quiet;
    int skip_invalid;
    const char *max_memory; /* as given, for messages */
};

static void
exec_usage(FILE *f, const char *cmd)
{
    if (strcmp(cmd, "run") == 0) {
        fprintf(f, "usage: mpcsim run SCENARIO.yaml [--seed N] [--trials N] [--set KEY=VALUE]...\n"
                   "                  [--csv FILE] [--json FILE] [-j N] [--quiet]\n"
                   "                  [--max-memory SIZE] [--secure-random]\n"
                   "\n"
                   "Runs every trial (and every sweep point) of the scenario, prints a\n"
                   "summary per point to stdout and writes one row per trial to --csv /\n"
                   "--json ('-' = stdout).\n");
    } else {
        fprintf(f, "usage: mpcsim sweep SCENARIO.yaml [-j N] [--csv FILE] [--json FILE]\n"
                   "                    [--summary FILE] [--skip-invalid] [--seed N]\n"
                   "                    [--trials N] [--set KEY=VALUE]... [--quiet]\n"
                   "\n"
                   "Runs the cartesian product of the scenario's `sweep` map x trials on\n"
                   "N threads (default: all cores; results do not depend on N), writes\n"
                   "per-trial rows (--csv/--json) and prints, per point, the mean, sd,\n"
                   "median, p95 and 95%% confidence interval of every numeric column;\n"
                   "--summary writes that table as CSV.  Under mpirun (MPI build) the\n"
                   "points are spread over the ranks and rank 0 writes the files.\n");
    }
    fprintf(f, "--max-memory SIZE (e.g. 2G) stops the run cleanly, exit 2, when the\n"
               "simulation would need more memory than that.\n"
               "--secure-random keys protocol randomness (shares, masks, keys) from the OS\n"
               "instead of the seed: outputs stay checked, but rows no longer replay.\n"
               "--set overrides any scenario key by its dotted path, e.g.\n"
               "  --set parties=20 --set network.latency.ms=40 --set protocol.threshold=3\n"
               "Exit: 0 ok, 1 a trial ended in wrong_output, 2 bad input.\n");
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int
exec_parse(struct exec_opts *o, const char *cmd, int argc, char **argv)
{
    uint64_t x = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof(*o));
    o->cmd = cmd;
    o->jobs = cores > 0 ? (int)(cores < MAX_JOBS ? cores : MAX_JOBS) : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            exec_usage(stdout, cmd);
            return 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
            continue;
        } else if (strcmp(a, "--skip-invalid") == 0) {
            o->skip_invalid = 1;
            continue;
        } else if (strcmp(a, "--secure-random") == 0) {
            runner_set_secure_random(1);
            continue;
        } else if (a[0] != '-' || a[1] == '\0') {
            if (o->path != NULL) {
                fprintf(stderr, "mpcsim %s: one scenario at a time (got '%s' and '%s')\n", cmd,
                        o->path, a);
                return 2;
            }
            o->path = a;
            continue;
        }
        if (val == NULL) {
            fprintf(stderr, "mpcsim %s: %s needs a value (see mpcsim %s --help)\n", cmd, a, cmd);
            return 2;
        }
        i++;
        if (strcmp(a, "--seed") == 0) {
            if (!parse_u64(val, &x)) {
                fprintf(stderr, "mpcsim %s: --seed expects an unsigned integer, got '%s'\n", cmd,
                        val);
                return 2;
            }
            snprintf(o->seed_set, sizeof(o->seed_set), "seed=%llu", (unsigned long long)x);
        } else if (strcmp(a, "--trials") == 0) {
            if (!parse_u64(val, &x) || x < 1 || x > SCENARIO_MAX_TRIALS) {
                fprintf(stderr, "mpcsim %s: --trials expects 1..%d, got '%s'\n", cmd,
                        SCENARIO_MAX_TRIALS, val);
                return 2;
            }
            snprintf(o->trials_set, sizeof(o->trials_set), "trials=%llu", (unsigned long long)x);
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (!parse_u64(val, &x) || x < 1 || x > MAX_JOBS) {
                fprintf(stderr, "mpcsim %s: -j expects 1..%d threads, got '%s'\n", cmd, MAX_JOBS,
                        val);
                return 2;
            }
            o->jobs = (int)x;
        } else if (strcmp(a, "--max-memory") == 0) {
            size_t bytes = parse_size(val);

            if (bytes == 0) {
                fprintf(stderr,
                        "mpcsim %s: --max-memory expects a size of at least 1M, such as "
                        "512M or 4G, got '%s'\n",
                        cmd, val);
                return 2;
            }
            mpcsim_alloc_set_budget(bytes);
            o->max_memory = val;
        } else if (strcmp(a, "--set") == 0) {
            if (o->n_sets >= MAX_SETS) {
                fprintf(stderr, "mpcsim %s: at most %d --set options\n", cmd, MAX_SETS);
                return 2;
            }
            o->sets[o->n_sets++] = (char *)val;
        } else if (strcmp(a, "--csv") == 0) {
            o->csv_path = val;
        } else if (strcmp(a, "--json") == 0) {
            o->json_path = val;
        } else if (strcmp(a, "--summary") == 0 && strcmp(cmd, "sweep") == 0) {
            o->summary_path = val;
        } else {
            fprintf(stderr, "mpcsim %s: unknown option '%s' (see mpcsim %s --help)\n", cmd, a, cmd);
            return 2;
        }
    }
    if (o->path == NULL) {
        exec_usage(stderr, cmd);
        return 2;
    }
    /* --seed and --trials act last, over the file and every --set. */
    if (o->seed_set[0] != '\0') {
        o->sets[o->n_sets++] = o->seed_set;
    }
    if (o->trials_set[0] != '\0') {
        o->sets[o->n_sets++] = o->trials_set;
    }
    return 0;
}

/* ---- the executor ---------------------------------------------------- */

struct exec {
    const struct cli_loaded *l;
    size_t n_tasks;
    uint32_t *task_point;
    uint32_t *task_trial;
    struct trial_row *rows; /* n_tasks, in task order */
    atomic_size_t next;
    atomic_size_t done;
    atomic_int stop;
    pthread_mutex_t lock; /* guards err */
    int err;              /* first failure: MPCSIM_E* */
    char errmsg[600];
};

static void *
exec_worker(void *arg)
{
    struct exec *ex = arg;

    while (!atomic_load(&ex->stop)) {
        size_t i = atomic_fetch_add(&ex->next, 1);
        const struct scenario *sc = NULL;
        char err[512] = "";
        uint64_t seed;
        int rc;

        if (i >= ex->n_tasks) {
            break;
        }
        sc = ex->l->points[ex->task_point[i]];
        seed = runner_trial_seed(sc, ex->task_point[i], ex->task_trial[i]);
        rc = runner_run_trial(&ex->rows[i], sc, (int)ex->task_trial[i], seed, err, sizeof(err));
        if (rc < 0) {
            pthread_mutex_lock(&ex->lock);
            if (ex->err == 0) {
                ex->err = rc;
                snprintf(ex->errmsg, sizeof(ex->errmsg), "%s", err[0] ? err : mpcsim_strerror(rc));
            }
            pthread_mutex_unlock(&ex->lock);
            atomic_store(&ex->stop, 1);
            break;
        }
        atomic_fetch_add(&ex->done, 1);
    }
    return NULL;
}

static double
mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress(const struct exec *ex, double t0, size_t total, int final)
{
    size_t done = atomic_load(&ex->done);
    double el = mono_s() - t0;
    double rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    int width = 30;
    int fill = total > 0 ? (int)((double)width * (double)done / (double)total) : width;

    fprintf(stderr, "\r[%.*s%*s] %zu/%zu trials, %.1f trials/s, ETA %.0f s   ", fill,
            "##############################", width - fill, "", done, total, rate, eta);
    if (final) {
        fputc('\n', stderr);
    }
    fflush(stderr);
}

/* Run tasks [from, to) on o->jobs threads; errors land in ex->err. */
static void
exec_run_range(struct exec *ex, const struct exec_opts *o, size_t from, size_t to)
{
    pthread_t threads[MAX_JOBS];
    int started = 0;
    int show = isatty(2) && !o->quiet;
    double t0 = mono_s();
    int jobs = o->jobs;
    size_t saved_n = ex->n_tasks;

    atomic_store(&ex->next, from);
    atomic_store(&ex->done, 0);
    ex->n_tasks = to; /* workers stop at `to` */
    if ((size_t)jobs > to - from) {
        jobs = (int)(to - from);
    }
    for (int j = 0; j < jobs; j++) {
        if (pthread_create(&threads[j], NULL, exec_worker, ex) != 0) {
            break;
        }
        started++;
    }
    if (started == 0) {
        exec_worker(ex); /* no thread could start: run here */
    }
    while (show && started > 0 && atomic_load(&ex->done) < to - from && !atomic_load(&ex->stop)) {
        struct timespec ts = {0, 200 * 1000 * 1000};

        progress(ex, t0, to - from, 0);
        nanosleep(&ts, NULL);
    }
    for (int j = 0; j < started; j++) {
        pthread_join(threads[j], NULL);
    }
    if (show) {
        progress(ex, t0, to - from, 1);
    }
    ex->n_tasks = saved_n;
}

#ifdef MPCSIM_HAVE_MPI
static int mpi_execute(struct exec *ex, const struct exec_opts *o, int rank, int size);
#endif

/* Run every task (over MPI ranks when launched so).  0 or an error. */
static int
exec_run(struct exec *ex, const struct exec_opts *o)
{
#ifdef MPCSIM_HAVE_MPI
    int inited = 0;

    MPI_Initialized(&inited);
    if (inited) {
        int size = 1;
        int rank = 0;

        MPI_Comm_size(MPI_COMM_WORLD, &size);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (size > 1) {
            return mpi_execute(ex, o, rank, size);
        }
    }
#endif
    exec_run_range(ex, o, 0, ex->n_tasks);
    return ex->err;
}

/* ---- MPI: points spread over ranks ------------------------------------ */

#ifdef MPCSIM_HAVE_MPI
/*
 * Rank 0 hands out sweep points on request (a dynamic queue: points differ
 * a lot in cost) and collects the rows; the other ranks run all trials of
 * each point they get, with their own -j threads, and send the rows back
 * serialized.  Rank 0 writes the files from the same task-ordered rows as
 * a single process, so they are identical to it (but for wall_ms).
 */
enum { TAG_WORK = 1, TAG_STOP, TAG_RESULT };

struct buf {
    uint8_t *p;
    size_t len, cap;
    int oom;
};

static void
buf_put(struct buf *b, const void *data, size_t n)
{
    if (b->oom) {
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        uint8_t *np;

        while (cap < b->len + n) {
            cap *= 2;
        }
        np = mpcsim_realloc(b->p, cap);
        if (np == NULL) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void
buf_str(struct buf *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);

    buf_put(b, &n, sizeof(n));
    buf_put(b, s, n);
}

static int
get(const uint8_t **p, const uint8_t *end, void *out, size_t n)
{
    if ((size_t)(end - *p) < n) {
        return 0;
    }
    memcpy(out, *p, n);
    *p += n;
    return 1;
}

static char *
get_str(const uint8_t **p, const uint8_t *end)
{
    uint32_t n = 0;
    char *s = NULL;

    if (!get(p, end, &n, sizeof(n)) || (size_t)(end - *p) < n) {
        return NULL;
    }
    s = mpcsim_malloc((size_t)n + 1);
    if (s != NULL) {
        memcpy(s, *p, n);
        s[n] = '\0';
        *p += n;
    }
    return s;
}

/* The fixed-size part of a row: everything but the four strings. */
static void
row_put(struct buf *b, const struct trial_row *r)
{
    struct trial_row fixed = *r;

    fixed.output = fixed.expected = fixed.accused = fixed.reason = NULL;
    buf_put(b, &fixed, sizeof(fixed));
    buf_str(b, r->output);
    buf_str(b, r->expected);
    buf_str(b, r->accused);
    buf_str(b, r->reason);
}

static int
row_get(struct trial_row *r, const uint8_t **p, const uint8_t *end)
{
    if (!get(p, end, r, sizeof(*r))) {
        return 0;
    }
    r->output = get_str(p, end);
    r->expected = get_str(p, end);
    r->accused = get_str(p, end);
    r->reason = get_str(p, end);
    return r->output != NULL && r->expected != NULL && r->accused != NULL && r->reason != NULL;
}

/* First task of point p (tasks are in point order). */
static size_t
point_first_task(const struct exec *ex, size_t p)
{
    size_t lo = 0;

    while (lo < ex->n_tasks && ex->task_point[lo] < p) {
        lo++;
    }
    return lo;
}

static int
mpi_execute(struct exec *ex, const struct exec_opts *o, int rank, int size)
{
    const struct cli_loaded *l = ex->l;

    if (rank == 0) {
        size_t next = 0;
        int active = size - 1;

        while (active > 0) {
            MPI_Status st;
            int len = 0;
            uint8_t *msg = NULL;

            MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
            MPI_Get_count(&st, MPI_BYTE, &len);
            msg = mpcsim_malloc(len > 0 ? (size_t)len : 1);
            if (msg == NULL) {
                MPI_Abort(MPI_COMM_WORLD, 2);
            }
            MPI_Recv(msg, len, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            if (len > 0) {
                const uint8_t *p = msg;
                const uint8_t *end = msg + len;
                uint64_t point = 0;
                int32_t err = 0;

                get(&p, end, &point, sizeof(point));
                get(&p, end, &err, sizeof(err));
                if (err < 0) {
                    char *m = get_str(&p, end);

                    if (ex->err == 0) {
                        ex->err = err;
                        snprintf(ex->errmsg, sizeof(ex->errmsg), "%s", m ? m : "trial failed");
                    }
                    mpcsim_free(m);
                    next = l->sweep.n_points; /* stop handing out work */
                } else {
                    size_t first = point_first_task(ex, point);

                    for (size_t t = 0; t < (size_t)l->points[point]->trials; t++) {
                        if (!row_get(&ex->rows[first + t], &p, end)) {
                            MPI_Abort(MPI_COMM_WORLD, 2);
                        }
                    }
                }
            }
            mpcsim_free(msg);
            while (next < l->sweep.n_points && l->points[next] == NULL) {
                next++;
            }
            if (next < l->sweep.n_points) {
                uint64_t p = next++;

                MPI_Send(&p, 1, MPI_UINT64_T, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
            } else {
                MPI_Send(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
                active--;
            }
        }
        return ex->err;
    }
    /* A worker: an empty result is the first request. */
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    for (;;) {
        MPI_Status st;
        uint64_t point = 0;
        struct buf b = {NULL, 0, 0, 0};
        size_t first;
        int32_t err = 0;

        MPI_Recv(&point, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            break;
        }
        first = point_first_task(ex, point);
        exec_run_range(ex, o, first, first + (size_t)l->points[point]->trials);
        err = ex->err;
        buf_put(&b, &point, sizeof(point));
        buf_put(&b, &err, sizeof(err));
        if (err < 0) {
            buf_str(&b, ex->errmsg);
        } else {
            for (size_t t = 0; t < (size_t)l->points[point]->trials; t++) {
                row_put(&b, &ex->rows[first + t]);
            }
        }
        if (b.oom || b.len > INT32_MAX) {
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        MPI_Send(b.p, (int)b.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        mpcsim_free(b.p);
        ex->err = 0; /* rank 0 decides */
    }
    return 0;
}
#endif

/* ---- aggregates (sweep) ---------------------------------------------- */

struct agg_col {
    const char *name;
    double (*get)(const struct trial_row *r);
};

static double
g_latency(const struct trial_row *r)
{
    return r->latency_ms;
}
static double
g_latency50(const struct trial_row *r)
{
    return r->latency_p50_ms;
}
static double
g_rounds(const struct trial_row *r)
{
    return r->rounds;
}
static double
g_messages(const struct trial_row *r)
{
    return (double)r->messages;
}
static double
g_bytes(const struct trial_row *r)
{
    return (double)r->bytes;
}
static double
g_maxp(const struct trial_row *r)
{
    return (double)r->max_party_bytes;
}
static double
g_compute(const struct trial_row *r)
{
    return r->compute_ms;
}
static double
g_dropped(const struct trial_row *r)
{
    return r->dropped;
}
static double
g_included(const struct trial_row *r)
{
    return r->included;
}
static double
g_false(const struct trial_row *r)
{
    return r->false_accusations;
}
static double
g_events(const struct trial_row *r)
{
    return (double)r->events;
}
static double
g_wall(const struct trial_row *r)
{
    return r->wall_ms;
}
static double
g_ok(const struct trial_row *r)
{
    return r->status == TRIAL_OK;
}

static const struct agg_col agg_cols[] = {
    {"success_rate", g_ok},      {"latency_ms", g_latency},      {"latency_p50_ms", g_latency50},
    {"rounds", g_rounds},        {"messages", g_messages},       {"bytes", g_bytes},
    {"max_party_bytes", g_maxp}, {"compute_ms", g_compute},      {"dropped", g_dropped},
    {"included", g_included},    {"false_accusations", g_false}, {"events", g_events},
    {"wall_ms", g_wall},
};
#define N_AGG ((int)(sizeof(agg_cols) / sizeof(agg_cols[0])))

/* Print (and write to `csv`, if any) the aggregates of one point. */
static int
point_aggregates(FILE *out, FILE *csv, const struct results_point *pt, const struct trial_row *rows,
                 size_t n, int header)
{
    double *v = mpcsim_calloc(n, sizeof(double));
    size_t counts[3] = {0, 0, 0};
    char label[512] = "";

    if (v == NULL) {
        return MPCSIM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        counts[rows[i].status]++;
    }
    for (size_t k = 0; k < pt->n_sweep; k++) {
        size_t used = strlen(label);

        snprintf(label + used, sizeof(label) - used, "%s%s=%s", k ? ", " : "", pt->sweep_keys[k],
                 pt->sweep_values[k]);
    }
    if (csv != NULL && header) {
        for (size_t k = 0; k < pt->n_sweep; k++) {
            fprintf(csv, "%s,", pt->sweep_keys[k]);
        }
        fprintf(csv, "scenario,protocol,parties,column,n,mean,sd,median,p95,ci95_low,ci95_high,"
                     "ok,abort,wrong_output\n");
    }
    if (out != NULL) {
        fprintf(out, "%s%s%s: %zu trials: ok %zu, abort %zu, wrong_output %zu%s\n", pt->sc->name,
                label[0] ? " | " : "", label, n, counts[0], counts[1], counts[2],
                counts[2] ? "  <-- SECURITY FAILURE" : "");
        fprintf(out, "  %-18s %14s %14s %14s %14s %29s\n", "column", "mean", "sd", "median", "p95",
                "95% CI of the mean");
    }
    for (int c = 0; c < N_AGG; c++) {
        struct results_agg a;

        for (size_t i = 0; i < n; i++) {
            v[i] = agg_cols[c].get(&rows[i]);
        }
        results_aggregate(&a, v, n);
        if (out != NULL) {
            fprintf(out, "  %-18s %14.6g %14.6g %14.6g %14.6g   [%12.6g, %12.6g]\n",
                    agg_cols[c].name, a.mean, a.sd, a.median, a.p95, a.ci_lo, a.ci_hi);
        }
        if (csv != NULL) {
            for (size_t k = 0; k < pt->n_sweep; k++) {
                fprintf(csv, "%s,", pt->sweep_values[k]);
            }
            fprintf(csv, "%s,%s,%d,%s,%zu,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%zu,%zu,%zu\n",
                    pt->sc->name, pt->sc->protocol.kind, pt->sc->parties, agg_cols[c].name, a.n,
                    a.mean, a.sd, a.median, a.p95, a.ci_lo, a.ci_hi, counts[0], counts[1],
                    counts[2]);
        }
    }
    mpcsim_free(v);
    return 0;
}

/* ---- run and sweep ---------------------------------------------------- */

static int
execute(const char *cmd, int argc, char **argv)
{
    struct exec_opts o;
    struct cli_loaded l;
    struct exec ex;
    FILE *csv = NULL;
    FILE *json = NULL;
    FILE *summary = NULL;
    int status = CLI_EXIT_OK;
    int first_json = 1;
    int first_summary = 1;
    const char *extra[RUNNER_MAX_STATS + 1];
    size_t n_extra = 0;
    int rc;

    rc = exec_parse(&o, cmd, argc, argv);
    if (rc != 0) {
        return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (cli_load(&l, o.path, o.sets, o.n_sets, o.skip_invalid) < 0) {
        return CLI_EXIT_USAGE;
    }
    memset(&ex, 0, sizeof(ex));
    ex.l = &l;
    pthread_mutex_init(&ex.lock, NULL);
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        if (l.points[p] != NULL) {
            ex.n_tasks += (size_t)l.points[p]->trials;
        }
    }
    if (ex.n_tasks > (size_t)SCENARIO_MAX_TRIALS * 10) {
        fprintf(stderr, "mpcsim %s: %zu trials in all; the limit is %d\n", cmd, ex.n_tasks,
                SCENARIO_MAX_TRIALS * 10);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    ex.task_point = mpcsim_calloc(ex.n_tasks, sizeof(uint32_t));
    ex.task_trial = mpcsim_calloc(ex.n_tasks, sizeof(uint32_t));
    ex.rows = mpcsim_calloc(ex.n_tasks, sizeof(*ex.rows));
    if (ex.task_point == NULL || ex.task_trial == NULL || ex.rows == NULL) {
        fprintf(stderr, "mpcsim %s: out of memory\n", cmd);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    {
        size_t i = 0;

        for (size_t p = 0; p < l.sweep.n_points; p++) {
            for (int t = 0; l.points[p] != NULL && t < l.points[p]->trials; t++) {
                ex.task_point[i] = (uint32_t)p;
                ex.task_trial[i] = (uint32_t)t;
                i++;
            }
        }
    }
    if (cli_mpi_rank() != 0) {
        o.csv_path = o.json_path = o.summary_path = NULL;
        o.quiet = 1;
    }
    if (o.csv_path != NULL && (csv = open_out(o.csv_path)) == NULL) {
        fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", cmd, o.csv_path, strerror(errno));
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.json_path != NULL && (json = open_out(o.json_path)) == NULL) {
        fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", cmd, o.json_path, strerror(errno));
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.summary_path != NULL && (summary = open_out(o.summary_path)) == NULL) {
        fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", cmd, o.summary_path, strerror(errno));
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (exec_run(&ex, &o) < 0) {
        if (ex.err == MPCSIM_ENOMEM && mpcsim_alloc_budget_hit()) {
            fprintf(stderr,
                    "%s: error: the memory limit (--max-memory %s) was reached; the run "
                    "stopped cleanly. Fewer parties or shorter vectors need less, or raise "
                    "the limit\n",
                    o.path, o.max_memory);
        } else {
            fprintf(stderr, "%s: error: %s\n", o.path, ex.errmsg);
        }
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (cli_mpi_rank() != 0) {
        goto out; /* rank 0 writes everything */
    }
    /* Protocol columns: the union over every point (a sweep may mix protocols). */
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        const struct registry_entry *re =
            l.points[p] != NULL ? registry_lookup(l.points[p]->protocol.kind) : NULL;

        for (size_t c = 0; re != NULL && re->columns != NULL && re->columns[c] != NULL; c++) {
            size_t k = 0;

            while (k < n_extra && strcmp(extra[k], re->columns[c]) != 0) {
                k++;
            }
            if (k == n_extra && n_extra + 1 < sizeof(extra) / sizeof(extra[0])) {
                extra[n_extra++] = re->columns[c];
            }
        }
    }
    extra[n_extra] = NULL;
    /* Output, in task order. */
    if (json != NULL) {
        results_json_begin(json);
    }
    for (size_t i = 0, p = 0; p < l.sweep.n_points; p++) {
        const struct scenario *sc = l.points[p];
        char values[MAX_SWEEP_KEYS][128];
        const char *value_ptrs[MAX_SWEEP_KEYS];
        struct results_point pt = {sc, l.sweep.n_keys, l.sweep.keys, value_ptrs};
        size_t n;

        if (sc == NULL) {
            continue;
        }
        n = (size_t)sc->trials;
        for (size_t k = 0; k < l.sweep.n_keys; k++) {
            scenario_sweep_value(values[k], sizeof(values[k]), &l.sweep, k, p);
            value_ptrs[k] = values[k];
        }
        if (csv != NULL && i == 0) {
            results_csv_header(csv, &pt, extra);
        }
        for (size_t t = 0; t < n; t++) {
            const struct trial_row *r = &ex.rows[i + t];

            if (r->status == TRIAL_WRONG_OUTPUT) {
                status = CLI_EXIT_WRONG;
                fprintf(stderr, "mpcsim: SECURITY FAILURE: %s trial %d (seed %llu): %s\n", sc->name,
                        r->trial, (unsigned long long)r->seed, r->reason);
            }
            if (csv != NULL) {
                results_csv_row(csv, &pt, r, extra);
            }
            if (json != NULL) {
                results_json_row(json, &pt, r, extra, first_json);
                first_json = 0;
            }
        }
        if (strcmp(cmd, "run") == 0) {
            if (!o.quiet) {
                results_summary(stdout, &pt, &ex.rows[i], n);
            }
        } else if (point_aggregates(o.quiet ? NULL : stdout, summary, &pt, &ex.rows[i], n,
                                    first_summary) < 0) {
            status = CLI_EXIT_USAGE;
        }
        first_summary = 0;
        i += n;
    }
    if (json != NULL) {
        results_json_end(json);
    }
out:
    if (csv != NULL && close_out(csv) != 0) {
        fprintf(stderr, "mpcsim %s: error writing %s\n", cmd, o.csv_path);
        status = CLI_EXIT_USAGE;
    }
    if (json != NULL && close_out(json) != 0) {
        fprintf(stderr, "mpcsim %s: error writing %s\n", cmd, o.json_path);
        status = CLI_EXIT_USAGE;
    }
    if (summary != NULL && close_out(summary) != 0) {
        fprintf(stderr, "mpcsim %s: error writing %s\n", cmd, o.summary_path);
        status = CLI_EXIT_USAGE;
    }
    if (ex.rows != NULL) {
        for (size_t i = 0; i < ex.n_tasks; i++) {
            trial_row_clear(&ex.rows[i]);
        }
    }
    mpcsim_free(ex.rows);
    mpcsim_free(ex.task_point);
    mpcsim_free(ex.task_trial);
    pthread_mutex_destroy(&ex.lock);
    cli_loaded_clear(&l);
    return status;
}

/* see commands.h */
int
cli_run(int argc, char **argv)
{
    return execute("run", argc, argv);
}

/* see commands.h */
int
cli_sweep(int argc, char **argv)
{
    return execute("sweep", argc, argv);
}

/* see commands.h */
int
cli_validate(int argc, char **argv)
{
    int status = CLI_EXIT_OK;
    int files = 0;

    for (int i = 1; i < argc; i++) {
        struct cli_loaded l;

        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: mpcsim validate SCENARIO.yaml...\n"
                   "\n"
                   "Checks each scenario (every sweep point) without running it and\n"
                   "prints FILE:LINE:COL: error: ... for each problem.\n"
                   "Exit: 0 all valid, 2 any error.\n");
            return CLI_EXIT_OK;
        }
        files++;
        if (cli_load(&l, argv[i], NULL, 0, 0) < 0) {
            status = CLI_EXIT_USAGE;
            continue;
        }
        printf("%s: ok (%s, %d parties, %zu point%s x %d trial%s)\n", argv[i],
               l.points[0]->protocol.kind, l.points[0]->parties, l.sweep.n_points,
               l.sweep.n_points == 1 ? "" : "s", l.points[0]->trials,
               l.points[0]->trials == 1 ? "" : "s");
        cli_loaded_clear(&l);
    }
    if (files == 0) {
        fprintf(stderr, "usage: mpcsim validate SCENARIO.yaml...\n");
        return CLI_EXIT_USAGE;
    }
    return status;
}
