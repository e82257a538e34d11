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

typedef struct
{
  DiTypeMask types;   /* validated types; 0 for lookup-only candidates (see below) */
  gsize offset;       /* where the token starts in the text */
  gsize length;       /* its length: text + offset, length is the "atomic" */
  DiKey key;          /* normalised value */
} DiToken;

/* Return FALSE to stop scanning. */
typedef gboolean (*DiTokenFunc)(const DiToken *token, gpointer user_data);

/* Tokens whose types mask is 0 are shapes without a checksum (e.g. Solana
 * keys): never reported by extraction, but looked up so that a value equal to
 * a loaded indicator still matches.  Pass DI_SCAN_LOOKUP_ONLY to get them. */
enum
{
  DI_SCAN_DEFAULT = 0,
  DI_SCAN_LOOKUP_ONLY = 1 << 0,
};

void di_scan(const gchar *text, gsize len, guint flags, DiTokenFunc func, gpointer user_data);

#endif
