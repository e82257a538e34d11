/* test-chains.c: the checksum and encoding primitives under engine/chains:
 * SHA-256 and Keccak-256 known answers, base58 and base58check, the BIP-173
 * and BIP-350 string vectors, CashAddr against its legacy twins, EIP-55,
 * Monero blocks.  Vectors come from tests/data/vectors at test time. */
#include "scanner-test-util.h"
#include "chains/sha256.h"
#include "chains/keccak.h"
#include "chains/base58.h"
#include "chains/bech32.h"

static gchar *
_hex(const guint8 *bytes, gsize len)
{
  GString *s = g_string_new(NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(s, "%02x", bytes[i]);
  return g_string_free(s, FALSE);
}

Test(chains, sha256_known_answers)
{
  static const struct { const gchar *in; const gchar *out; } kat[] =
  {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  guint8 out[32];
  for (gsize i = 0; i < G_N_ELEMENTS(kat); i++)
    {
      di_sha256((const guint8 *) kat[i].in, strlen(kat[i].in), out);
      gchar *hex = _hex(out, 32);
      cr_expect_str_eq(hex, kat[i].out, "sha256('%s')", kat[i].in);
      g_free(hex);
    }

  /* a million 'a': many blocks */
  gsize n = 1000000;
  guint8 *big = g_malloc(n);
  memset(big, 'a', n);
  di_sha256(big, n, out);
  g_free(big);
  gchar *hex = _hex(out, 32);
  cr_expect_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  g_free(hex);
}

Test(chains, sha256_extensions_match_portable_code)
{
  /* di_sha256 may run the x86 SHA extensions; the C code must agree */
  guint8 data[300], a[32], b[32];
  for (gsize i = 0; i < sizeof(data); i++)
    data[i] = (guint8) (i * 131 + 7);
  for (gsize len = 0; len <= sizeof(data); len++)
    {
      di_sha256(data, len, a);
      di_sha256_portable(data, len, b);
      cr_assert(memcmp(a, b, 32) == 0, "length %zu", len);
    }
}

Test(chains, keccak256_known_answers)
{
  static const struct { const gchar *in; const gchar *out; } kat[] =
  {
    { "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" },
    { "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45" },
  };
  guint8 out[32];
  for (gsize i = 0; i < G_N_ELEMENTS(kat); i++)
    {
      di_keccak256((const guint8 *) kat[i].in, strlen(kat[i].in), out);
      gchar *hex = _hex(out, 32);
      cr_expect_str_eq(hex, kat[i].out, "keccak256('%s')", kat[i].in);
      g_free(hex);
    }

  /* longer than one 136-byte block: the digest of 200 'a' differs from the
   * digest of 199, and is stable */
  guint8 a[200], d1[32], d2[32];
  memset(a, 'a', sizeof(a));
  di_keccak256(a, 200, d1);
  di_keccak256(a, 199, d2);
  cr_expect(memcmp(d1, d2, 32) != 0);
  di_keccak256(a, 200, d2);
  cr_expect(memcmp(d1, d2, 32) == 0);
}

Test(chains, base58check_round_trip)
{
  guint8 payload[21], back[40];
  gchar text[100];
  for (gint v = 0; v < 256; v += 17)
    {
      payload[0] = v;
      for (gint i = 1; i < 21; i++)
        payload[i] = (guint8) (v * 31 + i * 7);
      gsize n = di_base58check_encode(DI_BASE58_BITCOIN, payload, 21, text);
      cr_assert_eq(di_base58check_decode(DI_BASE58_BITCOIN, text, n, back, sizeof(back)), 21);
      cr_expect(memcmp(payload, back, 21) == 0);
    }

  /* leading zero bytes are leading '1's */
  memset(payload, 0, sizeof(payload));
  gsize n = di_base58check_encode(DI_BASE58_BITCOIN, payload, 21, text);
  cr_expect_str_eq(text, "1111111111111111111114oLvT2");
  cr_expect_eq(di_base58check_decode(DI_BASE58_BITCOIN, text, n, back, sizeof(back)), 21);

  /* characters outside the alphabet, over-long input */
  cr_expect_eq(di_base58_decode(DI_BASE58_BITCOIN, "10OIl", 5, back, sizeof(back)), -1);
  gchar longer[200];
  memset(longer, 'z', sizeof(longer));
  cr_expect_eq(di_base58_decode(DI_BASE58_BITCOIN, longer, sizeof(longer), back, sizeof(back)), -1);
}

static void
_check_string_list(json_object *list, DiBech32Encoding expect, const gchar *name)
{
  gchar hrp[DI_BECH32_MAX_HRP + 1];
  guint8 data[DI_BECH32_MAX_LEN];
  gsize n;
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      json_object *item = json_object_array_get_idx(list, i);
      guint8 raw[200];
      gsize len;
      if (json_object_is_type(item, json_type_string))
        {
          len = strlen(jstr(item));
          memcpy(raw, jstr(item), len);
        }
      else
        {
          /* strings with raw bytes 0x20/0x7f/0x80 are given as hex */
          const gchar *hex = jstr(jget(item, "bytes_hex"));
          len = strlen(hex) / 2;
          cr_assert(di_parse_hex(hex, len * 2, raw));
        }
      DiBech32Encoding got = di_bech32_decode((const gchar *) raw, len, hrp, data, &n);
      cr_expect_eq(got, expect, "%s[%zu]: '%.*s' decoded as %d", name, i, (int) len, raw, got);
    }
}

Test(chains, bip173_bip350_strings)
{
  json_object *v = data_json("vectors/bech32_bip173_bip350_vectors.json");
  _check_string_list(jget(v, "bech32_strings_valid"), DI_BECH32, "bech32_strings_valid");
  _check_string_list(jget(v, "bech32m_strings_valid"), DI_BECH32M, "bech32m_strings_valid");
  _check_string_list(jget(v, "bech32_strings_invalid"), DI_BECH32_INVALID, "bech32_strings_invalid");
  _check_string_list(jget(v, "bech32m_strings_invalid"), DI_BECH32_INVALID, "bech32m_strings_invalid");
  json_object_put(v);
}

/* witness version and program as a scriptPubKey: OP_n, push, program */
static gchar *
_segwit_script(guint version, const guint8 *program, gsize len)
{
  guint8 script[42];
  script[0] = version ? 0x50 + version : 0;
  script[1] = len;
  memcpy(script + 2, program, len);
  return _hex(script, len + 2);
}

Test(chains, segwit_addresses)
{
  json_object *v = data_json("vectors/bech32_bip173_bip350_vectors.json");
  json_object *valid = jget(v, "segwit_addresses_valid");
  guint8 program[40];
  gsize plen;
  guint version;

  for (gsize i = 0; i < json_object_array_length(valid); i++)
    {
      json_object *item = json_object_array_get_idx(valid, i);
      const gchar *addr = jstr(jget(item, "address"));
      gchar *hrp = g_ascii_strdown(addr, strchr(addr, '1') - addr);
      cr_assert(di_segwit_decode(addr, strlen(addr), hrp, &version, program, &plen), "%s", addr);
      gchar *script = _segwit_script(version, program, plen);
      cr_expect_str_eq(script, jstr(jget(item, "scriptPubKey_hex")), "%s", addr);
      g_free(script);
      g_free(hrp);
    }

  json_object *invalid = jget(v, "segwit_addresses_invalid");
  for (gsize i = 0; i < json_object_array_length(invalid); i++)
    {
      const gchar *addr = jstr(jget(json_object_array_get_idx(invalid, i), "address"));
      cr_expect_not(di_segwit_decode(addr, strlen(addr), "bc", &version, program, &plen), "%s", addr);
      cr_expect_not(di_segwit_decode(addr, strlen(addr), "tb", &version, program, &plen), "%s", addr);
    }

  /* the original BIP-173 lists: their v1+ bech32 entries are invalid now */
  const gchar *lists[] = { "legacy_bip173_segwit_addresses_valid", "legacy_bip173_segwit_addresses_invalid" };
  for (gsize l = 0; l < G_N_ELEMENTS(lists); l++)
    {
      json_object *list = jget(v, lists[l]);
      for (gsize i = 0; i < json_object_array_length(list); i++)
        {
          json_object *item = json_object_array_get_idx(list, i);
          const gchar *addr = jstr(jget(item, "address"));
          json_object *flag = NULL;
          gboolean expect = l == 0 && json_object_object_get_ex(item, "valid_under_bip350", &flag)
                            && json_object_get_boolean(flag);
          gboolean got = di_segwit_decode(addr, strlen(addr), "bc", &version, program, &plen)
                         || di_segwit_decode(addr, strlen(addr), "tb", &version, program, &plen);
          cr_expect_eq(got, expect, "%s: %s", lists[l], addr);
        }
    }
  json_object_put(v);
}

Test(chains, cashaddr_matches_legacy_hash)
{
  /* the examples of the CashAddr specification: same hash, two encodings */
  static const struct { const gchar *legacy, *cashaddr; } pairs[] =
  {
    { "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a" },
    { "1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR", "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy" },
    { "16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb", "bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r" },
    { "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++)
    {
      guint8 legacy[40], cash[DI_CASHADDR_MAX_PAYLOAD];
      gsize n;
      gssize ln = di_base58check_decode(DI_BASE58_BITCOIN, pairs[i].legacy, strlen(pairs[i].legacy), legacy, 40);
      cr_assert_eq(ln, 21, "%s", pairs[i].legacy);
      cr_assert(di_cashaddr_decode(pairs[i].cashaddr, strlen(pairs[i].cashaddr), cash, &n), "%s", pairs[i].cashaddr);
      cr_expect_eq(n, 21);
      cr_expect(memcmp(legacy + 1, cash + 1, 20) == 0, "%s", pairs[i].cashaddr);
      /* P2PKH is type 0 (0x00 legacy), P2SH type 1 (0x05) */
      cr_expect_eq(cash[0] >> 3, legacy[0] == 5 ? 1 : 0);

      /* without the prefix, and in upper case */
      const gchar *bare = strchr(pairs[i].cashaddr, ':') + 1;
      cr_expect(di_cashaddr_decode(bare, strlen(bare), cash, &n));
      gchar *upper = g_ascii_strup(pairs[i].cashaddr, -1);
      cr_expect(di_cashaddr_decode(upper, strlen(upper), cash, &n), "%s", upper);
      /* mixed case and another prefix are invalid */
      upper[strlen(upper) - 1] = g_ascii_tolower(upper[strlen(upper) - 1]);
      cr_expect_not(di_cashaddr_decode(upper, strlen(upper), cash, &n));
      g_free(upper);
      gchar *other = g_strconcat("bchtest:", bare, NULL);
      cr_expect_not(di_cashaddr_decode(other, strlen(other), cash, &n));
      g_free(other);
    }
}

Test(chains, eip55_vectors)
{
  json_object *v = data_json("vectors/eip55_checksum_addresses.json");
  json_object *list = jget(v, "valid_checksummed_addresses");
  for (gsize i = 0; i < json_object_array_length(list); i++)
    {
      const gchar *addr = jstr(json_object_array_get_idx(list, i));
      guint8 bytes[20];
      gchar formatted[43];
      cr_assert(di_evm_address_parse(addr, strlen(addr), bytes), "%s", addr);
      di_evm_checksum_format(bytes, formatted);
      cr_expect_str_eq(formatted, addr);
    }

  json_object *js = jget(v, "implementation_js_example");
  for (gsize i = 0; i < json_object_array_length(js); i++)
    {
      json_object *item = json_object_array_get_idx(js, i);
      const gchar *lower = jstr(jget(item, "input_lowercase"));
      guint8 bytes[20];
      gchar formatted[43];
      cr_assert(di_evm_address_parse(lower, strlen(lower), bytes));
      di_evm_checksum_format(bytes, formatted);
      cr_expect_str_eq(formatted, jstr(jget(item, "expected_checksummed")));
    }
  json_object_put(v);
}

Test(chains, monero_blocks)
{
  guint8 out[80];
  /* 11 characters make 8 bytes; "11111111111" is zero */
  cr_expect_eq(di_base58_monero_decode("11111111111", 11, out, sizeof(out)), 8);
  /* a last block of 4 characters maps to no byte count */
  cr_expect_eq(di_base58_monero_decode("111111111111111", 15, out, sizeof(out)), -1);
  /* "zzzzzzzzzzz" is 58^11 - 1 > 2^64: refused, not wrapped */
  cr_expect_eq(di_base58_monero_decode("zzzzzzzzzzz", 11, out, sizeof(out)), -1);
  /* 95 characters: the 69 bytes of a standard address */
  const gchar *addr = "49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL";
  cr_expect_eq(di_base58_monero_decode(addr, strlen(addr), out, sizeof(out)), 69);
  cr_expect_eq(out[0], 18);
}
