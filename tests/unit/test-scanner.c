/* test-scanner.c: what di_scan finds in text and what it must not find:
 * addresses in free text, JSON, URLs and key=value pairs; token boundaries;
 * IPv4/IPv6 forms; the domain rules; e-mails and URLs with their hosts;
 * hashes; lookup-only keys; stopping; random bytes in bounds.  That hostile
 * input costs linear work is test-linear's business (counted, not timed). */
#include "scanner-test-util.h"
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BTC_ADDR "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
#define ETH_ADDR "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
#define ETH_LOWER "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
#define BECH_ADDR "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
#define TRX_ADDR "TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre"
#define XMR_ADDR "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQUiyoogDavup3H"
#define SOL_KEY "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"
#define SHA256_HEX "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"

/* The text must yield exactly one token, of these types, value and place. */
static void
_expect_one(const gchar *text, DiTypeMask types, const gchar *value, gsize offset, gsize length)
{
  TestTokens tokens;
  scan_text(text, DI_SCAN_DEFAULT, &tokens);
  cr_expect_eq(tokens.n, 1, "'%s': %u tokens (first: %s)", text, tokens.n, tokens.n ? tokens.tokens[0].value : "");
  if (tokens.n < 1)
    return;
  const TestToken *t = &tokens.tokens[0];
  cr_expect_eq(t->types, types, "'%s': types %x", text, t->types);
  cr_expect_str_eq(t->value, value, "'%s'", text);
  cr_expect_eq(t->offset, offset, "'%s': offset %zu", text, t->offset);
  cr_expect_eq(t->length, length, "'%s': length %zu", text, t->length);
}

static void
_expect_none(const gchar *text, DiTypeMask types)
{
  TestTokens tokens;
  scan_text(text, DI_SCAN_DEFAULT, &tokens);
  cr_expect_eq(count_tokens(&tokens, types), 0, "'%s': found %s", text, tokens.n ? tokens.tokens[0].value : "");
}

static gsize
_at(const gchar *text, const gchar *needle)
{
  const gchar *p = strstr(text, needle);
  cr_assert_not_null(p);
  return p - text;
}

Test(scanner, addresses_in_free_text_json_urls_and_key_value)
{
  const gchar *addrs[][3] =
  {
    { BTC_ADDR, BTC_ADDR, "btc" },
    { ETH_ADDR, ETH_LOWER, "eth" },
    { BECH_ADDR, BECH_ADDR, "btc" },
    { TRX_ADDR, TRX_ADDR, "trx" },
    { XMR_ADDR, XMR_ADDR, "xmr" },
  };
  const gchar *shapes[] =
  {
    "Withdrawal of 0.5 to %s approved by ops",
    "{\"event\":\"withdrawal\",\"to\":\"%s\",\"amount\":\"1.25\"}",
    "GET https://explorer.example/addr/%s?page=2 HTTP/1.1",
    "ts=2025-02-21T14:13:00Z user=9912 dest=%s status=pending",
    "dest:%s",
    "(%s)",
    "'%s'.",
    "地址：%s。",
  };
  for (gsize a = 0; a < G_N_ELEMENTS(addrs); a++)
    for (gsize s = 0; s < G_N_ELEMENTS(shapes); s++)
      {
        gchar *text = g_strdup_printf(shapes[s], addrs[a][0]);
        TestTokens tokens;
        scan_text(text, DI_SCAN_DEFAULT, &tokens);
        const TestToken *t = find_token(&tokens, DI_TYPE_BIT(di_type_from_name(addrs[a][2])), addrs[a][1]);
        cr_expect_not_null(t, "%s not found in '%s'", addrs[a][0], text);
        if (t)
          {
            cr_expect_eq(t->offset, _at(text, addrs[a][0]), "'%s'", text);
            cr_expect_eq(t->length, strlen(addrs[a][0]), "'%s'", text);
          }
        g_free(text);
      }
}

Test(scanner, base58_and_hex_token_boundaries)
{
  _expect_one("to " BTC_ADDR " ok", BIT(BTC), BTC_ADDR, 3, 34);
  /* glued to letters, digits or '_' it is no address */
  _expect_none("x" BTC_ADDR, BIT(BTC));
  _expect_none(BTC_ADDR "x", BIT(BTC));
  _expect_none("9" BTC_ADDR, BIT(BTC));
  _expect_none("id_" BTC_ADDR, BIT(BTC));
  _expect_none("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4q", BIT(BTC));
  /* 0x + 64 hex is a transaction hash, 41 hex is nothing, 0x + 40 inside
   * a longer hex run is nothing */
  _expect_none("tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 ok", BIT(ETH) | BIT(SHA256));
  _expect_none("0x098b716b8aaf21512996dc57eb0615e2383e2f96a", BIT(ETH));
  _expect_none("ab0x098b716b8aaf21512996dc57eb0615e2383e2f96", BIT(ETH));
  _expect_none("098b716b8aaf21512996dc57eb0615e2383e2f96a", BIT(ETH) | BIT(SHA1));
  _expect_none("0X098B716B8Aaf21512996dC57EB0615e2383E2f96", BIT(ETH));
  _expect_one("0x098B716B8AAF21512996DC57EB0615E2383E2F96", BIT(ETH), ETH_LOWER, 0, 42);
  /* one changed character */
  _expect_none("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", BIT(BTC));
  /* joiners are boundaries */
  _expect_one("a-" BTC_ADDR "-b", BIT(BTC), BTC_ADDR, 2, 34);
  _expect_one("a." BTC_ADDR ".", BIT(BTC), BTC_ADDR, 2, 34);
  _expect_one("\xff" BTC_ADDR "\xfe", BIT(BTC), BTC_ADDR, 1, 34);
}

Test(scanner, hashes)
{
  _expect_one("md5=D41D8CD98F00B204E9800998ECF8427E;", BIT(MD5), "d41d8cd98f00b204e9800998ecf8427e", 4, 32);
  _expect_one("sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709", BIT(SHA1),
              "da39a3ee5e6b4b0d3255bfef95601890afd80709", 5, 40);
  _expect_one("\"" SHA256_HEX "\"", BIT(SHA256), SHA256_HEX, 1, 64);
  _expect_one("/files/" SHA256_HEX ".exe", BIT(SHA256), SHA256_HEX, 7, 64);
  _expect_none("d41d8cd98f00b204e9800998ecf8427", BIT(MD5));
  _expect_none("d41d8cd98f00b204e9800998ecf8427e0", BIT(MD5) | BIT(SHA1));
  _expect_none("g41d8cd98f00b204e9800998ecf8427e", BIT(MD5));
  /* 32 decimal digits are a number */
  _expect_none("12345678901234567890123456789012", BIT(MD5));
}

Test(scanner, ipv4)
{
  _expect_one("from 10.0.0.1 port", BIT(IPV4), "10.0.0.1", 5, 8);
  _expect_one("peer=185.142.236.226:443", BIT(IPV4), "185.142.236.226", 5, 15);
  _expect_one("[192.0.2.1]:80", BIT(IPV4), "192.0.2.1", 1, 9);
  _expect_one("ip 192.0.2.1.", BIT(IPV4), "192.0.2.1", 3, 9);
  _expect_one("host-10.1.2.3", BIT(IPV4), "10.1.2.3", 5, 8);
  _expect_none("version 1.2.3.4.5", BIT(IPV4));
  _expect_none("1.2.3.4.5.6.7.8", BIT(IPV4));
  _expect_none("999.1.2.3", BIT(IPV4));
  _expect_none("v1.2.3.4", BIT(IPV4));
  _expect_none("1.2.3", BIT(IPV4) | BIT(DOMAIN));
  _expect_none("01.02.03.04", BIT(IPV4));

  TestTokens tokens;
  scan_text("range 10.0.0.1-10.0.0.9", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(IPV4), "10.0.0.1"));
  cr_expect_not_null(find_token(&tokens, BIT(IPV4), "10.0.0.9"));
}

Test(scanner, ipv6_forms)
{
  static const struct { const gchar *text, *value, *atomic; } cases[] =
  {
    { "src 2001:DB8:0:0:0:0:0:1 x", "2001:db8::1", "2001:DB8:0:0:0:0:0:1" },
    { "src=2001:db8::1,", "2001:db8::1", "2001:db8::1" },
    { "[2001:db8::1]:443", "2001:db8::1", "2001:db8::1" },
    { "peer [::1]:8080 up", "::1", "::1" },
    { "::ffff:192.0.2.1 mapped", "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
    { "fe80::1%eth0", "fe80::1", "fe80::1" },
    { "addr fe80::200:5aee:feaa:20a2.", "fe80::200:5aee:feaa:20a2", "fe80::200:5aee:feaa:20a2" },
    { "64:ff9b::192.0.2.33 nat64", "64:ff9b::c000:221", "64:ff9b::192.0.2.33" },
    { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
    { "at 2001:db8::: end", "2001:db8::", "2001:db8::" },
    /* an embedded dotted quad ends the address: a ':' after it is a port */
    { "remote=/0:0:0:0:0:ffff:192.0.2.1:443 ok", "::ffff:192.0.2.1", "0:0:0:0:0:ffff:192.0.2.1" },
    { "::ffff:192.0.2.1:51234", "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    _expect_one(cases[i].text, BIT(IPV6), cases[i].value, _at(cases[i].text, cases[i].atomic),
                strlen(cases[i].atomic));

  _expect_none("12:34:56", BIT(IPV6));
  _expect_none("mac 00:1a:2b:3c:4d:5e", BIT(IPV6));
  _expect_none("a :: b", BIT(IPV6));
  _expect_none("std::vector", BIT(IPV6));
  _expect_none("1:2:3:4:5:6:7:8:9", BIT(IPV6));
  _expect_none("2001:db8::1g", BIT(IPV6));
  _expect_none("::ffff:192.0.2.1:x", BIT(IPV6));
}

Test(scanner, domains_and_their_rules)
{
  _expect_one("resolve celasllc.com now", BIT(DOMAIN), "celasllc.com", 8, 12);
  _expect_one("query API.Celasllc.COM. A", BIT(DOMAIN), "api.celasllc.com", 6, 16);
  _expect_one("\"host\":\"update.toythieves.com\"", BIT(DOMAIN), "update.toythieves.com", 8, 21);
  _expect_one("evil.sh", BIT(DOMAIN), "evil.sh", 0, 7);
  _expect_one("xn--3e0b707e.xn--3e0b707e", BIT(DOMAIN), "xn--3e0b707e.xn--3e0b707e", 0, 25);
  _expect_one("_ldap._tcp.dc.example.org", BIT(DOMAIN), "_ldap._tcp.dc.example.org", 0, 25);
  /* rule 1: file names; rule 2: mixed-case TLDs; scanner rule: method calls */
  const gchar *not_domains[] =
  {
    "opened report.pdf", "run setup.exe", "app.js", "config.yaml", "error.log", "data.tar.gz",
    "at java.lang.String", "obj.toString", "at com.foo.Bar.method(Bar.java:42)", "os.path.join(a, b)",
    "v1.2", "1.2.3", "e.g. this", "U.S. dollar", "a..b", "-x.com-",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(not_domains); i++)
    _expect_none(not_domains[i], BIT(DOMAIN));
  /* a one-label name is no domain */
  _expect_none("localhost", BIT(DOMAIN));
}

Test(scanner, email_gives_email_and_domain)
{
  const gchar *text = "from: John.Doe+x@Example.COM> ok";
  TestTokens tokens;
  scan_text(text, DI_SCAN_DEFAULT, &tokens);
  cr_assert_eq(tokens.n, 2);
  cr_expect_eq(tokens.tokens[0].types, BIT(EMAIL));
  cr_expect_str_eq(tokens.tokens[0].value, "john.doe+x@example.com");
  cr_expect_eq(tokens.tokens[0].offset, 6);
  cr_expect_eq(tokens.tokens[0].length, 22);
  cr_expect_eq(tokens.tokens[1].types, BIT(DOMAIN));
  cr_expect_str_eq(tokens.tokens[1].value, "example.com");
  cr_expect_eq(tokens.tokens[1].offset, 17);

  /* the local part is no domain; a bad domain is no e-mail */
  _expect_none("first.last@localhost", BIT(DOMAIN) | BIT(EMAIL));
  _expect_none("me@report.pdf", BIT(EMAIL));
}

Test(scanner, url_gives_url_and_host_and_scans_its_path)
{
  const gchar *text = "GET https://Evil.Example.com:8443/addr/" BTC_ADDR "?x=1, then";
  TestTokens tokens;
  scan_text(text, DI_SCAN_DEFAULT, &tokens);
  cr_assert_eq(tokens.n, 3, "%u tokens", tokens.n);
  cr_expect_eq(tokens.tokens[0].types, BIT(URL));
  cr_expect_str_eq(tokens.tokens[0].value, "https://evil.example.com:8443/addr/" BTC_ADDR "?x=1");
  cr_expect_eq(tokens.tokens[0].offset, 4);
  cr_expect_eq(tokens.tokens[0].length, strlen("https://Evil.Example.com:8443/addr/" BTC_ADDR "?x=1"));
  cr_expect_eq(tokens.tokens[1].types, BIT(DOMAIN));
  cr_expect_str_eq(tokens.tokens[1].value, "evil.example.com");
  cr_expect_eq(tokens.tokens[1].offset, 12);
  cr_expect_eq(tokens.tokens[2].types, BIT(BTC));

  scan_text("see (http://192.0.2.7/x.php).", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://192.0.2.7/x.php"));
  cr_expect_not_null(find_token(&tokens, BIT(IPV4), "192.0.2.7"));

  scan_text("ws://[2001:db8::7]:9000", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "ws://[2001:db8::7]:9000/"));
  cr_expect_not_null(find_token(&tokens, BIT(IPV6), "2001:db8::7"));

  /* a one-label host makes a URL without a domain */
  scan_text("http://intranet/login", DI_SCAN_DEFAULT, &tokens);
  cr_expect_eq(tokens.n, 1);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://intranet/login"));

  /* JSON strings end the URL; a domain in the query is found too */
  scan_text("{\"u\":\"https://a.example.org/r?next=evil.example.net\"}", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "https://a.example.org/r?next=evil.example.net"));
  cr_expect_not_null(find_token(&tokens, BIT(DOMAIN), "evil.example.net"));
}

Test(scanner, url_keys_are_normalised)
{
  TestTokens tokens;
  /* default port, user info and fragment dropped, as feeds have them */
  scan_text("see HTTPS://bob:pw@Evil.Example.com:443/a/B?q=1#top now", DI_SCAN_DEFAULT, &tokens);
  const TestToken *t = find_token(&tokens, BIT(URL), "https://evil.example.com/a/B?q=1");
  cr_assert_not_null(t, "%s", tokens.n ? tokens.tokens[0].value : "");
  cr_expect_eq(t->offset, 4);
  cr_expect_eq(t->length, strlen("HTTPS://bob:pw@Evil.Example.com:443/a/B?q=1#top"));
  scan_text("ws://a.example:80", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "ws://a.example/"));
  scan_text("http://a.example:8080?x", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://a.example:8080/?x"));
}

Test(scanner, url_ends_before_the_punctuation_around_it)
{
  static const struct { const gchar *text, *url; } cases[] =
  {
    { "(see http://a.example/x).", "http://a.example/x" },
    { "see http://a.example/x(1).", "http://a.example/x(1)" },
    { "see http://a.example/x(1)).", "http://a.example/x(1))" },
    { "[http://a.example/x]", "http://a.example/x" },
    { "http://a.example/[1]]],", "http://a.example/[1]]]" },
    { "http://a.example/x?!*;:,.", "http://a.example/x" },
    { "http://a.example/x(y", "http://a.example/x(y" },
    { "http://a.example/(x)/y.", "http://a.example/(x)/y" },
    { "a://b.example/ http://c.example/).", "http://c.example/" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      TestTokens tokens;
      scan_text(cases[i].text, DI_SCAN_DEFAULT, &tokens);
      cr_expect_not_null(find_token(&tokens, BIT(URL), cases[i].url), "'%s': first token '%s'", cases[i].text,
                         tokens.n ? tokens.tokens[0].value : "");
    }
  /* a URL start inside a trailing run: the run is measured once, and each
   * start still gets its own end */
  TestTokens tokens;
  scan_text("x http://a.example/b(c)) http://d.example/)) .", DI_SCAN_DEFAULT, &tokens);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://a.example/b(c))"));
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://d.example/"));
}

static gboolean
_count_urls(const DiToken *token, gpointer user_data)
{
  *(guint *) user_data += (token->types & BIT(URL)) != 0;
  return TRUE;
}

Test(scanner, nested_urls_are_found_within_a_budget)
{
  TestTokens tokens;
  /* a URL in another's path is found (archives, redirects) */
  scan_text("https://web.archive.example/web/2020/http://evil.example/x?u=https://c2.example/y", DI_SCAN_DEFAULT,
            &tokens);
  cr_expect_eq(count_tokens(&tokens, BIT(URL)), 3);
  cr_expect_not_null(find_token(&tokens, BIT(URL), "http://evil.example/x?u=https://c2.example/y"));
  cr_expect_not_null(find_token(&tokens, BIT(URL), "https://c2.example/y"));
  /* but one run of URL characters parses four URLs at most, and about
   * its length in bytes, not one another's tails for ever */
  GString *text = g_string_new(NULL);
  for (gint i = 0; i < 200; i++)
    g_string_append(text, "a://b.example/");
  guint urls = 0;
  di_scan(text->str, text->len, DI_SCAN_DEFAULT, _count_urls, &urls);
  cr_expect_gt(urls, 1);
  cr_expect_leq(urls, 4, "%u URLs", urls);
  g_string_free(text, TRUE);
}

Test(scanner, cashaddr_both_forms_give_one_key)
{
  const gchar *v = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a";
  _expect_one("to bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", BIT(BCH), v, 3, 54);
  _expect_one("to qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", BIT(BCH), v, 3, 42);
  _expect_one("BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", BIT(BCH), v, 0, 54);
  _expect_none("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b", BIT(BCH));
}

Test(scanner, lookup_only_keys)
{
  TestTokens tokens;
  scan_text("sol " SOL_KEY, DI_SCAN_DEFAULT, &tokens);
  cr_expect_eq(tokens.n, 0, "a key without checksum is never reported");
  scan_text("sol " SOL_KEY, DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_assert_eq(tokens.n, 1);
  cr_expect_eq(tokens.tokens[0].types, 0);
  cr_expect_str_eq(tokens.tokens[0].value, SOL_KEY);
  cr_expect_eq(tokens.tokens[0].offset, 4);

  /* looked up, a wallet-shaped word is one candidate, its checksum not
   * computed: its key is its text, valid or not */
  scan_text(BTC_ADDR, DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_eq(tokens.n, 1);
  cr_expect_eq(tokens.tokens[0].types, 0);
  cr_expect_str_eq(tokens.tokens[0].value, BTC_ADDR);
  scan_text("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_eq(tokens.n, 1);
  cr_expect_str_eq(tokens.tokens[0].value, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb");
  /* bech32 and CashAddr in one case, lower-cased; mixed case is no address */
  scan_text("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_not_null(find_token(&tokens, 0, BECH_ADDR));
  scan_text("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8F3T4", DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_null(find_token(&tokens, 0, BECH_ADDR));
  scan_text("QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_not_null(find_token(&tokens, 0, "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"));
  /* 0x + 40 hex: the 20 bytes whatever the case */
  scan_text("0x098b716B8Aaf21512996dC57EB0615e2383E2f96", DI_SCAN_LOOKUP_ONLY, &tokens);
  cr_expect_eq(tokens.n, 1);
  cr_expect_str_eq(tokens.tokens[0].value, ETH_LOWER);
  cr_expect_eq(tokens.tokens[0].types, 0);
  /* no candidate from a word of no address's shape */
  scan_text("0x098b716b8aaf21512996dc57eb0615e2383e2f9g 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa0", DI_SCAN_LOOKUP_ONLY,
            &tokens);
  cr_expect_eq(tokens.n, 0, "%u tokens (%s)", tokens.n, tokens.n ? tokens.tokens[0].value : "");
}

typedef struct
{
  DiToken seen[3];
  guint n;
} KeptTokens;

static gboolean
_keep_token(const DiToken *token, gpointer user_data)
{
  KeptTokens *kept = user_data;
  if (kept->n < G_N_ELEMENTS(kept->seen))
    kept->seen[kept->n] = *token;
  kept->n++;
  return TRUE;
}

Test(scanner, evm_with_a_broken_checksum_is_reported_and_flagged)
{
  /* mixed case with a bad EIP-55 checksum: the same account, flagged */
  const gchar *text = "to 0x098b716B8Aaf21512996dC57EB0615e2383E2f96 and " ETH_ADDR " and " ETH_LOWER;
  static KeptTokens kept;
  DiToken *seen = kept.seen;
  di_scan(text, strlen(text), DI_SCAN_DEFAULT, _keep_token, &kept);
  cr_assert_eq(kept.n, 3);
  cr_expect_eq(seen[0].types, BIT(ETH));
  cr_expect_eq(seen[0].flags, DI_TOKEN_CHECKSUM_INVALID);
  cr_expect_eq(seen[0].offset, 3);
  cr_expect_eq(memcmp(seen[0].key.bytes, seen[1].key.bytes, 20), 0);
  cr_expect_eq(seen[1].flags, 0, "a valid checksum");
  cr_expect_eq(seen[2].flags, 0, "one case carries no checksum");
}

Test(scanner, callback_stops_the_scan)
{
  TestTokens tokens;
  memset(&tokens, 0, sizeof(tokens));
  tokens.stop_after = 2;
  const gchar *text = "1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4";
  di_scan(text, strlen(text), DI_SCAN_DEFAULT, _collect_token, &tokens);
  cr_expect_eq(tokens.n, 2);
}

Test(scanner, nul_bytes_and_lengths_are_respected)
{
  /* the length, not the NUL, ends the text; NUL is a separator */
  const gchar text[] = "a 10.0.0.1\0" BTC_ADDR "\0 9.9.9.9";
  TestTokens tokens;
  memset(&tokens, 0, sizeof(tokens));
  di_scan(text, sizeof(text) - 1, DI_SCAN_DEFAULT, _collect_token, &tokens);
  cr_expect_eq(tokens.n, 3);
  cr_expect_not_null(find_token(&tokens, BIT(BTC), BTC_ADDR));

  /* a token cut by the length is not read past it */
  memset(&tokens, 0, sizeof(tokens));
  di_scan(BTC_ADDR, 20, DI_SCAN_DEFAULT, _collect_token, &tokens);
  cr_expect_eq(tokens.n, 0);
  memset(&tokens, 0, sizeof(tokens));
  di_scan("1.2.3.4", 5, DI_SCAN_DEFAULT, _collect_token, &tokens);
  cr_expect_eq(tokens.n, 0);
}

typedef struct
{
  const gchar *text;
  gsize len;
  guint tokens;
  gboolean in_bounds;
  gboolean agrees;    /* every typed token normalises, from its text, to its key */
} Bounds;

static gboolean
_check_bounds(const DiToken *token, gpointer user_data)
{
  Bounds *b = user_data;
  b->tokens++;
  if (token->offset + token->length > b->len || token->key.len > DI_KEY_MAX)
    {
      b->in_bounds = FALSE;
      return TRUE;
    }
  /* a flagged EVM address normalises as the same account in one case */
  gchar lower[DI_KEY_MAX];
  const gchar *text = b->text ? b->text + token->offset : NULL;
  if (text && (token->flags & DI_TOKEN_CHECKSUM_INVALID) && token->length <= sizeof(lower))
    {
      for (gsize i = 0; i < token->length; i++)
        lower[i] = g_ascii_tolower(text[i]);
      text = lower;
    }
  for (gint t = DI_TYPE_NONE + 1; text && t < DI_TYPE_MAX; t++)
    if (token->types & DI_TYPE_BIT(t))
      {
        DiKey key;
        if (!di_normalize(t, text, token->length, &key, NULL, NULL)
            || key.cls != token->key.cls || key.len != token->key.len
            || memcmp(key.bytes, token->key.bytes, key.len) != 0)
          b->agrees = FALSE;
      }
  return TRUE;
}

Test(scanner, random_bytes_stay_in_bounds_and_agree_with_normalize)
{
  GRand *rand = g_rand_new_with_seed(42);
  static const gchar alphabet[] = "0123456789abcdefABCDEFxqpz.:@/-_[]% \n\"=1bc";
  static const gchar *const seeds[] =
  {
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "https://a.example/x",
    "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "ops@example.com", "[2001:db8::1]:80", "1.2.3.4",
  };
  gchar buf[4096];
  for (gint round = 0; round < 2000; round++)
    {
      gsize n = g_rand_int_range(rand, 0, sizeof(buf));
      for (gsize i = 0; i < n; i++)
        buf[i] = round & 1 ? (gchar) g_rand_int_range(rand, 0, 256)
                           : alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
      /* and real indicators, so that typed tokens occur */
      for (gint k = 0; k < 4 && n > 100; k++)
        {
          const gchar *seed = seeds[g_rand_int_range(rand, 0, G_N_ELEMENTS(seeds))];
          gsize at = g_rand_int_range(rand, 0, n - strlen(seed));
          memcpy(buf + at, seed, strlen(seed));
        }
      /* as extraction and as the matcher scan */
      guint flags = round & 2 ? DI_SCAN_LOOKUP_ONLY : DI_SCAN_DEFAULT;
      Bounds b = { buf, n, 0, TRUE, TRUE };
      di_scan(buf, n, flags, _check_bounds, &b);
      cr_assert(b.in_bounds, "round %d", round);
      cr_assert(b.agrees, "round %d: a token the scanner typed normalises to another key", round);
    }
  g_rand_free(rand);
}

/* ---- block edges ------------------------------------------------------------
 * The scanner classifies 64 bytes at a time; a token must be found the same
 * whatever its offset from a block edge, whatever the text's length (the
 * last block is read differently), and with each classifier variant. */

static const struct
{
  const gchar *token;
  DiTypeMask types;
  const gchar *value;
} edge_tokens[] =
{
  { "10.20.30.40", BIT(IPV4), "10.20.30.40" },
  { "api.binance.com", BIT(DOMAIN), "api.binance.com" },
  { "ops@example.com", BIT(EMAIL), "ops@example.com" },
  { "2001:db8::1", BIT(IPV6), "2001:db8::1" },
  { "::1", BIT(IPV6), "::1" },
  { BTC_ADDR, BIT(BTC), BTC_ADDR },
  { ETH_ADDR, BIT(ETH), ETH_LOWER },
  { BECH_ADDR, BIT(BTC), BECH_ADDR },
  { SHA256_HEX, BIT(SHA256), SHA256_HEX },
  { "https://x.example.org/p", BIT(URL), "https://x.example.org/p" },
};

/* no indicator may be found in these */
static const gchar *const edge_negatives[] =
{
  "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
  "1.2.3.4.5",
  "x" BTC_ADDR,
  BTC_ADDR "_",
  "report.pdf",
  "12:34:56.789",
};

static const gchar filler[] = "lorem ipsum-dolor_sit amet: 12:34:56 k=v; ";

/* off bytes of filler ending in a space, the token, a space, tail bytes */
static gchar *
_edge_text(const gchar *token, gsize off, gsize tail)
{
  GString *s = g_string_new(NULL);
  for (gsize i = 0; i < off; i++)
    g_string_append_c(s, i + 1 == off ? ' ' : filler[i % (sizeof(filler) - 1)]);
  g_string_append(s, token);
  g_string_append_c(s, ' ');
  for (gsize i = 0; i < tail; i++)
    g_string_append_c(s, filler[i % (sizeof(filler) - 1)]);
  return g_string_free(s, FALSE);
}

static void
_check_block_edges(void)
{
  static const gsize tails[] = { 0, 1, 17, 70 };
  for (gsize k = 0; k < G_N_ELEMENTS(edge_tokens); k++)
    for (gsize off = 0; off < 140; off++)
      for (gsize t = 0; t < G_N_ELEMENTS(tails); t++)
        {
          gchar *text = _edge_text(edge_tokens[k].token, off, tails[t]);
          TestTokens tokens;
          scan_text(text, DI_SCAN_DEFAULT, &tokens);
          const TestToken *found = find_token(&tokens, edge_tokens[k].types, edge_tokens[k].value);
          cr_assert_not_null(found, "%s at offset %zu, tail %zu: not found in '%s'", edge_tokens[k].token, off,
                             tails[t], text);
          cr_assert_eq(found->offset, off, "%s: offset %zu, expected %zu", edge_tokens[k].token, found->offset, off);
          cr_assert_eq(found->length, strlen(edge_tokens[k].token));
          g_free(text);
        }

  for (gsize k = 0; k < G_N_ELEMENTS(edge_negatives); k++)
    for (gsize off = 0; off < 140; off++)
      {
        gchar *text = _edge_text(edge_negatives[k], off, off % 3 ? 5 : 80);
        TestTokens tokens;
        scan_text(text, DI_SCAN_DEFAULT, &tokens);
        cr_assert_eq(tokens.n, 0, "'%s' at offset %zu: found '%s'", edge_negatives[k], off,
                     tokens.n ? tokens.tokens[0].value : "");
        g_free(text);
      }
}

/* Each test runs in its own process, so the classifier is chosen afresh. */
Test(scanner, block_edges_default)
{
  _check_block_edges();
}

Test(scanner, block_edges_scalar)
{
  g_setenv("DI_SCANNER_ISA", "scalar", TRUE);
  _check_block_edges();
}

Test(scanner, block_edges_sse2)
{
  g_setenv("DI_SCANNER_ISA", "sse2", TRUE);
  _check_block_edges();
}

/* The same random texts give the same tokens with every classifier.  Every
 * token is listed (the TestTokens array keeps only the first 64). */
static gboolean
_list_token(const DiToken *token, gpointer user_data)
{
  GString *out = user_data;
  g_string_append_printf(out, "%zu %zu %x %x ", token->offset, token->length, token->types, token->flags);
  di_key_format(&token->key, out);
  g_string_append_c(out, '\n');
  return TRUE;
}

static void
_tokens_of(GString *out, const gchar *text, gsize len, gsize at)
{
  g_string_append_printf(out, "text at %zu, %zu bytes\n", at, len);
  di_scan(text, len, DI_SCAN_LOOKUP_ONLY, _list_token, out);
  di_scan(text, len, DI_SCAN_DEFAULT, _list_token, out);
}

/* The text scanned in overlapping pieces of 1500 bytes, then cut into
 * lines of every length from 1 to 200 bytes (texts shorter than a block,
 * of one block, of a block and a bit, ...), the pieces starting anywhere. */
static GString *
_tokens_of_all(const GString *text)
{
  GString *all = g_string_new(NULL);
  for (gsize off = 0; off < text->len; off += 997)
    _tokens_of(all, text->str + off, MIN(1500, text->len - off), off);
  for (gsize off = 0, n = 1; off < text->len; off += n, n = n % 200 + 1)
    _tokens_of(all, text->str + off, MIN(n, text->len - off), off);
  return all;
}

/* The tokens of text (as _tokens_of_all lists them) with the scanner of
 * DI_SCANNER_ISA=isa, which a child process picks before it scans
 * anything; it writes them where this process reads them. */
static gchar *
_tokens_with_isa(const GString *text, const gchar *isa)
{
  gchar *path = NULL, *tokens = NULL;
  gint fd = g_file_open_tmp("di-scan-XXXXXX", &path, NULL);
  cr_assert_geq(fd, 0);
  close(fd);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0)
    {
      g_setenv("DI_SCANNER_ISA", isa, TRUE);
      GString *got = _tokens_of_all(text);
      _exit(g_file_set_contents(path, got->str, got->len, NULL) ? 0 : 1);
    }
  gint status = 0;
  waitpid(pid, &status, 0);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  cr_assert(g_file_get_contents(path, &tokens, NULL, NULL));
  g_unlink(path);
  g_free(path);
  return tokens;
}

Test(scanner, classifiers_agree_on_random_text)
{
  static const gchar *const words[] =
  {
    " ", " ", "\"", ":", "=", "10.20.30.40", "api.binance.com", BTC_ADDR, ETH_ADDR, "::1", "a@b.co", "12:34",
    "x", "lorem", "-", ".", "0x", SHA256_HEX, "https://h.example/p?q=1", "ab:cd::ef", "1.2.3.4.5",
  };
  GRand *rand = g_rand_new_with_seed(7);
  GString *text = g_string_new(NULL);
  for (gint i = 0; i < 3000; i++)
    g_string_append(text, words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))]);
  g_rand_free(rand);

  GString *expect = _tokens_of_all(text);
  gchar *scalar = _tokens_with_isa(text, "scalar");
  cr_expect_gt(expect->len, 1000);
  cr_expect_str_eq(scalar, expect->str, "scalar and SIMD classifiers disagree");
  g_free(scalar);
  g_string_free(expect, TRUE);
  g_string_free(text, TRUE);
}

/* The finder skips chunks that cannot hold an indicator: it must find
 * exactly what walking every chunk finds (DI_SCANNER_ISA=reference), with
 * every classifier, on text dense in what the finder looks at (time
 * stamps, decimals, dotted quads and what breaks them, colon groups, names,
 * URLs whose authority ends inside a chunk, addresses, every joiner, and
 * chunks of 64 bytes and more, which a block cannot hold). */
static GString *
_random_marks_text(guint32 seed)
{
  static const gchar *const words[] =
  {
    " ", " ", " ", "\"", ":", "=", "/", "(", ")", "[", "]", ",", ".", "-", "@", "+", "%", "_", "::", "//",
    "14:13:05", "14:13:05.123", "2025-02-21T14:13:05.123Z", "1740147187.123", "HTTP/1.1", "0.000123", "5.0",
    "10.20.30.40", "1.2.3.4.5", "255.255.255.255:443", "10.0.0.1-10.0.0.9", "host-10.0.0.1", "1.2.3",
    "0.0.0.0", "01.2.3.4", "1.2.3.04", "1.2.3.256", "1234.1.1.1", "1..2.3.4", "1.2.3.4.", ".1.2.3.4",
    "9.99.199.255", "300.1.1.1", "1.2.3.4a", "1.2.3.4_5",
    "1:2:3:4:5:6:7:8", "2001:0:0:0:0:0:0:1", "fe80::1", "::ffff:192.0.2.1", "1111:2222:3333:4444:5555:6666",
    "aa:bb:cc:dd:ee:ff", "12:34", "a:b", "ab:cd::ef", "api.binance.com", "s3.eu-west-1.amazonaws.com",
    "c.e.w.SigningService", "report.pdf", "a@b.co", "ops@example.com", "x+y@mail.example.org", "a@b", "x@1.2.3.4",
    "@0x7f3a2c0016e0", "https://h.example/p?q=1", "a://b", "http://a.b:80.c.d", "http://x.y-1.2.3.4",
    "http://u@h.example.com.x", "kernel: [", "key:  //", "scheme:/", "http:", "Loading...", "a.....b",
    "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", BTC_ADDR, ETH_ADDR, BECH_ADDR, SHA256_HEX, "0x",
    "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" SHA256_HEX, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.example.com",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16-17-18-19-20-21-22-23-24-25-26-27-28-29-30.1.2.3",
    "9", "99", "999", "x", "lorem", "v1.2", "1.a", "a.1", "0", "地址：",
  };
  GRand *rand = g_rand_new_with_seed(seed);
  GString *text = g_string_new(NULL);
  for (gint i = 0; i < 6000; i++)
    g_string_append(text, words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))]);
  g_rand_free(rand);
  return text;
}

static void
_finder_agrees_with_reference(const gchar *isa)
{
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      GString *text = _random_marks_text(seed);
      gchar *reference = _tokens_with_isa(text, "reference");
      gchar *found = _tokens_with_isa(text, isa);
      cr_expect_gt(strlen(found), 100000);
      cr_expect(strcmp(found, reference) == 0, "seed %u: the %s finder and the chunk-by-chunk walk disagree", seed, isa);
      if (strcmp(found, reference) != 0)
        {
          /* the first line that differs, to say where */
          gsize i = 0;
          while (found[i] == reference[i])
            i++;
          while (i > 0 && found[i - 1] != '\n')
            i--;
          cr_log_error("first difference: '%.120s' against '%.120s'", found + i, reference + i);
        }
      g_free(reference);
      g_free(found);
      g_string_free(text, TRUE);
    }
}

Test(scanner, finder_agrees_with_walking_every_chunk)
{
  _finder_agrees_with_reference("avx2");
}

Test(scanner, finder_agrees_with_walking_every_chunk_sse2)
{
  _finder_agrees_with_reference("sse2");
}

Test(scanner, finder_agrees_with_walking_every_chunk_scalar)
{
  _finder_agrees_with_reference("scalar");
}
