/* logsrc-cloudtrail.c: AWS CloudTrail records, one JSON object a line (as
 * CloudWatch Logs delivers them, or as `jq -c '.Records[]'` splits a log
 * file from S3).  A record has eventVersion and eventSource; one without
 * eventName is malformed.
 */
#include "logsrc-sources.h"

enum { CT_VERSION, CT_SOURCE, CT_NAME, CT_KEYS };

static const gchar *const ct_keys[CT_KEYS] = { "eventVersion", "eventSource", "eventName" };

/* of several keys of a field, the one listed last wins */
static const LogsrcRenameSpec ct_fields[] =
{
  { "eventName", LOGSRC_EVENT_ACTION },
  { "eventSource", LOGSRC_EVENT_PROVIDER },
  { "eventID", LOGSRC_EVENT_ID },
  { "awsRegion", LOGSRC_CLOUD_REGION },
  { "userIdentity.accountId", LOGSRC_CLOUD_ACCOUNT_ID },
  { "recipientAccountId", LOGSRC_CLOUD_ACCOUNT_ID },
  { "userIdentity.principalId", LOGSRC_USER_ID },
  { "userIdentity.sessionContext.sessionIssuer.userName", LOGSRC_USER_NAME },
  { "userIdentity.userName", LOGSRC_USER_NAME },
  { "sourceIPAddress", LOGSRC_SOURCE_ADDRESS },
  { "userAgent", LOGSRC_USER_AGENT },
  { "errorCode", LOGSRC_ERROR_CODE },
  /* the account an incident is keyed by: the principal's ARN */
  { "userIdentity.arn", LOGSRC_CRYPTO_ACCOUNT },
};

void
logsrc_cloudtrail_setup(LogsrcSlots *self, LogsrcKeys *keys)
{
  logsrc_slots_add(self, keys, ct_keys, CT_KEYS);
  logsrc_program_compile(&self->program, keys, ct_fields, G_N_ELEMENTS(ct_fields), NULL);
}

gboolean
logsrc_cloudtrail_is_record(const LogsrcSlots *self, const LogsrcDoc *doc)
{
  return logsrc_slot_has(self, doc, CT_VERSION) && logsrc_slot_has(self, doc, CT_SOURCE);
}

void
logsrc_cloudtrail_map(const LogsrcSlots *self, const LogsrcDoc *doc, LogsrcEvent *ev)
{
  if (!logsrc_slot_has(self, doc, CT_NAME))
    {
      logsrc_event_unparsed(ev, LOGSRC_CLOUDTRAIL);
      return;
    }
  logsrc_event_parsed(ev, LOGSRC_CLOUDTRAIL);
  logsrc_event_set_str(ev, LOGSRC_SERVICE_TYPE, "cloudtrail");
  logsrc_event_set_str(ev, LOGSRC_CLOUD_PROVIDER, "aws");
  logsrc_program_run(&self->program, doc, ev);
  logsrc_event_fallback(ev, LOGSRC_CRYPTO_ACCOUNT, LOGSRC_USER_ID);
  logsrc_event_set_str(ev, LOGSRC_EVENT_OUTCOME, logsrc_event_has(ev, LOGSRC_ERROR_CODE) ? "failure" : "success");
  /* an AWS service calling on a principal's behalf is a host name
   * (ec2.amazonaws.com): it stays the address, with no ip */
  logsrc_event_endpoint(ev, LOGSRC_SOURCE_ADDRESS);
}
