/* log-mix.h: generated log text for the benchmarks (see log-mix.c), and
 * their clock. */
#ifndef DI_BENCH_LOG_MIX_H
#define DI_BENCH_LOG_MIX_H

#include <glib.h>

/* Append one line (with its '\n') of the exchange or the syslog mix. */
void di_bench_exchange_line(GString *out, GRand *r);
void di_bench_syslog_line(GString *out, GRand *r);

/* Appends lines of `line`'s mix to out until it holds `bytes`; *lines
 * receives how many. */
void di_bench_mix(GString *out, gsize bytes, void (*line)(GString *, GRand *), guint32 seed, guint64 *lines);

/* CPU time of this thread, in seconds: the benches' figures are per core,
 * and another process on a shared machine does not count against them. */
gdouble di_bench_cpu_seconds(void);

#endif
