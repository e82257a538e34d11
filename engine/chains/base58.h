/* base58.h: base58 and base58check in the Bitcoin and Ripple alphabets, and
 * Monero's block-wise base58.
 *
 * Decoders take the token text as found and never allocate: the longest
 * input they accept is bounded (DI_BASE58_MAX_TEXT characters for the
 * big-number form, Monero's 106 characters for the block form). */
#ifndef DI_CHAINS_BASE58_H
#define DI_CHAINS_BASE58_H

#include <glib.h>

typedef enum
{
  DI_BASE58_BITCOIN,
  DI_BASE58_RIPPLE,
} DiBase58Alphabet;

/* Long enough for every base58check address we validate (and for Solana
 * keys), short enough that decoding stays a few hundred operations. */
#define DI_BASE58_MAX_TEXT 50
#define DI_BASE58_MAX_BYTES 40

/* Decodes text into out (at most out_max bytes); leading '1' (or 'r' in the
 * Ripple alphabet) become leading zero bytes.  Returns the byte count, or -1
 * on a character outside the alphabet, an over-long text or too small a buffer. */
gssize di_base58_decode(DiBase58Alphabet alphabet, const gchar *text, gsize len, guint8 *out, gsize out_max);

/* Decodes and verifies the 4-byte double-SHA-256 checksum; returns the
 * payload length (version bytes included, checksum excluded) or -1. */
gssize di_base58check_decode(DiBase58Alphabet alphabet, const gchar *text, gsize len, guint8 *out, gsize out_max);

/* Encodes payload plus its checksum; out must hold 2 * len + 8 characters
 * plus the NUL.  Returns the text length. */
gsize di_base58check_encode(DiBase58Alphabet alphabet, const guint8 *payload, gsize len, gchar *out);

/* Monero: 8-byte blocks, each 11 characters (the last block shorter).
 * Returns the byte count or -1. */
gssize di_base58_monero_decode(const gchar *text, gsize len, guint8 *out, gsize out_max);

#endif
