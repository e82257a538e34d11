/* wallet.h: which chains a token is a valid address of.
 *
 * One entry point for the scanner and the feed normaliser, so that a value
 * loaded from a feed and the same value found in a log line get the same key
 * and the same verdict. */
#ifndef DI_CHAINS_WALLET_H
#define DI_CHAINS_WALLET_H

#include "key.h"

/* Validates text (one token, nothing around it) as an address of every
 * chain we know and returns the mask of the chains it is valid for, 0 when
 * none.  On success key holds the normalised value: 20 bytes (DI_KEY_EVM)
 * for EVM accounts, else the address text (DI_KEY_WALLET) with bech32 and
 * CashAddr lower-cased and CashAddr carrying its "bitcoincash:" prefix. */
DiTypeMask di_wallet_validate(const gchar *text, gsize len, DiKey *key);

/* `0x` + 40 hex: all lower or all upper case, or mixed case with a valid
 * EIP-55 checksum.  out receives the 20 bytes. */
gboolean di_evm_address_parse(const gchar *text, gsize len, guint8 out[20]);

/* The EIP-55 form of 20 address bytes: "0x" + 40 characters + NUL. */
void di_evm_checksum_format(const guint8 addr[20], gchar out[43]);

/* A Solana-style key: base58 (Bitcoin alphabet) of 32..44 characters
 * decoding to 32 bytes.  No checksum exists, so the scanner only looks such
 * tokens up and never reports them. */
gboolean di_wallet_is_base58_key(const gchar *text, gsize len);

#endif
