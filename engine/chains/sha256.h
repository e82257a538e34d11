/* sha256.h: SHA-256 (FIPS 180-4), for base58check checksums.
 *
 * Written for the engine rather than taken from a crypto library: the
 * scanner hashes a few dozen bytes per candidate address, and a 100-line
 * implementation keeps the engine free of another dependency. */
#ifndef DI_CHAINS_SHA256_H
#define DI_CHAINS_SHA256_H

#include <glib.h>

#define DI_SHA256_LEN 32

void di_sha256(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN]);
/* SHA-256 of SHA-256: the base58check checksum is its first 4 bytes. */
void di_sha256d(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN]);
/* Always the portable C compression, whatever the CPU: for tests. */
void di_sha256_portable(const guint8 *data, gsize len, guint8 out[DI_SHA256_LEN]);

#endif
