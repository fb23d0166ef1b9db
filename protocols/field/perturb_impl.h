/* SPDX-License-Identifier: MIT */
/*
 * protocols/field/perturb_impl.h - the adversary's error injection over
 * the field protocols/field/field_inst.h selected, shared by the additive
 * and Shamir adapters (each includes it once per field instantiation;
 * the functions are static to that translation unit).
 *
 * field_nonzero draws uniform elements from the adversary's stream until
 * one is non-zero; field_perturb adds such an error to every element of
 * msg[off, len) that decodes (a malformed element is left as it is and
 * consumes no draw), so a corrupted share always differs from the honest
 * one.
 */

/* A uniform non-zero element from the adversary's stream. */
static FE
field_nonzero(struct fp_stream *s)
{
    FE e;

    do {
        e = FE_stream_next(s);
    } while (e == 0);
    return e;
}

/* Add a random non-zero error to every element of msg[off, len). */
static void
field_perturb(struct fp_stream *s, uint8_t *msg, size_t off, size_t len)
{
    for (size_t o = off; o + FE_BYTES <= len; o += FE_BYTES) {
        FE v;

        if (FE_decode(&v, msg + o) == 0) {
            FE_encode(msg + o, FE_add(v, field_nonzero(s)));
        }
    }
}
