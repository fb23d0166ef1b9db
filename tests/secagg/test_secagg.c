/* SPDX-License-Identifier: MIT */
/*
 * tests/secagg/test_secagg.c - the secure-aggregation library on local
 * data: the PRG (deterministic, cancelling, seed-dependent), key agreement
 * (symmetric, domain-separated, refusing low-order points), the encoding
 * of secrets as field elements, AEAD of share messages (bound to the
 * pair and direction), sharing of the secrets through the Shamir library
 * and the commitment, the wire encoding of sets of parties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "protocols/field/fp.h"
#include "protocols/secagg/secagg.h"
#include "tests/support.h"

static void
rand_bytes(uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)mpcsim_test_rand64();
    }
}

/* The same seed expands to the same canonical vector; adding then subtracting cancels. */
static void
test_secagg_prg(void **state)
{
    uint8_t seed[SECAGG_KEY_BYTES], seed2[SECAGG_KEY_BYTES];
    uint64_t a[1001], b[1001], acc[1001];

    (void)state;
    rand_bytes(seed, sizeof(seed));
    memcpy(seed2, seed, sizeof(seed));
    seed2[31] ^= 1;
    secagg_prg_expand(a, 1001, seed);
    secagg_prg_expand(b, 1001, seed);
    assert_memory_equal(a, b, sizeof(a));
    for (size_t k = 0; k < 1001; k++) {
        assert_true(a[k] < FP_P);
    }
    /* A prefix is a prefix of the longer expansion. */
    secagg_prg_expand(b, 7, seed);
    assert_memory_equal(a, b, 7 * sizeof(uint64_t));
    secagg_prg_expand(b, 1001, seed2);
    assert_memory_not_equal(a, b, sizeof(a));
    for (size_t k = 0; k < 1001; k++) {
        acc[k] = k;
    }
    secagg_prg_add(acc, 1001, seed, +1);
    for (size_t k = 0; k < 1001; k++) {
        assert_true(acc[k] == fp_add(k, a[k]));
    }
    secagg_prg_add(acc, 1001, seed, -1);
    for (size_t k = 0; k < 1001; k++) {
        assert_true(acc[k] == k);
    }
    secagg_prg_add(acc, 1001, seed, 0);
    assert_true(acc[5] == 5);
}

/* Both ends agree; domains differ; a low-order point is refused. */
static void
test_secagg_agree(void **state)
{
    struct secagg_keypair a, b;
    uint8_t seed[SECAGG_KEY_BYTES];
    uint8_t k1[SECAGG_KEY_BYTES], k2[SECAGG_KEY_BYTES], k3[SECAGG_KEY_BYTES];
    static const uint8_t zero[SECAGG_KEY_BYTES];

    (void)state;
    rand_bytes(seed, sizeof(seed));
    assert_int_equal(secagg_keypair(&a, seed), 0);
    rand_bytes(seed, sizeof(seed));
    assert_int_equal(secagg_keypair(&b, seed), 0);
    assert_int_equal(secagg_agree(k1, a.sk, a.pk, b.pk, SECAGG_DOMAIN_MASK), 0);
    assert_int_equal(secagg_agree(k2, b.sk, b.pk, a.pk, SECAGG_DOMAIN_MASK), 0);
    assert_memory_equal(k1, k2, sizeof(k1));
    assert_int_equal(secagg_agree(k3, a.sk, a.pk, b.pk, SECAGG_DOMAIN_ENC), 0);
    assert_memory_not_equal(k1, k3, sizeof(k1));
    assert_int_equal(secagg_agree(k3, a.sk, a.pk, zero, SECAGG_DOMAIN_ENC), MPCSIM_EDECODE);
    assert_int_equal(secagg_public_key_ok(zero), 0);
    assert_int_equal(secagg_public_key_ok(b.pk), 1);
    assert_int_equal(secagg_public_key(k3, a.sk), 0);
    assert_memory_equal(k3, a.pk, sizeof(k3));
}

/* Secrets round-trip through 5 elements; an element too large is refused. */
static void
test_secagg_secret_encoding(void **state)
{
    uint8_t s[SECAGG_KEY_BYTES], back[SECAGG_KEY_BYTES];
    uint64_t e[SECAGG_SECRET_ELEMS];

    (void)state;
    for (int rep = 0; rep < 100; rep++) {
        rand_bytes(s, sizeof(s));
        if (rep == 0) {
            memset(s, 0xff, sizeof(s));
        }
        secagg_secret_encode(e, s);
        for (int i = 0; i < SECAGG_SECRET_ELEMS; i++) {
            assert_true(e[i] < FP_P);
        }
        assert_int_equal(secagg_secret_decode(back, e), 0);
        assert_memory_equal(s, back, sizeof(s));
    }
    e[0] = (uint64_t)1 << 56;
    assert_int_equal(secagg_secret_decode(back, e), MPCSIM_EDECODE);
    e[0] = 0;
    e[4] = (uint64_t)1 << 32;
    assert_int_equal(secagg_secret_decode(back, e), MPCSIM_EDECODE);
}

/* A sealed share opens for its pair and direction only, and not once tampered with. */
static void
test_secagg_aead(void **state)
{
    uint8_t key[SECAGG_KEY_BYTES], ct[SECAGG_CT_BYTES];
    uint64_t share[SECAGG_SHARE_ELEMS], got[SECAGG_SHARE_ELEMS];

    (void)state;
    rand_bytes(key, sizeof(key));
    for (int i = 0; i < SECAGG_SHARE_ELEMS; i++) {
        share[i] = mpcsim_test_rand64() & FP_P;
        if (share[i] == FP_P) {
            share[i] = 0;
        }
    }
    secagg_seal(ct, key, 3, 7, share);
    assert_int_equal(secagg_open(got, key, 3, 7, ct), 0);
    assert_memory_equal(got, share, sizeof(share));
    assert_int_equal(secagg_open(got, key, 7, 3, ct), MPCSIM_EDECODE);
    assert_int_equal(secagg_open(got, key, 3, 8, ct), MPCSIM_EDECODE);
    ct[10] ^= 0x20;
    assert_int_equal(secagg_open(got, key, 3, 7, ct), MPCSIM_EDECODE);
    ct[10] ^= 0x20;
    key[0] ^= 1;
    assert_int_equal(secagg_open(got, key, 3, 7, ct), MPCSIM_EDECODE);
}

/* Any t of the n' shares rebuild both secrets; t - 1 shares do not determine them. */
static void
test_secagg_share_secrets(void **state)
{
    enum { NC = 12, T = 8 };
    struct shamir_ctx *sh = NULL;
    struct fp_stream *rng = NULL;
    uint8_t key[32] = {9};
    uint8_t sk[SECAGG_KEY_BYTES], b[SECAGG_KEY_BYTES], back[SECAGG_KEY_BYTES];
    uint64_t rows[NC * SECAGG_SHARE_ELEMS], scratch[NC];
    uint64_t pick[T * SECAGG_SHARE_ELEMS], sec[SECAGG_SHARE_ELEMS];
    int idx[T];

    (void)state;
    assert_int_equal(shamir_ctx_create(&sh, NC, T - 1), 0);
    assert_int_equal(fp_stream_create(&rng, key, 1), 0);
    rand_bytes(sk, sizeof(sk));
    rand_bytes(b, sizeof(b));
    secagg_share_secrets(sh, rows, scratch, sk, b, rng);
    for (int rep = 0; rep < 20; rep++) {
        int used[NC] = {0};

        for (int i = 0; i < T; i++) {
            int j;

            do {
                j = (int)(mpcsim_test_rand64() % NC);
            } while (used[j]);
            used[j] = 1;
            idx[i] = j;
            memcpy(pick + i * SECAGG_SHARE_ELEMS, rows + j * SECAGG_SHARE_ELEMS,
                   sizeof(uint64_t) * SECAGG_SHARE_ELEMS);
        }
        assert_int_equal(shamir_reconstruct(sh, sec, pick, idx, T, SECAGG_SHARE_ELEMS), 0);
        assert_int_equal(secagg_secret_decode(back, sec), 0);
        assert_memory_equal(back, sk, sizeof(sk));
        assert_int_equal(secagg_secret_decode(back, sec + SECAGG_SECRET_ELEMS), 0);
        assert_memory_equal(back, b, sizeof(b));
        assert_int_equal(shamir_reconstruct(sh, sec, pick, idx, T - 1, SECAGG_SHARE_ELEMS),
                         MPCSIM_ENOQUORUM);
    }
    fp_stream_destroy(rng);
    shamir_ctx_destroy(sh);
}

/* The commitment is deterministic and binds the seed. */
static void
test_secagg_commit(void **state)
{
    uint8_t b[SECAGG_KEY_BYTES], c1[SECAGG_COMMIT_BYTES], c2[SECAGG_COMMIT_BYTES];

    (void)state;
    rand_bytes(b, sizeof(b));
    secagg_commit(c1, b);
    secagg_commit(c2, b);
    assert_memory_equal(c1, c2, sizeof(c1));
    b[0] ^= 1;
    secagg_commit(c2, b);
    assert_memory_not_equal(c1, c2, sizeof(c1));
}

/* Bit packing round-trips at every width, is tight, and rejects spare bits. */
static void
test_secagg_pack(void **state)
{
    uint64_t v[37], w[37];
    uint8_t buf[37 * 8 + 1];

    (void)state;
    for (unsigned bits = 1; bits <= 64; bits++) {
        const uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
        size_t nb = SECAGG_PACKED_BYTES(37, bits);

        for (size_t k = 0; k < 37; k++) {
            v[k] = mpcsim_test_rand64() & mask;
        }
        v[0] = mask; /* all ones */
        memset(buf, 0xee, sizeof(buf));
        secagg_pack(buf, v, 37, bits);
        assert_int_equal(buf[nb], 0xee); /* writes exactly nb bytes */
        assert_int_equal(nb, (37 * bits + 7) / 8);
        assert_int_equal(secagg_unpack(w, buf, 37, bits), 0);
        assert_memory_equal(v, w, sizeof(v));
        if ((37 * bits) % 8 != 0) {
            buf[nb - 1] |= 0x80; /* a spare bit */
            assert_int_equal(secagg_unpack(w, buf, 37, bits), MPCSIM_EDECODE);
        }
    }
}

/* PRG over Z_R: the low k bits of the field PRG's raw words; +mask then -mask is identity. */
static void
test_secagg_prg_mod2k(void **state)
{
    uint8_t seed[SECAGG_KEY_BYTES];
    uint64_t a[700], b[700];

    (void)state;
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (uint8_t)(3 * i + 1);
    }
    for (unsigned bits = 1; bits <= 64; bits += 9) {
        const uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;

        for (size_t k = 0; k < 700; k++) {
            a[k] = b[k] = mpcsim_test_rand64() & mask;
        }
        secagg_prg_add_mod2k(a, 700, seed, +1, bits);
        assert_memory_not_equal(a, b, sizeof(a));
        for (size_t k = 0; k < 700; k++) {
            assert_true(a[k] <= mask);
        }
        secagg_prg_add_mod2k(a, 700, seed, -1, bits);
        assert_memory_equal(a, b, sizeof(a));
    }
    /* Adding to zero gives the masked mask itself, the same for every width's low bits. */
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    secagg_prg_add_mod2k(a, 700, seed, +1, 64);
    secagg_prg_add_mod2k(b, 700, seed, +1, 20);
    for (size_t k = 0; k < 700; k++) {
        assert_true(b[k] == (a[k] & ((UINT64_C(1) << 20) - 1)));
    }
}

/*
 * Sets of parties: the smaller of bitmap and list, exact sizes, round
 * trips for random sets at n = 2 .. 70 000, and every malformed form
 * refused (short, unknown tag, party 0, >= n, unsorted, repeated, over
 * the cap, the larger encoding).
 */
static void
test_secagg_set(void **state)
{
    static const int ns[] = {2, 3, 9, 17, 200, 256, 257, 2001, 65536, 65537, 70000};
    int ids[64], back[64];
    uint8_t buf[16 + 70000 / 8];
    size_t m, used;

    (void)state;
    /* sizes: 200 parties (w = 1, 25-byte bitmap), 2001 (w = 2, 251), 70 000 (w = 3) */
    assert_int_equal(secagg_set_bytes(200, 9), 11);
    assert_int_equal(secagg_set_bytes(200, 23), 25);
    assert_int_equal(secagg_set_bytes(200, 24), 26); /* a tie goes to the bitmap */
    assert_int_equal(secagg_set_bytes(2001, 9), 21);
    assert_int_equal(secagg_set_bytes(70000, 9), 31);
    assert_int_equal(secagg_set_bytes(17, 0), 2); /* the empty list: the count alone */
    assert_int_equal(secagg_set_bytes(17, 1), 3);
    assert_int_equal(secagg_set_bytes(17, 2), 4); /* the bitmap */
    for (size_t r = 0; r < sizeof(ns) / sizeof(ns[0]); r++) {
        int n = ns[r];

        for (int rep = 0; rep < 50; rep++) {
            size_t want = (size_t)(mpcsim_test_rand64() % (uint64_t)(n - 1 < 40 ? n : 40));
            size_t k = 0;

            /* want distinct ascending ids in 1 .. n - 1 */
            for (int v = 1; v < n && k < want; v++) {
                if (mpcsim_test_rand64() % (uint64_t)(n - v) < want - k) {
                    ids[k++] = v;
                }
            }
            used = secagg_set_write(buf, n, ids, k);
            assert_int_equal(used, secagg_set_bytes(n, k));
            assert_int_equal(buf[0], used < 1 + ((size_t)n + 7) / 8 ? 1 : 0);
            assert_int_equal(secagg_set_parse(back, 64, &m, &used, n, buf, used + 3), 0);
            assert_int_equal(used, secagg_set_bytes(n, k));
            assert_int_equal(m, k);
            assert_memory_equal(back, ids, k * sizeof(int));
            if (k > 0) {
                assert_int_equal(secagg_set_parse(back, k - 1, &m, &used, n, buf, used),
                                 MPCSIM_EDECODE); /* over the cap */
            }
            assert_int_equal(secagg_set_parse(back, 64, &m, &used, n, buf, used - 1),
                             MPCSIM_EDECODE); /* short */
        }
    }
    /* malformed lists at n = 2001 (w = 2) */
    {
        const uint8_t ok[] = {1, 2, 0, 5, 0, 9, 0};
        const uint8_t unsorted[] = {1, 2, 0, 9, 0, 5, 0};
        const uint8_t repeated[] = {1, 2, 0, 5, 0, 5, 0};
        const uint8_t zero[] = {1, 2, 0, 0, 0, 5, 0};
        const uint8_t big[] = {1, 2, 0, 5, 0, 0xd1, 7}; /* 2001 */
        const uint8_t huge[] = {1, 0xff, 0xff, 5, 0};
        const uint8_t tag[] = {2, 2, 0, 5, 0, 9, 0};

        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, ok, sizeof(ok)), 0);
        assert_int_equal(m, 2);
        assert_int_equal(back[1], 9);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, unsorted, 7), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, repeated, 7), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, zero, 7), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, big, 7), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2002, big, 7), 0);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, huge, 5), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, tag, 7), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, ok, 2), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 2001, ok, 0), MPCSIM_EDECODE);
    }
    /* malformed bitmaps at n = 12 (2 bytes) */
    {
        const uint8_t ok[] = {0, 0x06, 0x08}; /* 1, 2, 11 */
        const uint8_t p0[] = {0, 0x07, 0x00};
        const uint8_t past[] = {0, 0x02, 0x10}; /* party 12 */
        const uint8_t as_list[] = {1, 1, 5};    /* 3 bytes, not < 2: the bitmap is chosen */
        const uint8_t empty_bm[] = {0, 0, 0};   /* the empty set is a 1-byte list */

        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, ok, 3), 0);
        assert_int_equal(m, 3);
        assert_int_equal(back[2], 11);
        assert_int_equal(secagg_set_parse(back, 2, &m, &used, 12, ok, 3), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, p0, 3), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, past, 3), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, as_list, 3), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, empty_bm, 3), MPCSIM_EDECODE);
        assert_int_equal(secagg_set_parse(back, 64, &m, &used, 12, ok, 2), MPCSIM_EDECODE);
    }
}

/*
 * 128-bit masking: for bits <= 64 the wide PRG and packing are exactly the
 * 64-bit ones; above, masks are < 2^bits, cancel (+ then -), differ per
 * seed, and element k is keystream bytes [16k, 16k + 16) (checked against
 * secagg_prg_add_mod2k's 8-byte words at 64 bits);
 * packing round-trips at 65 .. 128 bits and refuses a set spare bit.
 */
static void
test_secagg_wide(void **state)
{
    static const unsigned widths[] = {1, 7, 61, 64, 65, 71, 100, 126, 127, 128};
    uint8_t seed[SECAGG_KEY_BYTES], other[SECAGG_KEY_BYTES];
    enum { N = 150 };
    mpcsim_u128 acc[N], acc2[N], back[N];
    uint64_t a64[N];
    uint8_t buf[N * 16 + 1], buf64[N * 8 + 1];

    (void)state;
    rand_bytes(seed, sizeof(seed));
    rand_bytes(other, sizeof(other));
    for (size_t wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++) {
        unsigned bits = widths[wi];
        mpcsim_u128 mask = bits == 128 ? ~(mpcsim_u128)0 : ((mpcsim_u128)1 << bits) - 1;
        int high = 0;

        for (size_t k = 0; k < N; k++) {
            acc[k] = ((mpcsim_u128)mpcsim_test_rand64() << 64 | mpcsim_test_rand64()) & mask;
            acc2[k] = acc[k];
            a64[k] = (uint64_t)acc[k];
        }
        secagg_prg_add_mod2k_wide(acc, N, seed, +1, bits);
        for (size_t k = 0; k < N; k++) {
            assert_true((acc[k] & ~mask) == 0);
            high |= bits > 64 && (acc[k] >> 64) != 0;
        }
        assert_true(bits <= 64 || high);
        if (bits <= 64) {
            secagg_prg_add_mod2k(a64, N, seed, +1, bits);
            for (size_t k = 0; k < N; k++) {
                assert_true(acc[k] == a64[k]);
            }
        }
        secagg_prg_add_mod2k_wide(acc, N, other, +1, bits);
        secagg_prg_add_mod2k_wide(acc, N, seed, -1, bits);
        secagg_prg_add_mod2k_wide(acc, N, other, -1, bits);
        assert_memory_equal(acc, acc2, sizeof(acc));
        secagg_prg_add_mod2k_wide(acc, N, seed, 0, bits); /* sign 0: nothing */
        assert_memory_equal(acc, acc2, sizeof(acc));

        /* packing */
        for (size_t cnt = 0; cnt <= N; cnt += 37) {
            size_t nb = SECAGG_PACKED_BYTES(cnt, bits);

            memset(buf, 0xa5, sizeof(buf));
            secagg_pack_wide(buf, acc2, cnt, bits);
            assert_int_equal(buf[nb], 0xa5); /* nothing past the packed bytes */
            assert_int_equal(secagg_unpack_wide(back, buf, cnt, bits), 0);
            assert_memory_equal(back, acc2, cnt * sizeof(*back));
            if (bits <= 64) {
                for (size_t k = 0; k < cnt; k++) {
                    a64[k] = (uint64_t)acc2[k];
                }
                secagg_pack(buf64, a64, cnt, bits);
                assert_memory_equal(buf, buf64, nb);
            }
            if ((cnt * bits) % 8 != 0) {
                buf[nb - 1] |= 0x80; /* a spare bit */
                assert_int_equal(secagg_unpack_wide(back, buf, cnt, bits), MPCSIM_EDECODE);
            }
        }
    }
    /* bits > 64: element k is keystream bytes [16k, 16k + 16), low word first */
    {
        uint64_t ks[2 * 8];
        mpcsim_u128 z[8] = {0};

        secagg_prg_add_mod2k(ks, 0, seed, +1, 64); /* len 0: nothing */
        memset(ks, 0, sizeof(ks));
        secagg_prg_add_mod2k(ks, 16, seed, +1, 64);
        secagg_prg_add_mod2k_wide(z, 8, seed, +1, 128);
        for (size_t k = 0; k < 8; k++) {
            assert_true(z[k] == ((mpcsim_u128)ks[2 * k + 1] << 64 | ks[2 * k]));
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secagg_prg),
        cmocka_unit_test(test_secagg_pack),
        cmocka_unit_test(test_secagg_prg_mod2k),
        cmocka_unit_test(test_secagg_agree),
        cmocka_unit_test(test_secagg_secret_encoding),
        cmocka_unit_test(test_secagg_aead),
        cmocka_unit_test(test_secagg_share_secrets),
        cmocka_unit_test(test_secagg_commit),
        cmocka_unit_test(test_secagg_set),
        cmocka_unit_test(test_secagg_wide),
    };

    mpcsim_test_init();
    return cmocka_run_group_tests_name("secagg", tests, NULL, NULL);
}
