/* feed-formats.c: the table of feed readers.  A new format is one line here
 * and one in feed-formats.h. */
#include "feed-formats.h"

const DiFeedFormat *const di_feed_formats[] =
{
  &di_feed_format_csv,
  &di_feed_format_stix,
  &di_feed_format_misp,
  &di_feed_format_ofac_csv,
  &di_feed_format_ofac_comments,
  &di_feed_format_ofac_xml,
  &di_feed_format_ioc_csv,   /* after the formats whose head could pass for a CSV header */
  &di_feed_format_plain,     /* anything textual: must stay last */
  NULL
};
