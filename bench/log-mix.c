/* log-mix.c: the generated log lines the benchmarks scan: the "exchange"
 * mix (withdrawal JSON events, API access logs, DNS and proxy lines, signer
 * service lines, sshd; one line in eight of the withdrawal and signer lines
 * names a real wallet address) and the "syslog" mix of a general-purpose
 * host (few indicators).  Deterministic for a given GRand seed.  Shared by
 * bench-scanner (throughput) and bench-hostile (the normal text every
 * hostile shape is compared with).  Also the clock both use. */
#include "log-mix.h"
#include <time.h>

static const gchar *const wallets[] =
{
  "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
  "bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7", "TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre",
  "3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV", "LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb",
  "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66",
};
static const gchar *const hosts[] =
{
  "api.binance.com", "wallet.example-exchange.com", "cdn.jsdelivr.net", "updates.vendor.io", "login.microsoftonline.com",
  "graph.facebook.com", "s3.eu-west-1.amazonaws.com", "ntp.ubuntu.com",
};
static const gchar *const paths[] =
{
  "/api/v3/account/balances?recvWindow=5000", "/api/v3/order?symbol=BTCUSDT&side=SELL", "/static/js/app.3f2a1c.js",
  "/v1/withdrawals/8812734/status", "/healthz", "/login?next=%2Fdashboard",
};
static const gchar *const assets[] = { "ETH", "BTC", "USDT", "TRX", "LTC", "BCH", "XRP" };

static void
_hex(GString *out, GRand *r, gint n)
{
  for (gint i = 0; i < n; i++)
    g_string_append_c(out, "0123456789abcdef"[g_rand_int_range(r, 0, 16)]);
}

static void
_ip(GString *out, GRand *r)
{
  g_string_append_printf(out, "%d.%d.%d.%d", g_rand_int_range(r, 1, 224), g_rand_int_range(r, 0, 256),
                         g_rand_int_range(r, 0, 256), g_rand_int_range(r, 1, 255));
}

static const gchar *
_pick(GRand *r, const gchar *const *list, gsize n)
{
  return list[g_rand_int_range(r, 0, n)];
}

#define PICK(r, list) _pick(r, list, G_N_ELEMENTS(list))

/* A destination: one line in eight names a real-looking address. */
static const gchar *
_destination(GRand *r, GString *scratch)
{
  if (g_rand_int_range(r, 0, 8) == 0)
    return PICK(r, wallets);
  g_string_assign(scratch, "acct-");
  _hex(scratch, r, 12);
  return scratch->str;
}

void
di_bench_exchange_line(GString *out, GRand *r)
{
  GString *dest = g_string_new(NULL);
  gint kind = g_rand_int_range(r, 0, 6);
  gint sec = g_rand_int_range(r, 0, 60), ms = g_rand_int_range(r, 0, 1000);
  switch (kind)
    {
    case 0:
      g_string_append_printf(out, "{\"ts\":\"2025-02-21T14:13:%02d.%03dZ\",\"level\":\"info\",\"service\":\"withdrawal-svc\","
                             "\"event\":\"withdrawal.requested\",\"account_id\":\"acc_%u\",\"asset\":\"%s\","
                             "\"amount\":\"%u.%06u\",\"to_address\":\"%s\",\"tx_id\":\"0x",
                             sec, ms, g_rand_int(r) % 9000000, PICK(r, assets), g_rand_int(r) % 100,
                             g_rand_int(r) % 1000000, _destination(r, dest));
      _hex(out, r, 64);
      g_string_append(out, "\",\"client_ip\":\"");
      _ip(out, r);
      g_string_append(out, "\"}");
      break;
    case 1:
      _ip(out, r);
      g_string_append_printf(out, " - - [21/Feb/2025:14:13:%02d +0000] \"GET %s HTTP/1.1\" %d %u \"-\" "
                             "\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\" rt=0.%03d",
                             sec, PICK(r, paths), g_rand_int_range(r, 0, 10) ? 200 : 404,
                             g_rand_int(r) % 20000, ms);
      break;
    case 2:
      g_string_append_printf(out, "21-Feb-2025 14:13:%02d.%03d queries: info: client @0x7f3a2c0016e0 ", sec, ms);
      _ip(out, r);
      g_string_append_printf(out, "#%u (%s): query: %s IN A +E(0)K (10.0.0.53)", 1024 + g_rand_int(r) % 60000,
                             PICK(r, hosts), PICK(r, hosts));
      break;
    case 3:
      g_string_append_printf(out, "1740147187.%03d %6u ", ms, g_rand_int(r) % 5000);
      _ip(out, r);
      g_string_append_printf(out, " TCP_TUNNEL/200 %u CONNECT %s:443 - HIER_DIRECT/", g_rand_int(r) % 90000,
                             PICK(r, hosts));
      _ip(out, r);
      g_string_append(out, " -");
      break;
    case 4:
      g_string_append_printf(out, "2025-02-21 14:13:%02d,%03d INFO [hotwallet-signer-%d] c.e.w.SigningService - signed "
                             "withdrawal %u asset=%s dest=%s fee_rate=%u sat/vB nonce=%u",
                             sec, ms, g_rand_int_range(r, 1, 9), g_rand_int(r) % 9000000, PICK(r, assets),
                             _destination(r, dest), g_rand_int(r) % 80, g_rand_int(r) % 100000);
      break;
    default:
      g_string_append_printf(out, "Feb 21 14:13:%02d web-0%d sshd[%u]: Accepted publickey for deploy from ", sec,
                             g_rand_int_range(r, 1, 9), g_rand_int(r) % 60000);
      _ip(out, r);
      g_string_append_printf(out, " port %u ssh2: ED25519 SHA256:", g_rand_int(r) % 60000);
      _hex(out, r, 43);
      break;
    }
  g_string_append_c(out, '\n');
  g_string_free(dest, TRUE);
}

void
di_bench_syslog_line(GString *out, GRand *r)
{
  gint sec = g_rand_int_range(r, 0, 60);
  guint pid = g_rand_int(r) % 60000;
  g_string_append_printf(out, "Feb 21 14:13:%02d web-0%d ", sec, g_rand_int_range(r, 1, 9));
  switch (g_rand_int_range(r, 0, 6))
    {
    case 0:
      g_string_append_printf(out, "systemd[1]: Started Session %u of user deploy.", pid % 900);
      break;
    case 1:
      g_string_append_printf(out, "CRON[%u]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)", pid);
      break;
    case 2:
      g_string_append_printf(out, "kernel: [%u.%06u] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro", pid,
                             g_rand_int(r) % 1000000);
      break;
    case 3:
      g_string_append_printf(out, "sshd[%u]: Accepted publickey for deploy from ", pid);
      _ip(out, r);
      g_string_append_printf(out, " port %u ssh2", g_rand_int(r) % 60000);
      break;
    case 4:
      g_string_append_printf(out, "postfix/smtpd[%u]: connect from %s[", pid, PICK(r, hosts));
      _ip(out, r);
      g_string_append_c(out, ']');
      break;
    default:
      g_string_append_printf(out, "app[%u]: worker finished job batch-%u in %u ms, queue depth %u, retries 0", pid,
                             g_rand_int(r) % 100000, g_rand_int(r) % 5000, g_rand_int(r) % 100);
      break;
    }
  g_string_append_c(out, '\n');
}

void
di_bench_mix(GString *out, gsize bytes, void (*line)(GString *, GRand *), guint32 seed, guint64 *lines)
{
  GRand *r = g_rand_new_with_seed(seed);
  guint64 n = 0;
  while (out->len < bytes)
    {
      line(out, r);
      n++;
    }
  g_rand_free(r);
  if (lines)
    *lines = n;
}

gdouble
di_bench_cpu_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}
