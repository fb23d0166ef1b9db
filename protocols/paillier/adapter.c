/* SPDX-License-Identifier: MIT */
/*
 * protocols/paillier/adapter.c - the Paillier aggregation protocol on the
 * engine (see adapter.h for the rounds and what is detected).
 *
 * Cost of simulating, not of the modelled protocol: every party's
 * combination of partial decryptions is a deterministic function of the
 * bytes it holds, so the trial memoises it (BLAKE2b of the indices and
 * bytes -> result) and parties holding the same t+1 partials share one
 * computation; each party is still charged the modelled cost.  Dealer
 * keys are cached per process (adapter.h).
 */
#include "protocols/paillier/adapter.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "common/alloc.h"
#include "protocols/paillier/paillier.h"
#include "protocols/round.h"

enum msg_type { MSG_CT = 1, MSG_AGG = 2, MSG_PARTIAL = 3, MSG_RESULT = 4 };
/* The aggregation tree's timers run concurrently (a node collects its
 * children while it waits for the root's aggregate), so they keep their own
 * ids rather than a phase each; struct round holds the timeout and over. */
enum timer_id { TIMER_COLLECT = 1, TIMER_AGG = 2, TIMER_PARTIALS = 3 };
enum { PA_RUN = 1, PA_DONE = 2 }; /* a party runs until it outputs or aborts */

#define MEMO_CAP 4096

/* ---------------------------------------------------------------------
 * Process-wide dealer key cache
 * ------------------------------------------------------------------- */

struct cached_key {
    unsigned bits;
    struct paillier_pk *pk;
    struct paillier_sk *sk;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_key cache[8];
static size_t cache_len;

/* see adapter.h */
void
paillier_dealer_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_len; i++) {
        paillier_sk_destroy(cache[i].sk);
        paillier_pk_destroy(cache[i].pk);
    }
    cache_len = 0;
    pthread_mutex_unlock(&cache_lock);
}

static int
dealer_key(const struct paillier_pk **pk, const struct paillier_sk **sk, unsigned bits)
{
    static const char domain[] = "mpcsim/paillier/dealer-key/v1";
    uint8_t seed[32];
    uint8_t in[sizeof(domain) + 4];
    struct paillier_rng rng;
    int rc = 0;

    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_len; i++) {
        if (cache[i].bits == bits) {
            *pk = cache[i].pk;
            *sk = cache[i].sk;
            goto out;
        }
    }
    if (cache_len == sizeof(cache) / sizeof(cache[0])) {
        rc = MPCSIM_ELIMIT;
        goto out;
    }
    memcpy(in, domain, sizeof(domain));
    for (int i = 0; i < 4; i++) {
        in[sizeof(domain) + (size_t)i] = (uint8_t)(bits >> (8 * i));
    }
    crypto_generichash(seed, sizeof(seed), in, sizeof(in), NULL, 0);
    paillier_rng_init(&rng, seed, 0);
    rc = paillier_keygen(&cache[cache_len].pk, &cache[cache_len].sk, bits, PAILLIER_PRECOMP, &rng);
    paillier_rng_clear(&rng);
    if (rc == 0) {
        cache[cache_len].bits = bits;
        *pk = cache[cache_len].pk;
        *sk = cache[cache_len].sk;
        cache_len++;
    }
out:
    pthread_mutex_unlock(&cache_lock);
    return rc;
}

/* see adapter.h */
int
paillier_dealer_cache_warm(unsigned key_bits)
{
    const struct paillier_pk *pk = NULL;
    const struct paillier_sk *sk = NULL;

    return dealer_key(&pk, &sk, key_bits);
}

/* ---------------------------------------------------------------------
 * Parameters
 * ------------------------------------------------------------------- */

/* see adapter.h */
int
paillier_supports(const struct computation *c)
{
    return c->kind == COMPUTATION_SUM || c->kind == COMPUTATION_WEIGHTED_SUM ||
           c->kind == COMPUTATION_MEAN;
}

static int
threshold_of(const struct paillier_params *prm, int n)
{
    return prm->decryption_threshold > 0 ? prm->decryption_threshold : n / 2 + 1;
}

/* see adapter.h */
int
paillier_params_check(const struct paillier_params *prm, int n, char *err, size_t cap)
{
    if (!paillier_supports(&prm->comp)) {
        snprintf(err, cap,
                 "protocol paillier computes sum, weighted_sum and mean; %s needs a secure "
                 "multiplication (use shamir or additive)",
                 computation_name(prm->comp.kind) != NULL ? computation_name(prm->comp.kind)
                                                          : "this computation");
        return MPCSIM_ENOTSUP;
    }
    if (prm->key_bits != 1024 && prm->key_bits != 2048 && prm->key_bits != 3072 &&
        prm->key_bits != 4096) {
        snprintf(err, cap, "key_bits must be 1024, 2048, 3072 or 4096, got %u", prm->key_bits);
        return MPCSIM_EINVAL;
    }
    if (prm->comp.length < 1 || (prm->comp.kind == COMPUTATION_WEIGHTED_SUM &&
                                 (prm->comp.weights == NULL || prm->comp.n_weights < (size_t)n))) {
        snprintf(err, cap, "weighted_sum needs one weight per party (%d)", n);
        return MPCSIM_EINVAL;
    }
    if (prm->threshold_decryption &&
        (threshold_of(prm, n) < 1 || threshold_of(prm, n) > n || n > 65535)) {
        snprintf(err, cap, "decryption_threshold must be in 1..%d (parties), got %d", n,
                 threshold_of(prm, n));
        return MPCSIM_EINVAL;
    }
    if (prm->comp.max_abs > PAILLIER_MAX_ABS || prm->comp.max_abs < 0) {
        snprintf(err, cap,
                 "protocol paillier holds values up to |x| < 2^126 (the 128-bit output), not "
                 "the range asked for");
        return MPCSIM_EINVAL;
    }
    if (prm->tree_fanout == 1 || prm->tree_fanout < 0) {
        snprintf(err, cap, "aggregation tree fanout must be >= 2, got %d", prm->tree_fanout);
        return MPCSIM_EINVAL;
    }
    return 0;
}

/* Fanout of the aggregation tree (a star is a tree of fanout n-1 rooted at 0). */
static int
fanout_of(const struct paillier_params *prm, int n)
{
    return prm->tree_fanout >= 2 && prm->tree_fanout < n - 1 ? prm->tree_fanout : n - 1;
}

static int
subtree_height(int i, int f, int n)
{
    int h = 0;
    long c = i;

    while ((long)f * c + 1 < n) {
        c = (long)f * c + 1;
        h++;
    }
    return h;
}

/* see adapter.h */
int
paillier_protocol_rounds(const struct paillier_params *prm, int n)
{
    return subtree_height(0, fanout_of(prm, n), n) + 2;
}

/* ---------------------------------------------------------------------
 * Trial state
 * ------------------------------------------------------------------- */

struct memo_entry {
    uint8_t key[32];
    int ok;              /* consistent and in range */
    mpcsim_i128 *values; /* L values if ok */
};

struct trial {
    const struct paillier_params *prm;
    int n, f, root_height;
    unsigned t;
    size_t L;
    const struct paillier_pk *pk;
    const struct paillier_sk *sk;
    struct paillier_pk *own_pk; /* fresh_keys */
    struct paillier_sk *own_sk;
    struct paillier_threshold *th;
    struct memo_entry *memo;
    size_t memo_len, memo_next;
};

static void
trial_teardown(void *arg)
{
    struct trial *tr = arg;

    if (tr == NULL) {
        return;
    }
    for (size_t i = 0; i < tr->memo_len; i++) {
        mpcsim_free(tr->memo[i].values);
    }
    mpcsim_free(tr->memo);
    paillier_threshold_destroy(tr->th);
    paillier_sk_destroy(tr->own_sk);
    paillier_pk_destroy(tr->own_pk);
    mpcsim_free(tr);
}

static int
trial_setup(struct sim *sim, void **out, const struct sim_protocol_cfg *cfg0,
            const uint8_t trial_key[32])
{
    const struct paillier_params *prm = cfg0->params;
    struct trial *tr = NULL;
    struct paillier_rng rng;
    char err[160];
    int rc;

    rc = paillier_params_check(prm, cfg0->n, err, sizeof(err));
    if (rc != 0) {
        return rc;
    }
    tr = mpcsim_calloc(1, sizeof(*tr));
    if (tr == NULL) {
        return MPCSIM_ENOMEM;
    }
    tr->prm = prm;
    tr->n = cfg0->n;
    tr->f = fanout_of(prm, cfg0->n);
    tr->root_height = subtree_height(0, tr->f, tr->n);
    tr->L = prm->comp.length;
    tr->t = (unsigned)threshold_of(prm, cfg0->n);
    tr->memo = mpcsim_calloc(MEMO_CAP, sizeof(*tr->memo));
    if (tr->memo == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    if (prm->fresh_keys) {
        paillier_rng_init(&rng, trial_key, 2);
        rc = paillier_keygen(&tr->own_pk, &tr->own_sk, prm->key_bits,
                             prm->plain_encryption ? 0 : PAILLIER_PRECOMP, &rng);
        paillier_rng_clear(&rng);
        tr->pk = tr->own_pk;
        tr->sk = tr->own_sk;
    } else {
        rc = dealer_key(&tr->pk, &tr->sk, prm->key_bits);
    }
    if (rc != 0) {
        goto out;
    }
    if (prm->threshold_decryption) {
        paillier_rng_init(&rng, trial_key, 1);
        rc = paillier_threshold_deal(&tr->th, tr->sk, tr->t, (unsigned)tr->n, &rng);
        paillier_rng_clear(&rng);
        if (rc != 0) {
            goto out;
        }
        /* What the dealer ships: one share (~2|n| bits) per party. */
        rc = sim_stat_add_u64(sim, "offline_bytes",
                              (uint64_t)tr->n * (uint64_t)(2 * prm->key_bits / 8 + 8));
        if (rc != 0) {
            goto out;
        }
    }
    *out = tr;
    tr = NULL;
out:
    trial_teardown(tr);
    return rc;
}

/* The memo entry for key, or NULL. */
static struct memo_entry *
memo_find(struct trial *tr, const uint8_t key[32])
{
    for (size_t i = 0; i < tr->memo_len; i++) {
        if (memcmp(tr->memo[i].key, key, 32) == 0) {
            return &tr->memo[i];
        }
    }
    return NULL;
}

/* Store (ok, values); values copied.  Failure to store is harmless. */
static void
memo_put(struct trial *tr, const uint8_t key[32], int ok, const mpcsim_i128 *values)
{
    struct memo_entry *e;
    mpcsim_i128 *copy = NULL;

    if (ok) {
        copy = mpcsim_malloc(tr->L * sizeof(*copy));
        if (copy == NULL) {
            return;
        }
        memcpy(copy, values, tr->L * sizeof(*copy));
    }
    if (tr->memo_len < MEMO_CAP) {
        e = &tr->memo[tr->memo_len++];
    } else {
        e = &tr->memo[tr->memo_next];
        tr->memo_next = (tr->memo_next + 1) % MEMO_CAP;
        mpcsim_free(e->values);
    }
    memcpy(e->key, key, 32);
    e->ok = ok;
    e->values = copy;
}

/* ---------------------------------------------------------------------
 * Party state
 * ------------------------------------------------------------------- */

struct party {
    struct trial *tr;
    int self, n;
    size_t L, ctb;
    const mpcsim_i128 *input;
    enum sim_behaviour beh;
    int phase;       /* PA_RUN or PA_DONE */
    struct round rd; /* over (output or abort), the round timeout */
    struct paillier_rng rng;
    /* aggregation */
    int parent;             /* -1 at the root */
    int child_lo, child_hi; /* children [lo, hi) */
    int height;
    struct round_heard heard;  /* children heard, indexed child - child_lo */
    uint8_t *excluded;         /* n flags */
    struct paillier_acc **acc; /* L accumulators */
    int sent_up;
    /* decryption */
    int have_agg;
    mpz_t *agg;                /* L */
    struct round_heard p_seen; /* partial stored (or refused) from each party */
    unsigned *p_idx;           /* up to p_cap */
    uint8_t *p_bytes;          /* p_cap * L * ctb */
    size_t p_count, p_cap;
    /* Committee: the t+1 lowest-indexed included parties (indices <= c_max). */
    int c_max, c_size;
};

static void
party_free(void *state)
{
    struct party *pp = state;

    if (pp == NULL) {
        return;
    }
    if (pp->acc != NULL) {
        for (size_t k = 0; k < pp->L; k++) {
            paillier_acc_destroy(pp->acc[k]);
        }
        mpcsim_free(pp->acc);
    }
    if (pp->agg != NULL) {
        for (size_t k = 0; k < pp->L; k++) {
            mpz_clear(pp->agg[k]);
        }
        mpcsim_free(pp->agg);
    }
    round_heard_clear(&pp->heard);
    mpcsim_free(pp->excluded);
    round_heard_clear(&pp->p_seen);
    mpcsim_free(pp->p_idx);
    mpcsim_free(pp->p_bytes);
    paillier_rng_clear(&pp->rng);
    mpcsim_free(pp);
}

static int
party_setup(struct sim_party *p, const struct sim_protocol_cfg *cfg)
{
    struct trial *tr = cfg->trial;
    struct party *pp = NULL;
    size_t t1 = (size_t)tr->t + 1;
    int rc = MPCSIM_ENOMEM;

    if (cfg->input_len < tr->L) {
        return MPCSIM_EINVAL;
    }
    pp = mpcsim_calloc(1, sizeof(*pp));
    if (pp == NULL) {
        return MPCSIM_ENOMEM;
    }
    pp->tr = tr;
    pp->self = cfg->self;
    pp->n = cfg->n;
    pp->L = tr->L;
    pp->ctb = paillier_ct_bytes(tr->pk);
    pp->input = cfg->input;
    pp->beh = cfg->behaviour;
    round_init(&pp->rd, &pp->phase, PA_RUN, PA_DONE, cfg->round_timeout_ns);
    paillier_rng_init(&pp->rng, cfg->key, 0);
    pp->parent = pp->self == 0 ? -1 : (pp->self - 1) / tr->f;
    {
        long lo = (long)tr->f * pp->self + 1;
        long hi = lo + tr->f;

        pp->child_lo = (int)(lo < pp->n ? lo : pp->n);
        pp->child_hi = (int)(hi < pp->n ? hi : pp->n);
    }
    pp->height = subtree_height(pp->self, tr->f, pp->n);
    pp->excluded = mpcsim_calloc((size_t)pp->n, 1);
    if (round_heard_init(&pp->heard, pp->child_hi - pp->child_lo + 1) != 0) {
        goto out;
    }
    pp->acc = mpcsim_calloc(pp->L, sizeof(*pp->acc));
    pp->agg = mpcsim_calloc(pp->L, sizeof(*pp->agg));
    if (pp->excluded == NULL || pp->acc == NULL || pp->agg == NULL) {
        mpcsim_free(pp->agg);
        pp->agg = NULL;
        goto out;
    }
    for (size_t k = 0; k < pp->L; k++) {
        mpz_init(pp->agg[k]);
    }
    if (pp->height > 0) {
        for (size_t k = 0; k < pp->L; k++) {
            rc = paillier_acc_create(&pp->acc[k], tr->pk);
            if (rc != 0) {
                goto out;
            }
        }
    }
    if (tr->th != NULL) {
        rc = round_heard_init(&pp->p_seen, pp->n);
        pp->p_cap = 2 * t1 < (size_t)pp->n ? 2 * t1 : (size_t)pp->n;
        pp->p_idx = mpcsim_calloc(pp->p_cap, sizeof(*pp->p_idx));
        pp->p_bytes = mpcsim_calloc(pp->p_cap * pp->L, pp->ctb);
        if (rc != 0 || pp->p_idx == NULL || pp->p_bytes == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
    }
    if (pp->self == 0 && tr->own_pk != NULL) {
        /* fresh_keys: this trial's key is generated before party 0 starts
         * (the key holder in single mode; the dealer in threshold mode). */
        sim_charge(p, SIM_OP_PAILLIER_KEYGEN, 1);
    }
    sim_party_set_state(p, pp);
    pp = NULL;
    rc = 0;
out:
    party_free(pp);
    return rc;
}

static void
party_teardown(struct sim_party *p)
{
    round_teardown(p, party_free);
}

/* ---------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------- */

static void
put_u32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static uint32_t
get_u32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* Excluded parties among the n flags, optionally restricted to the subtree of root. */
static uint32_t
count_excluded(const struct party *pp)
{
    uint32_t c = 0;

    for (int i = 0; i < pp->n; i++) {
        c += pp->excluded[i] != 0;
    }
    return c;
}

/* [type][u32 count][count x u32 ids][body]; the caller fills body. */
static uint8_t *
msg_with_excluded(const struct party *pp, uint8_t type, size_t body, size_t *len)
{
    uint32_t ne = count_excluded(pp);
    size_t hdr = 5 + 4 * (size_t)ne;
    uint8_t *m = mpcsim_malloc(hdr + body);
    size_t o = 5;

    if (m == NULL) {
        return NULL;
    }
    m[0] = type;
    put_u32(m + 1, ne);
    for (int i = 0; i < pp->n; i++) {
        if (pp->excluded[i]) {
            put_u32(m + o, (uint32_t)i);
            o += 4;
        }
    }
    *len = hdr + body;
    return m;
}

/* Parse the excluded list into pp->excluded; returns the body offset or 0 if malformed. */
static size_t
parse_excluded(struct party *pp, const uint8_t *msg, size_t len, size_t body)
{
    uint32_t ne;

    if (len < 5) {
        return 0;
    }
    ne = get_u32(msg + 1);
    if (ne > (uint32_t)pp->n || len != 5 + 4 * (size_t)ne + body) {
        return 0;
    }
    for (uint32_t j = 0; j < ne; j++) {
        uint32_t id = get_u32(msg + 5 + 4 * (size_t)j);

        if (id >= (uint32_t)pp->n) {
            return 0;
        }
    }
    for (uint32_t j = 0; j < ne; j++) {
        pp->excluded[get_u32(msg + 5 + 4 * (size_t)j)] = 1;
    }
    return 5 + 4 * (size_t)ne;
}

static void
fail(struct sim_party *p, struct party *pp, const char *reason)
{
    if (!round_over(&pp->rd)) {
        round_abort(&pp->rd, p, "%s", reason);
    }
}

/* Send m (freed here) to `to` (-1: everyone) as a message of `round`:
 * a node of height h sends its subtree's ciphertext in round h + 1 (the
 * root's aggregate in root_height + 1), the decryption round is
 * root_height + 2 (paillier_protocol_rounds). */
static void
emit(struct sim_party *p, struct party *pp, int round, int to, uint8_t *m, size_t len)
{
    int rc = to < 0 ? sim_broadcast(p, round, m, len) : sim_send(p, to, round, m, len);

    mpcsim_free(m);
    if (rc != 0) {
        fail(p, pp, "out of memory sending");
    }
}

/* Mark every party in the subtree of `root` excluded. */
static void
exclude_subtree(struct party *pp, int root)
{
    long lo = root, hi = (long)root + 1;
    long f = pp->tr->f;

    while (lo < pp->n) {
        for (long i = lo; i < hi && i < pp->n; i++) {
            pp->excluded[i] = 1;
        }
        lo = f * lo + 1;
        hi = f * (hi - 1) + f + 1;
    }
}

static void
output_values(struct sim_party *p, struct party *pp, const mpcsim_i128 *vals)
{
    uint8_t *inc = mpcsim_malloc((size_t)pp->n);

    if (inc == NULL) {
        fail(p, pp, "out of memory");
        return;
    }
    for (int i = 0; i < pp->n; i++) {
        inc[i] = !pp->excluded[i];
    }
    round_finish(&pp->rd);
    if (sim_output(p, vals, pp->L, inc) != 0) {
        sim_abort(p, "out of memory");
    }
    mpcsim_free(inc);
}

/* The computation's range |v| <= max (comp.max_abs; 0 = COMPUTATION_MAX_ABS). */
static mpcsim_i128
range_of(const struct party *pp)
{
    mpcsim_i128 max = pp->tr->prm->comp.max_abs;

    return max > 0 ? max : COMPUTATION_MAX_ABS;
}

/* Decode an aggregate plaintext, checking the computation's range. */
static int
plain_to_i128(const struct party *pp, mpcsim_i128 *out, const mpz_t m)
{
    mpcsim_i128 v = 0;
    mpcsim_i128 max = range_of(pp);

    if (paillier_decode_i128(pp->tr->pk, &v, m) != 0 || v > max || v < -max) {
        return MPCSIM_ERANGE;
    }
    *out = v;
    return 0;
}

/* Result messages carry each value as 16 bytes, big-endian two's complement. */
#define RESULT_BYTES 16

static void
put_i128(uint8_t *b, mpcsim_i128 v)
{
    mpcsim_u128 u = (mpcsim_u128)v;

    for (int i = RESULT_BYTES - 1; i >= 0; i--) {
        b[i] = (uint8_t)u;
        u >>= 8;
    }
}

static mpcsim_i128
get_i128(const uint8_t *b)
{
    mpcsim_u128 u = 0;

    for (int i = 0; i < RESULT_BYTES; i++) {
        u = u << 8 | b[i];
    }
    return (mpcsim_i128)u;
}

/* ---------------------------------------------------------------------
 * Decryption
 * ------------------------------------------------------------------- */

/* Single mode, at party 0: decrypt, output, broadcast the result. */
static void
decrypt_single(struct sim_party *p, struct party *pp)
{
    const struct trial *tr = pp->tr;
    mpcsim_i128 *vals = mpcsim_calloc(pp->L, sizeof(*vals));
    uint8_t *m = NULL;
    size_t len = 0;
    size_t off;
    mpz_t pt;

    if (vals == NULL) {
        fail(p, pp, "out of memory");
        return;
    }
    mpz_init(pt);
    sim_charge(p, SIM_OP_PAILLIER_DECRYPT, (double)pp->L);
    for (size_t k = 0; k < pp->L; k++) {
        paillier_decrypt(tr->sk, pt, pp->agg[k]);
        if (plain_to_i128(pp, &vals[k], pt) != 0) {
            fail(p, pp, "aggregate out of range");
            goto out;
        }
    }
    m = msg_with_excluded(pp, MSG_RESULT, RESULT_BYTES * pp->L, &len);
    if (m == NULL) {
        fail(p, pp, "out of memory");
        goto out;
    }
    off = len - RESULT_BYTES * pp->L;
    for (size_t k = 0; k < pp->L; k++) {
        put_i128(m + off + RESULT_BYTES * k, vals[k]);
    }
    emit(p, pp, pp->tr->root_height + 2, -1, m, len);
    output_values(p, pp, vals);
out:
    paillier_mpz_wipe(pt);
    mpz_clear(pt);
    mpcsim_free(vals);
}

static int
in_committee(const struct party *pp, unsigned i)
{
    return pp->have_agg && !pp->excluded[i] && (int)i <= pp->c_max;
}

/* Order the stored partials: committee members first, then by party index. */
static void
sort_partials(struct party *pp)
{
    size_t blk = pp->L * pp->ctb;

    for (size_t a = 1; a < pp->p_count; a++) {
        for (size_t b = a; b > 0; b--) {
            unsigned i0 = pp->p_idx[b - 1], i1 = pp->p_idx[b];
            int c0 = in_committee(pp, i0), c1 = in_committee(pp, i1);
            unsigned ti = i1;
            uint8_t *x = pp->p_bytes + (b - 1) * blk;
            uint8_t *y = pp->p_bytes + b * blk;

            if (c0 > c1 || (c0 == c1 && i0 < i1)) {
                break;
            }
            pp->p_idx[b] = i0;
            pp->p_idx[b - 1] = ti;
            for (size_t i = 0; i < blk; i++) {
                uint8_t c = x[i];

                x[i] = y[i];
                y[i] = c;
            }
        }
    }
}

/*
 * Combine the stored partials (p_count >= t): with t+1, check consistency
 * first.  Result memoised per trial.  ok = 1 and vals filled, or ok = 0.
 */
static int
combine_now(struct party *pp, size_t k, mpcsim_i128 *vals, int *ok)
{
    struct trial *tr = pp->tr;
    size_t blk = pp->L * pp->ctb;

    uint8_t key[32];
    crypto_generichash_state hs;
    struct memo_entry *e;
    mpz_t *parts = NULL;
    mpz_t pt;
    uint8_t hdr[16];
    int rc = 0;

    put_u32(hdr, (uint32_t)k);
    put_u32(hdr + 4, (uint32_t)pp->L);
    put_u32(hdr + 8, tr->t);
    put_u32(hdr + 12, (uint32_t)pp->ctb);
    crypto_generichash_init(&hs, NULL, 0, sizeof(key));
    crypto_generichash_update(&hs, hdr, sizeof(hdr));
    crypto_generichash_update(&hs, (const uint8_t *)pp->p_idx, k * sizeof(*pp->p_idx));
    crypto_generichash_update(&hs, pp->p_bytes, k * blk);
    crypto_generichash_final(&hs, key, sizeof(key));
    e = memo_find(tr, key);
    if (e != NULL) {
        *ok = e->ok;
        if (e->ok) {
            memcpy(vals, e->values, pp->L * sizeof(*vals));
        }
        return 0;
    }
    parts = mpcsim_calloc(k, sizeof(*parts));
    if (parts == NULL) {
        return MPCSIM_ENOMEM;
    }
    mpz_init(pt);
    for (size_t j = 0; j < k; j++) {
        mpz_init(parts[j]);
    }
    *ok = 1;
    for (size_t l = 0; l < pp->L && *ok; l++) {
        for (size_t j = 0; j < k; j++) {
            /* Stored bytes were validated on receipt. */
            rc = paillier_ct_decode(tr->pk, parts[j], pp->p_bytes + j * blk + l * pp->ctb, pp->ctb);
            MPCSIM_ASSERT(rc == 0);
        }
        if (k > tr->t) {
            rc = paillier_partials_consistent(tr->th, (const mpz_t *)parts, pp->p_idx, k);
            if (rc < 0) {
                goto out;
            }
            if (rc == 0) {
                *ok = 0;
                break;
            }
        }
        rc = paillier_combine(tr->th, pt, (const mpz_t *)parts, pp->p_idx, k);
        if (rc < 0) {
            goto out;
        }
        if (plain_to_i128(pp, &vals[l], pt) != 0) {
            *ok = 0;
        }
    }
    rc = 0;
    memo_put(tr, key, *ok, vals);
out:
    for (size_t j = 0; j < k; j++) {
        mpz_clear(parts[j]);
    }
    mpcsim_free(parts);
    mpz_clear(pt);
    return rc;
}

/*
 * Combine when every committee partial is here (all parties then combine
 * the same bytes, so the trial memo computes it once), or at the timeout
 * with the t+1 (or t) lowest-indexed partials held.
 */
static void
try_combine(struct sim_party *p, struct party *pp, int at_timeout)
{
    size_t t = pp->tr->t;
    size_t have_c = 0;
    size_t k;
    mpcsim_i128 *vals;
    int ok = 0;

    if (round_over(&pp->rd) || !pp->have_agg) {
        return;
    }
    for (size_t j = 0; j < pp->p_count; j++) {
        have_c += in_committee(pp, pp->p_idx[j]);
    }
    if (have_c == (size_t)pp->c_size && have_c >= t) {
        k = have_c;
    } else if (at_timeout && pp->p_count >= t) {
        k = pp->p_count < t + 1 ? pp->p_count : t + 1;
    } else {
        if (at_timeout) {
            fail(p, pp, "fewer than decryption_threshold partial decryptions");
        }
        return;
    }
    sort_partials(pp);
    if (!(have_c == (size_t)pp->c_size && have_c >= t)) {
        /* fallback: lowest indices regardless of committee (sorted after the committee) */
        for (size_t a = 1; a < pp->p_count; a++) {
            for (size_t b = a; b > 0 && pp->p_idx[b - 1] > pp->p_idx[b]; b--) {
                size_t blk = pp->L * pp->ctb;
                unsigned ti = pp->p_idx[b];
                uint8_t *x = pp->p_bytes + (b - 1) * blk;
                uint8_t *y = pp->p_bytes + b * blk;

                pp->p_idx[b] = pp->p_idx[b - 1];
                pp->p_idx[b - 1] = ti;
                for (size_t i = 0; i < blk; i++) {
                    uint8_t c = x[i];

                    x[i] = y[i];
                    y[i] = c;
                }
            }
        }
    }
    vals = mpcsim_calloc(pp->L, sizeof(*vals));
    if (vals == NULL || combine_now(pp, k, vals, &ok) != 0) {
        fail(p, pp, "out of memory");
        mpcsim_free(vals);
        return;
    }
    /* paillier_combine is charged per partial combined (t terms per element);
     * the t+1 consistency check measured ~7 % of that per partial. */
    sim_charge(p, SIM_OP_PAILLIER_COMBINE,
               (double)pp->L * ((double)t + (k > t ? 0.07 * (double)k : 0.0)));
    if (!ok) {
        fail(p, pp, "inconsistent partial decryptions");
    } else {
        output_values(p, pp, vals);
    }
    mpcsim_free(vals);
}

/* Store a partial (validated bytes) from party `from`. */
static void
store_partial(struct party *pp, int from, const uint8_t *body)
{
    size_t blk = pp->L * pp->ctb;
    size_t slot = pp->p_count;

    if (round_heard_has(&pp->p_seen, from)) {
        return;
    }
    if (slot == pp->p_cap) {
        /* Full: a committee member's partial replaces a non-member's. */
        if (!in_committee(pp, (unsigned)from)) {
            return;
        }
        for (slot = 0; slot < pp->p_cap && in_committee(pp, pp->p_idx[slot]); slot++) {
        }
        if (slot == pp->p_cap) {
            return;
        }
    } else {
        pp->p_count++;
    }
    (void)round_heard_add(&pp->p_seen, from);
    pp->p_idx[slot] = (unsigned)from;
    memcpy(pp->p_bytes + slot * blk, body, blk);
}

/* Threshold mode, on the aggregate: partial decryption, broadcast, wait. */
static void
partial_decrypt(struct sim_party *p, struct party *pp)
{
    const struct trial *tr = pp->tr;
    size_t blk = pp->L * pp->ctb;
    uint8_t *m = mpcsim_malloc(1 + blk);
    mpz_t c;

    if (m == NULL) {
        fail(p, pp, "out of memory");
        return;
    }
    m[0] = MSG_PARTIAL;
    mpz_init(c);
    sim_charge(p, SIM_OP_PAILLIER_PARTIAL_DECRYPT, (double)pp->L);
    for (size_t k = 0; k < pp->L; k++) {
        paillier_partial_decrypt(tr->th, c, (unsigned)pp->self, pp->agg[k]);
        paillier_ct_encode(tr->pk, m + 1 + k * pp->ctb, c);
    }
    mpz_clear(c);
    store_partial(pp, pp->self, m + 1);
    if (sim_set_timer(p, pp->rd.timeout_ns, TIMER_PARTIALS) != 0) {
        mpcsim_free(m);
        fail(p, pp, "out of memory");
        return;
    }
    emit(p, pp, pp->tr->root_height + 2, -1, m, 1 + blk);
    try_combine(p, pp, 0);
}

/* Root: the aggregate is complete. */
static void
on_aggregate(struct sim_party *p, struct party *pp)
{
    pp->have_agg = 1;
    pp->c_size = 0;
    pp->c_max = -1;
    for (int i = 0; i < pp->n && (size_t)pp->c_size < (size_t)pp->tr->t + 1; i++) {
        if (!pp->excluded[i]) {
            pp->c_size++;
            pp->c_max = i;
        }
    }
    if (pp->tr->th == NULL) {
        if (pp->self == 0) {
            decrypt_single(p, pp);
        }
        return;
    }
    partial_decrypt(p, pp);
}

/* Collected (or timed out): send the subtree aggregate up, or broadcast it at the root. */
static void
finish_collect(struct sim_party *p, struct party *pp)
{
    size_t len = 0;
    size_t off;
    uint8_t *m;

    if (pp->sent_up || round_over(&pp->rd)) {
        return;
    }
    pp->sent_up = 1;
    for (int c = pp->child_lo; c < pp->child_hi; c++) {
        if (!round_heard_has(&pp->heard, c - pp->child_lo)) {
            exclude_subtree(pp, c);
        }
    }
    if (pp->parent < 0 && pp->tr->th == NULL) {
        /* Single decryption: nobody but party 0 uses the aggregate, so it
         * is not sent; party 0 decrypts and broadcasts the result. */
        for (size_t k = 0; k < pp->L; k++) {
            paillier_acc_get(pp->acc[k], pp->agg[k]);
        }
        if (!round_over(&pp->rd)) {
            on_aggregate(p, pp);
        }
        return;
    }
    m = msg_with_excluded(pp, pp->parent < 0 ? MSG_AGG : MSG_CT, pp->L * pp->ctb, &len);
    if (m == NULL) {
        fail(p, pp, "out of memory");
        return;
    }
    off = len - pp->L * pp->ctb;
    for (size_t k = 0; k < pp->L; k++) {
        paillier_acc_get(pp->acc[k], pp->agg[k]);
        paillier_ct_encode(pp->tr->pk, m + off + k * pp->ctb, pp->agg[k]);
    }
    emit(p, pp, pp->height + 1, pp->parent < 0 ? -1 : pp->parent, m, len);
    if (pp->parent < 0 && !round_over(&pp->rd)) {
        on_aggregate(p, pp);
    }
}

/* E(w x) for the owner's public weight, or E(x). */
static void
weigh(struct sim_party *p, struct party *pp, mpz_t c, int owner)
{
    const struct computation *comp = &pp->tr->prm->comp;

    if (comp->kind == COMPUTATION_WEIGHTED_SUM) {
        sim_charge(p, SIM_OP_PAILLIER_SCALAR_MUL, 1);
        paillier_scalar_mul_i128(pp->tr->pk, c, c, comp->weights[owner]);
    }
}

static void
on_start(struct sim_party *p)
{
    struct party *pp = sim_party_state(p);
    const struct trial *tr = pp->tr;
    uint8_t *m = NULL;
    size_t len = 0;
    mpz_t x, c;
    /* Star: the root applies every weight; tree: each party its own. */
    int weigh_own = pp->height > 0 || tr->f < pp->n - 1;

    if (pp->parent >= 0 &&
        sim_set_timer(p, pp->rd.timeout_ns * (tr->root_height + 1), TIMER_AGG) != 0) {
        fail(p, pp, "out of memory");
        return;
    }
    if (pp->height > 0 && sim_set_timer(p, pp->rd.timeout_ns * pp->height, TIMER_COLLECT) != 0) {
        fail(p, pp, "out of memory");
        return;
    }
    mpz_inits(x, c, NULL);
    sim_charge(
        p, tr->prm->plain_encryption ? SIM_OP_PAILLIER_ENCRYPT : SIM_OP_PAILLIER_ENCRYPT_PRECOMP,
        (double)pp->L);
    if (pp->height == 0) {
        m = msg_with_excluded(pp, MSG_CT, pp->L * pp->ctb, &len);
        if (m == NULL) {
            fail(p, pp, "out of memory");
            goto out;
        }
    }
    for (size_t k = 0; k < pp->L; k++) {
        /* |x| <= comp.max_abs (computation_expected) <= 2^126 - 1 < n/2. */
        paillier_encode_i128(tr->pk, x, pp->input[k]);
        if (tr->prm->plain_encryption || !paillier_pk_has_precomp(tr->pk)) {
            paillier_encrypt(tr->pk, c, x, &pp->rng);
        } else {
            paillier_encrypt_precomp(tr->pk, c, x, &pp->rng);
        }
        if (weigh_own) {
            weigh(p, pp, c, pp->self);
        }
        if (m != NULL) {
            paillier_ct_encode(tr->pk, m + len - pp->L * pp->ctb + k * pp->ctb, c);
        } else {
            paillier_acc_add(pp->acc[k], c);
        }
    }
    if (m != NULL) {
        pp->sent_up = 1;
        emit(p, pp, 1, pp->parent, m, len);
    } else if (pp->child_lo >= pp->child_hi) {
        finish_collect(p, pp);
    }
out:
    paillier_mpz_wipe(x);
    mpz_clears(x, c, NULL);
}

static void
on_ct(struct sim_party *p, struct party *pp, int from, const uint8_t *msg, size_t len)
{
    const struct trial *tr = pp->tr;
    size_t body = pp->L * pp->ctb;
    size_t off;
    uint8_t *saved = NULL;
    mpz_t *cs = NULL;
    int ok = 1;

    if (from < pp->child_lo || from >= pp->child_hi || pp->sent_up ||
        !round_heard_add(&pp->heard, from - pp->child_lo)) {
        return; /* not a child, too late, or a duplicate */
    }
    /* Parse into a scratch copy of the excluded flags so a bad message changes nothing. */
    saved = mpcsim_malloc((size_t)pp->n);
    cs = mpcsim_calloc(pp->L, sizeof(*cs));
    if (saved == NULL || cs == NULL) {
        mpcsim_free(saved);
        mpcsim_free(cs);
        fail(p, pp, "out of memory");
        return;
    }
    memcpy(saved, pp->excluded, (size_t)pp->n);
    for (size_t k = 0; k < pp->L; k++) {
        mpz_init(cs[k]);
    }
    off = parse_excluded(pp, msg, len, body);
    ok = off != 0;
    for (size_t k = 0; ok && k < pp->L; k++) {
        ok = paillier_ct_decode(tr->pk, cs[k], msg + off + k * pp->ctb, pp->ctb) == 0;
    }
    if (ok) {
        /* Excluded ids must lie in the sender's subtree: checked loosely (in range). */
        sim_charge(p, SIM_OP_PAILLIER_ADD, (double)pp->L);
        for (size_t k = 0; k < pp->L; k++) {
            if (pp->height > 0 && tr->f == pp->n - 1) {
                weigh(p, pp, cs[k], from); /* star root applies the weight */
            }
            paillier_acc_add(pp->acc[k], cs[k]);
        }
    } else {
        memcpy(pp->excluded, saved, (size_t)pp->n);
        sim_accuse(p, from);
        exclude_subtree(pp, from);
    }
    for (size_t k = 0; k < pp->L; k++) {
        mpz_clear(cs[k]);
    }
    mpcsim_free(cs);
    mpcsim_free(saved);
    if (round_heard_complete(&pp->heard, (size_t)(pp->child_hi - pp->child_lo))) {
        finish_collect(p, pp);
    }
}

static void
on_agg(struct sim_party *p, struct party *pp, int from, const uint8_t *msg, size_t len)
{
    size_t body = pp->L * pp->ctb;
    size_t off;

    if (from != 0 || pp->have_agg || round_over(&pp->rd)) {
        return;
    }
    off = parse_excluded(pp, msg, len, body);
    for (size_t k = 0; off != 0 && k < pp->L; k++) {
        if (paillier_ct_decode(pp->tr->pk, pp->agg[k], msg + off + k * pp->ctb, pp->ctb) != 0) {
            off = 0;
        }
    }
    if (off == 0) {
        sim_accuse(p, 0);
        fail(p, pp, "bad aggregate from party 0");
        return;
    }
    on_aggregate(p, pp);
}

static void
on_partial(struct sim_party *p, struct party *pp, int from, const uint8_t *msg, size_t len)
{
    size_t body = pp->L * pp->ctb;
    mpz_t c;
    int ok;

    if (pp->tr->th == NULL || round_heard_has(&pp->p_seen, from)) {
        return;
    }
    ok = len == 1 + body;
    mpz_init(c);
    for (size_t k = 0; ok && k < pp->L; k++) {
        ok = paillier_ct_decode(pp->tr->pk, c, msg + 1 + k * pp->ctb, pp->ctb) == 0;
    }
    mpz_clear(c);
    if (!ok) {
        (void)round_heard_add(&pp->p_seen, from);
        sim_accuse(p, from);
        return;
    }
    store_partial(pp, from, msg + 1);
    try_combine(p, pp, 0);
}

static void
on_result(struct sim_party *p, struct party *pp, int from, const uint8_t *msg, size_t len)
{
    mpcsim_i128 *vals;
    mpcsim_i128 max = range_of(pp);
    size_t off;

    if (from != 0 || round_over(&pp->rd)) {
        return;
    }
    off = parse_excluded(pp, msg, len, RESULT_BYTES * pp->L);
    if (off == 0) {
        sim_accuse(p, 0);
        fail(p, pp, "malformed result from party 0");
        return;
    }
    vals = mpcsim_malloc(pp->L * sizeof(*vals));
    if (vals == NULL) {
        fail(p, pp, "out of memory");
        return;
    }
    for (size_t k = 0; k < pp->L; k++) {
        vals[k] = get_i128(msg + off + RESULT_BYTES * k);
        if (vals[k] > max || vals[k] < -max) {
            /* Party 0 cannot have decrypted this: the result is out of range. */
            sim_accuse(p, 0);
            fail(p, pp, "result from party 0 out of range");
            mpcsim_free(vals);
            return;
        }
    }
    output_values(p, pp, vals);
    mpcsim_free(vals);
}

static void
on_message(struct sim_party *p, int from, const uint8_t *msg, size_t len)
{
    struct party *pp = sim_party_state(p);

    if (round_over(&pp->rd) || from < 0 || from >= pp->n) {
        return;
    }
    if (len < 1) {
        sim_accuse(p, from);
        return;
    }
    switch (msg[0]) {
    case MSG_CT:
        on_ct(p, pp, from, msg, len);
        break;
    case MSG_AGG:
        on_agg(p, pp, from, msg, len);
        break;
    case MSG_PARTIAL:
        on_partial(p, pp, from, msg, len);
        break;
    case MSG_RESULT:
        on_result(p, pp, from, msg, len);
        break;
    default:
        /* Garbage: accuse; if a child's contribution was due, it is missing. */
        sim_accuse(p, from);
        if (pp->height > 0 && !pp->sent_up && from >= pp->child_lo && from < pp->child_hi &&
            round_heard_add(&pp->heard, from - pp->child_lo)) {
            exclude_subtree(pp, from);
            if (round_heard_complete(&pp->heard, (size_t)(pp->child_hi - pp->child_lo))) {
                finish_collect(p, pp);
            }
        }
        break;
    }
}

static void
on_timer(struct sim_party *p, uint64_t id)
{
    struct party *pp = sim_party_state(p);

    if (round_over(&pp->rd)) {
        return;
    }
    switch (id) {
    case TIMER_COLLECT:
        finish_collect(p, pp);
        break;
    case TIMER_AGG:
        if (pp->tr->th == NULL) {
            fail(p, pp, "no result from party 0");
        } else if (!pp->have_agg) {
            fail(p, pp, "no aggregate from party 0");
        }
        break;
    case TIMER_PARTIALS:
        try_combine(p, pp, 1);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------------
 * Adversary
 * ------------------------------------------------------------------- */

static enum sim_adv_action
tamper(struct sim_party *p, enum sim_behaviour b, int to, uint8_t *msg, size_t *len, size_t cap)
{
    struct party *pp = sim_party_state(p);
    const struct paillier_pk *pk = pp->tr->pk;
    size_t ctb = pp->ctb;
    size_t body_off;
    mpz_t c;

    (void)cap;
    switch (b) {
    case SIM_WITHHOLD:
        return SIM_ADV_DROP;
    case SIM_DELAY:
        return SIM_ADV_DELAY;
    case SIM_MALFORMED:
        /* Truncated garbage: half the bytes, the type byte kept. */
        *len = *len > 2 ? *len / 2 : *len;
        for (size_t i = 1; i < *len; i++) {
            msg[i] ^= 0xA5;
        }
        return SIM_ADV_SEND;
    default:
        break;
    }
    if (*len < 1 + ctb || (msg[0] != MSG_CT && msg[0] != MSG_AGG && msg[0] != MSG_PARTIAL)) {
        return SIM_ADV_SEND;
    }
    body_off = *len - pp->L * ctb; /* first ciphertext of the body */
    mpz_init(c);
    if (b == SIM_BAD_CIPHERTEXT) {
        if (to % 2 == 0) {
            memset(msg + body_off, 0xFF, ctb); /* >= n^2 */
        } else {
            paillier_ct_encode(pk, msg + body_off, paillier_pk_n(pk)); /* not coprime to n */
        }
    } else if (b == SIM_CORRUPT_SHARES && msg[0] == MSG_PARTIAL) {
        /* A valid-looking but wrong partial decryption: times 2 mod n^2. */
        if (paillier_ct_decode(pk, c, msg + body_off, ctb) == 0) {
            mpz_mul_2exp(c, c, 1);
            mpz_mod(c, c, paillier_pk_n2(pk));
            paillier_ct_encode(pk, msg + body_off, c);
        }
    } else if (b == SIM_EQUIVOCATE && msg[0] == MSG_AGG && to % 2 == 1) {
        /* Odd receivers get E(sum + 1). */
        if (paillier_ct_decode(pk, c, msg + body_off, ctb) == 0) {
            mpz_t one;

            mpz_init_set_ui(one, 1);
            paillier_add_plain(pk, c, c, one);
            mpz_clear(one);
            paillier_ct_encode(pk, msg + body_off, c);
        }
    }
    mpz_clear(c);
    return SIM_ADV_SEND;
}

const struct sim_protocol paillier_protocol = {
    .name = "paillier",
    .trial_setup = trial_setup,
    .trial_teardown = trial_teardown,
    .setup = party_setup,
    .on_start = on_start,
    .on_message = on_message,
    .on_timer = on_timer,
    .teardown = party_teardown,
    .tamper = tamper,
};
