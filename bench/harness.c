/* SPDX-License-Identifier: MIT */
/*
 * bench/harness.c - `mpcsim bench`: time every kernel, print a table, write
 * Google Benchmark-shaped JSON and CSV.
 *
 * Each kernel is set up once, warmed up, then its iteration count is
 * grown until one repetition takes min_time / repetitions; the repetitions
 * are timed separately and reported as median, min and stddev.  The
 * kernel's check runs after the last repetition, before anything is
 * printed: a wrong answer fails the bench (exit 1), it does not print a
 * rate.
 */
#include "bench/bench.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/json.h"
#include "sim/cost.h"

#ifdef MPCSIM_HAVE_VALGRIND
#include <valgrind/callgrind.h>
#endif
#include <sys/wait.h>

#define BENCH_MAX_REPS 100

struct bench_opts {
    const char *filter;
    const char *json_path;
    const char *csv_path;
    const char *compare_path;   /* baseline JSON for --compare */
    const char *calibrate_path; /* cost table to write for --calibrate */
    double min_time;
    double threshold; /* --threshold, as a fraction */
    int repetitions;
    int list;
    int count_instructions;
    int child; /* running under callgrind for a parent (internal) */
};

struct bench_result {
    const struct bench_kernel *k;
    uint64_t iters;
    int reps;
    double real_ns[BENCH_MAX_REPS]; /* per iteration */
    double cpu_ns[BENCH_MAX_REPS];
    double median, min, mean, stddev, cpu_median; /* ns per iteration */
    double instructions;                          /* per iteration, with --count-instructions */
};

static double
now_ns(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

static double
median_of(const double *v, int n)
{
    double tmp[BENCH_MAX_REPS];

    memcpy(tmp, v, (size_t)n * sizeof(*v));
    qsort(tmp, (size_t)n, sizeof(*tmp), cmp_double);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: mpcsim bench [--filter REGEX] [--list] [--min-time SECONDS]\n"
                 "                    [--repetitions N] [--json FILE] [--csv FILE]\n"
                 "       mpcsim bench --count-instructions [--filter REGEX] [--json FILE]\n"
                 "       mpcsim bench --calibrate COSTS.yaml [--min-time SECONDS]\n"
                 "                    [--compare BASELINE.json] [--threshold PCT]\n"
                 "\n"
                 "Times every benchmark kernel (or those whose name matches REGEX, an\n"
                 "extended POSIX regular expression) and prints median, min and stddev\n"
                 "per operation.  --json writes Google Benchmark's JSON shape.  Kernels\n"
                 "named huge/... (n = 10 000 simulations) run only when --filter names them.\n"
                 "\n"
                 "--count-instructions runs each kernel's fixed iteration count under\n"
                 "valgrind's callgrind, counting instructions only inside the measured\n"
                 "region: counts repeat exactly, whatever else the machine is doing.\n"
                 "--compare checks them against a baseline written by --json and fails\n"
                 "when a kernel got more than --threshold (default 5%%) worse.\n"
                 "\n"
                 "--calibrate FILE.yaml measures every operation protocols charge to the\n"
                 "simulated CPUs and writes the cost table a scenario's cost_model reads.\n"
                 "Exit: 0 ok, 1 a wrong result or a regression, 2 bad arguments.\n");
}

static int
parse_opts(struct bench_opts *o, int argc, char **argv)
{
    o->filter = NULL;
    o->json_path = NULL;
    o->csv_path = NULL;
    o->min_time = 0.5;
    o->compare_path = NULL;
    o->calibrate_path = NULL;
    o->threshold = 0.05;
    o->repetitions = 5;
    o->list = 0;
    o->count_instructions = 0;
    o->child = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = (i + 1 < argc) ? argv[i + 1] : NULL;
        char *end = NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "--list") == 0) {
            o->list = 1;
            continue;
        } else if (strcmp(a, "--count-instructions") == 0) {
            o->count_instructions = 1;
            continue;
        } else if (strcmp(a, "--callgrind-child") == 0) {
            o->child = 1;
            continue;
        }
        if (val == NULL) {
            fprintf(stderr, "mpcsim bench: %s needs a value (see --help)\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "--filter") == 0) {
            o->filter = val;
        } else if (strcmp(a, "--json") == 0) {
            o->json_path = val;
        } else if (strcmp(a, "--csv") == 0) {
            o->csv_path = val;
        } else if (strcmp(a, "--compare") == 0) {
            o->compare_path = val;
        } else if (strcmp(a, "--calibrate") == 0) {
            o->calibrate_path = val;
        } else if (strcmp(a, "--threshold") == 0) {
            errno = 0;
            o->threshold = strtod(val, &end) / 100.0;
            if (errno != 0 || end == val || (*end != '\0' && strcmp(end, "%") != 0) ||
                !(o->threshold >= 0) || o->threshold > 10) {
                fprintf(stderr, "mpcsim bench: --threshold expects a percentage, got '%s'\n", val);
                return -1;
            }
        } else if (strcmp(a, "--min-time") == 0) {
            errno = 0;
            o->min_time = strtod(val, &end);
            if (errno != 0 || end == val || *end != '\0' || !(o->min_time > 0) ||
                o->min_time > 3600) {
                fprintf(stderr, "mpcsim bench: --min-time expects seconds in (0, 3600], got '%s'\n",
                        val);
                return -1;
            }
        } else if (strcmp(a, "--repetitions") == 0) {
            long r;

            errno = 0;
            r = strtol(val, &end, 10);
            if (errno != 0 || end == val || *end != '\0' || r < 1 || r > BENCH_MAX_REPS) {
                fprintf(stderr, "mpcsim bench: --repetitions expects 1..%d, got '%s'\n",
                        BENCH_MAX_REPS, val);
                return -1;
            }
            o->repetitions = (int)r;
        } else {
            fprintf(stderr, "mpcsim bench: unknown option '%s' (see --help)\n", a);
            return -1;
        }
    }
    return 0;
}

/* Time one kernel.  Returns 0, 1 on a failed check, or MPCSIM_E*. */
static int
run_kernel(struct bench_result *r, const struct bench_kernel *k, const struct bench_opts *o)
{
    void *state = NULL;
    double target = o->min_time / o->repetitions * 1e9;
    uint64_t iters = 1;
    int rc;

    memset(r, 0, sizeof(*r));
    r->k = k;
    rc = k->setup(&state);
    if (rc < 0) {
        return rc;
    }
    /* Warm up and grow iters until one repetition reaches the target. */
    for (;;) {
        double t0 = now_ns(CLOCK_MONOTONIC);
        double dt;

        k->run(state, iters);
        dt = now_ns(CLOCK_MONOTONIC) - t0;
        if (dt >= target || iters >= (UINT64_C(1) << 40)) {
            break;
        }
        if (dt < target / 100) {
            iters *= 10;
        } else {
            double want = (double)iters * target / dt * 1.1;

            iters = want > (double)iters ? (uint64_t)want : iters + 1;
        }
    }
    r->iters = iters;
    r->reps = o->repetitions;
    for (int rep = 0; rep < o->repetitions; rep++) {
        double t0 = now_ns(CLOCK_MONOTONIC);
        double c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);

        k->run(state, iters);
        r->cpu_ns[rep] = (now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)iters;
        r->real_ns[rep] = (now_ns(CLOCK_MONOTONIC) - t0) / (double)iters;
    }
    rc = k->check != NULL ? k->check(state) : 0;
    k->teardown(state);
    if (rc != 0) {
        return 1;
    }
    r->median = median_of(r->real_ns, r->reps);
    r->cpu_median = median_of(r->cpu_ns, r->reps);
    r->min = r->real_ns[0];
    r->mean = 0;
    for (int i = 0; i < r->reps; i++) {
        r->min = fmin(r->min, r->real_ns[i]);
        r->mean += r->real_ns[i] / r->reps;
    }
    r->stddev = 0;
    for (int i = 0; i < r->reps; i++) {
        r->stddev += (r->real_ns[i] - r->mean) * (r->real_ns[i] - r->mean);
    }
    r->stddev = r->reps > 1 ? sqrt(r->stddev / (r->reps - 1)) : 0;
    return 0;
}

/* Human scale: 1234.5 ns -> "1.23 us". */
static void
fmt_time(char *buf, size_t cap, double ns)
{
    if (ns < 1e3) {
        snprintf(buf, cap, "%.2f ns", ns);
    } else if (ns < 1e6) {
        snprintf(buf, cap, "%.2f us", ns / 1e3);
    } else if (ns < 1e9) {
        snprintf(buf, cap, "%.2f ms", ns / 1e6);
    } else {
        snprintf(buf, cap, "%.2f s", ns / 1e9);
    }
}

static void
fmt_rate(char *buf, size_t cap, double per_s)
{
    if (per_s >= 1e9) {
        snprintf(buf, cap, "%.2f G/s", per_s / 1e9);
    } else if (per_s >= 1e6) {
        snprintf(buf, cap, "%.2f M/s", per_s / 1e6);
    } else if (per_s >= 1e3) {
        snprintf(buf, cap, "%.2f k/s", per_s / 1e3);
    } else {
        snprintf(buf, cap, "%.2f /s", per_s);
    }
}

static void
print_row(const struct bench_result *r)
{
    char med[32], mn[32], per_item[32], rate[32];
    double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

    fmt_time(med, sizeof(med), r->median);
    fmt_time(mn, sizeof(mn), r->min);
    fmt_time(per_item, sizeof(per_item), r->median / items);
    fmt_rate(rate, sizeof(rate), items * 1e9 / r->median);
    printf("%-44s %12s %12s %6.1f%% %12s %12s %-6s\n", r->k->name, med, mn,
           r->median > 0 ? 100.0 * r->stddev / r->median : 0.0, per_item, rate,
           r->k->item != NULL ? r->k->item : "op");
    fflush(stdout);
}

static void
cpu_model(char *buf, size_t cap)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];

    snprintf(buf, cap, "unknown");
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');

            if (colon != NULL) {
                colon += 2;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(buf, cap, "%s", colon);
            }
            break;
        }
    }
    fclose(f);
}

static void
json_entry(FILE *f, const struct bench_result *r, const char *run_type, const char *agg, int rep,
           double real, double cpu, int last)
{
    double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

    fprintf(f, "    {\n      \"name\": ");
    if (agg != NULL) {
        char name[256];

        snprintf(name, sizeof(name), "%s_%s", r->k->name, agg);
        mpcsim_json_string(f, name);
    } else {
        mpcsim_json_string(f, r->k->name);
    }
    fprintf(f, ",\n      \"run_name\": ");
    mpcsim_json_string(f, r->k->name);
    fprintf(f, ",\n      \"run_type\": \"%s\",\n", run_type);
    if (agg != NULL) {
        fprintf(f, "      \"aggregate_name\": \"%s\",\n", agg);
    } else {
        fprintf(f, "      \"repetition_index\": %d,\n", rep);
    }
    fprintf(f,
            "      \"repetitions\": %d,\n      \"threads\": 1,\n"
            "      \"iterations\": %llu,\n      \"real_time\": %.6g,\n"
            "      \"cpu_time\": %.6g,\n      \"time_unit\": \"ns\",\n"
            "      \"items_per_second\": %.6g",
            r->reps, (unsigned long long)r->iters, real, cpu, real > 0 ? items * 1e9 / real : 0.0);
    if (r->instructions > 0) {
        fprintf(f, ",\n      \"instructions\": %.0f,\n      \"instructions_per_item\": %.4f",
                r->instructions, r->instructions / items);
    }
    fprintf(f, "\n    }%s\n", last ? "" : ",");
}

static int
write_json(const char *path, const struct bench_result *res, size_t n)
{
    FILE *f = fopen(path, "w");
    char host[256] = "unknown";
    char cpu[256];
    char date[64];
    time_t t = time(NULL);
    struct tm tm;

    if (f == NULL) {
        fprintf(stderr, "mpcsim bench: cannot write %s: %s\n", path, strerror(errno));
        return MPCSIM_EIO;
    }
    gethostname(host, sizeof(host) - 1);
    cpu_model(cpu, sizeof(cpu));
    gmtime_r(&t, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    fprintf(f, "{\n  \"context\": {\n    \"date\": \"%s\",\n    \"host_name\": ", date);
    mpcsim_json_string(f, host);
    fprintf(f, ",\n    \"executable\": \"mpcsim bench\",\n    \"num_cpus\": %ld,\n",
            sysconf(_SC_NPROCESSORS_ONLN));
    fprintf(f, "    \"cpu\": ");
    mpcsim_json_string(f, cpu);
    fprintf(f, ",\n    \"mpcsim_version\": \"%s\",\n", MPCSIM_VERSION);
#ifdef NDEBUG
    fprintf(f, "    \"library_build_type\": \"release\"\n  },\n");
#else
    fprintf(f, "    \"library_build_type\": \"debug\"\n  },\n");
#endif
    fprintf(f, "  \"benchmarks\": [\n");
    for (size_t i = 0; i < n; i++) {
        const struct bench_result *r = &res[i];

        if (r->instructions > 0) {
            json_entry(f, r, "iteration", NULL, 0, 0, 0, i + 1 == n);
            continue;
        }
        for (int rep = 0; rep < r->reps; rep++) {
            json_entry(f, r, "iteration", NULL, rep, r->real_ns[rep], r->cpu_ns[rep], 0);
        }
        json_entry(f, r, "aggregate", "mean", 0, r->mean, r->cpu_median, 0);
        json_entry(f, r, "aggregate", "median", 0, r->median, r->cpu_median, 0);
        json_entry(f, r, "aggregate", "min", 0, r->min, r->cpu_median, 0);
        json_entry(f, r, "aggregate", "stddev", 0, r->stddev, 0, i + 1 == n);
    }
    fprintf(f, "  ]\n}\n");
    if (fclose(f) != 0) {
        return MPCSIM_EIO;
    }
    return 0;
}

static int
write_csv(const char *path, const struct bench_result *res, size_t n)
{
    FILE *f = fopen(path, "w");

    if (f == NULL) {
        fprintf(stderr, "mpcsim bench: cannot write %s: %s\n", path, strerror(errno));
        return MPCSIM_EIO;
    }
    fprintf(f, "name,iterations,repetitions,median_ns,min_ns,stddev_ns,ns_per_item,"
               "items_per_second,item\n");
    for (size_t i = 0; i < n; i++) {
        const struct bench_result *r = &res[i];
        double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

        fprintf(f, "%s,%llu,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", r->k->name,
                (unsigned long long)r->iters, r->reps, r->median, r->min, r->stddev,
                r->median / items, items * 1e9 / r->median, r->k->item != NULL ? r->k->item : "op");
    }
    if (fclose(f) != 0) {
        return MPCSIM_EIO;
    }
    return 0;
}

/* ---- calibration --------------------------------------------------- */

/*
 * Which kernel measures each charged operation: cost = ns per kernel item
 * / `per_item` (e.g. a combine of t = 51 partials is 51 charged partials;
 * an RS decode at n = 256 is charged per n^2 = 65536).  Operations without
 * a kernel keep the built-in default, and the file says so.
 */
static const struct {
    enum sim_op op;
    const char *kernel;
    double per_item;
} calibration[] = {
    {SIM_OP_FIELD_ADD, "field/add_vec_simd/1M", 1},
    {SIM_OP_FIELD_MUL, "field/mul_vec_simd/1M", 1},
    {SIM_OP_FIELD_INV, "field/inv", 1},
    {SIM_OP_FIELD_SAMPLE, "field/sample/64K", 1},
    {SIM_OP_LAGRANGE_TERM, "field/lagrange0/1024", 1024},
    {SIM_OP_RS_DECODE_N2, "field/rs_decode/256/emax", 256.0 * 256.0},
    {SIM_OP_PAILLIER_KEYGEN, "paillier/keygen/2048", 1},
    {SIM_OP_PAILLIER_ENCRYPT, "paillier/encrypt/2048", 1},
    {SIM_OP_PAILLIER_ENCRYPT_PRECOMP, "paillier/encrypt_precomputed/2048", 1},
    {SIM_OP_PAILLIER_DECRYPT, "paillier/decrypt_crt/2048", 1},
    {SIM_OP_PAILLIER_PARTIAL_DECRYPT, "paillier/partial_decrypt/2048", 1},
    {SIM_OP_PAILLIER_COMBINE, "paillier/combine/2048/t51", 51},
    {SIM_OP_PAILLIER_ADD, "paillier/add/2048", 1},
};

static int
calibrate(const struct bench_kernel *ks, size_t nk, const struct bench_opts *o)
{
    double cost[SIM_OP_COUNT];
    int measured[SIM_OP_COUNT] = {0};
    char cpu[256];
    char date[64];
    time_t t = time(NULL);
    struct tm tm;
    FILE *f = NULL;
    int status = 0;

    memcpy(cost, sim_cost_default, sizeof(cost));
    for (size_t c = 0; c < sizeof(calibration) / sizeof(calibration[0]); c++) {
        for (size_t i = 0; i < nk; i++) {
            struct bench_result r;
            double items = ks[i].items_per_iter > 0 ? ks[i].items_per_iter : 1;
            int rc;

            if (strcmp(ks[i].name, calibration[c].kernel) != 0) {
                continue;
            }
            rc = run_kernel(&r, &ks[i], o);
            if (rc != 0) {
                fprintf(stderr, "mpcsim bench: %s failed; %s keeps its default\n", ks[i].name,
                        sim_op_name(calibration[c].op));
                status = 1;
                break;
            }
            cost[calibration[c].op] = r.median / items / calibration[c].per_item;
            measured[calibration[c].op] = 1;
            printf("%-26s %14.4g ns   (%s)\n", sim_op_name(calibration[c].op),
                   cost[calibration[c].op], ks[i].name);
            fflush(stdout);
            break;
        }
    }
    f = fopen(o->calibrate_path, "w");
    if (f == NULL) {
        fprintf(stderr, "mpcsim bench: cannot write %s: %s\n", o->calibrate_path, strerror(errno));
        return 2;
    }
    cpu_model(cpu, sizeof(cpu));
    gmtime_r(&t, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    fprintf(f,
            "# mpcsim cost model: ns per operation charged to a simulated party's CPU.\n"
            "# Measured by `mpcsim bench --calibrate` (medians, one core) on\n"
            "# %s, %s, mpcsim %s.\n"
            "# Use it as a scenario's `cost_model: FILE`.\n",
            cpu, date, MPCSIM_VERSION);
    for (int op = 0; op < SIM_OP_COUNT; op++) {
        fprintf(f, "%s: %.6g%s\n", sim_op_name((enum sim_op)op), cost[op],
                measured[op] ? "" : "   # built-in default, no kernel measures it");
    }
    if (fclose(f) != 0) {
        return 2;
    }
    printf("wrote %s\n", o->calibrate_path);
    return status;
}

/* ---- instruction counts (callgrind) ---------------------------------- */

static uint64_t
fixed_iters(const struct bench_kernel *k)
{
    return k->fixed_iters > 0 ? k->fixed_iters : 1;
}

/*
 * Under callgrind: run each selected kernel's fixed iterations with
 * collection on only around run(), and dump the counts named after the
 * kernel.  Returns the exit status.
 */
static int
count_child(const struct bench_kernel *ks, size_t nk, regex_t *re)
{
    int status = 0;

    for (size_t i = 0; i < nk; i++) {
        const struct bench_kernel *k = &ks[i];
        void *state = NULL;

        if (re != NULL && regexec(re, k->name, 0, NULL, 0) != 0) {
            continue;
        }
        if (k->setup(&state) < 0) {
            fprintf(stderr, "mpcsim bench: %s: setup failed\n", k->name);
            status = 1;
            continue;
        }
        k->run(state, 1); /* warm caches and lazy initialisation, uncounted */
#ifdef MPCSIM_HAVE_VALGRIND
        CALLGRIND_ZERO_STATS;
        CALLGRIND_TOGGLE_COLLECT;
#endif
        k->run(state, fixed_iters(k));
#ifdef MPCSIM_HAVE_VALGRIND
        CALLGRIND_TOGGLE_COLLECT;
        CALLGRIND_DUMP_STATS_AT(k->name);
#endif
        if (k->check != NULL && k->check(state) != 0) {
            fprintf(stderr, "mpcsim bench: %s computed a wrong result\n", k->name);
            status = 1;
        }
        k->teardown(state);
    }
    return status;
}

/* Read one callgrind dump: the trigger's kernel name and its total Ir. */
static int
parse_dump(const char *path, char *name, size_t cap, double *ir)
{
    static const char trigger[] = "desc: Trigger: Client Request: ";
    FILE *f = fopen(path, "r");
    char line[1024];
    int have_name = 0;
    int have_ir = 0;

    if (f == NULL) {
        return 0;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, trigger, sizeof(trigger) - 1) == 0) {
            const char *src = line + sizeof(trigger) - 1;
            size_t n = strlen(src);

            if (n >= cap) {
                n = cap - 1;
            }
            memcpy(name, src, n);
            name[n] = '\0';
            have_name = 1;
        } else if (strncmp(line, "summary: ", 9) == 0 || strncmp(line, "totals: ", 8) == 0) {
            *ir = strtod(strchr(line, ' ') + 1, NULL);
            have_ir = 1;
        }
    }
    fclose(f);
    return have_name && have_ir;
}

/*
 * Run this executable again under callgrind and collect each selected
 * kernel's instructions per iteration into res[].  Returns the number of
 * results, or -1 when valgrind cannot be run.
 */
static long
count_parent(struct bench_result *res, const struct bench_kernel *ks, size_t nk,
             const struct bench_opts *o, regex_t *re)
{
    char dir[] = "/tmp/mpcsim-bench-XXXXXX";
    char exe[4096];
    char outfile[4200];
    char *argv[12];
    int argc = 0;
    ssize_t len;
    pid_t pid;
    int wstatus = 0;
    long n = 0;

    len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0 || mkdtemp(dir) == NULL) {
        fprintf(stderr, "mpcsim bench: cannot prepare the callgrind run: %s\n", strerror(errno));
        return -1;
    }
    exe[len] = '\0';
    snprintf(outfile, sizeof(outfile), "--callgrind-out-file=%s/cg.out", dir);
    argv[argc++] = "valgrind";
    argv[argc++] = "--tool=callgrind";
    argv[argc++] = "--collect-atstart=no";
    argv[argc++] = "--quiet";
    argv[argc++] = outfile;
    argv[argc++] = exe;
    argv[argc++] = "bench";
    argv[argc++] = "--callgrind-child";
    if (o->filter != NULL) {
        argv[argc++] = "--filter";
        argv[argc++] = (char *)o->filter;
    }
    argv[argc] = NULL;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execvp("valgrind", argv);
        fprintf(stderr, "mpcsim bench: cannot run valgrind (apt-get install valgrind): %s\n",
                strerror(errno));
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
        WEXITSTATUS(wstatus) != 0) {
        fprintf(stderr, "mpcsim bench: the callgrind run failed\n");
        n = -1;
    }
    /* Dumps are cg.out.1, cg.out.2, ... in kernel order; cg.out is the end. */
    for (int d = 1; n >= 0; d++) {
        char path[4300];
        char name[512];
        double ir = 0;

        snprintf(path, sizeof(path), "%s/cg.out.%d", dir, d);
        if (access(path, R_OK) != 0) {
            break;
        }
        if (parse_dump(path, name, sizeof(name), &ir)) {
            for (size_t i = 0; i < nk; i++) {
                if (strcmp(ks[i].name, name) == 0) {
                    memset(&res[n], 0, sizeof(res[n]));
                    res[n].k = &ks[i];
                    res[n].iters = fixed_iters(&ks[i]);
                    res[n].reps = 1;
                    res[n].instructions = ir / (double)fixed_iters(&ks[i]);
                    n++;
                    break;
                }
            }
        }
        unlink(path);
    }
    snprintf(outfile, sizeof(outfile), "%s/cg.out", dir);
    unlink(outfile);
    rmdir(dir);
    (void)re;
    return n;
}

/* Instructions per iteration of `name` in a baseline written by --json. */
static int
baseline_lookup(const char *json, const char *name, double *out)
{
    char needle[600];
    const char *p = json;

    snprintf(needle, sizeof(needle), "\"name\": \"%s\"", name);
    while ((p = strstr(p, needle)) != NULL) {
        const char *end = strchr(p, '}');
        const char *ins = strstr(p, "\"instructions\": ");

        p += strlen(needle);
        if (*p != '"' && *p != ',' && *p != '\n' && *p != ' ') {
            continue;
        }
        if (ins != NULL && end != NULL && ins < end) {
            *out = strtod(ins + 16, NULL);
            return 1;
        }
    }
    return 0;
}

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = mpcsim_malloc((size_t)len + 1);
        if (buf != NULL && fread(buf, 1, (size_t)len, f) == (size_t)len) {
            buf[len] = '\0';
        } else {
            mpcsim_free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* see bench.h */
int
bench_compare(FILE *out, const char *baseline_json, const char *const *names, const double *counts,
              size_t n, double threshold)
{
    int regressions = 0;

    fprintf(out, "\n%-44s %14s %14s %8s  (threshold %.1f%%)\n", "kernel", "baseline", "now",
            "change", threshold * 100);
    for (size_t i = 0; i < n; i++) {
        double base = 0;
        double change;
        const char *verdict = "";

        if (!baseline_lookup(baseline_json, names[i], &base) || !(base > 0)) {
            fprintf(out, "%-44s %14s %14.0f %8s  new kernel, not in the baseline\n", names[i], "-",
                    counts[i], "-");
            continue;
        }
        change = counts[i] / base - 1;
        if (change > threshold) {
            verdict = "REGRESSION";
            regressions++;
        } else if (change < -threshold) {
            verdict = "improvement";
        }
        fprintf(out, "%-44s %14.0f %14.0f %+7.2f%%  %s\n", names[i], base, counts[i], change * 100,
                verdict);
    }
    if (regressions > 0) {
        fprintf(out, "%d kernel(s) regressed by more than %.1f%% instructions\n", regressions,
                threshold * 100);
    }
    return regressions;
}

/* Compare with the baseline file: 0 ok, 1 a regression, 2 unreadable. */
static int
compare_baseline(const struct bench_result *res, size_t n, const struct bench_opts *o)
{
    char *json = read_text(o->compare_path);
    const char **names = mpcsim_calloc(n, sizeof(*names));
    double *counts = mpcsim_calloc(n, sizeof(*counts));
    int rc = 2;

    if (json == NULL) {
        fprintf(stderr, "mpcsim bench: cannot read baseline %s: %s\n", o->compare_path,
                strerror(errno));
    } else if (names != NULL && counts != NULL) {
        for (size_t i = 0; i < n; i++) {
            names[i] = res[i].k->name;
            counts[i] = res[i].instructions;
        }
        rc = bench_compare(stdout, json, names, counts, n, o->threshold) > 0 ? 1 : 0;
    }
    mpcsim_free(json);
    mpcsim_free(names);
    mpcsim_free(counts);
    return rc;
}

static void
print_count_row(const struct bench_result *r)
{
    double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

    printf("%-44s %16.0f %14.2f %-6s %10llu\n", r->k->name, r->instructions,
           r->instructions / items, r->k->item != NULL ? r->k->item : "op",
           (unsigned long long)r->iters);
}

/* see bench.h */
int
bench_main(int argc, char **argv)
{
    struct bench_opts o;
    struct bench_result *res = NULL;
    const struct bench_kernel *ks = NULL;
    size_t nk = 0;
    size_t nres = 0;
    regex_t re;
    int have_re = 0;
    int status = 0;
    int rc;

    rc = parse_opts(&o, argc, argv);
    if (rc != 0) {
        return rc > 0 ? 0 : 2;
    }
    if (o.filter != NULL) {
        if (regcomp(&re, o.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            fprintf(stderr, "mpcsim bench: --filter '%s' is not a valid regular expression\n",
                    o.filter);
            return 2;
        }
        have_re = 1;
    }
    ks = bench_kernels(&nk);
    res = mpcsim_calloc(nk > 0 ? nk : 1, sizeof(*res));
    if (res == NULL) {
        fprintf(stderr, "mpcsim bench: out of memory\n");
        status = 2;
        goto out;
    }
    if (o.child) {
        status = count_child(ks, nk, have_re ? &re : NULL);
        goto out;
    }
    if (o.calibrate_path != NULL) {
        status = calibrate(ks, nk, &o);
        goto out;
    }
    if (o.count_instructions) {
        long got = count_parent(res, ks, nk, &o, have_re ? &re : NULL);

        if (got < 0) {
            status = 2;
            goto out;
        }
        if (got == 0) {
            fprintf(stderr, "mpcsim bench: no kernel matches '%s' (see --list)\n",
                    o.filter != NULL ? o.filter : "");
            status = 2;
            goto out;
        }
        nres = (size_t)got;
        printf("%-44s %16s %14s %-6s %10s\n", "kernel", "instructions", "per item", "item",
               "iterations");
        for (size_t i = 0; i < nres; i++) {
            print_count_row(&res[i]);
        }
        if (o.json_path != NULL && write_json(o.json_path, res, nres) < 0) {
            status = 2;
        }
        if (status == 0 && o.compare_path != NULL) {
            status = compare_baseline(res, nres, &o);
        }
        goto out;
    }
    if (o.compare_path != NULL) {
        fprintf(stderr,
                "mpcsim bench: --compare needs --count-instructions (wall time is noise)\n");
        status = 2;
        goto out;
    }
    if (!o.list) {
        printf("%-44s %12s %12s %7s %12s %12s %-6s\n", "kernel", "median", "min", "stddev",
               "per item", "items/s", "item");
    }
    for (size_t i = 0; i < nk; i++) {
        if (have_re && regexec(&re, ks[i].name, 0, NULL, 0) != 0) {
            continue;
        }
        if (!have_re && !o.list && strncmp(ks[i].name, "huge/", 5) == 0) {
            continue; /* minutes and gigabytes: only when a --filter asks for them */
        }
        if (o.list) {
            printf("%s\n", ks[i].name);
            continue;
        }
        rc = run_kernel(&res[nres], &ks[i], &o);
        if (rc == 1) {
            fprintf(stderr, "mpcsim bench: %s computed a wrong result\n", ks[i].name);
            status = 1;
            continue;
        }
        if (rc < 0) {
            fprintf(stderr, "mpcsim bench: %s: setup failed: %s\n", ks[i].name,
                    mpcsim_strerror(rc));
            status = 1;
            continue;
        }
        print_row(&res[nres]);
        nres++;
    }
    if (!o.list && nres == 0 && status == 0) {
        fprintf(stderr, "mpcsim bench: no kernel matches '%s' (see --list)\n",
                o.filter != NULL ? o.filter : "");
        status = 2;
        goto out;
    }
    if (o.json_path != NULL && write_json(o.json_path, res, nres) < 0) {
        status = 2;
    }
    if (o.csv_path != NULL && write_csv(o.csv_path, res, nres) < 0) {
        status = 2;
    }
out:
    if (have_re) {
        regfree(&re);
    }
    mpcsim_free(res);
    return status;
}
