/* siphash.h: SipHash-2-4, a keyed hash for tables whose keys an attacker
 * chooses.
 *
 * A hash table keyed by text that arrives in log lines (incident-key()
 * often renders an account name or a header) must not let the sender pick
 * keys that collide: with an unkeyed hash (g_str_hash, FNV) blocks such as
 * "Aa"/"B@" collide by construction and every insert becomes a scan.
 * SipHash with a secret key makes collisions as rare as for random keys.
 * di_siphash_process_key() is that secret: 128 random bits drawn once per
 * process from the kernel, so it differs on every start and every node.
 */
#ifndef DI_SIPHASH_H
#define DI_SIPHASH_H

#include <glib.h>

#define DI_SIPHASH_KEY_LEN 16

guint64 di_siphash(const guint8 key[DI_SIPHASH_KEY_LEN], const void *data, gsize len);

/* The per-process random key (getrandom(); GLib's generator if the kernel
 * cannot give one).  Thread-safe; the same for the whole process. */
const guint8 *di_siphash_process_key(void);

#endif
