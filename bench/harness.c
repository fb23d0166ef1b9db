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
 *
 * The JSON is what Google Benchmark writes for --benchmark_repetitions
 * (src/statistics.cc, src/json_reporter.cc): per kernel one "iteration"
 * entry per repetition, then "aggregate" entries _mean, _median, _stddev
 * (aggregate_unit "time") and _cv (stddev / mean, "percentage"), each
 * computed from the repetitions' real_time and cpu_time, with "iterations"
 * = the number of repetitions; none with one repetition.
 * items_per_second is a rate counter: per repetition items / CPU second
 * (Google Benchmark's default), and its aggregates are the statistics of
 * the per-repetition rates.  Output files are written to a temporary file
 * and renamed; "-" is stdout (the table then goes to stderr).
 */
#include "bench/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/json.h"
#include "common/path.h"
#include "sim/cost.h"

#ifdef MPCSIM_HAVE_VALGRIND
#include <valgrind/callgrind.h>
#endif
#include <sys/wait.h>

#define BENCH_MAX_REPS 100
#if defined(__SANITIZE_ADDRESS__)
#define BENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_ASAN 1
#endif
#endif
/* A baseline larger than this is not one --json wrote. */
#define BENCH_MAX_BASELINE (16u << 20)

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
    double median, min, mean, stddev; /* real ns per iteration, over the repetitions */
    double instructions;              /* per iteration, with --count-instructions */
};

/* Google Benchmark's statistics over n values: mean, median, sample stddev
 * (0 for n = 1), cv = stddev / mean (0 for n < 2 or a zero mean). */
struct bench_stats {
    double mean, median, stddev, cv;
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
stats_of(struct bench_stats *st, const double *v, int n)
{
    double ss = 0;

    st->mean = 0;
    for (int i = 0; i < n; i++) {
        st->mean += v[i];
    }
    st->mean /= n;
    for (int i = 0; i < n; i++) {
        ss += (v[i] - st->mean) * (v[i] - st->mean);
    }
    st->median = median_of(v, n);
    st->stddev = n > 1 ? sqrt(ss / (n - 1)) : 0;
    st->cv = n > 1 && st->mean != 0 ? st->stddev / st->mean : 0;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: mpcsim bench [--filter REGEX] [--list] [--min-time SECONDS]\n"
                 "                    [--repetitions N] [--json FILE|-] [--csv FILE|-]\n"
                 "       mpcsim bench --count-instructions [--filter REGEX] [--json FILE]\n"
                 "       mpcsim bench --calibrate COSTS.yaml [--min-time SECONDS]\n"
                 "                    [--compare BASELINE.json] [--threshold PCT]\n"
                 "\n"
                 "Times every benchmark kernel (or those whose name matches REGEX, an\n"
                 "extended POSIX regular expression) and prints median, min and stddev\n"
                 "per operation.  --json writes Google Benchmark's JSON (repetitions and\n"
                 "their mean, median, stddev and cv); '-' is stdout, the table then goes\n"
                 "to stderr.  Kernels\n"
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

enum {
    OPT_FILTER = 256,
    OPT_JSON,
    OPT_CSV,
    OPT_COMPARE,
    OPT_CALIBRATE,
    OPT_THRESHOLD,
    OPT_MIN_TIME,
    OPT_REPS,
    OPT_LIST,
    OPT_COUNT,
    OPT_CHILD
};

static const struct option bench_longopts[] = {
    {"filter", required_argument, NULL, OPT_FILTER},
    {"json", required_argument, NULL, OPT_JSON},
    {"csv", required_argument, NULL, OPT_CSV},
    {"compare", required_argument, NULL, OPT_COMPARE},
    {"calibrate", required_argument, NULL, OPT_CALIBRATE},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"min-time", required_argument, NULL, OPT_MIN_TIME},
    {"repetitions", required_argument, NULL, OPT_REPS},
    {"list", no_argument, NULL, OPT_LIST},
    {"count-instructions", no_argument, NULL, OPT_COUNT},
    {"callgrind-child", no_argument, NULL, OPT_CHILD},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* What a missing argument should have been. */
static const char *
opt_wants(int val)
{
    switch (val) {
    case OPT_FILTER:
        return "an extended regular expression";
    case OPT_JSON:
    case OPT_CSV:
        return "an output file, or - for stdout";
    case OPT_COMPARE:
        return "a baseline JSON written by --count-instructions --json";
    case OPT_CALIBRATE:
        return "the cost table to write (COSTS.yaml)";
    case OPT_THRESHOLD:
        return "a percentage, e.g. 5%";
    case OPT_MIN_TIME:
        return "seconds in (0, 3600]";
    case OPT_REPS:
        return "a count in 1..100";
    default:
        return "a value";
    }
}

static int
parse_opts(struct bench_opts *o, int argc, char **argv)
{
    int c;

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
    optind = 0; /* GNU: full re-initialisation (bench_main may run twice) */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", bench_longopts, NULL)) != -1) {
        const char *val = optarg;
        char *end = NULL;

        switch (c) {
        case 'h':
            usage(stdout);
            return 1;
        case OPT_LIST:
            o->list = 1;
            break;
        case OPT_COUNT:
            o->count_instructions = 1;
            break;
        case OPT_CHILD:
            o->child = 1;
            break;
        case OPT_FILTER:
            o->filter = val;
            break;
        case OPT_JSON:
            o->json_path = val;
            break;
        case OPT_CSV:
            o->csv_path = val;
            break;
        case OPT_COMPARE:
            o->compare_path = val;
            break;
        case OPT_CALIBRATE:
            o->calibrate_path = val;
            break;
        case OPT_THRESHOLD:
            errno = 0;
            o->threshold = strtod(val, &end) / 100.0;
            if (errno != 0 || end == val || (*end != '\0' && strcmp(end, "%") != 0) ||
                !(o->threshold >= 0) || o->threshold > 10) {
                fprintf(stderr, "mpcsim bench: --threshold expects a percentage, got '%s'\n", val);
                return -1;
            }
            break;
        case OPT_MIN_TIME:
            errno = 0;
            o->min_time = strtod(val, &end);
            if (errno != 0 || end == val || *end != '\0' || !(o->min_time > 0) ||
                o->min_time > 3600) {
                fprintf(stderr, "mpcsim bench: --min-time expects seconds in (0, 3600], got '%s'\n",
                        val);
                return -1;
            }
            break;
        case OPT_REPS: {
            long r;

            errno = 0;
            r = strtol(val, &end, 10);
            if (errno != 0 || end == val || *end != '\0' || r < 1 || r > BENCH_MAX_REPS) {
                fprintf(stderr, "mpcsim bench: --repetitions expects 1..%d, got '%s'\n",
                        BENCH_MAX_REPS, val);
                return -1;
            }
            o->repetitions = (int)r;
            break;
        }
        case ':':
            for (const struct option *p = bench_longopts; p->name != NULL; p++) {
                if (p->val == optopt) {
                    fprintf(stderr, "mpcsim bench: --%s needs a value: %s\n", p->name,
                            opt_wants(optopt));
                    return -1;
                }
            }
            fprintf(stderr, "mpcsim bench: %s needs a value\n", argv[optind - 1]);
            return -1;
        default:
            fprintf(stderr, "mpcsim bench: unknown option '%s' (see --help)\n", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mpcsim bench: unexpected argument '%s' (see --help)\n", argv[optind]);
        return -1;
    }
    if (o->json_path != NULL && o->csv_path != NULL &&
        mpcsim_same_path(o->json_path, o->csv_path)) {
        fprintf(stderr, strcmp(o->json_path, "-") == 0
                            ? "mpcsim bench: at most one of --json and --csv may be - (stdout)\n"
                            : "mpcsim bench: --json and --csv name the same file\n");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        const char *out = i == 0 ? o->json_path : o->csv_path;

        if (out != NULL &&
            ((o->compare_path != NULL && mpcsim_same_path(out, o->compare_path)) ||
             (o->calibrate_path != NULL && mpcsim_same_path(out, o->calibrate_path)))) {
            fprintf(stderr,
                    "mpcsim bench: --%s would overwrite the --compare baseline or the "
                    "--calibrate table\n",
                    i == 0 ? "json" : "csv");
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
    {
        struct bench_stats st;

        stats_of(&st, r->real_ns, r->reps);
        r->median = st.median;
        r->mean = st.mean;
        r->stddev = st.stddev;
    }
    r->min = r->real_ns[0];
    for (int i = 1; i < r->reps; i++) {
        r->min = fmin(r->min, r->real_ns[i]);
    }
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
print_row(FILE *out, const struct bench_result *r)
{
    char med[32], mn[32], per_item[32], rate[32];
    double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

    fmt_time(med, sizeof(med), r->median);
    fmt_time(mn, sizeof(mn), r->min);
    fmt_time(per_item, sizeof(per_item), r->median / items);
    fmt_rate(rate, sizeof(rate), items * 1e9 / r->median);
    fprintf(out, "%-44s %12s %12s %6.1f%% %12s %12s %-6s\n", r->k->name, med, mn,
            r->median > 0 ? 100.0 * r->stddev / r->median : 0.0, per_item, rate,
            r->k->item != NULL ? r->k->item : "op");
    fflush(out);
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

/* A JSON number: finite, enough digits to recompute the aggregates. */
static void
json_num(FILE *f, double v)
{
    fprintf(f, "%.17g", isfinite(v) ? v : 0.0);
}

/*
 * One entry.  agg == NULL: repetition `rep` (real, cpu, rate); otherwise
 * the aggregate named agg ("cv" is a ratio, aggregate_unit "percentage").
 */
static void
json_entry(FILE *f, const struct bench_result *r, size_t family, const char *agg, int rep,
           double real, double cpu, double rate, int last)
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
    fprintf(f, ",\n      \"family_index\": %zu,\n      \"per_family_instance_index\": 0", family);
    fprintf(f, ",\n      \"run_name\": ");
    mpcsim_json_string(f, r->k->name);
    fprintf(f, ",\n      \"run_type\": \"%s\",\n", agg != NULL ? "aggregate" : "iteration");
    fprintf(f, "      \"repetitions\": %d,\n", r->reps);
    if (agg == NULL) {
        fprintf(f, "      \"repetition_index\": %d,\n", rep);
    }
    fprintf(f, "      \"threads\": 1,\n");
    if (agg != NULL) {
        fprintf(f, "      \"aggregate_name\": \"%s\",\n      \"aggregate_unit\": \"%s\",\n", agg,
                strcmp(agg, "cv") == 0 ? "percentage" : "time");
    }
    /* An aggregate is over the repetitions, so its iterations are their count. */
    fprintf(f, "      \"iterations\": %llu,\n      \"real_time\": ",
            agg != NULL ? (unsigned long long)r->reps : (unsigned long long)r->iters);
    json_num(f, real);
    fprintf(f, ",\n      \"cpu_time\": ");
    json_num(f, cpu);
    fprintf(f, ",\n      \"time_unit\": \"ns\"");
    if (r->instructions > 0) {
        fprintf(f, ",\n      \"instructions\": %.0f,\n      \"instructions_per_item\": %.4f",
                r->instructions, r->instructions / items);
    } else {
        fprintf(f, ",\n      \"items_per_second\": ");
        json_num(f, rate);
    }
    fprintf(f, "\n    }%s\n", last ? "" : ",");
}

/* Open an output: "-" is stdout; else a temporary file beside `path`,
 * renamed into place by out_close().  NULL with a message on failure. */
static FILE *
out_open(const char *path, char *tmp, size_t cap)
{
    int fd;
    FILE *f;
    mode_t mask;

    tmp[0] = '\0';
    if (strcmp(path, "-") == 0) {
        return stdout;
    }
    if ((size_t)snprintf(tmp, cap, "%s.tmp.XXXXXX", path) >= cap) {
        fprintf(stderr, "mpcsim bench: cannot write %s: name too long\n", path);
        tmp[0] = '\0';
        return NULL;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "mpcsim bench: cannot write %s: %s\n", path, strerror(errno));
        tmp[0] = '\0';
        return NULL;
    }
    mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask); /* as fopen() would create it */
    f = fdopen(fd, "w");
    if (f == NULL) {
        fprintf(stderr, "mpcsim bench: cannot write %s: %s\n", path, strerror(errno));
        close(fd);
        unlink(tmp);
        tmp[0] = '\0';
    }
    return f;
}

/* Finish an output opened by out_open(): 0, or MPCSIM_EIO (the previous
 * file at `path` is left untouched). */
static int
out_close(FILE *f, const char *path, const char *tmp)
{
    int bad = ferror(f);

    if (f == stdout) {
        return fflush(stdout) != 0 || bad ? MPCSIM_EIO : 0;
    }
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        fprintf(stderr, "mpcsim bench: error writing %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return MPCSIM_EIO;
    }
    return 0;
}

static int
write_json(const char *path, const struct bench_result *res, size_t n)
{
    char tmp[4200];
    FILE *f = out_open(path, tmp, sizeof(tmp));
    char host[256] = "unknown";
    char cpu[256];
    char date[64];
    time_t t = time(NULL);
    struct tm tm;

    if (f == NULL) {
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
        double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;
        double rate[BENCH_MAX_REPS];
        struct bench_stats sr, sc, si;
        int lastk = i + 1 == n;

        if (r->instructions > 0) {
            json_entry(f, r, i, NULL, 0, 0, 0, 0, lastk);
            continue;
        }
        for (int rep = 0; rep < r->reps; rep++) {
            rate[rep] = r->cpu_ns[rep] > 0 ? items * 1e9 / r->cpu_ns[rep] : 0;
            json_entry(f, r, i, NULL, rep, r->real_ns[rep], r->cpu_ns[rep], rate[rep],
                       lastk && rep + 1 == r->reps && r->reps < 2);
        }
        if (r->reps < 2) {
            continue; /* Google Benchmark: no aggregates of a single run */
        }
        stats_of(&sr, r->real_ns, r->reps);
        stats_of(&sc, r->cpu_ns, r->reps);
        stats_of(&si, rate, r->reps);
        json_entry(f, r, i, "mean", 0, sr.mean, sc.mean, si.mean, 0);
        json_entry(f, r, i, "median", 0, sr.median, sc.median, si.median, 0);
        json_entry(f, r, i, "stddev", 0, sr.stddev, sc.stddev, si.stddev, 0);
        json_entry(f, r, i, "cv", 0, sr.cv, sc.cv, si.cv, lastk);
    }
    fprintf(f, "  ]\n}\n");
    return out_close(f, path, tmp);
}

static int
write_csv(const char *path, const struct bench_result *res, size_t n)
{
    char tmp[4200];
    FILE *f = out_open(path, tmp, sizeof(tmp));

    if (f == NULL) {
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
    return out_close(f, path, tmp);
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
    {SIM_OP_FIELD_MUL_M127, "field/mul_vec_best_m127/1M", 1},
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
    char tmp[4200];
    FILE *msg = strcmp(o->calibrate_path, "-") == 0 ? stderr : stdout;
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
            fprintf(msg, "%-26s %14.4g ns   (%s)\n", sim_op_name(calibration[c].op),
                    cost[calibration[c].op], ks[i].name);
            fflush(msg);
            break;
        }
    }
    f = out_open(o->calibrate_path, tmp, sizeof(tmp));
    if (f == NULL) {
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
    if (out_close(f, o->calibrate_path, tmp) != 0) {
        return 2;
    }
    if (f != stdout) {
        printf("wrote %s\n", o->calibrate_path);
    }
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

#ifdef BENCH_ASAN
    /* valgrind cannot run an AddressSanitizer binary ("I can't recover"). */
    fprintf(stderr, "mpcsim bench: --count-instructions cannot run under valgrind in an "
                    "AddressSanitizer build; count on a portable release build: "
                    "./scripts/bench-check.sh\n");
    (void)o;
    return -1;
#endif
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
    if (pid < 0 || waitpid(pid, &wstatus, 0) < 0) {
        fprintf(stderr, "mpcsim bench: cannot run valgrind: %s\n", strerror(errno));
        n = -1;
    } else if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGILL) {
        /* valgrind (3.19) stops at the first AVX-512 instruction it meets. */
        fprintf(stderr,
                "mpcsim bench: valgrind cannot execute this binary's instructions (SIGILL): it "
                "was built with -march=native (MPCSIM_NATIVE=ON) and uses AVX-512, which "
                "valgrind does not support.\n"
                "Count instructions on a portable build instead: ./scripts/bench-check.sh does "
                "it (build-bench, MPCSIM_NATIVE=OFF), or\n"
                "  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMPCSIM_NATIVE=OFF && "
                "cmake --build build-bench --target mpcsim\n"
                "  build-bench/mpcsim bench --count-instructions ...\n");
        n = -1;
    } else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127) {
        n = -1; /* the child said valgrind is missing */
    } else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        if (WIFSIGNALED(wstatus)) {
            fprintf(stderr, "mpcsim bench: the callgrind run failed: signal %d\n",
                    WTERMSIG(wstatus));
        } else {
            fprintf(stderr, "mpcsim bench: the callgrind run failed: exit %d\n",
                    WEXITSTATUS(wstatus));
        }
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

/* ---- the --compare baseline ------------------------------------------ */

/* A recursive-descent JSON reader (RFC 8259) that keeps, of the top-level
 * "benchmarks" array, each object's "name" and "instructions". */
struct jread {
    const char *p, *end, *start;
    const char *err; /* what went wrong, at p */
    char **names;    /* owned */
    double *ins;     /* NAN when the entry has no "instructions" */
    size_t n, cap;
};

static void
jr_ws(struct jread *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) {
        j->p++;
    }
}

/* A string; its text (escapes decoded, \u as '?') into buf when buf != NULL. */
static int
jr_string(struct jread *j, char *buf, size_t cap)
{
    size_t k = 0;

    if (j->p >= j->end || *j->p != '"') {
        j->err = "expected a string";
        return -1;
    }
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;

        if ((unsigned char)c < 0x20) {
            j->err = "control character in a string";
            return -1;
        }
        if (c == '\\') {
            if (j->p >= j->end || strchr("\"\\/bfnrtu", *j->p) == NULL) {
                j->err = "bad escape in a string";
                return -1;
            }
            c = *j->p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++, j->p++) {
                    if (j->p >= j->end || strchr("0123456789abcdefABCDEF", *j->p) == NULL) {
                        j->err = "bad \\u escape";
                        return -1;
                    }
                }
                c = '?';
            } else if (c != '"' && c != '\\' && c != '/') {
                c = '?';
            }
        }
        if (buf != NULL && k + 1 < cap) {
            buf[k++] = c;
        }
    }
    if (j->p >= j->end) {
        j->err = "unterminated string";
        return -1;
    }
    j->p++;
    if (buf != NULL) {
        buf[k] = '\0';
    }
    return 0;
}

static int
jr_number(struct jread *j, double *out)
{
    const char *s = j->p;
    char tmp[64];
    size_t len;

    if (j->p < j->end && *j->p == '-') {
        j->p++;
    }
    if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9')) {
        j->err = "expected a value (NaN and Infinity are not JSON)";
        j->p = s;
        return -1;
    }
    if (*j->p == '0') {
        j->p++;
    } else {
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9')) {
            j->err = "bad number";
            return -1;
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) {
            j->p++;
        }
        if (j->p >= j->end || !(*j->p >= '0' && *j->p <= '9')) {
            j->err = "bad number";
            return -1;
        }
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
            j->p++;
        }
    }
    len = (size_t)(j->p - s);
    if (len >= sizeof(tmp)) {
        j->err = "number too long";
        return -1;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    *out = strtod(tmp, NULL);
    return 0;
}

static int jr_value(struct jread *j, int depth, int bench_array, int bench_entry);

static int
jr_keyword(struct jread *j, const char *kw)
{
    size_t n = strlen(kw);

    if ((size_t)(j->end - j->p) >= n && memcmp(j->p, kw, n) == 0) {
        j->p += n;
        return 0;
    }
    j->err = "expected a value (NaN and Infinity are not JSON)";
    return -1;
}

/* An object; in a benchmarks entry, record its name and instructions. */
static int
jr_object(struct jread *j, int depth, int top, int bench_entry)
{
    char key[64];
    char name[512] = "";
    int have_name = 0;
    double ins = NAN;

    j->p++; /* '{' */
    jr_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        goto done;
    }
    for (;;) {
        jr_ws(j);
        if (jr_string(j, key, sizeof(key)) < 0) {
            return -1;
        }
        jr_ws(j);
        if (j->p >= j->end || *j->p != ':') {
            j->err = "expected ':'";
            return -1;
        }
        j->p++;
        jr_ws(j);
        if (bench_entry && strcmp(key, "name") == 0 && j->p < j->end && *j->p == '"') {
            if (jr_string(j, name, sizeof(name)) < 0) {
                return -1;
            }
            have_name = 1;
        } else if (bench_entry && strcmp(key, "instructions") == 0) {
            if (jr_number(j, &ins) < 0) {
                return -1;
            }
        } else if (jr_value(j, depth + 1, top && strcmp(key, "benchmarks") == 0, 0) < 0) {
            return -1;
        }
        jr_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            break;
        }
        j->err = "expected ',' or '}'";
        return -1;
    }
done:
    if (bench_entry && have_name) {
        if (j->n == j->cap) {
            size_t nc = j->cap ? 2 * j->cap : 64;
            char **nn = mpcsim_reallocarray(j->names, nc, sizeof(*nn));
            double *ni;

            if (nn == NULL) {
                j->err = "out of memory";
                return -1;
            }
            j->names = nn;
            ni = mpcsim_reallocarray(j->ins, nc, sizeof(*ni));
            if (ni == NULL) {
                j->err = "out of memory";
                return -1;
            }
            j->ins = ni;
            j->cap = nc;
        }
        j->names[j->n] = mpcsim_strdup(name);
        if (j->names[j->n] == NULL) {
            j->err = "out of memory";
            return -1;
        }
        j->ins[j->n++] = ins;
    }
    return 0;
}

static int
jr_value(struct jread *j, int depth, int bench_array, int bench_entry)
{
    double d;

    if (depth > 64) {
        j->err = "nested too deeply";
        return -1;
    }
    jr_ws(j);
    if (j->p >= j->end) {
        j->err = "unexpected end (truncated?)";
        return -1;
    }
    switch (*j->p) {
    case '{':
        return jr_object(j, depth, depth == 0, bench_entry);
    case '[':
        j->p++;
        jr_ws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return 0;
        }
        for (;;) {
            jr_ws(j);
            if (jr_value(j, depth + 1, 0, bench_array && j->p < j->end && *j->p == '{') < 0) {
                return -1;
            }
            jr_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == ']') {
                j->p++;
                return 0;
            }
            j->err = j->p >= j->end ? "unexpected end (truncated?)" : "expected ',' or ']'";
            return -1;
        }
    case '"':
        return jr_string(j, NULL, 0);
    case 't':
        return jr_keyword(j, "true");
    case 'f':
        return jr_keyword(j, "false");
    case 'n':
        return jr_keyword(j, "null");
    default:
        return jr_number(j, &d);
    }
}

static void
jr_free(struct jread *j)
{
    for (size_t i = 0; i < j->n; i++) {
        mpcsim_free(j->names[i]);
    }
    mpcsim_free(j->names);
    mpcsim_free(j->ins);
}

/*
 * Read a baseline: a regular file (a FIFO or terminal is refused, never
 * waited on: the open does not block), at most BENCH_MAX_BASELINE bytes,
 * no NUL byte.  Returns the text (caller frees) or NULL with a message.
 */
static char *
read_baseline(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    size_t len = 0;

    if (fd < 0) {
        fprintf(stderr, "mpcsim bench: cannot read baseline %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "mpcsim bench: baseline %s is not a regular file\n", path);
        goto fail;
    }
    if (st.st_size <= 0 || (unsigned long long)st.st_size > BENCH_MAX_BASELINE) {
        fprintf(stderr, "mpcsim bench: baseline %s is %s (%lld bytes)\n", path,
                st.st_size <= 0 ? "empty" : "too large for a count file", (long long)st.st_size);
        goto fail;
    }
    buf = mpcsim_malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        fprintf(stderr, "mpcsim bench: out of memory\n");
        goto fail;
    }
    while (len < (size_t)st.st_size) {
        ssize_t got = read(fd, buf + len, (size_t)st.st_size - len);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            fprintf(stderr, "mpcsim bench: cannot read baseline %s: %s\n", path,
                    got < 0 ? strerror(errno) : "it shrank while being read");
            goto fail;
        }
        len += (size_t)got;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        fprintf(stderr, "mpcsim bench: baseline %s holds a NUL byte: not JSON\n", path);
        goto fail;
    }
    close(fd);
    return buf;
fail:
    mpcsim_free(buf);
    close(fd);
    return NULL;
}

/* Parse a baseline into j (jr_free() it): 0, or MPCSIM_EPARSE with a
 * message when it is not JSON or holds a count that is not finite and > 0. */
static int
baseline_parse(struct jread *j, const char *baseline_json)
{
    int rc = 0;

    memset(j, 0, sizeof(*j));
    j->p = j->start = baseline_json;
    j->end = baseline_json + strlen(baseline_json);
    jr_ws(j);
    if (j->p >= j->end || *j->p != '{') {
        j->err = j->p >= j->end ? "empty" : "expected a JSON object";
        rc = MPCSIM_EPARSE;
    } else if (jr_value(j, 0, 0, 0) < 0) {
        rc = MPCSIM_EPARSE;
    } else {
        jr_ws(j);
        if (j->p != j->end) {
            j->err = "text after the JSON object";
            rc = MPCSIM_EPARSE;
        }
    }
    if (rc != 0) {
        fprintf(stderr, "mpcsim bench: the baseline is not valid JSON at byte %zu: %s\n",
                (size_t)(j->p - j->start), j->err != NULL ? j->err : "?");
        jr_free(j);
        return rc;
    }
    /* Every count in it must be a finite, positive number. */
    for (size_t b = 0; b < j->n; b++) {
        if (!isnan(j->ins[b]) && !(isfinite(j->ins[b]) && j->ins[b] > 0)) {
            fprintf(stderr,
                    "mpcsim bench: the baseline's count for '%s' is %g: not a positive "
                    "finite number\n",
                    j->names[b], j->ins[b]);
            jr_free(j);
            return MPCSIM_EPARSE;
        }
    }
    return 0;
}

/* Whether baseline_json has a count for at least one of the kernels `re`
 * selects (all when NULL), so that --compare can fail before anything is
 * counted.  0 (yes), MPCSIM_EINVAL (none: said on stderr) or the parse
 * error. */
static int
baseline_covers(const char *baseline_json, const struct bench_kernel *ks, size_t nk, regex_t *re)
{
    struct jread j;
    size_t selected = 0;
    int rc = baseline_parse(&j, baseline_json);

    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < nk; i++) {
        if (re != NULL && regexec(re, ks[i].name, 0, NULL, 0) != 0) {
            continue;
        }
        selected++;
        for (size_t b = 0; b < j.n; b++) {
            if (strcmp(j.names[b], ks[i].name) == 0 && !isnan(j.ins[b])) {
                jr_free(&j);
                return 0;
            }
        }
    }
    jr_free(&j);
    fprintf(stderr,
            "mpcsim bench: the baseline has instruction counts for none of the %zu selected "
            "kernel(s) (was it written by --count-instructions --json, with the same "
            "--filter?)\n",
            selected);
    return MPCSIM_EINVAL;
}

/* see bench.h */
int
bench_compare(FILE *out, const char *baseline_json, const char *const *names, const double *counts,
              size_t n, double threshold)
{
    struct jread j;
    int regressions = 0;
    size_t found = 0;
    int rc = baseline_parse(&j, baseline_json);

    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t b = 0; b < j.n; b++) {
            if (strcmp(j.names[b], names[i]) == 0 && !isnan(j.ins[b])) {
                found++;
                break;
            }
        }
    }
    if (found == 0) {
        fprintf(stderr,
                "mpcsim bench: the baseline has instruction counts for none of the %zu selected "
                "kernel(s) (was it written by --count-instructions --json, with the same "
                "--filter?)\n",
                n);
        jr_free(&j);
        return MPCSIM_EINVAL;
    }
    fprintf(out, "\n%-44s %14s %14s %8s  (threshold %.1f%%)\n", "kernel", "baseline", "now",
            "change", threshold * 100);
    for (size_t i = 0; i < n; i++) {
        double base = NAN;
        double change;
        const char *verdict = "";

        for (size_t b = 0; b < j.n; b++) {
            if (strcmp(j.names[b], names[i]) == 0 && !isnan(j.ins[b])) {
                base = j.ins[b];
                break;
            }
        }
        if (isnan(base)) {
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
    jr_free(&j);
    return regressions;
}

/* Compare with the baseline text: 0 ok, 1 a regression, 2 an unusable baseline. */
static int
compare_baseline(const struct bench_result *res, size_t n, const char *json,
                 const struct bench_opts *o)
{
    const char **names = mpcsim_calloc(n, sizeof(*names));
    double *counts = mpcsim_calloc(n, sizeof(*counts));
    int rc = 2;

    if (names != NULL && counts != NULL) {
        for (size_t i = 0; i < n; i++) {
            names[i] = res[i].k->name;
            counts[i] = res[i].instructions;
        }
        rc = bench_compare(stdout, json, names, counts, n, o->threshold);
        rc = rc < 0 ? 2 : (rc > 0 ? 1 : 0);
    }
    mpcsim_free(names);
    mpcsim_free(counts);
    return rc;
}

static void
print_count_row(FILE *out, const struct bench_result *r)
{
    double items = r->k->items_per_iter > 0 ? r->k->items_per_iter : 1;

    fprintf(out, "%-44s %16.0f %14.2f %-6s %10llu\n", r->k->name, r->instructions,
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
    char *baseline = NULL;
    FILE *tbl = stdout; /* the human table; stderr when JSON/CSV go to stdout */
    int rc;

    rc = parse_opts(&o, argc, argv);
    if (rc != 0) {
        return rc > 0 ? 0 : 2;
    }
    if ((o.json_path != NULL && strcmp(o.json_path, "-") == 0) ||
        (o.csv_path != NULL && strcmp(o.csv_path, "-") == 0) ||
        (o.calibrate_path != NULL && strcmp(o.calibrate_path, "-") == 0)) {
        tbl = stderr;
    }
    if (o.compare_path != NULL && !o.count_instructions) {
        fprintf(stderr,
                "mpcsim bench: --compare needs --count-instructions (wall time is noise)\n");
        return 2;
    }
    /* Read and check the baseline before anything runs: fail closed, fast. */
    if (o.compare_path != NULL) {
        baseline = read_baseline(o.compare_path);
        if (baseline == NULL) {
            return 2;
        }
        {
            struct jread j;

            rc = baseline_parse(&j, baseline);
            if (rc == 0) {
                jr_free(&j);
            } else {
                fprintf(stderr, "mpcsim bench: baseline %s is unusable\n", o.compare_path);
                mpcsim_free(baseline);
                return 2;
            }
        }
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
        long got;

        /* Fail closed before minutes of counting: a baseline with none of
         * the selected kernels (checked again on the results). */
        if (baseline != NULL && baseline_covers(baseline, ks, nk, have_re ? &re : NULL) != 0) {
            status = 2;
            goto out;
        }
        got = count_parent(res, ks, nk, &o, have_re ? &re : NULL);

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
        fprintf(tbl, "%-44s %16s %14s %-6s %10s\n", "kernel", "instructions", "per item", "item",
                "iterations");
        for (size_t i = 0; i < nres; i++) {
            print_count_row(tbl, &res[i]);
        }
        if (o.json_path != NULL && write_json(o.json_path, res, nres) < 0) {
            status = 2;
        }
        if (o.csv_path != NULL) {
            fprintf(stderr, "mpcsim bench: --csv holds wall times; not written with "
                            "--count-instructions\n");
        }
        if (status == 0 && baseline != NULL) {
            status = compare_baseline(res, nres, baseline, &o);
        }
        goto out;
    }
    if (!o.list) {
        fprintf(tbl, "%-44s %12s %12s %7s %12s %12s %-6s\n", "kernel", "median", "min", "stddev",
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
        print_row(tbl, &res[nres]);
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
    /* The table (or --list) on stdout: a write error is a failure (> /dev/full). */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "mpcsim bench: cannot write to standard output\n");
        status = 2;
    }
out:
    if (have_re) {
        regfree(&re);
    }
    mpcsim_free(baseline);
    mpcsim_free(res);
    return status;
}
