/* SPDX-License-Identifier: MIT */
/*
 * protocols/secagg/secagg.h - the cryptographic pieces of Bonawitz et al.'s
 * secure aggregation (CCS 2017), usable without the simulator: X25519 key
 * agreement, a ChaCha20 PRG into GF(2^61 - 1) vectors, AEAD of the key
 * shares, a commitment to the self-mask seed, and the encoding of a
 * 32-byte secret as field elements so that the Shamir library shares it.
 *
 * Key agreement: the raw X25519 point q = sk_u * pk_v is never used as a
 * key; the key is BLAKE2b-256("mpcsim-secagg" || domain || q || pk_lo ||
 * pk_hi) with the two public keys in byte order, so both ends derive the
 * same key and the encryption and mask keys of a pair are independent.
 *
 * PRG: ChaCha20 (the original variant, 8-byte zero nonce) keyed by a
 * 32-byte seed; each little-endian 64-bit keystream word gives its low 61
 * bits, rejected when equal to p (probability 2^-61), so elements are
 * exactly uniform.  Everyone expanding the same seed gets the same vector.
 *
 * Secrets as field elements: bytes [7i, 7i + 7) for i < 4 and [28, 32) as
 * SECAGG_SECRET_ELEMS = 5 little-endian integers (< 2^56 and < 2^32, so
 * below p).  Decoding rejects a larger element: a wrongly reconstructed
 * secret is usually caught right there.
 *
 * AEAD: ChaCha20-Poly1305 (IETF) under the pair's encryption key, with the
 * nonce (u32 from, u32 to, u32 0): the key of a pair serves both
 * directions and each direction carries one message, so a nonce is never
 * reused, and a ciphertext replayed to another pair or direction fails.
 */
#ifndef MPCSIM_PROTOCOLS_SECAGG_SECAGG_H
#define MPCSIM_PROTOCOLS_SECAGG_SECAGG_H

#include <stddef.h>
#include <stdint.h>

#include "common/mpcsim.h"
#include "protocols/field/fp_stream.h"
#include "protocols/shamir/shamir.h"

#define SECAGG_KEY_BYTES 32    /* X25519 keys, derived keys, seeds */
#define SECAGG_SECRET_ELEMS 5  /* field elements per 32-byte secret */
#define SECAGG_SHARE_ELEMS 10  /* one key-share message: s_sk then b */
#define SECAGG_AEAD_ABYTES 16  /* Poly1305 tag */
#define SECAGG_COMMIT_BYTES 32 /* BLAKE2b-256 commitment to b */
#define SECAGG_ELEM_BITS 61    /* a share element on the wire: 61 bits, packed */
/* Packed bytes of `count` values of `bits` bits each. */
#define SECAGG_PACKED_BYTES(count, bits) (((size_t)(count) * (size_t)(bits) + 7) / 8)
/* An encrypted key-share message: 10 packed 61-bit elements (77 bytes) plus the tag. */
#define SECAGG_CT_BYTES                                                                            \
    (SECAGG_PACKED_BYTES(SECAGG_SHARE_ELEMS, SECAGG_ELEM_BITS) + SECAGG_AEAD_ABYTES)

/* Key-agreement domains: the AEAD key and the pairwise mask seed of a pair. */
enum secagg_domain { SECAGG_DOMAIN_ENC = 'c', SECAGG_DOMAIN_MASK = 's' };

struct secagg_keypair {
    uint8_t pk[SECAGG_KEY_BYTES];
    uint8_t sk[SECAGG_KEY_BYTES];
};

/*
 * kp->sk = seed (X25519 clamps it when used), kp->pk = sk * base.
 * Returns 0, or MPCSIM_ENOTSUP if libsodium does not initialise.
 */
MPCSIM_NODISCARD int secagg_keypair(struct secagg_keypair *kp,
                                    const uint8_t seed[SECAGG_KEY_BYTES]);

/*
 * The public key of secret key sk (to check a reconstructed one).  Returns
 * 0 or MPCSIM_EDECODE (sk gives the identity, impossible for real keys).
 */
MPCSIM_NODISCARD int secagg_public_key(uint8_t pk[SECAGG_KEY_BYTES],
                                       const uint8_t sk[SECAGG_KEY_BYTES]);

/*
 * The key shared by the holder of (my_sk, my_pk) and the owner of
 * their_pk in `domain` (see the file comment); both ends get the same
 * bytes.  Returns 0, or MPCSIM_EDECODE if their_pk is a low-order point
 * (the X25519 result is all zero): such a key is refused, never used.
 */
MPCSIM_NODISCARD int secagg_agree(uint8_t key[SECAGG_KEY_BYTES],
                                  const uint8_t my_sk[SECAGG_KEY_BYTES],
                                  const uint8_t my_pk[SECAGG_KEY_BYTES],
                                  const uint8_t their_pk[SECAGG_KEY_BYTES],
                                  enum secagg_domain domain);

/* Whether pk is usable: 1 if an agreement with it succeeds, else 0. */
int secagg_public_key_ok(const uint8_t pk[SECAGG_KEY_BYTES]);

/* out[0..len) = PRG(seed). */
void secagg_prg_expand(uint64_t *out, size_t len, const uint8_t seed[SECAGG_KEY_BYTES]);

/* acc[k] += PRG(seed)[k] if sign > 0, acc[k] -= PRG(seed)[k] if sign < 0. */
void secagg_prg_add(uint64_t *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES], int sign);

/*
 * The same over Z_R, R = 2^bits (1 <= bits <= 64), as Bonawitz et al. mask
 * inputs: the k-th keystream word's low `bits` bits (no rejection: R
 * divides 2^64, so they are exactly uniform), and
 * acc[k] = (acc[k] +- word) mod R.  acc[k] < R on entry and on return.
 */
void secagg_prg_add_mod2k(uint64_t *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES], int sign,
                          unsigned bits);

/*
 * The same for 1 <= bits <= 128 over 128-bit words (input_bits beyond 62):
 * for bits <= 64 exactly secagg_prg_add_mod2k (one 8-byte keystream word
 * per element), for bits > 64 one 16-byte word per element (little-endian,
 * low 8 bytes first) reduced mod 2^bits, exactly uniform as R divides
 * 2^128.  acc[k] < R on entry and on return.
 */
void secagg_prg_add_mod2k_wide(mpcsim_u128 *acc, size_t len, const uint8_t seed[SECAGG_KEY_BYTES],
                               int sign, unsigned bits);

/*
 * Bit packing of 128-bit values < 2^bits (1 <= bits <= 128): the same bit
 * string as secagg_pack (value k at bits [k bits, (k + 1) bits), little
 * end first), SECAGG_PACKED_BYTES(count, bits) bytes; for bits <= 64 the
 * bytes of secagg_pack.  Unpacking: MPCSIM_EDECODE when a spare bit is set.
 */
void secagg_pack_wide(uint8_t *out, const mpcsim_u128 *v, size_t count, unsigned bits);
MPCSIM_NODISCARD int secagg_unpack_wide(mpcsim_u128 *v, const uint8_t *in, size_t count,
                                        unsigned bits);

/*
 * Bit packing: values v[0..count) < 2^bits (1 <= bits <= 64) as one
 * little-endian bit string, value k at bits [k bits, (k + 1) bits), the
 * last byte's spare high bits zero: SECAGG_PACKED_BYTES(count, bits)
 * bytes.  Unpacking returns MPCSIM_EDECODE (out unspecified) when a spare
 * bit is set, so every value has one encoding.
 */
void secagg_pack(uint8_t *out, const uint64_t *v, size_t count, unsigned bits);
MPCSIM_NODISCARD int secagg_unpack(uint64_t *v, const uint8_t *in, size_t count, unsigned bits);

/*
 * Sets of parties on the wire (adapter.c), for n parties 0 .. n - 1
 * (n <= 2^24): a tag byte, then either a bitmap (tag 0: ceil(n / 8) bytes,
 * bit i of byte i / 8 for party i, party 0 and the spare bits zero) or a
 * list (tag 1: the count m and the m ids ascending, each a little-endian
 * integer of w bytes, w the fewest bytes that hold n - 1).  The list is
 * used exactly when w (m + 1) < ceil(n / 8), so a set has one encoding:
 * secagg_set_bytes(n, m) = 1 + min(ceil(n / 8), w (m + 1)) bytes.
 */
size_t secagg_set_bytes(int n, size_t m);

/* Write ids[0 .. m) (ascending, each in 1 .. n - 1) to out; returns its bytes. */
size_t secagg_set_write(uint8_t *out, int n, const int *ids, size_t m);

/*
 * Parse a set at in[0 .. len): its members, ascending, into ids[0 .. *m)
 * (at most cap) and its length into *used.  Returns 0, or MPCSIM_EDECODE
 * (ids unspecified): short, an unknown tag, party 0 or >= n, not
 * ascending, more than cap members, or the encoding the writer would not
 * choose.
 */
MPCSIM_NODISCARD int secagg_set_parse(int *ids, size_t cap, size_t *m, size_t *used, int n,
                                      const uint8_t *in, size_t len);

/* The 5 field elements of a 32-byte secret. */
void secagg_secret_encode(uint64_t e[SECAGG_SECRET_ELEMS], const uint8_t secret[SECAGG_KEY_BYTES]);

/*
 * The secret of 5 elements; MPCSIM_EDECODE (secret unspecified) if an
 * element is too large to come from secagg_secret_encode.
 */
MPCSIM_NODISCARD int secagg_secret_decode(uint8_t secret[SECAGG_KEY_BYTES],
                                          const uint64_t e[SECAGG_SECRET_ELEMS]);

/*
 * Shamir-share a client's mask key sk and self-mask seed b with `sh`
 * (degree t - 1 over the n' clients; client c >= 1 is Shamir party c - 1,
 * evaluation point c): rows[j * 10 + k] is client (j + 1)'s share of
 * element k, elements 0..4 from sk and 5..9 from b.  scratch holds
 * shamir_ctx_n(sh) elements; rng supplies the coefficients.
 */
void secagg_share_secrets(const struct shamir_ctx *sh, uint64_t *rows, uint64_t *scratch,
                          const uint8_t sk[SECAGG_KEY_BYTES], const uint8_t b[SECAGG_KEY_BYTES],
                          struct fp_stream *rng);

/*
 * Encrypt the 10 share elements (each < p, packed in 61 bits) for the pair
 * (from -> to) under key: ct[0..SECAGG_CT_BYTES).
 */
void secagg_seal(uint8_t ct[SECAGG_CT_BYTES], const uint8_t key[SECAGG_KEY_BYTES], uint32_t from,
                 uint32_t to, const uint64_t share[SECAGG_SHARE_ELEMS]);

/*
 * Decrypt and decode what secagg_seal produced.  Returns 0, or
 * MPCSIM_EDECODE (forged, for another pair or direction, or an element
 * >= p); share[] is then unspecified.
 */
MPCSIM_NODISCARD int secagg_open(uint64_t share[SECAGG_SHARE_ELEMS],
                                 const uint8_t key[SECAGG_KEY_BYTES], uint32_t from, uint32_t to,
                                 const uint8_t ct[SECAGG_CT_BYTES]);

/* The commitment BLAKE2b-256("mpcsim-secagg-b" || b) to a self-mask seed. */
void secagg_commit(uint8_t out[SECAGG_COMMIT_BYTES], const uint8_t b[SECAGG_KEY_BYTES]);

#endif /* MPCSIM_PROTOCOLS_SECAGG_SECAGG_H */
