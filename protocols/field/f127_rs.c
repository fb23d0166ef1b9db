/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/f127_rs.c - see f127_rs.h; rs.c's decoder over
 * GF(2^127 - 1).
 *
 * The Euclidean steps divide with remainder in place (classical division:
 * quotients are almost always of degree 1, so each step is O(m)), and
 * track only the Bezout coefficient v of g1.  After the division f = g / v
 * the decoder evaluates f at every point: that names the bad points and
 * re-checks the error count, so an answer is never returned unchecked.
 */
#include "protocols/field/f127_rs.h"

#include <string.h>

#include "common/alloc.h"
#include "protocols/field/f127.h"
#include "protocols/field/f127_poly.h"
#include "protocols/field/f127_poly_int.h"

/* see rs.h */
size_t
f127_rs_max_errors(size_t m, size_t t)
{
    return m > t ? (m - t - 1) / 2 : 0;
}

/*
 * a = q b + r in place: a[0..da] becomes r (degree < db), q[0..da-db]
 * receives the quotient.  b[db] != 0, da >= db >= 0.
 */
static void
f127_rs__divmod(mpcsim_u128 *a, mpcsim_u128 *q, ptrdiff_t da, const mpcsim_u128 *b, ptrdiff_t db)
{
    mpcsim_u128 inv_lead = 0;
    int rc = f127_inv(&inv_lead, b[db]);

    MPCSIM_ASSERT(rc == 0); /* callers pass the true degree */
    for (ptrdiff_t d = da; d >= db; d--) {
        mpcsim_u128 c = f127_mul(a[d], inv_lead);
        mpcsim_u128 nc = f127_neg(c);
        mpcsim_u128 *row = a + (d - db);

        q[d - db] = c;
        for (ptrdiff_t j = 0; j < db; j++) {
            row[j] = f127_add(row[j], f127_mul(nc, b[j]));
        }
        a[d] = 0;
    }
}

/* see rs.h */
int
f127_rs_decode(mpcsim_u128 *coeffs, size_t *bad, size_t *nbad, const mpcsim_u128 *xs,
               const mpcsim_u128 *ys, size_t m, size_t t)
{
    mpcsim_u128 *work = NULL;
    mpcsim_u128 *a, *b, *va, *vb, *q, *scratch, *tmp;
    ptrdiff_t da, db, dva, dvb;
    const ptrdiff_t stop = (ptrdiff_t)(m + t + 1); /* run while 2 deg(b) >= stop */
    size_t errors = 0;
    int rc = 0;

    if (m < t + 1) {
        return MPCSIM_ENOQUORUM;
    }
    work = mpcsim_calloc(7 * (m + 1), sizeof(*work));
    if (work == NULL) {
        return MPCSIM_ENOMEM;
    }
    a = work;
    b = a + (m + 1);
    va = b + (m + 1);
    vb = va + (m + 1);
    q = vb + (m + 1);
    scratch = q + (m + 1); /* 2 (m + 1) */

    f127__poly_master(a, xs, m);
    rc = f127__poly_interpolate_master(b, scratch, a, xs, ys, m);
    if (rc != 0) {
        goto out;
    }
    da = (ptrdiff_t)m;
    db = f127__poly_degree(b, m);
    dva = -1; /* va = 0 */
    vb[0] = 1;
    dvb = 0;

    while (db >= 0 && 2 * db >= stop) {
        ptrdiff_t dq = da - db;
        ptrdiff_t dnew;

        f127_rs__divmod(a, q, da, b, db);
        /* va -= q vb; its degree becomes dq + dvb > dva. */
        for (ptrdiff_t i = 0; i <= dq; i++) {
            mpcsim_u128 nq = f127_neg(q[i]);

            for (ptrdiff_t j = 0; j <= dvb; j++) {
                va[i + j] = f127_add(va[i + j], f127_mul(nq, vb[j]));
            }
        }
        dnew = dq + dvb > dva ? dq + dvb : dva;
        dva = f127__poly_degree(va, (size_t)dnew + 1);
        da = f127__poly_degree(a, (size_t)db);
        /* (a, va) <- (b, vb) <- (remainder, new v) */
        tmp = a;
        a = b;
        b = tmp;
        tmp = va;
        va = vb;
        vb = tmp;
        dnew = da;
        da = db;
        db = dnew;
        dnew = dva;
        dva = dvb;
        dvb = dnew;
    }

    /* f = b / vb exactly, of degree <= t. */
    memset(coeffs, 0, (t + 1) * sizeof(*coeffs));
    if (db >= 0) {
        if (db < dvb || db - dvb > (ptrdiff_t)t) {
            rc = MPCSIM_EDECODE;
            goto out;
        }
        f127_rs__divmod(b, q, db, vb, dvb);
        if (f127__poly_degree(b, (size_t)db + 1) >= 0) {
            rc = MPCSIM_EDECODE;
            goto out;
        }
        memcpy(coeffs, q, (size_t)(db - dvb + 1) * sizeof(*coeffs));
    }

    /* Name the disagreeing points and check there are few enough. */
    f127_poly_eval_many(scratch, coeffs, t + 1, xs, m);
    for (size_t i = 0; i < m; i++) {
        if (scratch[i] != ys[i]) {
            if (bad != NULL) {
                bad[errors] = i;
            }
            errors++;
        }
    }
    if (errors > f127_rs_max_errors(m, t)) {
        rc = MPCSIM_EDECODE;
        goto out;
    }
    if (nbad != NULL) {
        *nbad = errors;
    }
out:
    mpcsim_free(work);
    return rc;
}
