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

/* Work counters for the tests that keep the scanner and the lookups linear
 * without timing them (tests/unit/test-linear.c): compiled in only with
 * -DDI_WORK_HOOKS, which that test alone builds the engine with.  Each
 * counts units of work (bytes visited, checksums computed, table probes)
 * on this thread; in every other build DI_WORK() is nothing. */
typedef enum
{
  DI_WORK_VISIT,      /* bytes a scanner step or a parser it calls looks at */
  DI_WORK_CHECKSUM,   /* checksums computed (Keccak, SHA-256d, base58, bech32, CashAddr) */
  DI_WORK_HASH,       /* bytes hashed for table lookups */
  DI_WORK_PROBE,      /* lookups in the table */
  DI_WORK_MAX
} DiWorkKind;

#ifdef DI_WORK_HOOKS
extern __thread guint64 di_work_counter[DI_WORK_MAX];
#define DI_WORK(kind, n) (di_work_counter[kind] += (n))
#else
#define DI_WORK(kind, n) ((void) 0)
#endif

/* Appends the canonical text of the key (INTERFACE §2) to out. */
void di_key_format(const DiKey *key, GString *out);
void di_key_format_raw(guint8 cls, const guint8 *bytes, gsize len, GString *out);
gboolean di_key_set_text(DiKey *key, DiKeyClass cls, const gchar *text, gsize len);

#endif
