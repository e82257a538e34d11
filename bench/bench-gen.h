/* bench-gen.h: the synthetic indicator set of the store and daemon
 * benchmarks, for benchmarks only.
 *
 * The mix is what issue 15 describes a large taint set to be: mostly EVM
 * and Bitcoin addresses (the downstream of a theft runs to millions of
 * them), some IPv4 addresses, domains and SHA-256 digests:
 *   45 % EVM accounts (0x + 40 hex, lower case)
 *   35 % Bitcoin: 15 % P2PKH (1...), 10 % P2SH (3...), 10 % bech32 P2WPKH (bc1q...)
 *    8 % IPv4, 7 % domains, 5 % SHA-256
 * Every value is valid (base58check and bech32 checksums included), so the
 * feed readers load all of them; values are random, so none occurs in the
 * benchmarks' log lines.
 */
#ifndef DI_BENCH_GEN_H
#define DI_BENCH_GEN_H

#include "indicator-type.h"

/* Longest value written, with its NUL. */
#define DI_BENCH_VALUE_MAX 80

/* Writes the i-th value of the mix (the kind depends on i, the bytes on
 * rnd) into out; returns its type. */
DiType di_bench_value(guint64 i, GRand *rnd, gchar out[DI_BENCH_VALUE_MAX]);

/* The DPRK actors the benchmark feed attributes values to, in turn. */
extern const gchar *const di_bench_actors[5];

#endif
