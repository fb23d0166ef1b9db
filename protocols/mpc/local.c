/* SPDX-License-Identifier: MIT */
/*
 * protocols/mpc/local.c - every party of a run in one process (see
 * mpc_run_local in mpc.h): the same per-party code the simulator drives,
 * with each round's broadcasts delivered at once.  For tests, the
 * library entry (mpc_compare_batch) and the bench's batched kernel.
 */
#include "protocols/mpc/mpc.h"

#include <stdio.h>
#include <string.h>

#include "common/alloc.h"

/* see mpc.h */
int
mpc_run_local(struct mpc_local_result *res, const struct mpc_party_cfg *cfg0, const int64_t *inputs,
              uint64_t seed, mpc_tamper_fn *tamper, void *tamper_arg)
{
    int n = cfg0->n;
    struct mpc_party **ps = NULL;
    uint8_t **msg = NULL, *tmp = NULL;
    size_t *len = NULL, tmp_cap = 0;
    size_t n_in = (size_t)n * cfg0->input_len;
    mpcsim_i128 *in = NULL; /* the inputs as the parties take them */
    int rc = 0;

    memset(res, 0, sizeof(*res));
    ps = mpcsim_calloc((size_t)n, sizeof(*ps));
    msg = mpcsim_calloc((size_t)n, sizeof(*msg));
    len = mpcsim_calloc((size_t)n, sizeof(*len));
    in = mpcsim_calloc(n_in > 0 ? n_in : 1, sizeof(*in));
    if (ps == NULL || msg == NULL || len == NULL || in == NULL) {
        rc = MPCSIM_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < n_in; k++) {
        in[k] = inputs[k];
    }
    for (int i = 0; i < n; i++) {
        struct mpc_party_cfg cfg = *cfg0;

        cfg.self = i;
        cfg.input = in + (size_t)i * cfg0->input_len;
        memset(cfg.key, 0, sizeof(cfg.key));
        memcpy(cfg.key, &seed, sizeof(seed));
        memcpy(cfg.key + 8, &i, sizeof(i));
        rc = mpc_party_create(&ps[i], &cfg);
        if (rc != 0) {
            goto out;
        }
    }
    while (mpc_party_round(ps[0]) != 0 && res->status == 0) {
        res->rounds = mpc_party_round(ps[0]);
        for (int i = 0; i < n; i++) {
            mpcsim_free(msg[i]);
            len[i] = mpc_party_msg_len(ps[i]);
            msg[i] = mpcsim_malloc(len[i]);
            if (msg[i] == NULL) {
                rc = MPCSIM_ENOMEM;
                goto out;
            }
            mpc_party_msg(ps[i], msg[i]);
            if (len[i] > tmp_cap) {
                uint8_t *nt = mpcsim_realloc(tmp, len[i]);

                if (nt == NULL) {
                    rc = MPCSIM_ENOMEM;
                    goto out;
                }
                tmp = nt;
                tmp_cap = len[i];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                const uint8_t *m = msg[i];

                if (j == i) {
                    continue;
                }
                if (tamper != NULL) {
                    memcpy(tmp, msg[i], len[i]);
                    tamper(tamper_arg, i, j, tmp, len[i]);
                    m = tmp;
                }
                res->messages++;
                res->bytes += len[i];
                if (mpc_party_take(ps[j], i, m, len[i]) == MPCSIM_EDECODE && res->n_accused < 64) {
                    res->accused[res->n_accused++] = i;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            const int *ids = NULL;
            size_t nc;
            int st = mpc_party_finish(ps[i]);

            nc = mpc_party_cheaters(ps[i], &ids);
            for (size_t k = 0; k < nc; k++) {
                int dup = 0;

                for (size_t q = 0; q < res->n_accused; q++) {
                    dup |= res->accused[q] == ids[k];
                }
                if (!dup && res->n_accused < 64) {
                    res->accused[res->n_accused++] = ids[k];
                }
            }
            if (st == MPCSIM_ENOMEM) {
                rc = st;
                goto out;
            }
            if (st != 0 && res->status == 0) {
                res->status = st;
                snprintf(res->reason, sizeof(res->reason), "party %d: %s", i,
                         mpc_party_reason(ps[i]));
            }
        }
    }
    if (res->status == 0) {
        const mpcsim_i128 *o = NULL;
        size_t no = mpc_party_outputs(ps[0], &o);

        res->out = mpcsim_calloc(no + 1, sizeof(*res->out));
        if (res->out == NULL) {
            rc = MPCSIM_ENOMEM;
            goto out;
        }
        memcpy(res->out, o, no * sizeof(*o));
        res->n_out = no;
        for (int i = 1; i < n; i++) {
            const mpcsim_i128 *oi = NULL;

            if (mpc_party_outputs(ps[i], &oi) != no || memcmp(oi, o, no * sizeof(*o)) != 0) {
                res->status = MPCSIM_EDECODE;
                snprintf(res->reason, sizeof(res->reason), "parties disagree on the output");
            }
        }
    }
out:
    for (int i = 0; i < n; i++) {
        if (ps != NULL) {
            mpc_party_destroy(ps[i]);
        }
        if (msg != NULL) {
            mpcsim_free(msg[i]);
        }
    }
    mpcsim_free(ps);
    mpcsim_free(msg);
    mpcsim_free(len);
    mpcsim_free(tmp);
    mpcsim_free(in);
    return rc;
}
