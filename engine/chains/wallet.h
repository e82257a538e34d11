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

/* What an `0x` + 40 hex word is, whatever its case. */
typedef enum
{
  DI_EVM_NOT_AN_ADDRESS = 0,
  DI_EVM_ONE_CASE,          /* all lower or all upper case: carries no checksum */
  DI_EVM_CHECKSUM_VALID,    /* mixed case, EIP-55 checksum valid */
  DI_EVM_CHECKSUM_INVALID,  /* mixed case, EIP-55 checksum broken: still the same account */
  DI_EVM_MIXED_CASE,        /* mixed case, checksum not computed (check = FALSE) */
} DiEvmForm;

/* Reads `0x` + 40 hex of any case into out (the account's 20 bytes) and
 * says which form it is written in; the Keccak of the checksum runs only
 * for mixed case and only when check is TRUE. */
DiEvmForm di_evm_address_read(const gchar *text, gsize len, guint8 out[20], gboolean check);

/* The EIP-55 form of 20 address bytes: "0x" + 40 characters + NUL. */
void di_evm_checksum_format(const guint8 addr[20], gchar out[43]);

/* A Solana-style key: base58 (Bitcoin alphabet) of 32..44 characters
 * decoding to 32 bytes.  No checksum exists, so the scanner only looks such
 * tokens up and never reports them. */
gboolean di_wallet_is_base58_key(const gchar *text, gsize len);

#endif
