/* test-logsrc-readers.c: each log-source reader of engine/logsrc/ on its own
 * and through `auto`: the fields of well-formed lines, the rules of the
 * scheme (endpoints, amounts, URLs, which key wins), malformed lines (tagged
 * for their source, no field), lines left alone, and hostile input.
 * (tests/functional/test-logsrc-*.sh check every sample line through the
 * real daemon.) */
#include "logsrc-test-util.h"

#define MB (1024 * 1024)

/* exchange events */

Test(logsrc_exchange, a_withdrawal)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_EXCHANGE,
                                     "{\"event\":\"withdrawal.requested\",\"account_id\":\"acct-1\",\"user_id\":\"u-1\","
                                     "\"ip\":\"[2001:db8::7]:443\",\"asset\":\"ETH\",\"network\":\"ethereum\",\"amount\":\"-1.50\","
                                     "\"to_address\":\"0xabc\",\"from_address\":\"0xdef\",\"wallet_id\":\"hot-1\",\"txid\":\"t1\"}");
  ASSERT_FIELDS(ev, "service.type=exchange", "event.action=withdrawal.requested", "crypto.account=acct-1",
                "user.id=u-1", "source.address=[2001:db8::7]:443", "source.ip=2001:db8::7", "source.port=443",
                "crypto.asset=ETH", "crypto.chain=ethereum", "crypto.amount=1.50", "crypto.counterparty.address=0xabc",
                "crypto.address=0xdef", "crypto.wallet.id=hot-1", "crypto.transaction.id=t1");
  cr_assert_not(ev->no_amount);
}

Test(logsrc_exchange, a_deposit_turns_the_addresses_round)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_EXCHANGE,
                                     "{\"type\":\"Deposit.Credited\",\"uid\":\"u-2\",\"address\":\"bc1own\","
                                     "\"from_address\":\"1Sender\",\"qty\":7}");
  ASSERT_FIELDS(ev, "service.type=exchange", "event.action=Deposit.Credited", "user.id=u-2", "crypto.account=u-2",
                "crypto.address=bc1own", "crypto.counterparty.address=1Sender", "crypto.amount=7");
}

Test(logsrc_exchange, the_key_listed_last_wins_and_empty_keys_count_as_absent)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_EXCHANGE,
                                     "{\"action\":\"login\",\"type\":\"t\",\"event\":\"\",\"account\":\"a\",\"account_id\":null,"
                                     "\"login\":\"l\",\"username\":\"u\",\"ua\":\"x\",\"user_agent\":\"y\",\"ip\":\"h.example\"}");
  ASSERT_FIELDS(ev, "service.type=exchange", "event.action=login", "crypto.account=a", "user.name=u",
                "user_agent.original=y", "source.address=h.example");
}

Test(logsrc_exchange, options_name_more_keys_which_win)
{
  const gchar *keys[LOGSRC_KEY_COUNT] = { NULL };
  keys[LOGSRC_KEY_ACTION] = "kind";
  keys[LOGSRC_KEY_ACCOUNT] = "client.ref";
  keys[LOGSRC_KEY_AMOUNT] = "sum";
  keys[LOGSRC_KEY_COUNTERPARTY] = "address";      /* a built-in key: taken once, here */
  keys[LOGSRC_KEY_ADDRESS] = "mine";
  keys[LOGSRC_KEY_IP] = "peer";
  const gchar *line = "{\"kind\":\"deposit\",\"client\":{\"ref\":\"c-9\"},\"account\":\"a\",\"amount\":\"1\",\"sum\":\"2\","
                      "\"address\":\"X\",\"mine\":\"M\",\"peer\":\"10.0.0.1:99999\"}";
  LogsrcEvent *ev = logsrc_test_read_len_keys(LOGSRC_EXCHANGE, line, strlen(line), keys);
  ASSERT_FIELDS(ev, "service.type=exchange", "event.action=deposit", "crypto.account=c-9", "crypto.amount=2",
                "crypto.counterparty.address=X", "crypto.address=M", "source.address=10.0.0.1:99999",
                "source.ip=10.0.0.1", "source.port=99999");
  /* the same options through auto */
  ev = logsrc_test_read_len_keys(LOGSRC_AUTO, line, strlen(line), keys);
  cr_assert_eq(ev->source, LOGSRC_EXCHANGE);
  g_autofree gchar *account = logsrc_test_field(ev, "crypto.account");
  cr_assert_str_eq(account, "c-9");
}

Test(logsrc_exchange, transfers_without_a_numeric_amount)
{
  static const gchar *const amounts[] = { "", ",\"amount\":\"lots\"", ",\"amount\":\"1,5\"", ",\"amount\":1e3",
                                          ",\"amount\":\".5\"", ",\"amount\":true", ",\"amount\":[1]" };
  for (guint i = 0; i < G_N_ELEMENTS(amounts); i++)
    {
      g_autofree gchar *line = g_strdup_printf("{\"event\":\"payout\",\"account\":\"a\"%s}", amounts[i]);
      LogsrcEvent *ev = logsrc_test_read(LOGSRC_EXCHANGE, line);
      ASSERT_FIELDS(ev, "service.type=exchange", "event.action=payout", "crypto.account=a");
      cr_assert(ev->no_amount, "%s", line);
    }
  /* not a transfer: a bad amount is dropped, not counted */
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_EXCHANGE, "{\"event\":\"login\",\"amount\":\"x\"}");
  ASSERT_FIELDS(ev, "service.type=exchange", "event.action=login");
  cr_assert_not(ev->no_amount);
}

Test(logsrc_exchange, alone_everything_else_is_malformed)
{
  static const gchar *const lines[] = { "{\"account\":\"a\"}", "[1,2]", "plain text", "", "{\"event\":\"x\"" };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    ASSERT_UNPARSED(logsrc_test_read(LOGSRC_EXCHANGE, lines[i]), LOGSRC_EXCHANGE);
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, "{\"account\":\"a\"}"));
}

/* CloudTrail */

Test(logsrc_cloudtrail, an_assumed_role)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_CLOUDTRAIL,
                                     "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"principalId\":\"P\",\"accountId\":\"1\","
                                     "\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"role\"}}},\"eventSource\":\"s3.amazonaws.com\","
                                     "\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"ec2.amazonaws.com\","
                                     "\"errorCode\":\"NoSuchKey\",\"recipientAccountId\":\"2\",\"eventID\":\"e\"}");
  ASSERT_FIELDS(ev, "service.type=cloudtrail", "cloud.provider=aws", "event.action=GetObject",
                "event.provider=s3.amazonaws.com", "event.id=e", "cloud.region=eu-west-1", "cloud.account.id=2",
                "user.id=P", "user.name=role", "crypto.account=P", "source.address=ec2.amazonaws.com",
                "error.code=NoSuchKey", "event.outcome=failure");
}

Test(logsrc_cloudtrail, malformed_records)
{
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_CLOUDTRAIL, "{\"eventVersion\":\"1\",\"eventSource\":\"x\"}"),
                  LOGSRC_CLOUDTRAIL);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_CLOUDTRAIL, "{\"eventName\":\"x\"}"), LOGSRC_CLOUDTRAIL);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, "{\"eventVersion\":\"1\",\"eventSource\":\"x\",\"eventName\":"),
                  LOGSRC_CLOUDTRAIL);
}

/* Fireblocks */

Test(logsrc_fireblocks, an_incoming_transaction_update_has_no_amount_and_no_tag)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_FIREBLOCKS,
                                     "{\"eventType\":\"transaction.status.updated\",\"workspaceId\":\"w\",\"data\":{\"id\":\"d\","
                                     "\"source\":{\"type\":\"UNKNOWN\",\"id\":\"\"},\"destination\":{\"id\":\"7\"},"
                                     "\"sourceAddress\":\"ext\",\"destinationAddress\":\"own\",\"amountInfo\":{\"amount\":\"3\"},"
                                     "\"customerRefId\":\"\"}}");
  ASSERT_FIELDS(ev, "service.type=fireblocks", "event.action=transaction.status.updated", "event.id=d",
                "crypto.address=own", "crypto.counterparty.address=ext", "crypto.wallet.id=7", "crypto.account=7");
  cr_assert_not(ev->no_amount);
}

Test(logsrc_fireblocks, a_created_transaction_takes_amount_info_over_amount)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO,
                                     "{\"type\":\"TRANSACTION_CREATED\",\"tenantId\":\"t\",\"data\":{\"id\":\"d\",\"amount\":12.5,"
                                     "\"amountInfo\":{\"amount\":\"12.50\"},\"source\":{\"type\":\"VAULT_ACCOUNT\",\"id\":\"3\"},"
                                     "\"sourceAddress\":\"own\",\"destinationAddress\":\"ext\",\"customerRefId\":\"c\"}}");
  ASSERT_FIELDS(ev, "service.type=fireblocks", "event.action=TRANSACTION_CREATED", "event.id=d", "crypto.amount=12.50",
                "crypto.address=own", "crypto.counterparty.address=ext", "crypto.wallet.id=3", "crypto.account=c");
  ev = logsrc_test_read(LOGSRC_FIREBLOCKS, "{\"type\":\"TRANSACTION_CREATED\",\"tenantId\":\"t\",\"data\":{\"id\":\"d\"}}");
  ASSERT_FIELDS(ev, "service.type=fireblocks", "event.action=TRANSACTION_CREATED", "event.id=d");
  cr_assert(ev->no_amount);
}

Test(logsrc_fireblocks, malformed_notifications)
{
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_FIREBLOCKS, "{\"type\":\"TRANSACTION_SUBMITTED\",\"tenantId\":\"t\",\"data\":{}}"),
                  LOGSRC_FIREBLOCKS);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_FIREBLOCKS, "{\"tenantId\":\"t\"}"), LOGSRC_FIREBLOCKS);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, "{\"workspaceId\":\"w\",\"eventType\":"), LOGSRC_FIREBLOCKS);
}

/* BitGo */

#define WALLET "0123456789abcdef0123456789abcdef"

Test(logsrc_bitgo, a_transfer_object_with_entries)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_BITGO,
                                     "{\"id\":\"i\",\"coin\":\"tbtc\",\"wallet\":\"" WALLET "\",\"type\":\"send\","
                                     "\"valueString\":\"-5\",\"baseValueString\":\"-4\",\"entries\":["
                                     "{\"address\":\"other-wallet\",\"wallet\":\"ffffffffffffffffffffffffffffffff\"},"
                                     "{\"address\":\"change\",\"wallet\":\"" WALLET "\"},{\"value\":1},"
                                     "{\"address\":\"dest\"},{\"address\":\"second\"}]}");
  ASSERT_FIELDS(ev, "service.type=bitgo", "event.action=transfer.send", "event.id=i", "crypto.asset=tbtc",
                "crypto.wallet.id=" WALLET, "crypto.account=" WALLET, "crypto.amount=4",
                "crypto.address=change", "crypto.counterparty.address=dest");
}

Test(logsrc_bitgo, a_notification_leaves_its_value_out)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, "{\"hash\":\"h\",\"transfer\":\"t\",\"coin\":\"eth\",\"type\":\"transfer\","
                                     "\"wallet\":\"" WALLET "\",\"valueString\":\"9\"}");
  ASSERT_FIELDS(ev, "service.type=bitgo", "event.action=transfer", "event.id=t", "crypto.transaction.id=h",
                "crypto.asset=eth", "crypto.wallet.id=" WALLET, "crypto.account=" WALLET);
  cr_assert_not(ev->no_amount);
}

Test(logsrc_bitgo, not_bitgo_or_neither_shape)
{
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_BITGO, "{\"coin\":\"btc\",\"wallet\":\"" WALLET "\"}"), LOGSRC_BITGO);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_BITGO, "{\"id\":\"i\",\"coin\":\"btc\",\"wallet\":\"0123456789ABCDEF0123456789ABCDEF\"}"),
                  LOGSRC_BITGO);
  /* an upper-case id is no BitGo wallet: an exchange event then */
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, "{\"id\":\"i\",\"type\":\"send\",\"coin\":\"btc\","
                                     "\"wallet\":\"0123456789ABCDEF0123456789ABCDEF\"}");
  cr_assert_eq(ev->source, LOGSRC_EXCHANGE);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, "{\"wallet\" : \"" WALLET "\", \"coin\""), LOGSRC_BITGO);
}

/* access logs */

Test(logsrc_accesslog, a_vhost_combined_line_and_its_time)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_ACCESSLOG,
                                     "api.example:443 2001:db8::1 - alice [01/Feb/2024:23:30:00 -0130] "
                                     "\"GET /api/v1/addresses/0x098B716B8Aaf21512996dC57EB0615e2383E2f96/balance?x=1#frag HTTP/2.0\" "
                                     "404 - \"https://ref.example/\" \"curl/8 \"\"quoted\"\"\"");
  ASSERT_FIELDS(ev, "service.type=accesslog", "url.domain=api.example", "source.address=2001:db8::1",
                "source.ip=2001:db8::1", "user.name=alice", "crypto.account=alice", "http.request.method=GET",
                "url.original=/api/v1/addresses/0x098B716B8Aaf21512996dC57EB0615e2383E2f96/balance?x=1#frag",
                "url.path=/api/v1/addresses/0x098B716B8Aaf21512996dC57EB0615e2383E2f96/balance", "url.query=x=1",
                "crypto.counterparty.address=0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "http.version=2.0",
                "http.response.status_code=404", "http.request.referrer=https://ref.example/",
                "user_agent.original=curl/8 \"quoted\"");
  cr_assert(ev->has_time);
  cr_assert_eq(ev->time_sec, 1706835600, "2024-02-01T23:30:00-01:30 is 2024-02-02T01:00:00Z");
  cr_assert_eq(ev->time_gmtoff, -5400);
}

Test(logsrc_accesslog, a_common_line_and_a_query_whose_later_keys_win)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO,
                                     "10.0.0.1 - - [14/Mar/2025:09:12:44 +0000] \"POST /w?address=A&to=B&toAddress=C%2Bd"
                                     "&coin=x&asset=USDT&amount=abc&chain=tron&network=n&z=%zz HTTP/1.1\" 200 12");
  ASSERT_FIELDS(ev, "service.type=accesslog", "source.address=10.0.0.1", "source.ip=10.0.0.1",
                "http.request.method=POST", "http.version=1.1", "http.response.status_code=200",
                "http.response.body.bytes=12",
                "url.original=/w?address=A&to=B&toAddress=C%2Bd&coin=x&asset=USDT&amount=abc&chain=tron&network=n&z=%zz",
                "url.path=/w", "url.query=address=A&to=B&toAddress=C%2Bd&coin=x&asset=USDT&amount=abc&chain=tron&network=n&z=%zz",
                "crypto.counterparty.address=C+d", "crypto.asset=USDT", "crypto.chain=tron");
  cr_assert_eq(ev->time_sec, 1741943564);
}

Test(logsrc_accesslog, path_addresses_only_when_the_query_names_none)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_ACCESSLOG,
                                     "{\"remote_addr\":\"1.2.3.4\",\"request_method\":\"GET\",\"request_uri\":"
                                     "\"/a/TJRabPrwbZy45sbavfcjinPJC18kjpRTv8/1BoatSLRHtKNngkdXEeobR76b53LETtpyT\","
                                     "\"server_protocol\":\"HTTP/1.0\",\"status\":200,\"body_bytes_sent\":\"-\","
                                     "\"http_user_agent\":\"-\",\"server_name\":\"s\",\"remote_user\":\"-\"}");
  ASSERT_FIELDS(ev, "service.type=accesslog", "source.address=1.2.3.4", "source.ip=1.2.3.4", "http.request.method=GET",
                "url.original=/a/TJRabPrwbZy45sbavfcjinPJC18kjpRTv8/1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                "url.path=/a/TJRabPrwbZy45sbavfcjinPJC18kjpRTv8/1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                "crypto.counterparty.address=TJRabPrwbZy45sbavfcjinPJC18kjpRTv8", "http.version=1.0",
                "http.response.status_code=200", "url.domain=s");
  ev = logsrc_test_read(LOGSRC_ACCESSLOG, "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"GET /x/bc1qq7p0es3dv5hcynjjf40f2x"
                        "jjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd?address=Q HTTP/1.1\" 200 1");
  g_autofree gchar *cp = logsrc_test_field(ev, "crypto.counterparty.address");
  cr_assert_str_eq(cp, "Q");
}

Test(logsrc_accesslog, malformed_lines)
{
  static const gchar *const lines[] =
  {
    "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"-\" 400 0 \"-\" \"-\"",
    "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 600 0",
    "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1",
    "1.2.3.4 - - [32/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 0",
    "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000 junk] \"GET / HTTP/1.1\" 200 0",
    "1.2.3.4 - - [14/Foo/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 0",
    "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"G3T / HTTP/1.1\" 200 0",
    "{\"remote_addr\":\"1.2.3.4\",\"status\":\"200\"}",
    "{\"remote_addr\":\"1.2.3.4\",\"status\":\"-\",\"request\":\"GET / HTTP/1.1\"}",
    "{\"remote_addr\":",
    "not an access line",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    ASSERT_UNPARSED(logsrc_test_read(LOGSRC_ACCESSLOG, lines[i]), LOGSRC_ACCESSLOG);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, lines[0]), LOGSRC_ACCESSLOG);
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, lines[10]));
}

/* endpoints and amounts: the rules every source shares */

Test(logsrc_rules, only_ip_addresses_become_ip_and_port)
{
  static const struct { const gchar *addr, *ip, *port; } cases[] =
  {
    { "192.0.2.1", "192.0.2.1", NULL },
    { "192.0.2.1:8333", "192.0.2.1", "8333" },
    { "0.0.0.0", "0.0.0.0", NULL },
    { "::", "::", NULL },
    { "::1", "::1", NULL },
    { "fe80::1:2", "fe80::1:2", NULL },
    { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", NULL },
    { "[1:2::8]:30303", "1:2::8", "30303" },
    { "192.0.2.01", NULL, NULL },
    { "256.0.0.1", NULL, NULL },
    { "192.0.2", NULL, NULL },
    { "192.0.2.1:", NULL, NULL },
    { "192.0.2.1:123456", NULL, NULL },
    { "1:2:3:4:5:6:7:8:9", NULL, NULL },
    { "1:2:3:4:5:6:7::8", NULL, NULL },
    { "1::2::3", NULL, NULL },
    { ":1::2", NULL, NULL },
    { "1::2:", NULL, NULL },
    { "12345::1", NULL, NULL },
    { "[::1]", NULL, NULL },
    { "[::1]:x", NULL, NULL },
    { "host.example:80", NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      g_autofree gchar *line = g_strdup_printf("ts=x event=login wallet=w ip=%s", cases[i].addr);
      LogsrcEvent *ev = logsrc_test_read(LOGSRC_WALLET, line);
      g_autofree gchar *ip = logsrc_test_field(ev, "source.ip");
      g_autofree gchar *port = logsrc_test_field(ev, "source.port");
      cr_assert_str_eq(ip ? ip : "(none)", cases[i].ip ? cases[i].ip : "(none)", "ip of %s", cases[i].addr);
      cr_assert_str_eq(port ? port : "(none)", cases[i].port ? cases[i].port : "(none)", "port of %s", cases[i].addr);
    }
}

/* Bitcoin Core */

Test(logsrc_bitcoind, messages_by_their_format_strings)
{
  static const struct { const gchar *line; const gchar *const fields[8]; } cases[] =
  {
    { "2025-03-14T09:02:12.123456Z New inbound detecting peer connected: version: 70016, blocks=-1, peer=3, peeraddr=[2001:db8::2]:8333, mapped_as=64500 (inbound)",
      { "event.action=peer-connected", "source.address=[2001:db8::2]:8333", "source.ip=2001:db8::2", "source.port=8333" } },
    { "2025-03-14T09:02:12Z (mocktime: 2025-01-01T00:00:00Z) [net] New block-relay-only peer connected: version: 70016, blocks=5, peer=4",
      { "event.action=peer-connected" } },
    { "2025-03-14T09:05:00Z Received a GET request for /rest/tx/ab?c=1 from 10.0.0.9:5 (id=2)",
      { "event.action=http-request", "http.request.method=GET", "url.original=/rest/tx/ab?c=1", "url.path=/rest/tx/ab",
        "url.query=c=1", "source.address=10.0.0.9:5", "source.ip=10.0.0.9", "source.port=5" } },
    { "2025-03-14T09:05:02Z [rpc] ThreadRPCServer method=getblockcount user=",
      { "event.action=getblockcount" } },
    { "2025-03-14T09:05:02Z Added connection peer=12", { "event.action=connection-added" } },
    { "2025-03-14T09:05:02Z [net:debug] [cold wallet] Submitting wtx 51e0d095f08b8539c78ff56ca4a2af5eefa43a3e6e0fa2a2cfb2a6eb67e34631 to mempool for relay",
      { "event.action=wallet-relay", "crypto.chain=bitcoin", "crypto.wallet.id=cold wallet", "crypto.account=cold wallet",
        "crypto.transaction.id=51e0d095f08b8539c78ff56ca4a2af5eefa43a3e6e0fa2a2cfb2a6eb67e34631" } },
    { "2025-03-14T09:05:02Z AddToWallet 51e0d095f08b8539c78ff56ca4a2af5eefa43a3e6e0fa2a2cfb2a6eb67e34631 ",
      { "event.action=wallet-transaction", "crypto.chain=bitcoin",
        "crypto.transaction.id=51e0d095f08b8539c78ff56ca4a2af5eefa43a3e6e0fa2a2cfb2a6eb67e34631" } },
    { "2025-03-14T09:05:02Z [unclosed AddToWallet", { NULL } },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      LogsrcEvent *ev = logsrc_test_read(LOGSRC_BITCOIND, cases[i].line);
      const gchar *want[10] = { "service.type=bitcoind" };
      for (guint j = 0; j < 8 && cases[i].fields[j]; j++)
        want[j + 1] = cases[i].fields[j];
      logsrc_test_assert_fields(ev, want);
      ev = logsrc_test_read(LOGSRC_AUTO, cases[i].line);
      cr_assert_eq(ev->source, LOGSRC_BITCOIND);
      cr_assert_eq(ev->verdict, LOGSRC_PARSED);
    }
}

Test(logsrc_bitcoind, lines_that_start_like_a_message_but_do_not_match)
{
  static const gchar *const lines[] =
  {
    "2025-03-14T09:02:12Z New inbound peer connected: version: 70016, blocks=1, peer=x",
    "2025-03-14T09:02:12Z New inbound v3 peer connected: version: 1, blocks=1, peer=1",
    "2025-03-14T09:02:12Z New inbound peer connected: version: 1, blocks=1, peer=1)",
    "2025-03-14T09:02:12Z New outbound peer connected: version: 1, blocks=1, peer=1 (block-relay",
    "2025-03-14T09:02:12Z Received a GET request for / from 1.2.3.4 (id=3",
    "2025-03-14T09:02:12Z Received a POST request for /a from",
    "2025-03-14T09:02:12Z ThreadRPCServer method=x",
    "2025-03-14T09:02:12Z ThreadRPCServer started",
    "2025-03-14T09:02:12Z connection from 1.2.3.4:5 refused",
    "2025-03-14T09:02:12Z Added connection to 1.2.3.4 peer=",
    "2025-03-14T09:02:12Z AddToWallet 51e0d095",
    "2025-03-14T09:02:12Z Submitting wtx 51e0d095f08b8539c78ff56ca4a2af5eefa43a3e6e0fa2a2cfb2a6eb67e34631 to mempool",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    ASSERT_UNPARSED(logsrc_test_read(LOGSRC_BITCOIND, lines[i]), LOGSRC_BITCOIND);
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_BITCOIND, "2025-03-14 09:02:12 not a debug.log line"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_BITCOIND, "2025-03-14T09:02:12Z"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, "2025-03-14T09:02:12.123Z three digits of micros"));
  /* the parser alone takes any 8 of [0-9:] for the time, the trial of auto HH:MM:SS */
  ASSERT_FIELDS(logsrc_test_read(LOGSRC_BITCOIND, "2025-03-14T09:00::1Z Bitcoin Core"), "service.type=bitcoind");
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, "2025-03-14T09:00::1Z Bitcoin Core"));
}

/* geth */

Test(logsrc_geth, terminal_logfmt_and_json)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_GETH,
                                     "WARN [03-14|09:12:44] Submitted contract creation  hash=0x1 from=0xF nonce=1 "
                                     "contract=0xC value=1,000");
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=warn", "event.action=submitted-contract-creation",
                "crypto.transaction.id=0x1", "crypto.address=0xF", "crypto.account=0xF",
                "crypto.counterparty.address=0xC", "crypto.amount=1000");
  ev = logsrc_test_read(LOGSRC_AUTO, "t=2025-03-14T09:14:09+0000 lvl=trce msg=\"Adding p2p peer\" conn=staticdial "
                        "addr=\"[::1]:30303\"");
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=trce", "event.action=peer-added",
                "destination.address=[::1]:30303", "destination.ip=::1", "destination.port=30303");
  ev = logsrc_test_read(LOGSRC_AUTO, "{\"t\":\"x\",\"lvl\":\"EROR\",\"msg\":\"Submitted transaction\",\"hash\":\"h\","
                        "\"from\":\"f\",\"value\":\"0x10\"}");
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=eror", "event.action=submitted-transaction",
                "crypto.transaction.id=h", "crypto.address=f", "crypto.account=f");
  cr_assert(ev->no_amount, "a hex value is not a decimal amount");
}

Test(logsrc_geth, the_message_ends_where_the_pairs_begin)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_GETH, "INFO [03-14|09:12:44.120] Looking for peers a=b c  peercount=1");
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=info");
  /* a message of its own words with '=' in them, and a pair that names msg */
  ev = logsrc_test_read(LOGSRC_GETH, "DEBUG[03-14|09:12:44.120] x=1 msg=\"Adding p2p peer\" addr=1.2.3.4:1 conn=inbound");
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=debug", "event.action=peer-added", "source.address=1.2.3.4:1",
                "source.ip=1.2.3.4", "source.port=1");
}

Test(logsrc_geth, malformed_lines)
{
  static const gchar *const lines[] =
  {
    "INFO [03-14|09:4",
    "INFO [03-14|09:12:44.12] x",
    "INFO [03-14|09:12:44]x",
    "INFO  [03-14|09:12:44] x",
    "INFO [03-14|09:12:44] Adding p2p peer                 id=1",
    "INFO [03-14|09:12:44] Submitted transaction           hash=0x1",
    "{\"lvl\":\"info\"}",
    "{\"lvl\":\"info\",\"msg\":",
    "plain text",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    ASSERT_UNPARSED(logsrc_test_read(LOGSRC_GETH, lines[i]), LOGSRC_GETH);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, lines[0]), LOGSRC_GETH);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, "{\"t\":1, \"lvl\" :\"info\""), LOGSRC_GETH);
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, "{\"lvl\":\"info\",\"msg\":\"no t: not geth's for auto\"}"));
}

/* wallet services */

Test(logsrc_wallet, an_event_and_the_keys_that_win)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_WALLET,
                                     "service=s op=o action=a event=broadcast customer=c account=acct vault=v wallet=w "
                                     "from=f source_address=s to=t address=ad value=2 amount=\"-3.5\" coin=c2 asset=a2 "
                                     "network=n chain=ch hash=h txid=tx remote_addr=r src_ip=192.0.2.9 user=\"ops admin\"");
  ASSERT_FIELDS(ev, "service.type=wallet", "event.action=broadcast", "crypto.account=acct", "crypto.wallet.id=w",
                "crypto.address=f", "crypto.counterparty.address=t", "crypto.amount=3.5", "crypto.asset=a2",
                "crypto.chain=ch", "crypto.transaction.id=tx", "source.address=192.0.2.9", "source.ip=192.0.2.9",
                "user.name=ops admin");
}

Test(logsrc_wallet, lines_left_alone_and_malformed_events)
{
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_WALLET, "IN=eth0 OUT= SRC=1.2.3.4 PROTO=TCP"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_WALLET, " event=x wallet=w"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_WALLET, "ts=1 stop=1 wallet=w"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_WALLET, "ts=1 event= wallet=w"));
  ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, "Accepted publickey for deploy from 198.51.100.1 port 40000 ssh2"));
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_WALLET, "op=sign to=0x1 amount=1"), LOGSRC_WALLET);
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, "op=SendRaw vault=v amount=1,5");
  ASSERT_FIELDS(ev, "service.type=wallet", "event.action=SendRaw", "crypto.wallet.id=v", "crypto.account=v");
  cr_assert(ev->no_amount);
}

/* auto */

Test(logsrc_auto, broken_json_is_blamed_on_the_source_whose_key_it_names)
{
  static const struct { const gchar *line; LogsrcSource source; } cases[] =
  {
    { "{\"eventVersion\":", LOGSRC_CLOUDTRAIL },
    { " \t{\"x\":1, \"tenantId\"", LOGSRC_FIREBLOCKS },
    { "{\"wallet\":\"" WALLET, LOGSRC_BITGO },
    { "{\"wallet\":\"0123\"", LOGSRC_EXCHANGE },
    { "{\"lvl\" : 1,", LOGSRC_GETH },
    { "{\"remote_addr\":1", LOGSRC_ACCESSLOG },
    { "{\"remote_addr\"}", LOGSRC_EXCHANGE },
    { "{", LOGSRC_EXCHANGE },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    ASSERT_UNPARSED(logsrc_test_read(LOGSRC_AUTO, cases[i].line), cases[i].source);
}

Test(logsrc_auto, the_first_token_routes_every_text_format)
{
  static const struct { const gchar *line; LogsrcSource source; } cases[] =
  {
    { "::1 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1", LOGSRC_ACCESSLOG },
    { "fe80::1 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1", LOGSRC_ACCESSLOG },
    { "h.example:8080 10.0.0.1 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1", LOGSRC_ACCESSLOG },
    { "2025-03-14T09:02:12Z [net] hello", LOGSRC_BITCOIND },
    { "DEBUG[03-14|09:12:44] x", LOGSRC_GETH },
    { "CRIT [03-14|09:12:44] x", LOGSRC_GETH },
    { "t=2025 lvl=info msg=x", LOGSRC_GETH },
    { "_k=1 action=deposit account=a", LOGSRC_WALLET },
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, cases[i].line);
      cr_assert_eq(ev->verdict, LOGSRC_PARSED, "%s", cases[i].line);
      cr_assert_eq(ev->source, cases[i].source, "%s: %s", cases[i].line, logsrc_source_name(ev->source));
    }
}

/* apache-accesslog-parser() reads a line that starts like vhost:port as
 * vhost_combined, and when that fails (the time, the status, the method)
 * as a plain combined line: so did the former SCL parser, whose if/else
 * took the other branch */
Test(logsrc_accesslog, a_vhost_reading_that_fails_is_read_again_without)
{
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, "12:34 - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1");
  ASSERT_FIELDS(ev, "service.type=accesslog", "source.address=12:34", "http.request.method=GET", "url.original=/",
                "url.path=/", "http.version=1.1", "http.response.status_code=200", "http.response.body.bytes=1");
  ev = logsrc_test_read(LOGSRC_ACCESSLOG, "a:1 b - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1");
  ASSERT_FIELDS(ev, "service.type=accesslog", "url.domain=a", "source.address=b", "http.request.method=GET",
                "url.original=/", "url.path=/", "http.version=1.1", "http.response.status_code=200",
                "http.response.body.bytes=1");
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_ACCESSLOG, "a:1 1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"G3T / HTTP/1.1\" 200 1"),
                  LOGSRC_ACCESSLOG);
  ASSERT_UNPARSED(logsrc_test_read(LOGSRC_ACCESSLOG, "a:1 - - - [14/Mar/2025:09:12:44 +0000] \"GET / HTTP/1.1\" 200 1"),
                  LOGSRC_ACCESSLOG);
}

Test(logsrc_auto, lines_no_reader_knows_are_left_alone)
{
  static const gchar *const lines[] =
  {
    "", " ", "pam_unix(sshd:session): session opened for user deploy(uid=1001)",
    "kernel: [12345.678] eth0: link up", "{\"some\":\"json\"}", "[1,2]", "\x01\xff\xfe", "INFO without a bracket",
    "2025-03-14 09:00:00 INFO app started", "Mar 14 09:00:00 host sshd[1]: x=1 event=y",
    "1k=1 event=x wallet=w", "-=1 event=x", "TRACEX[03-14|09:12:44] x", "t =1 lvl=info x",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    ASSERT_IGNORED(logsrc_test_read(LOGSRC_AUTO, lines[i]));
}

Test(logsrc_auto, names_round_trip)
{
  for (gint s = 0; s <= LOGSRC_AUTO; s++)
    {
      LogsrcSource back;
      cr_assert(logsrc_source_by_name(logsrc_source_name(s), &back));
      cr_assert_eq(back, s);
    }
  LogsrcKeyOption k;
  cr_assert(logsrc_key_option_by_name("counterparty_key", &k));
  cr_assert_eq(k, LOGSRC_KEY_COUNTERPARTY);
  cr_assert(logsrc_key_option_by_name("ip-key", &k));
  cr_assert_not(logsrc_key_option_by_name("ip-keys", &k));
  cr_assert_not(logsrc_source_by_name("ethereum", &(LogsrcSource) { 0 }));
}

/* hostile: megabytes of what each reader finds hardest, in one pass and
 * within the scratch it was lent (the helper checks that) */
Test(logsrc_auto, hostile_lines)
{
  GString *t = g_string_new("INFO [03-14|09:12:44] ");
  while (t->len < 4 * MB)
    g_string_append(t, "a ");
  g_string_append(t, "       k=v");
  LogsrcEvent *ev = logsrc_test_read(LOGSRC_AUTO, t->str);
  ASSERT_FIELDS(ev, "service.type=geth", "log.level=info");

  g_string_assign(t, "2025-03-14T09:02:12Z ");
  while (t->len < 4 * MB)
    g_string_append(t, "[x] ");
  ev = logsrc_test_read(LOGSRC_AUTO, t->str);
  ASSERT_FIELDS(ev, "service.type=bitcoind");

  g_string_assign(t, "1.2.3.4 - - [14/Mar/2025:09:12:44 +0000] \"GET /?");
  while (t->len < 4 * MB)
    g_string_append(t, "address=%41%42&to=&");
  g_string_append(t, " HTTP/1.1\" 200 1 \"\"\"\"\"\" \"");
  ev = logsrc_test_read(LOGSRC_AUTO, t->str);
  g_autofree gchar *cp = logsrc_test_field(ev, "crypto.counterparty.address");
  cr_assert_str_eq(cp, "AB");

  g_string_assign(t, "op=sign wallet=w ");
  while (t->len < 4 * MB)
    g_string_append(t, "= = \"x\" k='");
  ev = logsrc_test_read(LOGSRC_AUTO, t->str);
  cr_assert_eq(ev->source, LOGSRC_WALLET);
  g_string_free(t, TRUE);
}
