/* gen-mix-feed.c: N indicators of the benchmark mix (bench-gen.h) as
 * canonical CSV on standard output, or N log lines that name values of the
 * same shapes, for benchmarks only.
 *
 *   bench/gen-mix-feed N [SEED] > feed.csv
 *   bench/gen-mix-feed --lines N [SEED] > lines.log
 *
 * The lines are what an exchange's collector relays: withdrawal events as
 * JSON (a wallet address and a client IP), nginx access lines, sshd logins
 * and DNS queries, about 150 bytes each, with one to three tokens the
 * scanner checks and looks up (the seed differs from the feed's, so they
 * are misses, as most tokens of real traffic are).
 *
 * Written in C because the daemon benchmark needs ten million rows with
 * valid checksums, which a script takes minutes to make. */
#include "bench-gen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
_line(guint64 i, GRand *rnd)
{
  gchar value[DI_BENCH_VALUE_MAX];
  guint32 ip = g_rand_int(rnd);
  gchar client[16];
  g_snprintf(client, sizeof(client), "%u.%u.%u.%u", 1 + (ip >> 24) % 223, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
  switch (i % 4)
    {
    case 0:
      /* an address of the mix's wallet kinds: EVM or Bitcoin */
      di_bench_value(g_rand_int_range(rnd, 0, 80), rnd, value);
      printf("{\"ts\":\"2025-02-21T14:%02u:%02u.%03uZ\",\"event\":\"withdrawal.requested\",\"account\":\"acc_%u\","
             "\"asset\":\"%s\",\"amount\":\"%u.%04u\",\"to_address\":\"%s\",\"client_ip\":\"%s\"}\n",
             (guint) (i / 60) % 60, (guint) i % 60, (guint) i % 1000, g_rand_int_range(rnd, 0, 9000000),
             value[0] == '0' ? "ETH" : "BTC", g_rand_int_range(rnd, 0, 100), g_rand_int_range(rnd, 0, 10000),
             value, client);
      break;
    case 1:
      printf("%s - - [21/Feb/2025:14:%02u:%02u +0000] \"GET /api/v3/order?symbol=BTCUSDT&limit=%u HTTP/1.1\" 200 %u "
             "\"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
             client, (guint) (i / 60) % 60, (guint) i % 60, g_rand_int_range(rnd, 1, 500),
             g_rand_int_range(rnd, 100, 9000));
      break;
    case 2:
      printf("sshd[%u]: Accepted publickey for deploy from %s port %u ssh2: ED25519 SHA256:%08x%08x%08x\n",
             g_rand_int_range(rnd, 1000, 60000), client, g_rand_int_range(rnd, 1024, 65535), g_rand_int(rnd),
             g_rand_int(rnd), g_rand_int(rnd));
      break;
    default:
      di_bench_value(90, rnd, value);   /* a domain of the mix's shape */
      printf("named[812]: client @0x7f3a %s#%u (%s): query: %s IN A +E(0)K (10.0.0.53)\n", client,
             g_rand_int_range(rnd, 1024, 65535), value, value);
      break;
    }
}

int
main(int argc, char **argv)
{
  gboolean lines = argc > 1 && strcmp(argv[1], "--lines") == 0;
  if (lines)
    {
      argc--;
      argv++;
    }
  if (argc < 2)
    {
      fprintf(stderr, "usage: gen-mix-feed [--lines] N [SEED] > feed.csv\n");
      return 2;
    }
  guint64 n = g_ascii_strtoull(argv[1], NULL, 10);
  GRand *rnd = g_rand_new_with_seed(argc > 2 ? atoi(argv[2]) : lines ? 7 : 42);
  gchar value[DI_BENCH_VALUE_MAX];
  static gchar buf[1 << 20];
  setvbuf(stdout, buf, _IOFBF, sizeof(buf));

  if (lines)
    {
      for (guint64 i = 0; i < n; i++)
        _line(i, rnd);
      g_rand_free(rnd);
      return fflush(stdout) == 0 ? 0 : 1;
    }
  printf("indicator,type,actor,source,confidence,reference,valid_until,description\n");
  for (guint64 i = 0; i < n; i++)
    {
      DiType type = di_bench_value(i, rnd, value);
      printf("%s,%s,%s,bench,50,,,\n", value, di_type_name(type), di_bench_actors[i % 5]);
    }
  g_rand_free(rnd);
  return fflush(stdout) == 0 ? 0 : 1;
}
