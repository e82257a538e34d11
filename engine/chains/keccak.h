/* keccak.h: Keccak-256 as Ethereum and Monero use it (the original Keccak
 * padding 0x01, not the SHA3-256 padding 0x06 of FIPS 202).
 *
 * EIP-55 checksums hash 40 hex characters; Monero address checksums hash
 * 65 or 73 bytes.  One-shot only. */
#ifndef DI_CHAINS_KECCAK_H
#define DI_CHAINS_KECCAK_H

#include <glib.h>

#define DI_KECCAK256_LEN 32

void di_keccak256(const guint8 *data, gsize len, guint8 out[DI_KECCAK256_LEN]);

#endif
