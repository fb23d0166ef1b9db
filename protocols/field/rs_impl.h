/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/rs_impl.h - Gao's Reed-Solomon decoder ("A new
 * algorithm for decoding Reed-Solomon codes", 2003) over the field
 * field_inst.h selected: rs.c instantiates it for GF(2^61 - 1) (rs_*),
 * f127_rs.c for GF(2^127 - 1) (f127_rs_*).
 *
 * The Euclidean steps divide with remainder in place (classical division:
 * quotients are almost always of degree 1, so each step is O(m)), and
 * track only the Bezout coefficient v of g1.  After the division f = g / v
 * the decoder evaluates f at every point: that names the bad points and
 * re-checks the error count, so an answer is never returned unchecked.
 */
#include <string.h>

#include "common/alloc.h"
#include "protocols/field/f127_poly_int.h"
#include "protocols/field/poly_int.h"

#if defined(FIELD_INST_M61)
#define RS_FN(x) x
#define RS_poly__master poly__master
#define RS_poly__interpolate_master poly__interpolate_master
#define RS_poly__degree poly__degree
#else
#define RS_FN(x) f127_##x
#define RS_poly__master f127__poly_master
#define RS_poly__interpolate_master f127__poly_interpolate_master
#define RS_poly__degree f127__poly_degree
#endif

/* see rs.h (m61) or f127_rs.h (m127) */
size_t
RS_FN(rs_max_errors)(size_t m, size_t t)
{
    return m > t ? (m - t - 1) / 2 : 0;
}

/*
 * a = q b + r in place: a[0..da] becomes r (degree < db), q[0..da-db]
 * receives the quotient.  b[db] != 0, da >= db >= 0.
 */
static void
RS_FN(rs__divmod)(FE *a, FE *q, ptrdiff_t da, const FE *b, ptrdiff_t db)
{
    FE inv_lead = 0;
    int rc = FE_inv(&inv_lead, b[db]);

    MPCSIM_ASSERT(rc == 0); /* callers pass the true degree */
    for (ptrdiff_t d = da; d >= db; d--) {
        FE c = FE_mul(a[d], inv_lead);
        FE nc = FE_neg(c);
        FE *row = a + (d - db);

        q[d - db] = c;
        for (ptrdiff_t j = 0; j < db; j++) {
            row[j] = FE_add(row[j], FE_mul(nc, b[j]));
        }
        a[d] = 0;
    }
}

/* see rs.h (m61) or f127_rs.h (m127) */
int
RS_FN(rs_decode)(FE *coeffs, size_t *bad, size_t *nbad, const FE *xs, const FE *ys, size_t m,
                 size_t t)
{
    FE *work = NULL;
    FE *a, *b, *va, *vb, *q, *scratch, *tmp;
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

    RS_poly__master(a, xs, m);
    rc = RS_poly__interpolate_master(b, scratch, a, xs, ys, m);
    if (rc != 0) {
        goto out;
    }
    da = (ptrdiff_t)m;
    db = RS_poly__degree(b, m);
    dva = -1; /* va = 0 */
    vb[0] = 1;
    dvb = 0;

    while (db >= 0 && 2 * db >= stop) {
        ptrdiff_t dq = da - db;
        ptrdiff_t dnew;

        RS_FN(rs__divmod)(a, q, da, b, db);
        /* va -= q vb; its degree becomes dq + dvb > dva. */
        for (ptrdiff_t i = 0; i <= dq; i++) {
            FE nq = FE_neg(q[i]);

            for (ptrdiff_t j = 0; j <= dvb; j++) {
                va[i + j] = FE_add(va[i + j], FE_mul(nq, vb[j]));
            }
        }
        dnew = dq + dvb > dva ? dq + dvb : dva;
        dva = RS_poly__degree(va, (size_t)dnew + 1);
        da = RS_poly__degree(a, (size_t)db);
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
        RS_FN(rs__divmod)(b, q, db, vb, dvb);
        if (RS_poly__degree(b, (size_t)db + 1) >= 0) {
            rc = MPCSIM_EDECODE;
            goto out;
        }
        memcpy(coeffs, q, (size_t)(db - dvb + 1) * sizeof(*coeffs));
    }

    /* Name the disagreeing points and check there are few enough. */
    FE_poly_eval_many(scratch, coeffs, t + 1, xs, m);
    for (size_t i = 0; i < m; i++) {
        if (scratch[i] != ys[i]) {
            if (bad != NULL) {
                bad[errors] = i;
            }
            errors++;
        }
    }
    if (errors > RS_FN(rs_max_errors)(m, t)) {
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
