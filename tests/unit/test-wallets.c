/* test-wallets.c: every address vector and every sanctioned address in
 * tests/data is typed right, through the wallet rules, the normaliser and
 * the scanner; one changed character in any checksummed address is caught. */
#include "scanner-test-util.h"
#include "chains/base58.h"
#include "chains/bech32.h"

#define OFAC_DIR "feeds/ofac_0xB10C_lists"
/* quirks noted in tests/data/feeds/ofac_0xB10C_lists/SOURCES.md */
#define XBT_LIST_TRON_ADDRESS "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"
#define XMR_LIST_NON_ADDRESS "5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320"

static gboolean
_is_bech32_form(const gchar *addr)
{
  return g_ascii_strncasecmp(addr, "bc1", 3) == 0 || g_ascii_strncasecmp(addr, "ltc1", 4) == 0;
}

static gboolean
_is_cashaddr_form(const gchar *addr)
{
  return g_ascii_strncasecmp(addr, "bitcoincash:", 12) == 0 || addr[0] == 'q' || addr[0] == 'p';
}

/* The normalised text the engine must give an address. */
static gchar *
_expected_value(const gchar *addr)
{
  if (g_str_has_prefix(addr, "0x") || _is_bech32_form(addr))
    return g_ascii_strdown(addr, -1);
  if (_is_cashaddr_form(addr))
    {
      gchar *lower = g_ascii_strdown(addr, -1);
      if (g_str_has_prefix(lower, "bitcoincash:"))
        return lower;
      gchar *prefixed = g_strconcat("bitcoincash:", lower, NULL);
      g_free(lower);
      return prefixed;
    }
  return g_strdup(addr);
}

/* The address found in a log line by the scanner, with that type and value. */
static void
_expect_scanned(const gchar *addr, DiType type)
{
  gchar *line = g_strdup_printf("withdrawal to %s ok", addr);
  gchar *value = _expected_value(addr);
  TestTokens tokens;
  scan_text(line, DI_SCAN_DEFAULT, &tokens);
  const TestToken *t = find_token(&tokens, DI_TYPE_BIT(type), value);
  cr_expect_not_null(t, "scanner: no %s token '%s' in '%s'", di_type_name(type), value, line);
  if (t)
    {
      cr_expect_eq(t->offset, 14, "%s", addr);
      cr_expect_eq(t->length, strlen(addr), "%s", addr);
    }
  g_free(value);
  g_free(line);
}

static void
_expect_address(const gchar *addr, DiType type)
{
  DiTypeMask mask = wallet_mask(addr);
  cr_expect(mask & DI_TYPE_BIT(type), "%s: not valid as %s (mask %x)", addr, di_type_name(type), mask);

  gchar *value = _expected_value(addr);
  gchar *got = normalized(type, addr, NULL, NULL);
  cr_expect_str_eq(got ? got : "(rejected)", value, "normalised %s '%s'", di_type_name(type), addr);
  g_free(got);
  g_free(value);
  _expect_scanned(addr, type);
}

static gchar *
_script_of_base58(const gchar *addr)
{
  guint8 payload[40];
  gssize n = di_base58check_decode(DI_BASE58_BITCOIN, addr, strlen(addr), payload, sizeof(payload));
  if (n != 21)
    return NULL;
  GString *s = g_string_new(payload[0] == 0 ? "76a914" : "a914");
  for (gint i = 1; i < 21; i++)
    g_string_append_printf(s, "%02x", payload[i]);
  g_string_append(s, payload[0] == 0 ? "88ac" : "87");
  return g_string_free(s, FALSE);
}

static gchar *
_script_of_segwit(const gchar *addr)
{
  guint8 program[40];
  gsize n;
  guint version;
  if (!di_segwit_decode(addr, strlen(addr), "bc", &version, program, &n))
    return NULL;
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%02x%02x", version ? 0x50 + version : 0, (guint) n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf(s, "%02x", program[i]);
  return g_string_free(s, FALSE);
}

Test(wallets, key_io_valid_mainnet_addresses_are_btc)
{
  json_object *v = data_json("vectors/bitcoin-core_key_io_valid.json");
  guint mainnet = 0;
  for (gsize i = 0; i < json_object_array_length(v); i++)
    {
      json_object *e = json_object_array_get_idx(v, i);
      const gchar *addr = jstr(json_object_array_get_idx(e, 0));
      const gchar *script = jstr(json_object_array_get_idx(e, 1));
      json_object *meta = json_object_array_get_idx(e, 2);
      gboolean privkey = json_object_get_boolean(jget(meta, "isPrivkey"));
      gboolean main = strcmp(jstr(jget(meta, "chain")), "main") == 0;

      if (privkey || !main)
        {
          /* keys and other networks' addresses are no btc address */
          cr_expect_not(wallet_mask(addr) & BIT(BTC), "%s (%s) taken as btc", addr, jstr(jget(meta, "chain")));
          continue;
        }
      mainnet++;
      _expect_address(addr, DI_TYPE_BTC);

      gchar *got = _is_bech32_form(addr) ? _script_of_segwit(addr) : _script_of_base58(addr);
      cr_expect_str_eq(got ? got : "(none)", script, "scriptPubKey of %s", addr);
      g_free(got);

      json_object *flip = NULL;
      if (json_object_object_get_ex(meta, "tryCaseFlip", &flip) && json_object_get_boolean(flip))
        {
          gchar *upper = g_ascii_strup(addr, -1);
          cr_expect(wallet_mask(upper) & BIT(BTC), "upper-case %s", upper);
          gchar *norm = normalized(DI_TYPE_BTC, upper, NULL, NULL);
          cr_expect_str_eq(norm ? norm : "(rejected)", addr, "upper-case form normalises to lower case");
          g_free(norm);
          _expect_scanned(upper, DI_TYPE_BTC);
          g_free(upper);
        }
    }
  cr_expect_eq(mainnet, 14, "mainnet addresses in key_io_valid.json: %u", mainnet);
  json_object_put(v);
}

Test(wallets, key_io_invalid_none_is_btc)
{
  json_object *v = data_json("vectors/bitcoin-core_key_io_invalid.json");
  cr_expect_eq(json_object_array_length(v), 79);
  for (gsize i = 0; i < json_object_array_length(v); i++)
    {
      const gchar *s = jstr(json_object_array_get_idx(json_object_array_get_idx(v, i), 0));
      cr_expect_not(wallet_mask(s) & BIT(BTC), "invalid vector %zu '%s' accepted as btc", i, s);
      gchar *norm = normalized(DI_TYPE_BTC, s, NULL, NULL);
      cr_expect_null(norm, "di_normalize(btc, '%s') accepted", s);
      g_free(norm);

      gchar *line = g_strdup_printf("to %s end", s);
      TestTokens tokens;
      scan_text(line, DI_SCAN_DEFAULT, &tokens);
      cr_expect_eq(count_tokens(&tokens, BIT(BTC)), 0, "scanner found btc in '%s'", line);
      g_free(line);
    }
  json_object_put(v);
}

Test(wallets, bip173_bip350_segwit_addresses_as_btc)
{
  json_object *v = data_json("vectors/bech32_bip173_bip350_vectors.json");
  json_object *valid = jget(v, "segwit_addresses_valid");
  for (gsize i = 0; i < json_object_array_length(valid); i++)
    {
      const gchar *addr = jstr(jget(json_object_array_get_idx(valid, i), "address"));
      if (g_ascii_strncasecmp(addr, "bc1", 3) == 0)
        _expect_address(addr, DI_TYPE_BTC);
      else
        cr_expect_not(wallet_mask(addr) & BIT(BTC), "testnet %s taken as btc", addr);
    }
  const gchar *invalid_lists[] = { "segwit_addresses_invalid", "legacy_bip173_segwit_addresses_invalid" };
  for (gsize l = 0; l < G_N_ELEMENTS(invalid_lists); l++)
    {
      json_object *list = jget(v, invalid_lists[l]);
      for (gsize i = 0; i < json_object_array_length(list); i++)
        {
          const gchar *addr = jstr(jget(json_object_array_get_idx(list, i), "address"));
          cr_expect_not(wallet_mask(addr) & BIT(BTC), "%s: %s accepted", invalid_lists[l], addr);
        }
    }
  json_object_put(v);
}

Test(wallets, eip55_addresses_are_eth)
{
  json_object *v = data_json("vectors/eip55_checksum_addresses.json");
  json_object *list = jget(v, "valid_checksummed_addresses");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    _expect_address(jstr(json_object_array_get_idx(list, i)), DI_TYPE_ETH);
  json_object_put(v);
}

Test(wallets, tron_vectors)
{
  json_object *v = data_json("vectors/tron_address_vectors.json");
  json_object *tw = jget(v, "trustwallet_wallet_core");
  json_object *list = jget(tw, "valid_base58");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    _expect_address(jstr(jget(json_object_array_get_idx(list, i), "address")), DI_TYPE_TRX);
  list = jget(tw, "invalid");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      const gchar *s = jstr(json_object_array_get_idx(list, i));
      cr_expect_not(wallet_mask(s) & BIT(TRX), "'%s' taken as trx", s);
      gchar *norm = normalized(DI_TYPE_TRX, s, NULL, NULL);
      cr_expect_null(norm, "di_normalize(trx, '%s')", s);
      g_free(norm);
    }

  /* BitGo: base58 and the 21-byte hex form, which feeds may carry */
  json_object *bitgo = jget(v, "bitgo_sdk_coin_trx");
  list = jget(bitgo, "good_addresses");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      const gchar *s = jstr(json_object_array_get_idx(list, i));
      if (s[0] == 'T')
        _expect_address(s, DI_TYPE_TRX);
      else
        {
          gchar *norm = normalized(DI_TYPE_TRX, s, NULL, NULL);
          cr_expect_not_null(norm, "hex trx '%s'", s);
          cr_expect(norm && norm[0] == 'T' && (wallet_mask(norm) & BIT(TRX)), "hex %s -> %s", s, norm);
          g_free(norm);
        }
    }
  list = jget(bitgo, "bad_addresses");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      const gchar *s = jstr(json_object_array_get_idx(list, i));
      gchar *norm = normalized(DI_TYPE_TRX, s, NULL, NULL);
      cr_expect_null(norm, "bad trx '%s' accepted as %s", s, norm);
      g_free(norm);
    }

  /* hex and base58 forms of one account give one key */
  const gchar *groups[] = { "tron_docs", "derived_base58_for_bitgo_hex_addresses" };
  for (gsize g = 0; g < G_N_ELEMENTS(groups); g++)
    {
      json_object *group = jget(v, groups[g]);
      json_object *items = jget(group, g == 0 ? "pairs" : "items");
      for (gsize i = 0; i < json_object_array_length(items); i++)
        {
          json_object *item = json_object_array_get_idx(items, i);
          const gchar *b58 = jstr(jget(item, g == 0 ? "base58" : "base58_derived_by_collector"));
          gchar *norm = normalized(DI_TYPE_TRX, jstr(jget(item, "hex")), NULL, NULL);
          cr_expect_str_eq(norm ? norm : "(rejected)", b58);
          g_free(norm);
          _expect_address(b58, DI_TYPE_TRX);
        }
    }
  json_object_put(v);
}

/* The type each address of an OFAC asset list must get. */
static DiType
_ofac_type(const gchar *asset, const gchar *addr)
{
  if (!strcmp(asset, "XBT"))
    return !strcmp(addr, XBT_LIST_TRON_ADDRESS) ? DI_TYPE_TRX : DI_TYPE_BTC;
  if (!strcmp(asset, "ETH") || !strcmp(asset, "USDC") || !strcmp(asset, "ARB") || !strcmp(asset, "BSC")
      || !strcmp(asset, "ETC"))
    return DI_TYPE_ETH;
  if (!strcmp(asset, "USDT"))   /* Tether lives on Ethereum, Tron and Omni (bitcoin) */
    return g_str_has_prefix(addr, "0x") ? DI_TYPE_ETH : addr[0] == 'T' ? DI_TYPE_TRX : DI_TYPE_BTC;
  if (!strcmp(asset, "BCH"))    /* legacy Bitcoin Cash addresses are reported as btc */
    return _is_cashaddr_form(addr) ? DI_TYPE_BCH : DI_TYPE_BTC;
  if (!strcmp(asset, "BSV"))
    return DI_TYPE_BTC;
  if (!strcmp(asset, "XMR"))
    return !strcmp(addr, XMR_LIST_NON_ADDRESS) ? DI_TYPE_NONE : DI_TYPE_XMR;
  gchar *lower = g_ascii_strdown(asset, -1);
  DiType t = di_type_from_name(lower);
  g_free(lower);
  cr_assert_neq(t, DI_TYPE_NONE, "OFAC asset %s has no type: add it to the test", asset);
  return t;
}

typedef void (*OfacFunc)(const gchar *asset, const gchar *addr, gpointer user_data);

static guint
_foreach_ofac(OfacFunc func, gpointer user_data)
{
  gchar *dirname = g_build_filename(DI_TESTDATA_DIR, OFAC_DIR, NULL);
  GDir *dir = g_dir_open(dirname, 0, NULL);
  cr_assert_not_null(dir, "cannot open %s", dirname);
  guint n = 0;
  const gchar *name;
  while ((name = g_dir_read_name(dir)))
    {
      if (!g_str_has_prefix(name, "sanctioned_addresses_") || !g_str_has_suffix(name, ".txt"))
        continue;
      gchar *asset = g_strndup(name + strlen("sanctioned_addresses_"),
                               strlen(name) - strlen("sanctioned_addresses_") - strlen(".txt"));
      gchar *rel = g_build_filename(OFAC_DIR, name, NULL);
      gchar **lines = data_lines(rel);
      for (gint i = 0; lines[i]; i++, n++)
        func(asset, lines[i], user_data);
      g_strfreev(lines);
      g_free(rel);
      g_free(asset);
    }
  g_dir_close(dir);
  g_free(dirname);
  return n;
}

static void
_check_ofac(const gchar *asset, const gchar *addr, gpointer user_data)
{
  DiType type = _ofac_type(asset, addr);
  if (type == DI_TYPE_NONE)
    {
      /* the XMR list's stray 64-hex value: not an address of any chain */
      cr_expect_eq(wallet_mask(addr), 0, "%s", addr);
      cr_expect_eq(di_infer_type(addr, strlen(addr)), DI_TYPE_SHA256);
      return;
    }
  _expect_address(addr, type);
}

Test(wallets, ofac_lists_typed_right)
{
  guint n = _foreach_ofac(_check_ofac, NULL);
  cr_expect_eq(n, 654, "addresses in the OFAC lists: %u", n);
}

Test(wallets, ofac_list_quirks)
{
  /* the TRON address OFAC filed under XBT is trx and nothing else */
  cr_expect_eq(wallet_mask(XBT_LIST_TRON_ADDRESS), BIT(TRX));
  gchar *message = NULL;
  gchar *norm = normalized(DI_TYPE_BTC, XBT_LIST_TRON_ADDRESS, NULL, &message);
  cr_expect_null(norm);
  cr_expect_str_eq(message, "invalid btc address '" XBT_LIST_TRON_ADDRESS "'");
  g_free(message);
  norm = normalized(DI_TYPE_XMR, XMR_LIST_NON_ADDRESS, NULL, NULL);
  cr_expect_null(norm);
}

/* Replace one character by another of the same alphabet and case. */
static gchar
_other_char(gchar c, const gchar *alphabet)
{
  const gchar *p = strchr(alphabet, g_ascii_tolower(c));
  if (!p || !*p)
    p = strchr(alphabet, c);
  if (!p || !*p)
    return c == 'x' ? 'y' : 'x';
  gchar next = p[1] ? p[1] : alphabet[0];
  return g_ascii_isupper(c) ? g_ascii_toupper(next) : next;
}

static void
_check_mutations(const gchar *asset, const gchar *addr, gpointer user_data)
{
  guint *checked = user_data;
  static const gchar *b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  static const gchar *b32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  gsize len = strlen(addr);
  gchar *copy = g_strdup(addr);

  if (_ofac_type(asset, addr) == DI_TYPE_NONE)
    {
      g_free(copy);
      return;
    }
  if (g_str_has_prefix(addr, "0x"))
    {
      /* EIP-55: only a mixed-case address has a checksum; flip each letter */
      gboolean lower = FALSE, upper = FALSE;
      for (gsize i = 2; i < len; i++)
        {
          lower |= g_ascii_islower(addr[i]);
          upper |= g_ascii_isupper(addr[i]);
        }
      for (gsize i = 2; lower && upper && i < len; i++)
        if (g_ascii_isalpha(addr[i]))
          {
            copy[i] = g_ascii_isupper(addr[i]) ? g_ascii_tolower(addr[i]) : g_ascii_toupper(addr[i]);
            /* flipping the only upper-case letter leaves a checksum-less
             * all-lower-case address, which is valid */
            gchar *lower = g_ascii_strdown(copy, -1), *upper = g_ascii_strup(copy, -1);
            gboolean single_case = !strcmp(copy + 2, lower + 2) || !strcmp(copy + 2, upper + 2);
            g_free(lower);
            g_free(upper);
            if (!single_case)
              cr_expect_eq(wallet_mask(copy), 0, "%s: case flip at %zu accepted", addr, i);
            copy[i] = addr[i];
            (*checked)++;
          }
      g_free(copy);
      return;
    }

  gboolean bech = _is_bech32_form(addr) || _is_cashaddr_form(addr);
  for (gsize i = 0; i < len; i++)
    {
      copy[i] = _other_char(addr[i], bech ? b32 : b58);
      cr_expect_eq(wallet_mask(copy), 0, "%s: '%s' (position %zu changed) accepted", addr, copy, i);
      copy[i] = addr[i];
      (*checked)++;
    }
  g_free(copy);
}

Test(wallets, one_changed_character_rejected)
{
  guint checked = 0;
  _foreach_ofac(_check_mutations, &checked);

  /* and the formats the lists lack: segwit v1+, Monero subaddress, EIP-55 */
  const gchar *more[] =
  {
    "bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu",
    "bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7",
    "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(more); i++)
    _check_mutations("XBT", more[i], &checked);
  _check_mutations("ETH", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", &checked);
  cr_expect_gt(checked, 15000, "mutations checked: %u", checked);
}

Test(wallets, several_chains_get_every_type)
{
  /* version 0x1e: Dogecoin and Verge; 0x05: Bitcoin and Litecoin P2SH */
  cr_expect_eq(wallet_mask("DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z"), BIT(DOGE) | BIT(XVG));
  cr_expect_eq(wallet_mask("3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV"), BIT(BTC) | BIT(LTC));
  cr_expect_eq(wallet_mask("1CF46Rfbp97absrs7zb7dFfZS6qBXUm9EP"), BIT(BTC));
  cr_expect_eq(wallet_mask("LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb"), BIT(LTC));
  cr_expect_eq(wallet_mask("M8yFL6SFC6TreATegTyuSYkDfDRbisdpT3"), BIT(LTC));
  cr_expect_eq(wallet_mask("GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS"), BIT(BTG));
  cr_expect_eq(wallet_mask("XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2"), BIT(DASH));
  cr_expect_eq(wallet_mask("t1MMXtBrSp1XG38Lx9cePcNUCJj5vdWfUWL"), BIT(ZEC));
  cr_expect_eq(wallet_mask("rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66"), BIT(XRP));

  /* the scanner reports the token once, with both types */
  TestTokens tokens;
  scan_text("doge DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z", DI_SCAN_DEFAULT, &tokens);
  cr_expect_eq(tokens.n, 1);
  cr_expect_eq(tokens.tokens[0].types, BIT(DOGE) | BIT(XVG));

  /* a legacy address declared bch or bsv is accepted; bech32 is not bsv */
  gchar *norm = normalized(DI_TYPE_BCH, "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB", NULL, NULL);
  cr_expect_str_eq(norm, "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB");
  g_free(norm);
  norm = normalized(DI_TYPE_BSV, "12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9", NULL, NULL);
  cr_expect_str_eq(norm, "12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9");
  g_free(norm);
  norm = normalized(DI_TYPE_BSV, "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", NULL, NULL);
  cr_expect_null(norm);
  /* a btc address is no ltc address unless its version says so */
  norm = normalized(DI_TYPE_LTC, "1CF46Rfbp97absrs7zb7dFfZS6qBXUm9EP", NULL, NULL);
  cr_expect_null(norm);
}

static void
_check_csv(const gchar *relpath, gint chain_column)
{
  gchar **lines = data_lines(relpath);
  guint n = 0;
  for (gint i = 1; lines[i]; i++, n++)
    {
      gchar **cols = g_strsplit(lines[i], ",", -1);
      gchar *asset = g_ascii_strup(cols[chain_column], -1);
      _expect_address(cols[0], _ofac_type(asset, cols[0]));
      g_free(asset);
      g_strfreev(cols);
    }
  cr_expect_gt(n, 50, "%s: %u rows", relpath, n);
  g_strfreev(lines);
}

Test(wallets, dprk_linked_lists)
{
  _check_csv("feeds/ofac_dprk_linked_addresses.csv", 1);
  _check_csv("feeds/fbi_dprk_addresses.csv", 1);
}

Test(wallets, monero_standard_and_integrated)
{
  /* the examples of docs.getmonero.org/public-address: one account as a
   * standard (95 characters) and an integrated (106, payment id) address */
  const gchar *standard = "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge";
  const gchar *integrated = "4LL9oSLmtpccfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2bYXZK"
                            "KQePHES9khPK";
  _expect_address(standard, DI_TYPE_XMR);
  _expect_address(integrated, DI_TYPE_XMR);
  _check_mutations("XMR", integrated, &(guint) { 0 });

  /* the right length and alphabet, a wrong version byte */
  gchar *other = g_strdup(standard);
  other[0] = '5';
  cr_expect_eq(wallet_mask(other), 0);
  g_free(other);
}

/* BNB Beacon Chain: bech32 with the HRP "bnb" and a 20-byte account.  The
 * first is the address the OFAC SDN list files as "Digital Currency
 * Address - BNB"; the others were encoded for this test from the 20 bytes
 * sha256("dprk-intel test bnb")[:20] with BIP-173's algorithm: as bech32
 * (valid), as bech32m, under the testnet HRP "tbnb", and a 32-byte payload
 * (none of them a BNB account). */
Test(wallets, bnb_beacon_chain_accounts)
{
  const gchar *valid[] = { "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23", "bnb1qmnmxksf08tuqf6plm86xattfk3hzse2jhg9et",
                           "BNB1QMNMXKSF08TUQF6PLM86XATTFK3HZSE2JHG9ET" };
  for (gsize i = 0; i < G_N_ELEMENTS(valid); i++)
    {
      cr_expect_eq(wallet_mask(valid[i]), BIT(BNB), "%s", valid[i]);
      gchar *lower = g_ascii_strdown(valid[i], -1);
      gchar *norm = normalized(DI_TYPE_BNB, valid[i], NULL, NULL);
      cr_expect_str_eq(norm, lower);
      g_free(norm);
      DiType inferred = DI_TYPE_NONE;
      norm = normalized(DI_TYPE_NONE, valid[i], &inferred, NULL);
      cr_expect_eq(inferred, DI_TYPE_BNB, "%s inferred as %s", valid[i], di_type_name(inferred));
      g_free(norm);

      gchar *text = g_strdup_printf("send to %s.", valid[i]);
      TestTokens tokens;
      scan_text(text, DI_SCAN_DEFAULT, &tokens);
      cr_expect_not_null(find_token(&tokens, BIT(BNB), lower), "%s", text);
      g_free(text);
      g_free(lower);
    }
  cr_expect_str_eq(di_type_name(DI_TYPE_BNB), "bnb");
  cr_expect_eq(di_type_from_name("BNB"), DI_TYPE_BNB);
  cr_expect(di_type_is_wallet(DI_TYPE_BNB));

  const gchar *invalid[] =
  {
    "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf24",                   /* one changed character */
    "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkGF23",                   /* mixed case */
    "bnb1qmnmxksf08tuqf6plm86xattfk3hzse28tcfuf",                   /* bech32m */
    "tbnb1qmnmxksf08tuqf6plm86xattfk3hzse2uzppe6",                  /* testnet */
    "bnb194c3vs4hy6cygqtz0j5lhtpj7hy9xra3jq7vfkczykr30ys6fzqspy0tsa", /* 32 bytes */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(invalid); i++)
    {
      cr_expect_eq(wallet_mask(invalid[i]), 0, "%s", invalid[i]);
      TestTokens tokens;
      scan_text(invalid[i], DI_SCAN_DEFAULT, &tokens);
      cr_expect_eq(count_tokens(&tokens, BIT(BNB)), 0, "%s", invalid[i]);
    }
}
