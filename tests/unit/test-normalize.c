/* test-normalize.c: di_normalize for each type, its errors, CIDR parsing,
 * IPv6 canonical text (RFC 5952), and type inference. */
#include "scanner-test-util.h"

static void
_expect_norm(DiType type, const gchar *in, const gchar *out)
{
  gchar *message = NULL;
  gchar *got = normalized(type, in, NULL, &message);
  cr_expect_str_eq(got ? got : message, out, "%s '%s'", di_type_name(type), in);
  g_free(got);
  g_free(message);
}

static void
_expect_error(DiType type, const gchar *in, const gchar *message)
{
  gchar *got_message = NULL;
  gchar *got = normalized(type, in, NULL, &got_message);
  cr_expect_null(got, "%s '%s' accepted as '%s'", di_type_name(type), in, got);
  if (message)
    cr_expect_str_eq(got_message ? got_message : "", message);
  g_free(got);
  g_free(got_message);
}

Test(normalize, ipv4)
{
  _expect_norm(DI_TYPE_IPV4, "1.2.3.4", "1.2.3.4");
  _expect_norm(DI_TYPE_IPV4, "255.255.255.255", "255.255.255.255");
  _expect_norm(DI_TYPE_IPV4, "0.0.0.0", "0.0.0.0");
  _expect_error(DI_TYPE_IPV4, "999.1.2.3", "invalid ipv4 address '999.1.2.3'");
  _expect_error(DI_TYPE_IPV4, "1.2.3", NULL);
  _expect_error(DI_TYPE_IPV4, "1.2.3.4.5", NULL);
  _expect_error(DI_TYPE_IPV4, "01.2.3.4", NULL);
  _expect_error(DI_TYPE_IPV4, "1.2.3.", NULL);
  _expect_error(DI_TYPE_IPV4, "1..3.4", NULL);
  _expect_error(DI_TYPE_IPV4, "1.2.3.4 ", NULL);
  _expect_error(DI_TYPE_IPV4, "a.b.c.d", NULL);
  _expect_error(DI_TYPE_IPV4, "", "empty indicator");
}

Test(normalize, ipv6_canonical_text)
{
  static const gchar *cases[][2] =
  {
    { "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
    { "2001:db8::1", "2001:db8::1" },
    { "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },        /* first of two equal runs */
    { "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },             /* the longest run */
    { "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },    /* one zero group stays */
    { "::1", "::1" },
    { "::", "::" },
    { "1::", "1::" },
    { "fe80::", "fe80::" },
    { "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
    { "::FFFF:C000:0201", "::ffff:192.0.2.1" },
    { "64:ff9b::192.0.2.33", "64:ff9b::c000:221" },
    { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
    { "[2001:db8::1]", "2001:db8::1" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    _expect_norm(DI_TYPE_IPV6, cases[i][0], cases[i][1]);

  const gchar *bad[] =
  {
    "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4.5", "1:2:3",
    "1:2:3:4:5:6:7:8::", "::g", "1:", ":", "2001:db8::1%eth0", "1::2:3:4:5:6:7:8",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    _expect_error(DI_TYPE_IPV6, bad[i], NULL);
  _expect_error(DI_TYPE_IPV6, "1::2::3", "invalid ipv6 address '1::2::3'");
}

Test(normalize, cidr)
{
  _expect_norm(DI_TYPE_CIDR, "10.1.2.3/8", "10.0.0.0/8");
  _expect_norm(DI_TYPE_CIDR, "192.168.1.77/26", "192.168.1.64/26");
  _expect_norm(DI_TYPE_CIDR, "1.2.3.4/32", "1.2.3.4/32");
  _expect_norm(DI_TYPE_CIDR, "1.2.3.4/0", "0.0.0.0/0");
  _expect_norm(DI_TYPE_CIDR, "1.2.3.4", "1.2.3.4/32");
  _expect_norm(DI_TYPE_CIDR, "2001:db8:abcd::1/32", "2001:db8::/32");
  _expect_norm(DI_TYPE_CIDR, "2001:db8::ff/121", "2001:db8::80/121");
  _expect_norm(DI_TYPE_CIDR, "::1/128", "::1/128");
  _expect_error(DI_TYPE_CIDR, "1.2.3.4/33", "invalid cidr '1.2.3.4/33'");
  _expect_error(DI_TYPE_CIDR, "::/129", NULL);
  _expect_error(DI_TYPE_CIDR, "1.2.3.4/", NULL);
  _expect_error(DI_TYPE_CIDR, "1.2.3.4/08", NULL);
  _expect_error(DI_TYPE_CIDR, "1.2.3.4/a", NULL);
  _expect_error(DI_TYPE_CIDR, "1.2.3/8", NULL);

  /* a prefix on a declared address makes it a cidr, and says so */
  DiType inferred = DI_TYPE_NONE;
  gchar *got = normalized(DI_TYPE_IPV4, "10.9.8.7/16", &inferred, NULL);
  cr_expect_str_eq(got, "10.9.0.0/16");
  cr_expect_eq(inferred, DI_TYPE_CIDR);
  g_free(got);
  got = normalized(DI_TYPE_IPV6, "2001:db8::/48", &inferred, NULL);
  cr_expect_str_eq(got, "2001:db8::/48");
  cr_expect_eq(inferred, DI_TYPE_CIDR);
  g_free(got);
}

Test(normalize, domain)
{
  _expect_norm(DI_TYPE_DOMAIN, "Example.COM", "example.com");
  _expect_norm(DI_TYPE_DOMAIN, "api.celasllc.com.", "api.celasllc.com");
  _expect_norm(DI_TYPE_DOMAIN, "_dmarc.example.org", "_dmarc.example.org");
  _expect_norm(DI_TYPE_DOMAIN, "xn--80ak6aa92e.xn--p1ai", "xn--80ak6aa92e.xn--p1ai");
  _expect_norm(DI_TYPE_DOMAIN, "a-b.c-d.net", "a-b.c-d.net");
  _expect_error(DI_TYPE_DOMAIN, "localhost", "invalid domain 'localhost'");
  _expect_error(DI_TYPE_DOMAIN, "-bad.com", NULL);
  _expect_error(DI_TYPE_DOMAIN, "bad-.com", NULL);
  _expect_error(DI_TYPE_DOMAIN, "a..com", NULL);
  _expect_error(DI_TYPE_DOMAIN, ".example.com", NULL);
  _expect_error(DI_TYPE_DOMAIN, "example.com..", NULL);
  _expect_error(DI_TYPE_DOMAIN, "example.c", NULL);
  _expect_error(DI_TYPE_DOMAIN, "example.123", NULL);
  _expect_error(DI_TYPE_DOMAIN, "example._com", NULL);
  _expect_error(DI_TYPE_DOMAIN, "exa mple.com", NULL);
  _expect_error(DI_TYPE_DOMAIN, "1.2.3.4", NULL);

  gchar label[80];
  memset(label, 'a', 64);
  strcpy(label + 64, ".com");
  _expect_error(DI_TYPE_DOMAIN, label, NULL);
  label[63] = '.';
  strcpy(label + 64, "com");
  _expect_norm(DI_TYPE_DOMAIN, label, label);
}

/* The host name rules one byte at a time, as RFC 1123 words them (labels of
 * 1..63 letters, digits, '-' not at either end and '_'; two labels at
 * least; a TLD of letters or "xn--"; one trailing dot dropped): the
 * reference the vectorised pass is held to. */
static gboolean
_reference_domain(const gchar *text, gsize len, gchar *out)
{
  if (len && text[len - 1] == '.')
    len--;
  if (len < 4 || len > 253)
    return FALSE;
  gsize label = 0;
  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || text[i] == '.')
        {
          gsize n = i - label;
          if (n < 1 || n > 63 || text[label] == '-' || text[i - 1] == '-')
            return FALSE;
          label = i + 1;
          if (i < len)
            out[i] = '.';
          continue;
        }
      gchar c = text[i];
      if (!g_ascii_isalnum(c) && c != '-' && c != '_')
        return FALSE;
      out[i] = g_ascii_tolower(c);
    }
  out[len] = 0;
  const gchar *tld = strrchr(out, '.');
  if (!tld)
    return FALSE;
  tld++;
  gboolean letters = strlen(tld) >= 2;
  for (const gchar *p = tld; *p && letters; p++)
    letters = g_ascii_isalpha(*p);
  return letters || (strlen(tld) >= 5 && strncmp(tld, "xn--", 4) == 0);
}

Test(normalize, domain_rules_agree_with_a_byte_by_byte_reference)
{
  static const gchar alphabet[] = "aZ0_-..xn-Q9\xff ";
  GRand *rand = g_rand_new_with_seed(12);
  gchar text[300], expect[300];
  for (gint round = 0; round < 200000; round++)
    {
      gsize len = g_rand_int_range(rand, 0, round & 1 ? 24 : 270);
      for (gsize i = 0; i < len; i++)
        text[i] = alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
      /* long labels and real TLDs now and then */
      if (len > 70 && round % 3 == 0)
        memset(text + 1, 'b', 64);
      if (len > 8 && round % 4 == 0)
        memcpy(text + len - 4, round % 8 ? ".com" : ".CoM", 4);
      text[len] = 0;
      DiKey key;
      gboolean want = _reference_domain(text, len, expect);
      gboolean got = di_normalize_domain(text, len, &key);
      cr_assert_eq(got, want, "'%s': %d, the reference says %d", text, got, want);
      if (got)
        cr_assert(key.len == strlen(expect) && memcmp(key.bytes, expect, key.len) == 0, "'%s'", text);
      /* in free text: the same, and plausible */
      gboolean in_text = di_normalize_domain_in_text(text, len, &key);
      cr_assert_eq(in_text, want && di_domain_is_plausible(text, len), "'%s' in text", text);
    }
  g_rand_free(rand);
}

Test(normalize, url)
{
  /* scheme and host lower-cased, the fragment dropped, path and query kept */
  _expect_norm(DI_TYPE_URL, "HTTP://Example.COM/Path?Q=1#F", "http://example.com/Path?Q=1");
  _expect_norm(DI_TYPE_URL, "https://example.com", "https://example.com/");
  _expect_norm(DI_TYPE_URL, "https://example.com.:8443/x", "https://example.com:8443/x");
  /* the user info is not part of what the URL names */
  _expect_norm(DI_TYPE_URL, "http://User:Pw@Host.Example.net/a", "http://host.example.net/a");
  _expect_norm(DI_TYPE_URL, "http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x");
  _expect_norm(DI_TYPE_URL, "http://185.142.236.226/a.php", "http://185.142.236.226/a.php");
  _expect_norm(DI_TYPE_URL, "http://localhost:3000/", "http://localhost:3000/");
  /* the path starts with '/' even before a query */
  _expect_norm(DI_TYPE_URL, "https://example.com?q", "https://example.com/?q");
  _expect_norm(DI_TYPE_URL, "https://example.com#top", "https://example.com/");
  /* the scheme's default port is dropped (an empty one too), others kept */
  _expect_norm(DI_TYPE_URL, "http://example.com:80/a", "http://example.com/a");
  _expect_norm(DI_TYPE_URL, "https://example.com:443/a", "https://example.com/a");
  _expect_norm(DI_TYPE_URL, "https://example.com:0443?x", "https://example.com/?x");
  _expect_norm(DI_TYPE_URL, "http://example.com:/a", "http://example.com/a");
  _expect_norm(DI_TYPE_URL, "wss://example.com:443/", "wss://example.com/");
  _expect_norm(DI_TYPE_URL, "http://example.com:443/a", "http://example.com:443/a");
  _expect_norm(DI_TYPE_URL, "https://example.com:80/a", "https://example.com:80/a");
  _expect_norm(DI_TYPE_URL, "ftp://example.com:80/a", "ftp://example.com:80/a");
  _expect_norm(DI_TYPE_URL, "http://[2001:db8::1]:80/x", "http://[2001:db8::1]/x");
  /* maltrail writes URL trails without a scheme */
  _expect_norm(DI_TYPE_URL, "apshenyihl.com/include/arc.speclist.class.php",
               "http://apshenyihl.com/include/arc.speclist.class.php");
  _expect_error(DI_TYPE_URL, "http://", "invalid url 'http://'");
  _expect_error(DI_TYPE_URL, "http://exa mple.com/", NULL);
  _expect_error(DI_TYPE_URL, "http://example.com:80a/", NULL);
  _expect_error(DI_TYPE_URL, "http://[2001:db8::1/", NULL);
  _expect_error(DI_TYPE_URL, "http://1.2.3.4.5/", NULL);
  _expect_error(DI_TYPE_URL, "not a url", NULL);
}

Test(normalize, email)
{
  _expect_norm(DI_TYPE_EMAIL, "John.Doe+tag@Example.COM", "john.doe+tag@example.com");
  _expect_error(DI_TYPE_EMAIL, "a@b", "invalid email address 'a@b'");
  _expect_error(DI_TYPE_EMAIL, "@example.com", NULL);
  _expect_error(DI_TYPE_EMAIL, "a.@example.com", NULL);
  _expect_error(DI_TYPE_EMAIL, "a b@example.com", NULL);
  _expect_error(DI_TYPE_EMAIL, "example.com", NULL);
}

Test(normalize, hashes)
{
  _expect_norm(DI_TYPE_MD5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
  _expect_norm(DI_TYPE_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  _expect_norm(DI_TYPE_SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c",
               "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
  _expect_error(DI_TYPE_MD5, "d41d8cd98f00b204e9800998ecf8427", "invalid md5 hash 'd41d8cd98f00b204e9800998ecf8427'");
  _expect_error(DI_TYPE_SHA1, "d41d8cd98f00b204e9800998ecf8427e", NULL);
  _expect_error(DI_TYPE_SHA256, "zz1d8cd98f00b204e9800998ecf8427ed41d8cd98f00b204e9800998ecf8427e", NULL);
}

Test(normalize, eth)
{
  const gchar *lower = "0x098b716b8aaf21512996dc57eb0615e2383e2f96";
  _expect_norm(DI_TYPE_ETH, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", lower);
  _expect_norm(DI_TYPE_ETH, lower, lower);
  _expect_norm(DI_TYPE_ETH, "0x098B716B8AAF21512996DC57EB0615E2383E2F96", lower);
  _expect_norm(DI_TYPE_ETH, "098b716b8aaf21512996dc57eb0615e2383e2f96", lower);
  /* one letter's case changed: the EIP-55 checksum no longer holds */
  _expect_error(DI_TYPE_ETH, "0x098b716B8Aaf21512996dC57EB0615e2383E2f96",
                "invalid eth address '0x098b716B8Aaf21512996dC57EB0615e2383E2f96' (EIP-55 checksum mismatch)");
  _expect_error(DI_TYPE_ETH, "0x098b716b8aaf21512996dc57eb0615e2383e2f9", NULL);
  _expect_error(DI_TYPE_ETH, "0x098b716b8aaf21512996dc57eb0615e2383e2f966", NULL);
  _expect_error(DI_TYPE_ETH, "0x098b716b8aaf21512996dc57eb0615e2383e2fzz", NULL);
}

Test(normalize, wallets)
{
  _expect_norm(DI_TYPE_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  _expect_norm(DI_TYPE_BTC, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  _expect_error(DI_TYPE_BTC, "bc1qw508d6qejxtdg4y5R3zarvary0c5xw7kv8f3t4", "invalid btc address "
                "'bc1qw508d6qejxtdg4y5R3zarvary0c5xw7kv8f3t4'");
  _expect_error(DI_TYPE_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", NULL);
  _expect_norm(DI_TYPE_LTC, "LTC1QQYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5DYG36P", "ltc1qqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5dyg36p");
  _expect_norm(DI_TYPE_BCH, "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
               "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a");
  _expect_norm(DI_TYPE_BCH, "BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A",
               "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a");
  _expect_norm(DI_TYPE_SOL, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM");
  _expect_error(DI_TYPE_SOL, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWW0", NULL);
  _expect_error(DI_TYPE_SOL, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", NULL);
  _expect_error(DI_TYPE_XMR, "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsM",
                NULL);
  _expect_error(DI_TYPE_DOGE, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "invalid doge address '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'");
}

Test(normalize, inference)
{
  static const struct { const gchar *text; DiType type; } cases[] =
  {
    { "1.2.3.4", DI_TYPE_IPV4 },
    { "2001:db8::1", DI_TYPE_IPV6 },
    { "[::1]", DI_TYPE_IPV6 },
    { "10.0.0.0/8", DI_TYPE_CIDR },
    { "2001:db8::/32", DI_TYPE_CIDR },
    { "celasllc.com", DI_TYPE_DOMAIN },
    { "https://celasllc.com/x", DI_TYPE_URL },
    { "tpddata.com/skins/skin-8.thm", DI_TYPE_URL },
    { "185.142.236.226/x.php", DI_TYPE_URL },
    { "a@b.org", DI_TYPE_EMAIL },
    { "d41d8cd98f00b204e9800998ecf8427e", DI_TYPE_MD5 },
    { "da39a3ee5e6b4b0d3255bfef95601890afd80709", DI_TYPE_SHA1 },
    { "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", DI_TYPE_SHA256 },
    { "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", DI_TYPE_ETH },
    { "0x098b716B8Aaf21512996dC57EB0615e2383E2f96", DI_TYPE_ETH },   /* bad checksum: the error says so */
    { "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", DI_TYPE_BTC },
    { "3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV", DI_TYPE_BTC },
    { "TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre", DI_TYPE_TRX },
    { "LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb", DI_TYPE_LTC },
    { "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", DI_TYPE_BCH },
    { "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66", DI_TYPE_XRP },
    { "DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", DI_TYPE_DOGE },
    { "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", DI_TYPE_SOL },
    { "report.pdf", DI_TYPE_NONE },
    { "hello", DI_TYPE_NONE },
    { "999.1.2.3", DI_TYPE_NONE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    cr_expect_eq(di_infer_type(cases[i].text, strlen(cases[i].text)), cases[i].type, "'%s' inferred as %s",
                 cases[i].text, di_type_name(di_infer_type(cases[i].text, strlen(cases[i].text))));

  DiType inferred = DI_TYPE_MAX;
  gchar *message = NULL;
  gchar *got = normalized(DI_TYPE_NONE, "hello", &inferred, &message);
  cr_expect_null(got);
  cr_expect_eq(inferred, DI_TYPE_NONE);
  cr_expect_str_eq(message, "cannot tell the type of 'hello'");
  g_free(message);

  got = normalized(DI_TYPE_NONE, "API.Celasllc.com", &inferred, NULL);
  cr_expect_str_eq(got, "api.celasllc.com");
  cr_expect_eq(inferred, DI_TYPE_DOMAIN);
  g_free(got);
}

Test(normalize, error_shows_a_bounded_escaped_value)
{
  gchar long_value[300];
  memset(long_value, 'z', sizeof(long_value) - 1);
  long_value[sizeof(long_value) - 1] = 0;
  gchar *message = NULL;
  gchar *got = normalized(DI_TYPE_DOMAIN, long_value, NULL, &message);
  cr_expect_null(got);
  cr_expect_lt(strlen(message), 130, "%s", message);
  cr_expect(g_str_has_suffix(message, "...'"), "%s", message);
  g_free(message);

  got = normalized(DI_TYPE_IPV4, "1.2.3.4\n", NULL, &message);
  cr_expect_str_eq(message, "invalid ipv4 address '1.2.3.4\\n'");
  g_free(message);
}
