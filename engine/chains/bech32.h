/* bech32.h: bech32 and bech32m strings (BIP-173, BIP-350), segwit addresses
 * on top of them, and Bitcoin Cash CashAddr, which uses the same character
 * set with a 40-bit BCH checksum.
 *
 * All of them accept an all-lower-case or an all-upper-case string and
 * reject mixed case, as the specifications require. */
#ifndef DI_CHAINS_BECH32_H
#define DI_CHAINS_BECH32_H

#include <glib.h>

#define DI_BECH32_MAX_LEN 90
#define DI_BECH32_MAX_HRP 83

typedef enum
{
  DI_BECH32_INVALID = 0,
  DI_BECH32,
  DI_BECH32M,
} DiBech32Encoding;

/* Decodes a bech32 or bech32m string: hrp receives the lower-case
 * human-readable part (NUL-terminated, DI_BECH32_MAX_HRP + 1 bytes), data
 * the 5-bit values without the checksum (DI_BECH32_MAX_LEN bytes). */
DiBech32Encoding di_bech32_decode(const gchar *text, gsize len, gchar *hrp, guint8 *data, gsize *data_len);

/* Regroups decoded 5-bit values into bytes (leftover padding under 5 bits,
 * all zero); FALSE when they do not fit out_max or the padding is wrong. */
gboolean di_bech32_to_bytes(const guint8 *data, gsize n, guint8 *out, gsize out_max, gsize *out_len);

/* A segwit address of the given HRP ("bc", "ltc"): witness version 0 with a
 * 20- or 32-byte program in bech32, or 1..16 with 2..40 bytes in bech32m.
 * program receives up to 40 bytes. */
gboolean di_segwit_decode(const gchar *text, gsize len, const gchar *want_hrp, guint *version, guint8 *program,
                          gsize *program_len);

#define DI_CASHADDR_PREFIX "bitcoincash"
#define DI_CASHADDR_MAX_PAYLOAD 65

/* A CashAddr address with or without its "bitcoincash:" prefix; payload
 * receives the version byte and the hash.  Returns FALSE on any error. */
gboolean di_cashaddr_decode(const gchar *text, gsize len, guint8 *payload, gsize *payload_len);

#endif
