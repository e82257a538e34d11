/* scanner.h: find indicator candidates in arbitrary text in one pass.
 *
 * The scanner walks the text once with a character-class table, cuts it into
 * tokens at token boundaries, and hands each token whose shape fits some type
 * to a callback, already normalised into a DiKey.  Checksums run only on
 * tokens of the right shape.  It allocates nothing.
 */
#ifndef DI_SCANNER_H
#define DI_SCANNER_H

#include "key.h"

/* DiToken.flags */
enum
{
  /* an EVM address in mixed case whose EIP-55 checksum fails: the same
   * account as its lower-case form (and so reported and matched), but
   * likely mistyped or tampered with; set by DI_SCAN_DEFAULT scans */
  DI_TOKEN_CHECKSUM_INVALID = 1 << 0,
};

typedef struct
{
  DiTypeMask types;   /* validated types; 0 for lookup-only candidates (see below) */
  guint flags;        /* DI_TOKEN_* */
  gsize offset;       /* where the token starts in the text */
  gsize length;       /* its length: text + offset, length is the "atomic" */
  DiKey key;          /* normalised value */
} DiToken;

/* Return FALSE to stop scanning. */
typedef gboolean (*DiTokenFunc)(const DiToken *token, gpointer user_data);

/* DI_SCAN_DEFAULT reports validated tokens only, each with its types:
 * checksums are verified (as `dprk-intel extract` shows them).
 *
 * DI_SCAN_LOOKUP_ONLY is for callers that only look keys up (the matcher):
 * every wallet-shaped word comes as a candidate with types 0 and the key it
 * has if it is valid, without its checksum computed: base58 words of an
 * address's length as their text (Solana keys have no checksum at all),
 * bech32 and CashAddr words in one case as their lower-case text, `0x` + 40
 * hex as its 20 bytes whatever the case.  A loaded indicator is valid, so a
 * word whose key equals one is valid too (and an EVM word in broken mixed
 * case names the same account); a word that matches nothing costs no
 * checksum.  Other tokens (addresses, names, URLs, hashes) come as in
 * DI_SCAN_DEFAULT. */
enum
{
  DI_SCAN_DEFAULT = 0,
  DI_SCAN_LOOKUP_ONLY = 1 << 0,
};

void di_scan(const gchar *text, gsize len, guint flags, DiTokenFunc func, gpointer user_data);

#endif
