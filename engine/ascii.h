/* ascii.h: ASCII case and hex digits, the byte helpers every layer of the
 * engine shares.
 *
 * They sit below both the address checksums (engine/chains/) and the
 * normaliser and scanner that call them, so that the chains include nothing
 * of the engine above them.  Inline: they run per byte on the scanner's path,
 * where g_ascii_tolower() and g_ascii_xdigit_value() would be function calls.
 */
#ifndef DI_ASCII_H
#define DI_ASCII_H

#include <glib.h>

/* ASCII lower case; every other byte unchanged. */
static inline gchar
di_ascii_lower(gchar c)
{
  return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/* The value of a hex digit, -1 for any other byte. */
static inline gint
di_hex_digit(gchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#endif
