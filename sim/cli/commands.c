/* SPDX-License-Identifier: MIT */
/*
 * sim/cli/commands.c - `mpcsim run`, `mpcsim sweep` and `mpcsim validate`.
 *
 * All three load a scenario the same way (load.h): `--seed` and
 * `--trials` become `--set`s applied after the user's.  Options are read
 * with getopt_long, so `--trials=2` and `--trials 2` both work.
 *
 * run and sweep share one executor: the (point, trial) pairs are a task
 * list that N threads pull from with an atomic counter; each result lands
 * in its own slot, and the main thread streams the contiguous prefix of
 * finished tasks to the output files in task order (a reorder buffer),
 * so the files are identical for any -j, and an interrupted run still
 * holds exactly the first rows of a full run.  Output files are written
 * through outfile.h: temporary file, rename when complete, TARGET.partial
 * after SIGINT/SIGTERM/SIGHUP.  A trial's seed depends on (seed, point,
 * trial) only, and `run --trial-seed SEED` replays one row.
 */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/commands.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef MPCSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "common/alloc.h"
#include "common/escape.h"
#include "sim/cli/diag.h"
#include "sim/cli/load.h"
#include "sim/cli/outfile.h"
#include "sim/cli/perparty.h"
#include "sim/cli/registry.h"
#include "sim/cli/results.h"
#include "sim/cli/runner.h"
#include "sim/cli/scenario.h"
#include "sim/cli/stats.h"
#include "sim/cli/trace.h"
#include "sim/cli/ytree.h"

#define MAX_SETS CLI_MAX_SETS
#define MAX_SWEEP_KEYS CLI_MAX_SWEEP_KEYS
#define MAX_JOBS 256

/* A decimal (no leading zero) or 0x-hex unsigned 64-bit integer, nothing else. */
static int
parse_u64(const char *s, uint64_t *out)
{
    uint64_t x = 0;
    unsigned base = 10;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1] != '\0') {
        return 0; /* 010: octal to some readers, decimal to others */
    }
    if (*s == '\0') {
        return 0;
    }
    for (; *s != '\0'; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9') {
            d = (unsigned)(*s - '0');
        } else if (base == 16 && *s >= 'a' && *s <= 'f') {
            d = (unsigned)(*s - 'a' + 10);
        } else if (base == 16 && *s >= 'A' && *s <= 'F') {
            d = (unsigned)(*s - 'A' + 10);
        } else {
            return 0;
        }
        if (x > (UINT64_MAX - d) / base) {
            return 0;
        }
        x = x * base + d;
    }
    *out = x;
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
    size_t n_user_sets; /* the user's --set options: sets[0, n_user_sets) */
    char seed_set[64];
    char trials_set[64];
    const char *csv_path;
    const char *json_path;
    const char *summary_path;  /* sweep: aggregate CSV */
    const char *perparty_path; /* --per-party / --per-party-json */
    int perparty_json;         /* 1: write it as JSON */
    const char *paired_by;     /* sweep: the key of paired comparisons */
    int jobs;
    int quiet;
    int skip_invalid;
    int has_trial_seed; /* run --trial-seed: one trial per point with this seed */
    uint64_t trial_seed;
    int has_trial; /* run --trial K: only trial K of each point */
    int trial;
    const char *trace_path; /* run --trace FILE.json */
    uint64_t trace_max_events;
    const char *max_memory; /* as given, for messages */
};

static void
exec_usage(FILE *f, const char *cmd)
{
    if (strcmp(cmd, "run") == 0) {
        fprintf(f,
                "usage: mpcsim run SCENARIO.yaml [--seed N] [--trials N] [--set KEY=VALUE]...\n"
                "                  [--csv FILE] [--json FILE] [--per-party FILE] [-j N] [--quiet]\n"
                "                  [--max-memory SIZE] [--secure-random] [--trial-seed SEED]\n"
                "                  [--trial K] [--trace FILE.json] [--trace-max-events N]\n"
                "\n"
                "Runs every trial (and every sweep point) of the scenario, prints a\n"
                "summary per point and writes one row per trial to --csv / --json\n"
                "('-' = stdout; the summary then goes to stderr).\n"
                "--trial-seed SEED runs one trial with that seed (a row's `seed`) at each\n"
                "point: it reproduces the row; select its point with --set KEY=VALUE.\n"
                "--trial K runs only trial K (0-based) of each point.\n"
                "--trace FILE.json writes the timeline of that one trial (--trial K or\n"
                "--trial-seed SEED, one sweep point) in the Chrome Trace Event Format, for\n"
                "Perfetto UI or chrome://tracing: a track per party, compute as slices,\n"
                "each message as a flow, link busy intervals, faults as instants; time is\n"
                "simulated microseconds.  A trace of more than --trace-max-events N events\n"
                "(default 1000000) is refused.  'mpcsim plot --timeline FILE.json' draws it.\n");
    } else {
        fprintf(f, "usage: mpcsim sweep SCENARIO.yaml [-j N] [--csv FILE] [--json FILE] "
                   "[--per-party FILE]\n"
                   "                    [--summary FILE] [--paired-by KEY] [--skip-invalid]\n"
                   "                    [--seed N] [--trials N] [--set KEY=VALUE]... [--quiet]\n"
                   "\n"
                   "Runs the cartesian product of the scenario's `sweep` map x trials on\n"
                   "N threads (default: all cores; results do not depend on N), writes\n"
                   "per-trial rows (--csv/--json, '-' = stdout) and prints, per point, the\n"
                   "status counts and the statistics of every numeric column over the\n"
                   "trials it applies to (latency over ok trials), with 95%% intervals\n"
                   "(Wilson for rates, Student's t for means), and the paired difference\n"
                   "of each column against the first value of --paired-by KEY (default:\n"
                   "the first sweep key); --summary writes that table as CSV.  Under\n"
                   "mpirun (MPI build) the points are spread over the ranks and rank 0\n"
                   "writes the files.\n");
    }
    fprintf(f, "--per-party FILE writes one row per (trial, party): role, honest, when it\n"
               "crashed or dropped out, messages and bytes sent and received, modelled\n"
               "compute, output time, status, accusers; the additive dealer has a row of\n"
               "its own.  CSV, or JSON when FILE ends in .json (--per-party-json FILE).\n"
               "Output files are written whole or not at all: the previous file stays\n"
               "until the new one is complete.  On SIGINT/SIGTERM/SIGHUP the finished\n"
               "trials are saved as FILE.partial (exit 130/143/129).\n"
               "--max-memory SIZE (e.g. 2G) stops the run cleanly, exit 2, when the\n"
               "simulation would need more memory than that.\n"
               "--secure-random keys protocol randomness (shares, masks, keys) from the OS\n"
               "instead of the seed: outputs stay checked, but rows no longer replay.\n"
               "--set overrides any scenario key by its dotted path, e.g.\n"
               "  --set parties=20 --set network.latency.ms=40 --set protocol.threshold=3\n"
               "Options take their value as --opt VALUE or --opt=VALUE.\n"
               "Exit: 0 ok, 1 a trial ended in wrong_output, 2 bad input or a write error.\n");
}

enum {
    OPT_SEED = 256,
    OPT_TRIALS,
    OPT_SET,
    OPT_CSV,
    OPT_JSON,
    OPT_SUMMARY,
    OPT_PAIRED_BY,
    OPT_SKIP_INVALID,
    OPT_SECURE_RANDOM,
    OPT_MAX_MEMORY,
    OPT_TRIAL_SEED,
    OPT_PER_PARTY,
    OPT_PER_PARTY_JSON,
    OPT_TRIAL,
    OPT_TRACE,
    OPT_TRACE_MAX_EVENTS,
};

static const struct option run_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"jobs", required_argument, NULL, 'j'},
    {"seed", required_argument, NULL, OPT_SEED},
    {"trials", required_argument, NULL, OPT_TRIALS},
    {"set", required_argument, NULL, OPT_SET},
    {"csv", required_argument, NULL, OPT_CSV},
    {"json", required_argument, NULL, OPT_JSON},
    {"per-party", required_argument, NULL, OPT_PER_PARTY},
    {"per-party-json", required_argument, NULL, OPT_PER_PARTY_JSON},
    {"skip-invalid", no_argument, NULL, OPT_SKIP_INVALID},
    {"secure-random", no_argument, NULL, OPT_SECURE_RANDOM},
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {"trial-seed", required_argument, NULL, OPT_TRIAL_SEED},
    {"trial", required_argument, NULL, OPT_TRIAL},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"trace-max-events", required_argument, NULL, OPT_TRACE_MAX_EVENTS},
    {NULL, 0, NULL, 0},
};

static const struct option sweep_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"jobs", required_argument, NULL, 'j'},
    {"seed", required_argument, NULL, OPT_SEED},
    {"trials", required_argument, NULL, OPT_TRIALS},
    {"set", required_argument, NULL, OPT_SET},
    {"csv", required_argument, NULL, OPT_CSV},
    {"json", required_argument, NULL, OPT_JSON},
    {"per-party", required_argument, NULL, OPT_PER_PARTY},
    {"per-party-json", required_argument, NULL, OPT_PER_PARTY_JSON},
    {"summary", required_argument, NULL, OPT_SUMMARY},
    {"paired-by", required_argument, NULL, OPT_PAIRED_BY},
    {"skip-invalid", no_argument, NULL, OPT_SKIP_INVALID},
    {"secure-random", no_argument, NULL, OPT_SECURE_RANDOM},
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {NULL, 0, NULL, 0},
};

/* The name of the option whose getopt value is `val`, for messages. */
static const char *
option_name(const struct option *opts, int val, char *buf, size_t cap)
{
    for (size_t i = 0; opts[i].name != NULL; i++) {
        if (opts[i].val == val) {
            snprintf(buf, cap, "--%s", opts[i].name);
            return buf;
        }
    }
    snprintf(buf, cap, "-%c", val > 0 && val < 128 ? val : '?');
    return buf;
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int
exec_parse(struct exec_opts *o, const char *cmd, int argc, char **argv)
{
    const struct option *opts = strcmp(cmd, "run") == 0 ? run_options : sweep_options;
    uint64_t x = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char name[64];
    char esc[256];
    int c;

    memset(o, 0, sizeof(*o));
    o->cmd = cmd;
    o->jobs = cores > 0 ? (int)(cores < MAX_JOBS ? cores : MAX_JOBS) : 1;
    o->trace_max_events = CLI_TRACE_DEFAULT_MAX_EVENTS;
    optind = 0; /* a fresh scan (GNU and musl) */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hqj:", opts, NULL)) != -1) {
        const char *val = optarg;

        switch (c) {
        case 'h':
            exec_usage(stdout, cmd);
            return 1;
        case 'q':
            o->quiet = 1;
            break;
        case OPT_SKIP_INVALID:
            o->skip_invalid = 1;
            break;
        case OPT_SECURE_RANDOM:
            runner_set_secure_random(1);
            break;
        case OPT_SEED:
            if (!parse_u64(val, &x)) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr, "mpcsim %s: --seed expects an unsigned 64-bit integer, got '%s'\n",
                        cmd, esc);
                return 2;
            }
            snprintf(o->seed_set, sizeof(o->seed_set), "seed=%llu", (unsigned long long)x);
            break;
        case OPT_TRIAL_SEED:
            if (!parse_u64(val, &x)) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr,
                        "mpcsim %s: --trial-seed expects a row's seed (an unsigned 64-bit "
                        "integer), got '%s'\n",
                        cmd, esc);
                return 2;
            }
            o->has_trial_seed = 1;
            o->trial_seed = x;
            break;
        case OPT_TRIAL:
            if (!parse_u64(val, &x) || x >= SCENARIO_MAX_TRIALS) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr, "mpcsim %s: --trial expects a trial index 0..%d, got '%s'\n", cmd,
                        SCENARIO_MAX_TRIALS - 1, esc);
                return 2;
            }
            o->has_trial = 1;
            o->trial = (int)x;
            break;
        case OPT_TRACE:
            o->trace_path = val;
            break;
        case OPT_TRACE_MAX_EVENTS:
            if (!parse_u64(val, &x) || x < 1) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr,
                        "mpcsim %s: --trace-max-events expects a positive integer, got '%s'\n", cmd,
                        esc);
                return 2;
            }
            o->trace_max_events = x;
            break;
        case OPT_TRIALS:
            if (!parse_u64(val, &x) || x < 1 || x > SCENARIO_MAX_TRIALS) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr, "mpcsim %s: --trials expects 1..%d, got '%s'\n", cmd,
                        SCENARIO_MAX_TRIALS, esc);
                return 2;
            }
            snprintf(o->trials_set, sizeof(o->trials_set), "trials=%llu", (unsigned long long)x);
            break;
        case 'j':
            if (!parse_u64(val, &x) || x < 1 || x > MAX_JOBS) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr, "mpcsim %s: -j expects 1..%d threads, got '%s'\n", cmd, MAX_JOBS,
                        esc);
                return 2;
            }
            o->jobs = (int)x;
            break;
        case OPT_MAX_MEMORY: {
            size_t bytes = parse_size(val);

            if (bytes == 0) {
                mpcsim_escape(esc, sizeof(esc), val);
                fprintf(stderr,
                        "mpcsim %s: --max-memory expects a size of at least 1M, such as "
                        "512M or 4G, got '%s'\n",
                        cmd, esc);
                return 2;
            }
            mpcsim_alloc_set_budget(bytes);
            o->max_memory = val;
            break;
        }
        case OPT_SET:
            if (o->n_sets >= MAX_SETS) {
                fprintf(stderr, "mpcsim %s: at most %d --set options\n", cmd, MAX_SETS);
                return 2;
            }
            o->sets[o->n_sets++] = (char *)val;
            break;
        case OPT_CSV:
            o->csv_path = val;
            break;
        case OPT_JSON:
            o->json_path = val;
            break;
        case OPT_SUMMARY:
            o->summary_path = val;
            break;
        case OPT_PER_PARTY: {
            size_t len = strlen(val);

            o->perparty_path = val;
            o->perparty_json = len >= 5 && strcmp(val + len - 5, ".json") == 0;
            break;
        }
        case OPT_PER_PARTY_JSON:
            o->perparty_path = val;
            o->perparty_json = 1;
            break;
        case OPT_PAIRED_BY:
            o->paired_by = val;
            break;
        case ':':
            fprintf(stderr, "mpcsim %s: %s needs a value (see mpcsim %s --help)\n", cmd,
                    option_name(opts, optopt, name, sizeof(name)), cmd);
            return 2;
        default:
            mpcsim_escape(esc, sizeof(esc), optind > 0 ? argv[optind - 1] : "?");
            if (optopt != 0 && optopt < 128 && strncmp(esc, "--", 2) != 0) {
                snprintf(esc, sizeof(esc), "-%c", optopt);
            }
            fprintf(stderr, "mpcsim %s: unknown option '%s' (see mpcsim %s --help)\n", cmd, esc,
                    cmd);
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->path != NULL) {
            char a[256], b[256];

            mpcsim_escape(a, sizeof(a), o->path);
            mpcsim_escape(b, sizeof(b), argv[i]);
            fprintf(stderr, "mpcsim %s: one scenario at a time (got '%s' and '%s')\n", cmd, a, b);
            return 2;
        }
        o->path = argv[i];
    }
    if (o->path == NULL) {
        fprintf(stderr,
                "mpcsim %s: which scenario? (usage: mpcsim %s SCENARIO.yaml [OPTIONS]; "
                "see mpcsim %s --help)\n",
                cmd, cmd, cmd);
        return 2;
    }
    if (o->has_trial && o->has_trial_seed) {
        fprintf(stderr, "mpcsim %s: --trial and --trial-seed both choose the trial; give one\n",
                cmd);
        return 2;
    }
    if (o->trace_path != NULL && !o->has_trial && !o->has_trial_seed) {
        fprintf(stderr,
                "mpcsim %s: --trace records one trial: choose it with --trial K or "
                "--trial-seed SEED\n",
                cmd);
        return 2;
    }
    o->n_user_sets = o->n_sets;
    /* --seed and --trials act last, over the file and every --set. */
    if (o->seed_set[0] != '\0') {
        o->sets[o->n_sets++] = o->seed_set;
    }
    if (o->trials_set[0] != '\0') {
        o->sets[o->n_sets++] = o->trials_set;
    }
    return 0;
}

/*
 * Refuse outputs that would overwrite each other or an input: two of
 * --csv/--json/--summary on one file, more than one '-', an output on the
 * scenario.  0 or 2 (message printed).
 */
static int
check_clashes(const struct exec_opts *o)
{
    const char *names[5] = {"--csv", "--json", "--summary", "--per-party", "--trace"};
    const char *paths[5] = {o->csv_path, o->json_path, o->summary_path, o->perparty_path,
                            o->trace_path};
    char a[256];

    for (int i = 0; i < 5; i++) {
        if (paths[i] == NULL) {
            continue;
        }
        mpcsim_escape(a, sizeof(a), paths[i]);
        for (int j = i + 1; j < 5; j++) {
            if (paths[j] != NULL && mpcsim_same_path(paths[i], paths[j])) {
                if (strcmp(paths[i], "-") == 0) {
                    fprintf(stderr,
                            "mpcsim %s: %s and %s both write to stdout ('-'); at most "
                            "one output may be '-'\n",
                            o->cmd, names[i], names[j]);
                } else {
                    fprintf(stderr, "mpcsim %s: %s and %s name the same file '%s'\n", o->cmd,
                            names[i], names[j], a);
                }
                return 2;
            }
        }
        if (strcmp(paths[i], "-") != 0 && mpcsim_same_path(paths[i], o->path)) {
            fprintf(stderr, "mpcsim %s: %s '%s' is the scenario file; refusing to overwrite it\n",
                    o->cmd, names[i], a);
            return 2;
        }
    }
    return 0;
}

/* The same check against the scenario's cost_model file, once it is loaded. */
static int
check_cost_model_clash(const struct exec_opts *o, const struct cli_loaded *l)
{
    const struct ynode *cm = l->root != NULL ? ynode_map_get(l->root, "cost_model") : NULL;
    const char *paths[5] = {o->csv_path, o->json_path, o->summary_path, o->perparty_path,
                            o->trace_path};
    const char *names[5] = {"--csv", "--json", "--summary", "--per-party", "--trace"};
    char path[8192];
    char a[256];

    if (cm == NULL || cm->kind != YNODE_SCALAR) {
        return 0;
    }
    if (cm->value[0] == '/') {
        snprintf(path, sizeof(path), "%s", cm->value);
    } else {
        snprintf(path, sizeof(path), "%s/%s", l->base_dir, cm->value);
    }
    for (int i = 0; i < 5; i++) {
        if (paths[i] != NULL && strcmp(paths[i], "-") != 0 && mpcsim_same_path(paths[i], path)) {
            mpcsim_escape(a, sizeof(a), paths[i]);
            fprintf(stderr,
                    "mpcsim %s: %s '%s' is the scenario's cost_model file; refusing to "
                    "overwrite it\n",
                    o->cmd, names[i], a);
            return 2;
        }
    }
    return 0;
}

/* ---- the executor ---------------------------------------------------- */

struct exec {
    const struct cli_loaded *l;
    size_t n_tasks;
    uint32_t *task_point;
    uint32_t *task_trial;
    size_t *point_first;    /* sweep.n_points: first task of each point */
    size_t *point_n;        /* sweep.n_points: its number of tasks (0 when skipped) */
    struct trial_row *rows; /* n_tasks, in task order */
    atomic_uchar *ready;    /* n_tasks: rows[i] is complete */
    int has_trial_seed;
    uint64_t trial_seed;
    int honor_signal; /* stop taking tasks after SIGINT/SIGTERM/SIGHUP */
    atomic_size_t next;
    atomic_size_t done;
    atomic_int stop;
    pthread_mutex_t lock; /* guards err, wake, active */
    pthread_cond_t cv;    /* a task ended or a worker left */
    int wake;
    int active;
    int err; /* first failure: MPCSIM_E* */
    char errmsg[600];
    void (*on_rows)(void *arg); /* the main thread's writer, called as rows get ready */
    void *on_rows_arg;
};

/*
 * The trial index a task reports.  With --trial-seed the seed alone
 * decides the trial; its index is recovered by deriving the point's trial
 * seeds (a hash each), so a replayed row equals the original in `trial`
 * too.  A seed no trial of the point derives keeps index 0.
 */
static int
replay_trial_index(const struct exec *ex, const struct scenario *sc, size_t i)
{
    if (!ex->has_trial_seed) {
        return (int)ex->task_trial[i];
    }
    for (int k = 0; k < sc->trials; k++) {
        if (runner_trial_seed(sc, ex->task_point[i], (uint64_t)k) == ex->trial_seed) {
            return k;
        }
    }
    return 0;
}

static void *
exec_worker(void *arg)
{
    struct exec *ex = arg;
    struct sim_pool *pool = NULL;
    size_t point = SIZE_MAX; /* the sweep point of the pool's last trial */

    /* Trials after the first reuse the queue memory of those before
     * (without a pool, each faults its own in again): only those of the
     * same sweep point, whose queues have the same shape (sim.h), and
     * none under --max-memory, whose budget is each trial's own need. */
    if (sim_pool_create(&pool) == 0) {
        runner_use_pool(pool);
    }
    while (!atomic_load(&ex->stop) && !(ex->honor_signal && outfile_signal() != 0)) {
        size_t i = atomic_fetch_add(&ex->next, 1);
        const struct scenario *sc = NULL;
        char err[512] = "";
        uint64_t seed;
        int rc;

        if (i >= ex->n_tasks) {
            break;
        }
        if (ex->task_point[i] != point || mpcsim_alloc_budget() > 0) {
            sim_pool_release(pool);
            point = ex->task_point[i];
        }
        sc = ex->l->points[ex->task_point[i]];
        seed = ex->has_trial_seed ? ex->trial_seed
                                  : runner_trial_seed(sc, ex->task_point[i], ex->task_trial[i]);
        rc = runner_run_trial(&ex->rows[i], sc, replay_trial_index(ex, sc, i), seed, err,
                              sizeof(err));
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
        atomic_store(&ex->ready[i], 1);
        atomic_fetch_add(&ex->done, 1);
        pthread_mutex_lock(&ex->lock);
        ex->wake = 1;
        pthread_cond_signal(&ex->cv);
        pthread_mutex_unlock(&ex->lock);
    }
    runner_use_pool(NULL);
    sim_pool_destroy(pool);
    pthread_mutex_lock(&ex->lock);
    ex->active--;
    ex->wake = 1;
    pthread_cond_signal(&ex->cv);
    pthread_mutex_unlock(&ex->lock);
    return NULL;
}

static double
mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "12 s", "4 min 05 s", "2 h 10 min": a duration for the progress bar. */
static void
duration(char *buf, size_t cap, double s)
{
    long t = s > 0 ? (long)(s + 0.5) : 0;

    if (s < 59.95) {
        snprintf(buf, cap, "%.1f s", s > 0 ? s : 0.0);
    } else if (t < 3600) {
        snprintf(buf, cap, "%ld min %02ld s", t / 60, t % 60);
    } else {
        snprintf(buf, cap, "%ld h %02ld min", t / 3600, (t % 3600) / 60);
    }
}

/*
 * One frame of the progress bar: trials done/total, elapsed time, and the
 * ETA from the rate so far - only once a trial has finished (before that
 * there is no rate to go by, and the bar says so).
 */
static void
progress(const struct exec *ex, double t0, size_t total, int final)
{
    size_t done = atomic_load(&ex->done);
    double el = mono_s() - t0;
    int width = 30;
    int fill = total > 0 ? (int)((double)width * (double)done / (double)total) : width;
    char elapsed[32], eta[48];

    if (fill > width) {
        fill = width;
    }
    duration(elapsed, sizeof(elapsed), el);
    if (final || done >= total) {
        snprintf(eta, sizeof(eta), "done");
    } else if (done == 0) {
        snprintf(eta, sizeof(eta), "ETA after the first trial");
    } else {
        char d[32];

        duration(d, sizeof(d), el / (double)done * (double)(total - done));
        snprintf(eta, sizeof(eta), "ETA %s", d);
    }
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu trials, elapsed %s, %s   ", fill,
            "##############################", width - fill, "", done, total, elapsed, eta);
    if (final) {
        fputc('\n', stderr);
    }
    fflush(stderr);
}

/*
 * Run tasks [from, to) on o->jobs threads; errors land in ex->err.  The
 * calling thread waits, hands finished rows to ex->on_rows and draws the
 * progress bar; after a signal (when honoured) no new task starts and the
 * running ones finish.
 */
static void
exec_run_range(struct exec *ex, const struct exec_opts *o, size_t from, size_t to)
{
    pthread_t threads[MAX_JOBS];
    int started = 0;
    int show = isatty(2) && !o->quiet;
    double t0 = mono_s();
    double last = 0;
    int jobs = o->jobs;
    size_t saved_n = ex->n_tasks;

    atomic_store(&ex->next, from);
    atomic_store(&ex->done, 0);
    if (show) {
        progress(ex, t0, to - from, 0); /* 0/N at once: no ETA until a trial ends */
        last = mono_s();
    }
    ex->n_tasks = to; /* workers stop at `to` */
    if ((size_t)jobs > to - from) {
        jobs = (int)(to - from);
    }
    ex->active = 0;
    for (int j = 0; j < jobs; j++) {
        pthread_mutex_lock(&ex->lock);
        ex->active++;
        pthread_mutex_unlock(&ex->lock);
        if (pthread_create(&threads[j], NULL, exec_worker, ex) != 0) {
            pthread_mutex_lock(&ex->lock);
            ex->active--;
            pthread_mutex_unlock(&ex->lock);
            break;
        }
        started++;
    }
    if (started == 0) {
        ex->active = 1;
        exec_worker(ex); /* no thread could start: run here */
    }
    for (;;) {
        int active;
        struct timespec ts;

        pthread_mutex_lock(&ex->lock);
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000 * 1000;
        if (ts.tv_nsec >= 1000 * 1000 * 1000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000 * 1000 * 1000;
        }
        while (!ex->wake && ex->active > 0) {
            if (pthread_cond_timedwait(&ex->cv, &ex->lock, &ts) != 0) {
                break;
            }
        }
        ex->wake = 0;
        active = ex->active;
        pthread_mutex_unlock(&ex->lock);
        if (ex->on_rows != NULL) {
            ex->on_rows(ex->on_rows_arg);
        }
        if (show && mono_s() - last > 0.2) {
            progress(ex, t0, to - from, 0);
            last = mono_s();
        }
        if (active == 0) {
            break;
        }
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
    ex->honor_signal = 1;
    exec_run_range(ex, o, 0, ex->n_tasks);
    if (ex->on_rows != NULL) {
        ex->on_rows(ex->on_rows_arg);
    }
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

/* A row: its fixed-size part, the four strings, then its per-party rows (each fixed part, `down`
 * as a code, accused_by and reason). */
static void
row_put(struct buf *b, const struct trial_row *r)
{
    struct trial_row fixed = *r;

    fixed.output = fixed.expected = fixed.accused = fixed.reason = NULL;
    fixed.parties = NULL; /* sent after the strings */
    buf_put(b, &fixed, sizeof(fixed));
    buf_str(b, r->output);
    buf_str(b, r->expected);
    buf_str(b, r->accused);
    buf_str(b, r->reason);
    for (size_t k = 0; k < r->n_parties; k++) {
        struct perparty_row pr = r->parties[k];
        uint8_t down = pr.down[0] == 'c' ? 1 : pr.down[0] == 'd' ? 2 : 0;

        pr.down = NULL;
        pr.accused_by = pr.reason = NULL;
        buf_put(b, &pr, sizeof(pr));
        buf_put(b, &down, sizeof(down));
        buf_str(b, r->parties[k].accused_by);
        buf_str(b, r->parties[k].reason);
    }
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
    if (r->output == NULL || r->expected == NULL || r->accused == NULL || r->reason == NULL) {
        r->n_parties = 0;
        return 0;
    }
    if (r->n_parties > 0) {
        size_t np = r->n_parties;

        r->n_parties = 0;
        r->parties = mpcsim_calloc(np, sizeof(*r->parties));
        if (r->parties == NULL) {
            return 0;
        }
        for (size_t k = 0; k < np; k++) {
            struct perparty_row *pr = &r->parties[k];
            uint8_t down = 0;

            if (!get(p, end, pr, sizeof(*pr)) || !get(p, end, &down, sizeof(down))) {
                return 0;
            }
            r->n_parties = k + 1; /* from here on perparty_rows_free frees it */
            pr->down = down == 1 ? "crash" : down == 2 ? "dropout" : "";
            pr->accused_by = get_str(p, end);
            pr->reason = get_str(p, end);
            if (pr->accused_by == NULL || pr->reason == NULL) {
                return 0;
            }
        }
    }
    return 1;
}

static int
mpi_execute(struct exec *ex, const struct exec_opts *o, int rank, int size)
{
    const struct cli_loaded *l = ex->l;

    ex->honor_signal = 1; /* a worker sends the finished prefix of its point and stops */

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
                    size_t first = ex->point_first[point];
                    uint64_t count = 0;

                    /* `count` < the point's trials when the worker was interrupted. */
                    if (!get(&p, end, &count, sizeof(count)) || count > ex->point_n[point]) {
                        MPI_Abort(MPI_COMM_WORLD, 2);
                    }
                    for (size_t t = 0; t < count; t++) {
                        if (!row_get(&ex->rows[first + t], &p, end)) {
                            MPI_Abort(MPI_COMM_WORLD, 2);
                        }
                        atomic_store(&ex->ready[first + t], 1);
                    }
                    atomic_fetch_add(&ex->done, count);
                    if (ex->on_rows != NULL) {
                        ex->on_rows(ex->on_rows_arg);
                    }
                }
            }
            mpcsim_free(msg);
            if (outfile_signal() != 0 || atomic_load(&ex->stop)) {
                next = l->sweep.n_points; /* interrupted: hand out no more work */
            }
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
        first = ex->point_first[point];
        exec_run_range(ex, o, first, first + ex->point_n[point]);
        err = ex->err;
        buf_put(&b, &point, sizeof(point));
        buf_put(&b, &err, sizeof(err));
        if (err < 0) {
            buf_str(&b, ex->errmsg);
        } else {
            uint64_t count = 0; /* the finished prefix: all of it unless interrupted */

            while (count < ex->point_n[point] && atomic_load(&ex->ready[first + count])) {
                count++;
            }
            buf_put(&b, &count, sizeof(count));
            for (size_t t = 0; t < count; t++) {
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

enum agg_over { OVER_ALL, OVER_OK, OVER_ABORT };
static const char *const over_names[] = {"all", "ok", "abort"};

struct agg_col {
    const char *name;
    int proportion; /* a 0/1 column: a rate with a Wilson interval */
    enum agg_over over;
    double (*get)(const struct trial_row *r); /* NAN = absent */
};

static double
absent_int(int v)
{
    return v == TRIAL_ABSENT ? NAN : (double)v;
}

static double
g_ok(const struct trial_row *r)
{
    return r->status == TRIAL_OK;
}
static double
g_correct(const struct trial_row *r)
{
    return r->correct != 0;
}
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
g_abort_time(const struct trial_row *r)
{
    return r->time_to_abort_ms;
}
static double
g_rounds(const struct trial_row *r)
{
    return absent_int(r->rounds);
}
static double
g_depth(const struct trial_row *r)
{
    return absent_int(r->depth);
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
g_max_compute(const struct trial_row *r)
{
    return r->max_party_compute_ms;
}
static double
g_retx(const struct trial_row *r)
{
    return (double)r->retransmissions;
}
static double
g_dropped(const struct trial_row *r)
{
    return absent_int(r->dropped);
}
static double
g_included(const struct trial_row *r)
{
    return absent_int(r->included);
}
static double
g_false(const struct trial_row *r)
{
    return absent_int(r->false_accusations);
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

static const struct agg_col agg_cols[] = {
    {"success_rate", 1, OVER_ALL, g_ok},
    {"correct_rate", 1, OVER_ALL, g_correct},
    {"latency_ms", 0, OVER_OK, g_latency},
    {"latency_p50_ms", 0, OVER_OK, g_latency50},
    {"time_to_abort_ms", 0, OVER_ABORT, g_abort_time},
    {"rounds", 0, OVER_ALL, g_rounds},
    {"depth", 0, OVER_ALL, g_depth},
    {"messages", 0, OVER_ALL, g_messages},
    {"bytes", 0, OVER_ALL, g_bytes},
    {"max_party_bytes", 0, OVER_ALL, g_maxp},
    {"compute_ms", 0, OVER_ALL, g_compute},
    {"max_party_compute_ms", 0, OVER_ALL, g_max_compute},
    {"retransmissions", 0, OVER_ALL, g_retx},
    {"dropped", 0, OVER_ALL, g_dropped},
    {"included", 0, OVER_ALL, g_included},
    {"false_accusations", 0, OVER_ALL, g_false},
    {"events", 0, OVER_ALL, g_events},
    {"wall_ms", 0, OVER_ALL, g_wall},
};
#define N_AGG ((int)(sizeof(agg_cols) / sizeof(agg_cols[0])))

/* The column's value for this row, NAN when absent or outside the column's trials. */
static double
agg_value(const struct agg_col *c, const struct trial_row *r)
{
    if ((c->over == OVER_OK && r->status != TRIAL_OK) ||
        (c->over == OVER_ABORT && r->status != TRIAL_ABORT)) {
        return NAN;
    }
    return c->get(r);
}

/* One column's statistics over one point. */
struct agg_result {
    size_t trials; /* trials the column applies to (its `over` set) */
    struct stats_summary s;
    const char *interval; /* "wilson", "t" or "" (none) */
};

static void
agg_point(struct agg_result *a, const struct agg_col *c, const struct trial_row *rows, size_t n,
          double *scratch)
{
    size_t m = 0;

    a->trials = 0;
    for (size_t i = 0; i < n; i++) {
        if (!((c->over == OVER_OK && rows[i].status != TRIAL_OK) ||
              (c->over == OVER_ABORT && rows[i].status != TRIAL_ABORT))) {
            a->trials++;
            scratch[m++] = c->get(&rows[i]);
        }
    }
    stats_summarize(&a->s, scratch, m, 0.95);
    a->interval = isnan(a->s.ci_lo) ? "" : "t";
    if (c->proportion) {
        size_t k = 0;

        for (size_t i = 0; i < m; i++) {
            k += scratch[i] > 0.5;
        }
        a->s.sd = a->s.median = a->s.p95 = NAN;
        stats_wilson(&a->s.ci_lo, &a->s.ci_hi, k, a->s.n, 0.95);
        a->interval = isnan(a->s.ci_lo) ? "" : "wilson";
    }
}

/* A paired (or, with independent streams, unpaired) difference point - baseline. */
struct agg_diff {
    size_t pairs, missing;
    double mean, lo, hi;
    const char *interval; /* "t (paired)", "newcombe (paired)", "welch", "newcombe" or "" */
};

static void
agg_diff(struct agg_diff *d, const struct agg_col *c, const struct trial_row *rp, size_t np,
         const struct trial_row *rb, size_t nb, int independent, double *scratch)
{
    size_t n = np < nb ? np : nb;

    memset(d, 0, sizeof(*d));
    d->mean = d->lo = d->hi = NAN;
    d->interval = "";
    if (independent) {
        struct agg_result a, b;

        agg_point(&a, c, rp, np, scratch);
        agg_point(&b, c, rb, nb, scratch);
        d->pairs = 0;
        if (a.s.n == 0 || b.s.n == 0) {
            return;
        }
        d->mean = a.s.mean - b.s.mean;
        if (c->proportion) {
            stats_newcombe(&d->lo, &d->hi, (size_t)llround(a.s.mean * (double)a.s.n), a.s.n,
                           (size_t)llround(b.s.mean * (double)b.s.n), b.s.n, 0, 0.95);
            d->interval = isnan(d->lo) ? "" : "newcombe";
        } else {
            stats_welch(&d->lo, &d->hi, a.s.mean, a.s.sd, a.s.n, b.s.mean, b.s.sd, b.s.n, 0.95);
            d->interval = isnan(d->lo) ? "" : "welch";
        }
        return;
    }
    if (c->proportion) {
        size_t t11 = 0, t10 = 0, t01 = 0, t00 = 0;

        for (size_t i = 0; i < n; i++) {
            double x = agg_value(c, &rp[i]);
            double y = agg_value(c, &rb[i]);

            if (isnan(x) || isnan(y)) {
                d->missing++;
            } else if (x > 0.5) {
                *(y > 0.5 ? &t11 : &t10) += 1;
            } else {
                *(y > 0.5 ? &t01 : &t00) += 1;
            }
        }
        d->pairs = t11 + t10 + t01 + t00;
        stats_newcombe_paired(&d->mean, &d->lo, &d->hi, t11, t10, t01, t00, 0.95);
        d->interval = isnan(d->lo) ? "" : "newcombe (paired)";
        return;
    }
    {
        struct stats_summary s;
        size_t m = 0;

        for (size_t i = 0; i < n; i++) {
            double x = agg_value(c, &rp[i]);
            double y = agg_value(c, &rb[i]);

            if (isnan(x) || isnan(y)) {
                d->missing++;
            } else {
                scratch[m++] = x - y;
            }
        }
        d->pairs = m;
        stats_summarize(&s, scratch, m, 0.95);
        d->mean = s.mean;
        d->lo = s.ci_lo;
        d->hi = s.ci_hi;
        d->interval = isnan(d->lo) ? "" : "t (paired)";
    }
}

/* A number for the human table: "-" when absent. */
static const char *
num(char *buf, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(buf, cap, "-");
    } else {
        snprintf(buf, cap, "%.6g", v);
    }
    return buf;
}

/* A number for the summary CSV: empty when absent. */
static void
csv_num(FILE *f, double v)
{
    if (!isnan(v)) {
        fprintf(f, "%.9g", v);
    }
}

/* ---- writing rows as they finish -------------------------------------- */

struct writer {
    struct exec *ex;
    const struct exec_opts *o;
    const struct cli_loaded *l;
    struct outfile csv, json, summary, perparty;
    FILE *human; /* stdout, or stderr when an output is '-'; NULL with --quiet */
    const char *const *extra;
    size_t next; /* next task to write */
    size_t points_done;
    int first_json;
    int first_perparty; /* no per-party JSON object written yet */
    int wrong;          /* a wrong_output was seen */
    int write_error;
    int paired_key;  /* the --paired-by sweep key, -1 for none */
    size_t *strides; /* sweep.n_keys: grid strides (last key fastest) */
    char *values[MAX_SWEEP_KEYS];
    size_t values_point; /* the point whose values are in `values` */
    const char *value_ptrs[MAX_SWEEP_KEYS];
    char *base_value; /* the --paired-by key's baseline value, in full */
    double *scratch;  /* the largest point's task count */
};

static void
point_values(struct writer *w, size_t p)
{
    if (w->values_point == p) {
        return;
    }
    for (size_t k = 0; k < w->l->sweep.n_keys; k++) {
        mpcsim_free(w->values[k]);
        w->values[k] = scenario_sweep_value(&w->l->sweep, k, p); /* in full; NULL: no memory */
        w->value_ptrs[k] = w->values[k] != NULL ? w->values[k] : "";
    }
    w->values_point = p;
}

/* Index of key k's value at point p. */
static size_t
key_index(const struct writer *w, size_t k, size_t p)
{
    return (p / w->strides[k]) % w->l->sweep.lists[k]->n_items;
}

/* `s` quoted for a POSIX shell, and safe on a terminal: $'...' with \xHH for control and 8-bit
 * bytes. */
static void
shell_quote(FILE *f, const char *s)
{
    int plain = s[0] != '\0';
    int ctrl = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_./=:,+-@%", *p) != NULL)) {
            plain = 0;
        }
        if (*p < 0x20 || *p >= 0x7f) {
            ctrl = 1;
        }
    }
    if (plain) {
        fputs(s, f);
    } else if (!ctrl) {
        fputc('\'', f);
        for (; *s != '\0'; s++) {
            if (*s == '\'') {
                fputs("'\\''", f);
            } else {
                fputc(*s, f);
            }
        }
        fputc('\'', f);
    } else {
        fputs("$'", f);
        for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
            if (*p == '\'' || *p == '\\') {
                fprintf(f, "\\%c", *p);
            } else if (*p < 0x20 || *p >= 0x7f) {
                fprintf(f, "\\x%02x", *p);
            } else {
                fputc(*p, f);
            }
        }
        fputc('\'', f);
    }
}

/* The SECURITY FAILURE line of a wrong_output row and the command that replays it. */
static void
security_failure(struct writer *w, const struct results_point *pt, const struct trial_row *r)
{
    char name[256], why[512];

    mpcsim_escape(name, sizeof(name), pt->sc->name);
    mpcsim_escape(why, sizeof(why), r->reason);
    fprintf(stderr, "mpcsim: SECURITY FAILURE: %s", name);
    for (size_t k = 0; k < pt->n_sweep; k++) {
        fprintf(stderr, "%s", k ? ", " : " at point ");
        mpcsim_escape_fputs(stderr, pt->sweep_keys[k]);
        fputc('=', stderr);
        mpcsim_escape_fputs(stderr, pt->sweep_values[k]);
    }
    fprintf(stderr, " trial %d (seed %llu): %s\n  replay: mpcsim run ", r->trial,
            (unsigned long long)r->seed, why);
    shell_quote(stderr, w->o->path);
    for (size_t i = 0; i < w->o->n_user_sets; i++) {
        fputs(" --set ", stderr);
        shell_quote(stderr, w->o->sets[i]);
    }
    for (size_t k = 0; k < pt->n_sweep; k++) {
        size_t len = strlen(pt->sweep_keys[k]) + strlen(pt->sweep_values[k]) + 2;
        char *set = mpcsim_malloc(len);

        if (set != NULL) {
            snprintf(set, len, "%s=%s", pt->sweep_keys[k], pt->sweep_values[k]);
            fputs(" --set ", stderr);
            shell_quote(stderr, set);
            mpcsim_free(set);
        }
    }
    fprintf(stderr, " --trial-seed %llu\n", (unsigned long long)r->seed);
}

static void
summary_csv_header(struct writer *w)
{
    FILE *f = w->summary.f;

    for (size_t k = 0; k < w->l->sweep.n_keys; k++) {
        fputs("sweep.", f);
        results_csv_field(f, w->l->sweep.keys[k]);
        fputc(',', f);
    }
    fputs("scenario,protocol,parties,column,over,trials,n,absent,mean,sd,median,p95,ci95_low,"
          "ci95_high,interval,ok,abort,wrong_output,paired_by,baseline,pairs,pairs_missing,"
          "diff_mean,diff_ci95_low,diff_ci95_high,diff_interval\n",
          f);
}

/* The aggregates of point p (all its rows are written): human table and --summary rows. */
static void
point_aggregates(struct writer *w, const struct results_point *pt, size_t p)
{
    const struct exec *ex = w->ex;
    const struct trial_row *rows = &ex->rows[ex->point_first[p]];
    size_t n = ex->point_n[p];
    size_t counts[3] = {0, 0, 0};
    FILE *out = w->human;
    FILE *csv = w->summary.f;
    size_t base = p;
    int pk = w->paired_key;
    int independent = pt->sc->streams_independent; /* not pairs: Welch / Newcombe */
    const char *base_value = "";
    char b[8][32];

    for (size_t i = 0; i < n; i++) {
        counts[rows[i].status]++;
    }
    if (pk >= 0) {
        base = p - key_index(w, (size_t)pk, p) * w->strides[pk];
        if (w->l->points[base] == NULL || ex->point_n[base] == 0) {
            base = p; /* the baseline point was skipped (--skip-invalid) */
        }
        mpcsim_free(w->base_value);
        w->base_value = scenario_sweep_value(&w->l->sweep, (size_t)pk, base);
        base_value = w->base_value != NULL ? w->base_value : "";
    }
    if (out != NULL) {
        mpcsim_escape_fputs(out, pt->sc->name);
        for (size_t k = 0; k < pt->n_sweep; k++) {
            fputs(k ? ", " : " | ", out);
            mpcsim_escape_fputs(out, pt->sweep_keys[k]);
            fputc('=', out);
            mpcsim_escape_fputs(out, pt->sweep_values[k]);
        }
        fprintf(out, ": %zu trials: ok %zu, abort %zu, wrong_output %zu%s\n", n, counts[0],
                counts[1], counts[2], counts[2] ? "  <-- SECURITY FAILURE" : "");
        fprintf(out, "  %-20s %-5s %5s %12s %12s %12s %12s   %s\n", "column", "over", "n", "mean",
                "sd", "median", "p95", "95% interval");
    }
    for (int c = 0; c < N_AGG; c++) {
        struct agg_result a;
        struct agg_diff d;
        int has_diff = pk >= 0 && base != p;

        agg_point(&a, &agg_cols[c], rows, n, w->scratch);
        if (has_diff) {
            agg_diff(&d, &agg_cols[c], rows, n, &ex->rows[ex->point_first[base]], ex->point_n[base],
                     independent, w->scratch);
        }
        if (out != NULL) {
            fprintf(out, "  %-20s %-5s %5zu %12s %12s %12s %12s", agg_cols[c].name,
                    over_names[agg_cols[c].over], a.s.n, num(b[0], 32, a.s.mean),
                    num(b[1], 32, a.s.sd), num(b[2], 32, a.s.median), num(b[3], 32, a.s.p95));
            if (a.interval[0] != '\0') {
                fprintf(out, "   [%s, %s] %s", num(b[4], 32, a.s.ci_lo), num(b[5], 32, a.s.ci_hi),
                        a.interval);
            }
            fputc('\n', out);
        }
        if (csv != NULL) {
            for (size_t k = 0; k < pt->n_sweep; k++) {
                results_csv_field(csv, pt->sweep_values[k]);
                fputc(',', csv);
            }
            results_csv_field(csv, pt->sc->name);
            fputc(',', csv);
            results_csv_field(csv, pt->sc->protocol.kind);
            fprintf(csv, ",%d,%s,%s,%zu,%zu,%zu,", pt->sc->parties, agg_cols[c].name,
                    over_names[agg_cols[c].over], a.trials, a.s.n, a.s.absent);
            csv_num(csv, a.s.mean);
            fputc(',', csv);
            csv_num(csv, a.s.sd);
            fputc(',', csv);
            csv_num(csv, a.s.median);
            fputc(',', csv);
            csv_num(csv, a.s.p95);
            fputc(',', csv);
            csv_num(csv, a.s.ci_lo);
            fputc(',', csv);
            csv_num(csv, a.s.ci_hi);
            fprintf(csv, ",%s,%zu,%zu,%zu,", a.interval, counts[0], counts[1], counts[2]);
            if (pk >= 0) {
                results_csv_field(csv, w->l->sweep.keys[pk]);
                fputc(',', csv);
                results_csv_field(csv, base_value);
            } else {
                fputc(',', csv);
            }
            if (has_diff) {
                fprintf(csv, ",%zu,%zu,", d.pairs, d.missing);
                csv_num(csv, d.mean);
                fputc(',', csv);
                csv_num(csv, d.lo);
                fputc(',', csv);
                csv_num(csv, d.hi);
                fprintf(csv, ",%s\n", d.interval);
            } else {
                fputs(",,,,,,\n", csv);
            }
        }
    }
    if (out != NULL && pk >= 0 && base != p) {
        fprintf(out, "  difference from ");
        mpcsim_escape_fputs(out, w->l->sweep.keys[pk]);
        fputc('=', out);
        mpcsim_escape_fputs(out, base_value);
        fprintf(out, " (%s):\n",
                independent ? "independent streams: Welch / Newcombe"
                            : "paired: trial k with trial k");
        fprintf(out, "  %-20s %5s %7s %12s   %s\n", "column", "pairs", "missing", "mean diff",
                "95% interval");
        for (int c = 0; c < N_AGG; c++) {
            struct agg_diff d;

            if (agg_cols[c].get == g_wall || agg_cols[c].get == g_events) {
                continue; /* host time and engine internals: not a protocol's property */
            }
            agg_diff(&d, &agg_cols[c], rows, n, &ex->rows[ex->point_first[base]], ex->point_n[base],
                     independent, w->scratch);
            fprintf(out, "  %-20s %5zu %7zu %12s", agg_cols[c].name, d.pairs, d.missing,
                    num(b[0], 32, d.mean));
            if (d.interval[0] != '\0') {
                fprintf(out, "   [%s, %s] %s", num(b[1], 32, d.lo), num(b[2], 32, d.hi),
                        d.interval);
            }
            fputc('\n', out);
        }
    }
}

/* Write every row that is ready and in order; finish points as their last row goes out. */
static void
flush_ready(void *arg)
{
    struct writer *w = arg;
    struct exec *ex = w->ex;
    int wrote = 0;

    while (w->next < ex->n_tasks && atomic_load(&ex->ready[w->next])) {
        size_t i = w->next;
        size_t p = ex->task_point[i];
        const struct trial_row *r = &ex->rows[i];
        struct results_point pt = {w->l->points[p], w->l->sweep.n_keys, w->l->sweep.keys,
                                   w->value_ptrs};

        point_values(w, p);
        if (r->status == TRIAL_WRONG_OUTPUT) {
            w->wrong = 1;
            security_failure(w, &pt, r);
        }
        if (w->csv.f != NULL) {
            results_csv_row(w->csv.f, &pt, r, w->extra);
        }
        if (w->json.f != NULL) {
            results_json_row(w->json.f, &pt, r, w->extra, w->first_json);
            w->first_json = 0;
        }
        if (w->perparty.f != NULL) {
            if (w->o->perparty_json) {
                perparty_json_rows(w->perparty.f, &pt, r, &w->first_perparty);
            } else {
                perparty_csv_rows(w->perparty.f, &pt, r);
            }
        }
        perparty_rows_free(&ex->rows[i]); /* written: keep memory to the rows in flight */
        w->next++;
        wrote = 1;
        if (w->next == ex->point_first[p] + ex->point_n[p]) {
            if (strcmp(w->o->cmd, "run") == 0) {
                if (w->human != NULL) {
                    results_summary(w->human, &pt, &ex->rows[ex->point_first[p]], ex->point_n[p]);
                }
            } else {
                point_aggregates(w, &pt, p);
            }
            w->points_done++;
        }
    }
    if (!wrote) {
        return;
    }
    /* Push rows out as they come (a partial file is then the prefix), and catch a full disk early.
     */
    {
        struct outfile *files[4] = {&w->csv, &w->json, &w->summary, &w->perparty};

        for (int k = 0; k < 4; k++) {
            if (files[k]->f != NULL && (fflush(files[k]->f) != 0 || ferror(files[k]->f))) {
                if (!w->write_error) {
                    char a[256];

                    mpcsim_escape(a, sizeof(a), files[k]->target);
                    fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", w->o->cmd, a,
                            strerror(errno != 0 ? errno : EIO));
                }
                w->write_error = 1;
                atomic_store(&ex->stop, 1);
            }
        }
    }
}

/* ---- run and sweep ---------------------------------------------------- */

static int
open_output(struct outfile *of, const char *path, const char *cmd)
{
    int rc;

    if (path == NULL) {
        memset(of, 0, sizeof(*of));
        return 0;
    }
    rc = outfile_open(of, path);
    if (rc < 0) {
        char a[256];

        mpcsim_escape(a, sizeof(a), path);
        fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", cmd, a,
                rc == MPCSIM_ENOMEM ? "out of memory" : strerror(errno));
        return -1;
    }
    return 0;
}

/* Out of memory before any trial ran: say whether --max-memory refused it. */
static void
report_oom(const char *cmd, const char *max_memory)
{
    if (mpcsim_alloc_budget_hit()) {
        fprintf(stderr,
                "mpcsim %s: the memory limit (--max-memory %s) was reached while setting up "
                "the run (it needed more than %zu bytes): raise the limit\n",
                cmd, max_memory, mpcsim_alloc_budget_need());
    } else {
        fprintf(stderr, "mpcsim %s: out of memory\n", cmd);
    }
}

/*
 * Say which swept keys a --set fixed (issue 13): the sweep then runs only
 * the points with that value, or the value alone when the list lacks it.
 */
static void
print_sweep_overrides(FILE *f, const struct cli_loaded *l)
{
    for (size_t i = 0; i < l->n_overrides; i++) {
        const struct cli_sweep_override *o = &l->overrides[i];

        fputs("note: --set ", f);
        mpcsim_escape_fputs(f, o->key);
        fputc('=', f);
        mpcsim_escape_fputs(f, o->value);
        if (o->kept > 0) {
            fprintf(f, " overrides the sweep over this key: %zu of its %zu values kept\n", o->kept,
                    o->listed);
        } else {
            fprintf(f,
                    " overrides the sweep over this key: the value is not among its %zu values "
                    "and runs as the only one\n",
                    o->listed);
        }
    }
}

/*
 * Write the trace of the run's one trial to o->trace_path (atomically, like
 * every output).  0, or -1 after printing why (a trace over the limit, a
 * write error); the target is then untouched.
 */
/* The number of MPI ranks (1 without MPI or outside mpirun). */
static int
mpi_size(void)
{
#ifdef MPCSIM_HAVE_MPI
    int inited = 0;
    int size = 1;

    MPI_Initialized(&inited);
    if (inited) {
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    }
    return size;
#else
    return 1;
#endif
}

static int
write_trace(struct cli_trace *trace, const struct exec_opts *o, const char *cmd)
{
    struct outfile of;
    char a[256];
    int rc;

    mpcsim_escape(a, sizeof(a), o->trace_path);
    if (open_output(&of, o->trace_path, cmd) < 0) {
        return -1;
    }
    rc = cli_trace_write(trace, of.f);
    if (rc == MPCSIM_ELIMIT) {
        fprintf(stderr,
                "mpcsim %s: the trace would have more than %llu events (--trace-max-events "
                "%llu); not written: trace a smaller trial (fewer parties) or raise the limit\n",
                cmd, (unsigned long long)o->trace_max_events,
                (unsigned long long)o->trace_max_events);
        outfile_discard(&of);
        return -1;
    }
    if (rc < 0) {
        fprintf(stderr, "mpcsim %s: cannot write the trace %s: %s\n", cmd, a, mpcsim_strerror(rc));
        outfile_discard(&of);
        return -1;
    }
    if (outfile_commit(&of) < 0) {
        fprintf(stderr, "mpcsim %s: cannot write %s: %s (earlier file untouched)\n", cmd, a,
                strerror(errno));
        return -1;
    }
    return 0;
}

static int
execute(const char *cmd, int argc, char **argv)
{
    struct cli_trace *trace = NULL;
    struct exec_opts o;
    struct cli_loaded l;
    struct exec ex;
    struct writer w;
    int status = CLI_EXIT_OK;
    const char *extra[RUNNER_MAX_STATS + 1];
    size_t n_extra = 0;
    size_t max_point = 1;
    int rank0 = cli_mpi_rank() == 0;
    double t0;
    int rc;
    int sig = 0;

    rc = exec_parse(&o, cmd, argc, argv);
    if (rc != 0) {
        return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (check_clashes(&o) != 0) {
        return CLI_EXIT_USAGE;
    }
    if (cli_load(&l, o.path, o.sets, o.n_sets, o.skip_invalid) < 0) {
        return CLI_EXIT_USAGE;
    }
    memset(&ex, 0, sizeof(ex));
    memset(&w, 0, sizeof(w));
    ex.l = &l;
    ex.has_trial_seed = o.has_trial_seed;
    ex.trial_seed = o.trial_seed;
    pthread_mutex_init(&ex.lock, NULL);
    pthread_cond_init(&ex.cv, NULL);
    w.ex = &ex;
    w.o = &o;
    w.l = &l;
    w.first_json = 1;
    w.first_perparty = 1;
    w.paired_key = -1;
    w.values_point = SIZE_MAX;
    if (check_cost_model_clash(&o, &l) != 0) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.paired_by != NULL) {
        const char *key = strncmp(o.paired_by, "sweep.", 6) == 0 ? o.paired_by + 6 : o.paired_by;

        for (size_t k = 0; k < l.sweep.n_keys; k++) {
            if (strcmp(l.sweep.keys[k], key) == 0) {
                w.paired_key = (int)k;
            }
        }
        if (w.paired_key < 0) {
            char a[256];

            mpcsim_escape(a, sizeof(a), o.paired_by);
            fprintf(stderr, "mpcsim %s: --paired-by %s is not a sweep key of %s (%s", cmd, a,
                    o.path, l.sweep.n_keys ? "the keys:" : "it has no sweep");
            for (size_t k = 0; k < l.sweep.n_keys; k++) {
                fputc(' ', stderr);
                mpcsim_escape_fputs(stderr, l.sweep.keys[k]);
            }
            fputs(")\n", stderr);
            status = CLI_EXIT_USAGE;
            goto out;
        }
    } else if (l.sweep.n_keys > 0 && strcmp(cmd, "sweep") == 0) {
        w.paired_key = 0;
    }
    ex.point_first = mpcsim_calloc(l.sweep.n_points, sizeof(size_t));
    ex.point_n = mpcsim_calloc(l.sweep.n_points, sizeof(size_t));
    w.strides = mpcsim_calloc(l.sweep.n_keys + 1, sizeof(size_t));
    if (ex.point_first == NULL || ex.point_n == NULL || w.strides == NULL) {
        report_oom(cmd, o.max_memory);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    for (size_t k = l.sweep.n_keys, s = 1; k-- > 0;) {
        w.strides[k] = s;
        s *= l.sweep.lists[k]->n_items;
    }
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        ex.point_first[p] = ex.n_tasks;
        if (l.points[p] != NULL) {
            if (o.has_trial && o.trial >= l.points[p]->trials) {
                fprintf(stderr, "mpcsim %s: --trial %d: %s has %d trial%s (0..%d)\n", cmd, o.trial,
                        o.path, l.points[p]->trials, l.points[p]->trials == 1 ? "" : "s",
                        l.points[p]->trials - 1);
                status = CLI_EXIT_USAGE;
                goto out;
            }
            ex.point_n[p] = o.has_trial_seed || o.has_trial ? 1 : (size_t)l.points[p]->trials;
            ex.n_tasks += ex.point_n[p];
            max_point = ex.point_n[p] > max_point ? ex.point_n[p] : max_point;
        }
    }
    if (o.trace_path != NULL && ex.n_tasks != 1) {
        fprintf(stderr,
                "mpcsim %s: --trace records one trial, but %zu sweep points are selected: fix "
                "each swept key with --set KEY=VALUE\n",
                cmd, ex.n_tasks);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.trace_path != NULL && mpi_size() > 1) {
        /* The trial would run on another rank than the one writing files. */
        fprintf(stderr,
                "mpcsim %s: --trace records one trial in one process: run it without "
                "mpirun\n",
                cmd);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.trace_path != NULL) {
        if (cli_trace_create(&trace, o.trace_max_events) < 0) {
            report_oom(cmd, o.max_memory);
            status = CLI_EXIT_USAGE;
            goto out;
        }
        cli_trace_set_current(trace);
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
    ex.ready = mpcsim_calloc(ex.n_tasks, sizeof(*ex.ready));
    w.scratch = mpcsim_calloc(max_point, sizeof(double));
    if (ex.task_point == NULL || ex.task_trial == NULL || ex.rows == NULL || ex.ready == NULL ||
        w.scratch == NULL) {
        report_oom(cmd, o.max_memory);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        for (size_t t = 0; t < ex.point_n[p]; t++) {
            ex.task_point[ex.point_first[p] + t] = (uint32_t)p;
            ex.task_trial[ex.point_first[p] + t] = (uint32_t)(o.has_trial ? o.trial : (int)t);
        }
    }
    /* Protocol columns: the union over every point (a sweep may mix protocols). */
    for (size_t p = 0; p < l.sweep.n_points; p++) {
        const struct registry_entry *re =
            l.points[p] != NULL ? registry_lookup(l.points[p]->protocol.kind) : NULL;
        const char *const *cols = re != NULL ? registry_columns(re, l.points[p]) : NULL;

        for (size_t c = 0; cols != NULL && cols[c] != NULL; c++) {
            size_t k = 0;

            while (k < n_extra && strcmp(extra[k], cols[c]) != 0) {
                k++;
            }
            if (k == n_extra && n_extra + 1 < sizeof(extra) / sizeof(extra[0])) {
                extra[n_extra++] = cols[c];
            }
        }
    }
    extra[n_extra] = NULL;
    w.extra = extra;
    if (rank0) {
        int to_stdout = (o.csv_path != NULL && strcmp(o.csv_path, "-") == 0) ||
                        (o.json_path != NULL && strcmp(o.json_path, "-") == 0) ||
                        (o.summary_path != NULL && strcmp(o.summary_path, "-") == 0) ||
                        (o.perparty_path != NULL && strcmp(o.perparty_path, "-") == 0) ||
                        (o.trace_path != NULL && strcmp(o.trace_path, "-") == 0);

        w.human = o.quiet ? NULL : to_stdout ? stderr : stdout;
        if (open_output(&w.csv, o.csv_path, cmd) < 0 ||
            open_output(&w.json, o.json_path, cmd) < 0 ||
            open_output(&w.summary, o.summary_path, cmd) < 0 ||
            open_output(&w.perparty, o.perparty_path, cmd) < 0) {
            status = CLI_EXIT_USAGE;
            goto out;
        }
        if (w.csv.f != NULL) {
            struct results_point pt = {l.points[0], l.sweep.n_keys, l.sweep.keys, w.value_ptrs};

            results_csv_header(w.csv.f, &pt, extra);
        }
        if (w.json.f != NULL) {
            results_json_begin(w.json.f);
        }
        if (w.summary.f != NULL) {
            summary_csv_header(&w);
        }
        if (w.human != NULL) {
            print_sweep_overrides(w.human, &l);
        }
        if (w.perparty.f != NULL) {
            struct results_point pt = {l.points[0], l.sweep.n_keys, l.sweep.keys, w.value_ptrs};

            if (o.perparty_json) {
                perparty_json_begin(w.perparty.f);
            } else {
                perparty_csv_header(w.perparty.f, &pt);
            }
        }
        ex.on_rows = flush_ready;
        ex.on_rows_arg = &w;
    }
    perparty_set_enabled(o.perparty_path != NULL);
    outfile_signals_install();
    t0 = mono_s();
    rc = exec_run(&ex, &o);
    sig = rank0 ? outfile_signal() : 0;
    outfile_signals_restore();
    if (!rank0) {
        goto out; /* rank 0 writes everything */
    }
    if (w.write_error) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (rc < 0 && !(sig != 0 && w.next > 0)) {
        if (ex.err == MPCSIM_ENOMEM && mpcsim_alloc_budget_hit()) {
            uint64_t need = 0;
            int refused = 0;
            /* Trials that run at once: one per worker, and no more workers
             * than trials (exec_run_range). */
            int at_once = o.jobs > 0 ? o.jobs : 1;

            if (ex.n_tasks > 0 && (size_t)at_once > ex.n_tasks) {
                at_once = (int)ex.n_tasks;
            }
            /* The largest point's estimate (validate prints the same), times
             * the trials that run at once. */
            for (size_t p = 0; p < l.sweep.n_points; p++) {
                struct registry_estimate e;

                if (l.points[p] != NULL) {
                    registry_estimate(&e, l.points[p]);
                    need = e.memory_bytes > need ? e.memory_bytes : need;
                }
            }
            need *= (uint64_t)at_once;
            /* Never below what the refused allocation itself needed (an
             * estimate under the limit just hit would be no advice). */
            if (mpcsim_alloc_budget_need() > need) {
                need = mpcsim_alloc_budget_need();
                refused = 1;
            }
            fprintf(stderr,
                    "%s: error: the memory limit (--max-memory %s) was reached; the run "
                    "stopped cleanly. Its trials need %s %.1f MB at once (%s, %d at a "
                    "time): raise the limit to that, run fewer at once "
                    "(-j), or use fewer parties or shorter vectors\n",
                    o.path, o.max_memory, refused ? "more than" : "about",
                    ceil((double)need / 1e5) / 10.0, /* rounded up: never at the limit */
                    refused ? "what the refused allocation needed; validate's estimate is "
                              "lower here"
                            : "by validate's estimate",
                    at_once);
        } else {
            fprintf(stderr, "%s: error: %s\n", o.path, ex.errmsg);
        }
        fprintf(stderr, "mpcsim %s: no output written; earlier files are untouched\n", cmd);
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (w.json.f != NULL) {
        results_json_end(w.json.f);
    }
    if (w.perparty.f != NULL && o.perparty_json) {
        perparty_json_end(w.perparty.f);
    }
    if (sig != 0 || w.next < ex.n_tasks) {
        /* Interrupted: the contiguous prefix of finished trials, as valid .partial files. */
        struct outfile *files[4] = {&w.csv, &w.json, &w.summary, &w.perparty};
        char where[4][4200];
        int n_where = 0;

        for (int k = 0; k < 4; k++) {
            if (files[k]->f == NULL) {
                continue;
            }
            if (outfile_commit_partial(files[k], where[n_where], sizeof(where[0])) < 0) {
                fprintf(stderr, "mpcsim %s: cannot write %s: %s\n", cmd, where[n_where],
                        strerror(errno));
                continue;
            }
            n_where++;
        }
        fprintf(stderr, "mpcsim %s: interrupted by %s: %zu of %zu trials finished", cmd,
                outfile_signal_name(sig), w.next, ex.n_tasks);
        for (int k = 0; k < n_where; k++) {
            fputs(k ? ", " : "; the first rows of a full run are in ", stderr);
            mpcsim_escape_fputs(stderr, where[k]);
        }
        fprintf(stderr, "%s\n", n_where > 0 ? " (earlier files are untouched)" : "");
        if (w.wrong) {
            fprintf(stderr,
                    "mpcsim %s: a trial ended in wrong_output before the interruption "
                    "(SECURITY FAILURE above)\n",
                    cmd);
        }
        status = 128 + (sig != 0 ? sig : 2);
        goto out;
    }
    if (trace != NULL && write_trace(trace, &o, cmd) < 0) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (w.wrong) {
        status = CLI_EXIT_WRONG;
    }
    if (w.human != NULL && strcmp(cmd, "run") == 0) {
        fprintf(w.human, "elapsed %.1f ms wall time for %zu trial%s on %d thread%s\n",
                (mono_s() - t0) * 1e3, ex.n_tasks, ex.n_tasks == 1 ? "" : "s", o.jobs,
                o.jobs == 1 ? "" : "s");
    }
    {
        struct outfile *files[4] = {&w.csv, &w.json, &w.summary, &w.perparty};

        for (int k = 0; k < 4; k++) {
            char a[256];

            if (files[k]->f == NULL) {
                continue;
            }
            mpcsim_escape(a, sizeof(a), files[k]->target);
            if (outfile_commit(files[k]) < 0) {
                fprintf(stderr, "mpcsim %s: cannot write %s: %s (earlier file untouched)\n", cmd, a,
                        strerror(errno));
                status = CLI_EXIT_USAGE;
            }
        }
    }
out:
    cli_trace_set_current(NULL);
    cli_trace_destroy(trace);
    outfile_discard(&w.csv);
    outfile_discard(&w.json);
    outfile_discard(&w.summary);
    outfile_discard(&w.perparty);
    if (rank0 && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "mpcsim %s: cannot write to stdout: %s\n", cmd, strerror(errno));
        if (status == CLI_EXIT_OK || status == CLI_EXIT_WRONG) {
            status = CLI_EXIT_USAGE;
        }
    }
    if (ex.rows != NULL) {
        for (size_t i = 0; i < ex.n_tasks; i++) {
            trial_row_clear(&ex.rows[i]);
        }
    }
    for (size_t k = 0; k < MAX_SWEEP_KEYS; k++) {
        mpcsim_free(w.values[k]);
    }
    mpcsim_free(w.scratch);
    mpcsim_free(w.base_value);
    mpcsim_free(w.strides);
    mpcsim_free((void *)ex.ready);
    mpcsim_free(ex.rows);
    mpcsim_free(ex.task_point);
    mpcsim_free(ex.task_trial);
    mpcsim_free(ex.point_first);
    mpcsim_free(ex.point_n);
    pthread_cond_destroy(&ex.cv);
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

/* "28 MB", "6.1 GB": decimal units, as the calibration was measured. */
static void
human_size(char *buf, size_t cap, uint64_t bytes)
{
    if (bytes >= UINT64_C(1000000000)) {
        snprintf(buf, cap, "%.1f GB", (double)bytes / 1e9);
    } else {
        snprintf(buf, cap, "%.0f MB", (double)bytes / 1e6);
    }
}

/* The estimate of one trial at the costliest sweep point (registry_estimate). */
static void
print_estimate(FILE *f, const struct cli_loaded *l)
{
    struct registry_estimate best = {0, 0, 0}, e;
    size_t at = 0;
    char mem[32];

    for (size_t p = 0; p < l->sweep.n_points; p++) {
        if (l->points[p] == NULL) {
            continue;
        }
        registry_estimate(&e, l->points[p]);
        if (e.memory_bytes > best.memory_bytes) {
            best = e;
            at = p;
        }
    }
    human_size(mem, sizeof(mem), best.memory_bytes);
    fprintf(f,
            "  estimate per trial%s: ~%llu messages, ~%llu events, peak memory ~%s "
            "(fault-free; -j N runs N trials at once)\n",
            l->sweep.n_points > 1 ? " at the costliest point" : "",
            (unsigned long long)best.messages, (unsigned long long)best.events, mem);
    if (l->sweep.n_points > 1 && l->points[at] != NULL) {
        fprintf(f, "  (that point: %s, %d parties)\n", l->points[at]->protocol.kind,
                l->points[at]->parties);
    }
}

static void
validate_usage(FILE *f)
{
    fprintf(f, "usage: mpcsim validate SCENARIO.yaml...\n"
               "\n"
               "Checks each scenario (every sweep point) without running it and\n"
               "prints FILE:LINE:COL: error: ... for each problem.  For a valid one it\n"
               "prints an estimate of one trial: messages, events and peak memory\n"
               "(one round of messages in flight, the link state and the\n"
               "protocol's own), so a run too big for the machine shows before it\n"
               "starts.\n"
               "Exit: 0 all valid, 2 any error.\n");
}

/* see commands.h */
int
cli_validate(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int status = CLI_EXIT_OK;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        char a[256];

        if (c == 'h') {
            validate_usage(stdout);
            return CLI_EXIT_OK;
        }
        mpcsim_escape(a, sizeof(a), argv[optind - 1]);
        fprintf(stderr, "mpcsim validate: unknown option '%s' (see mpcsim validate --help)\n", a);
        return CLI_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "mpcsim validate: which scenario? (usage: mpcsim validate "
                        "SCENARIO.yaml...)\n");
        return CLI_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        struct cli_loaded l;

        if (cli_load(&l, argv[i], NULL, 0, 0) < 0) {
            status = CLI_EXIT_USAGE;
            continue;
        }
        mpcsim_escape_fputs(stdout, argv[i]);
        printf(": ok (%s, %d parties, %zu point%s x %d trial%s)\n", l.points[0]->protocol.kind,
               l.points[0]->parties, l.sweep.n_points, l.sweep.n_points == 1 ? "" : "s",
               l.points[0]->trials, l.points[0]->trials == 1 ? "" : "s");
        print_estimate(stdout, &l);
        cli_loaded_clear(&l);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "mpcsim validate: cannot write to stdout: %s\n", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return status;
}
