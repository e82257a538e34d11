/* key.h: a normalised indicator value in the binary form the snapshot stores.
 *
 * Fixed-size types (addresses, digests, EVM accounts) are kept as raw bytes:
 * smaller than text and compared with one memcmp.  Everything else is kept as
 * its normalised text.  A DiKey lives on the stack of whoever builds it, so the
 * scanner allocates nothing per token.
 */
#ifndef DI_KEY_H
#define DI_KEY_H

#include "indicator-type.h"

#define DI_KEY_MAX 1024

typedef struct
{
  guint8 cls;          /* DiKeyClass */
  guint16 len;
  guint8 bytes[DI_KEY_MAX];
} DiKey;

guint32 di_key_hash(guint8 cls, const guint8 *bytes, gsize len);
/* Appends the canonical text of the key (INTERFACE §2) to out. */
void di_key_format(const DiKey *key, GString *out);
void di_key_format_raw(guint8 cls, const guint8 *bytes, gsize len, GString *out);
gboolean di_key_set_text(DiKey *key, DiKeyClass cls, const gchar *text, gsize len);

#endif
