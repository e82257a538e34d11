/* hunt-input.h: an archive opened for the retro-hunt, read as plain text.
 *
 * The format is told by the content, not by the name (a rotated log may be
 * gzip without ".gz", or the other way round): gzip (and zlib) streams,
 * zstd frames when built with libzstd, anything else is plain text.
 * Concatenated gzip members and zstd frames are read one after the other,
 * as zcat and zstdcat do.  "-" is standard input.
 */
#ifndef DI_TOOL_HUNT_INPUT_H
#define DI_TOOL_HUNT_INPUT_H

#include <glib.h>

typedef enum
{
  DI_INPUT_PLAIN,
  DI_INPUT_GZIP,
  DI_INPUT_ZSTD,
} DiInputFormat;

typedef struct _DiHuntInput DiHuntInput;

/* NULL with error set when path cannot be opened or its format is not
 * supported by this build. */
DiHuntInput *di_hunt_input_open(const gchar *path, GError **error);
void di_hunt_input_close(DiHuntInput *self);

DiInputFormat di_hunt_input_format(const DiHuntInput *self);
const gchar *di_hunt_input_format_name(DiInputFormat format);
/* A plain regular file: read it by ranges with pread() on this descriptor
 * instead (the descriptor stays owned by the input). -1 otherwise. */
gint di_hunt_input_plain_fd(const DiHuntInput *self, guint64 *size);

/* Reads up to cap bytes of text.  Returns the count, 0 at the end, -1 with
 * error set when the file is corrupt or truncated (what came before it was
 * returned already). */
gssize di_hunt_input_read(DiHuntInput *self, guint8 *buf, gsize cap, GError **error);

/* File bytes consumed so far (compressed bytes for an archive): progress. */
guint64 di_hunt_input_consumed(const DiHuntInput *self);

#endif
