/* SPDX-License-Identifier: MIT */
/*
 * protocols/secagg/adapter.h - secure aggregation (Bonawitz et al., CCS
 * 2017, the semi-honest protocol with its dropout handling) as an engine
 * protocol (sim/sim.h).
 *
 * Party 0 is the server: it has no input (its input is ignored) and is
 * never in `included`.  Parties 1..n-1 are the clients.  t (`threshold`)
 * is the number of shares that rebuild a client's secrets, and the least
 * number of clients that must answer each round.
 *
 * Rounds (the engine counts one-way steps, so the paper's four rounds are
 * protocol rounds 1..8 as sim_send states them; paper round k: clients
 * send in round 2k - 1, the server answers in round 2k):
 *   1 AdvertiseKeys  client u sends two X25519 public keys (c_u for
 *                    encryption, s_u for masks).  The server checks that
 *                    they are usable, waits for every client or
 *                    round_timeout_ns, needs |U1| >= t, and broadcasts
 *                    the list U1 of (id, c_pk, s_pk).
 *   2 ShareKeys      u draws its self-mask seed b_u, Shamir-shares its
 *                    mask secret key s_sk and b_u (degree t - 1 over the
 *                    n - 1 clients; each 32-byte secret as 5 field
 *                    elements of 56, 56, 56, 56 and 32 bits) and sends
 *                    the server one ChaCha20-Poly1305 ciphertext per
 *                    v in U1 under the key agreed from c_u and c_v.  The
 *                    server keeps the answers U2 (>= t) and forwards to
 *                    each v in U2 the ciphertexts addressed to it.
 *   3 MaskedInput    v decrypts its shares (a ciphertext that fails to
 *                    open makes v accuse its sender and hold no share of
 *                    it), then sends y_v = w_v x_v + PRG(b_v)
 *                    + sum over u in U2 \ {v} of (v < u ? +1 : -1)
 *                    PRG(s_uv) in Z_R, R = 2^(input_bits + ceil(log2 c))
 *                    for the c = n - 1 clients (secagg_ring_bits; the
 *                    paper's section 7.1), packed in that many bits per
 *                    entry, s_uv agreed from s_v and s_u, and a BLAKE2b
 *                    commitment to b_v.  The
 *                    server sums the y of the answers U3 (>= t) and
 *                    sends U3 to its members.
 *   4 Unmasking      u sends, for each v in U2 whose share it holds, its
 *                    share of b_v if v in U3, else of s_v's secret key
 *                    (never both for one client).  With the answers U5
 *                    (>= t), the server rebuilds each b_v (checked
 *                    against v's commitment) and each dropped client's
 *                    key (checked against its s_pk): from t shares with
 *                    Lagrange weights, and if the check fails, by
 *                    Reed-Solomon decoding of all shares it holds, whose
 *                    wrong senders it accuses; if that fails too it
 *                    aborts.  It removes PRG(b_v) for v in U3 and the
 *                    pairwise masks between U3 and U2 \ U3, and outputs
 *                    the sum over U3 (w_u x_u for weighted_sum).
 * With result_to_clients the server then broadcasts the result and the
 * flags of U3 to every client, and every client that hears it outputs it
 * too (with the same `included`; a client left out of a round, slow, not
 * dropped, still learns the sum).  Without it (the paper; the front end's
 * default) only the server outputs, and a client's part ends with its
 * unmasking shares.
 *
 * Waiting: the server waits for each round until every client it expects
 * answered or round_timeout_ns passed, then goes on with those that
 * answered if at least t did, else aborts and tells the clients (they
 * abort too).  A client gives up ("the server went silent") when the
 * server has not spoken for 5 round_timeout_ns.
 *
 * Dropouts between any two rounds are handled as in the paper: a client
 * that drops after sending its masked input is in U3, its self-mask is
 * removed with shares of b; one that drops before is left out of the sum,
 * and the pairwise masks it left in the survivors' inputs are removed
 * with shares of its mask key.  `faults.dropout.at: round r` with
 * r = 2k (or 2k - 1) drops a client after it sent its round-k message.
 *
 * Adversary (tamper).  A corrupted client's behaviour acts on what it sends
 * after its masked input, i.e. its unmasking shares (SCENARIO.md: after
 * input sharing): corrupt_shares adds random non-zero errors to the share
 * values (caught by the commitment or public-key check, then corrected
 * and accused, or an abort; never a wrong sum); withhold drops them (the
 * server rebuilds without them); delay delays them; malformed truncates
 * them, writes a value >= p, or garbage (the server accuses the sender
 * and ignores the message).  A corrupted server's withhold, delay and
 * malformed act on all its messages (clients accuse it and abort on
 * malformed ones); corrupt_shares does nothing at the server (it holds no
 * shares).  Other behaviours do nothing.  Honest parties accuse only the
 * senders of messages that do not parse or whose shares are provably
 * wrong.  Semi-honest only: the paper's signatures and consistency round
 * (malicious server) are not implemented; the server learns the sum over
 * U3 and nothing else about an input when it follows the protocol.
 *
 * SecAgg+ (Bell, Bonawitz, Gascon, Lepoint, Raykova, CCS 2020), with
 * num_shares K below the clients: client u's secrets are Shamir-shared
 * (degree t - 1) over u and its k neighbours in the Harary graph (see
 * secagg_sparse_degree; share index = slot), u masks only with its
 * neighbours, the server sends u only its neighbourhood's keys (KEYS is
 * then per client), and the t checks above hold per neighbourhood: a
 * client aborts when fewer than t of its neighbourhood advertised or
 * shared keys or sent masked inputs, and the server when it holds fewer
 * than t shares of a secret it must rebuild.  Sets of clients travel as
 * the smaller of a bitmap and a sorted list (secagg_set_bytes), and a
 * client gets only the part of each set within its neighbourhood, so its
 * bytes are O(k log n) plus the masked input (adapter.c: wire format).
 *
 * Costs charged: X25519 operations (SIM_OP_X25519), AEAD bytes, PRG bytes
 * (8 per element), field operations and Lagrange terms.  Memory is O(n)
 * per client and O(n^2) at the server (the unmasking shares), plus O(L)
 * per party; SecAgg+: O(k) per client and O(n k) at the server.
 */
#ifndef MPCSIM_PROTOCOLS_SECAGG_ADAPTER_H
#define MPCSIM_PROTOCOLS_SECAGG_ADAPTER_H

#include "protocols/computation.h"
#include "sim/sim.h"

/* input_bits when a caller leaves it 0 (the front end always sets it). */
#define SECAGG_DEFAULT_INPUT_BITS 48
/* The largest input_bits: contributions |w x| < 2^125 (signed), and with
 * ceil(log2 c) bits of headroom for the c clients the ring is at most
 * 2^128 (secagg_unsupported), so the sum is exact in 128-bit arithmetic. */
#define SECAGG_MAX_INPUT_BITS 126

struct secagg_params {
    struct computation comp; /* sum, mean, weighted_sum; weights borrowed */
    /* t, 1 <= t <= n - 1 (SecAgg) or 1 <= t <= K (SecAgg+); 0 = the default:
     * secagg_default_threshold(n), or secagg_default_threshold(K + 1) for SecAgg+. */
    int threshold;
    /* SecAgg+ (Bell et al. 2020): K = num_shares, each client's secrets in K
     * shares, one kept and one for each of its K - 1 neighbours in the Harary
     * graph secagg_harary_*.  0, or K >= the clients, is SecAgg (the complete
     * graph).  2 <= K. */
    int num_shares;
    /* Bits b of one client's contribution w_u x_u (x_u for sum and mean),
     * 1..126 with b + ceil(log2 c) <= 128 for c clients; 0 =
     * SECAGG_DEFAULT_INPUT_BITS.  Masks and sums are mod 2^(b + ceil(log2 c)),
     * in 64-bit words up to 64 ring bits, else 128-bit words (PRG: 16
     * keystream bytes per element).  Unsigned contributions lie in
     * [0, 2^b), signed ones in [-2^(b-1), 2^(b-1)) (two's complement, the
     * sign bit counted in b); a client whose input is outside refuses to
     * start (setup returns MPCSIM_ERANGE). */
    int input_bits;
    int inputs_unsigned;   /* 1: contributions are >= 0; 0: signed */
    int result_to_clients; /* 1: the server sends the sum to the clients, which output it too */
};

/* The engine protocol; params point to a struct secagg_params. */
extern const struct sim_protocol secagg_protocol;

/* Depth of a fault-free run: 8 (four round trips client -> server ->
 * clients), 7 without result_to_clients (the server's output ends it). */
int secagg_rounds(const struct secagg_params *p);

/*
 * The masking ring Z_R, R = 2^k: k = input_bits + ceil(log2 c) for the
 * c = n - 1 clients, so the sum of c contributions never wraps
 * (Bonawitz et al. 2017, section 7.1).
 */
unsigned secagg_ring_bits(const struct secagg_params *p, int n);

/* floor(2 (n - 1) / 3) + 1: the default t for n parties (n - 1 clients). */
int secagg_default_threshold(int n);

/*
 * SecAgg+ neighbourhoods: the Harary graph H(k, c) on the c clients
 * (F. Harary, "The maximum connectivity of a graph", PNAS 48, 1962; used by
 * Bell et al. 2020 section 4 as one k-regular choice, as Flower does).
 * Clients are 1..c; client u's slot 0 is u itself, slots 1..h are u + 1 ..
 * u + h and slots h + 1 .. 2h are u - 1 .. u - h (mod c, h = floor(k / 2)),
 * and for odd k slot k is u + c / 2.  k = K - 1, raised by one when k and c
 * are both odd (no k-regular graph exists then), and 2 for K = 2 (H(1, c) is
 * not connected).  The graph is k-regular and
 * k-connected (Harary 1962).  secagg_sparse_degree returns k, or 0 when K
 * gives the complete graph (K == 0 or k >= c - 1).
 */
int secagg_sparse_degree(int num_shares, int clients);
/* The client at `slot` (0 .. k) of client u (1 .. c). */
int secagg_harary_at(int k, int clients, int u, int slot);
/* The slot of client v in u's neighbourhood, or -1 if v is not u's neighbour. */
int secagg_harary_slot(int k, int clients, int u, int v);

/*
 * `num_shares: auto`: the least K and a threshold T such that, per
 * neighbourhood of K shares with each client dropping independently with
 * probability `dropout` and each neighbour corrupted independently with
 * probability `corrupt` (Bell et al. 2020, section 4.2: a union bound over
 * the c neighbourhoods):
 *   correctness  P[Bin(K - 1, 1 - dropout) + 1 < T] <= 2^-20 / c,
 *   security     P[Bin(K - 1, corrupt) >= 2T - K] <= 2^-40 / c
 * (the server learns a client's secret only if it gets both its b and s_sk
 * shares: honest neighbours reveal one each, so K + C >= 2T shares are
 * needed, C the corrupted neighbours).  T is the smallest threshold that is
 * secure for K.  Returns K (>= 3) and *t, or K = clients (the complete
 * graph) and its default threshold when no sparser K qualifies.
 */
int secagg_auto_shares(int clients, double dropout, double corrupt, int *t);

/*
 * NULL if `p` can run with n parties, else why not (static string): fewer
 * than 2 parties, length 0, variance or dot_product, t outside
 * [1, n - 1] (SecAgg+: [1, K]), weights that do not match n, input_bits
 * outside 0..126 or a ring wider than 128 bits (127 unsigned), num_shares
 * < 0 or 1.
 */
const char *secagg_unsupported(const struct secagg_params *p, int n);

#endif /* MPCSIM_PROTOCOLS_SECAGG_ADAPTER_H */
