/* hunt-output.c: ordered printing of the hunt's matches (see the header).
 *
 * One lock guards the segment lists and the output stream: printing is rare
 * (matching lines only) and short.
 */
#include "hunt-output.h"
#include <json.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  gchar *name_json;      /* the path as given, as a JSON string */
  GPtrArray *segments;   /* of DiHuntSegment*, NULL once printed */
  guint printed;         /* segments printed */
  guint64 lines;         /* lines in the printed segments */
  gboolean complete;     /* no segment will be added */
} DiHuntFileOut;

struct _DiHuntOutput
{
  GMutex lock;
  FILE *out;
  DiHuntFileOut *files;
  guint n_files;
  guint next_file;       /* the first file not printed completely */
  guint64 matches;
};

DiHuntOutput *
di_hunt_output_new(FILE *out, const gchar *const *paths, guint n_paths)
{
  DiHuntOutput *self = g_new0(DiHuntOutput, 1);
  g_mutex_init(&self->lock);
  self->out = out;
  self->n_files = n_paths;
  self->files = g_new0(DiHuntFileOut, MAX(n_paths, 1));
  for (guint i = 0; i < n_paths; i++)
    {
      json_object *name = json_object_new_string(paths[i]);
      self->files[i].name_json = g_strdup(json_object_to_json_string_ext(name, JSON_C_TO_STRING_NOSLASHESCAPE));
      json_object_put(name);
      self->files[i].segments = g_ptr_array_new();
    }
  return self;
}

static void
_segment_free(gpointer data)
{
  DiHuntSegment *seg = data;
  if (!seg)
    return;
  g_string_free(seg->matches, TRUE);
  g_free(seg);
}

void
di_hunt_output_free(DiHuntOutput *self)
{
  for (guint i = 0; i < self->n_files; i++)
    {
      for (guint s = 0; s < self->files[i].segments->len; s++)
        _segment_free(self->files[i].segments->pdata[s]);
      g_ptr_array_free(self->files[i].segments, TRUE);
      g_free(self->files[i].name_json);
    }
  g_free(self->files);
  g_mutex_clear(&self->lock);
  g_free(self);
}

DiHuntSegment *
di_hunt_output_add_segment(DiHuntOutput *self, guint file)
{
  DiHuntSegment *seg = g_new0(DiHuntSegment, 1);
  seg->matches = g_string_new(NULL);
  g_mutex_lock(&self->lock);
  g_ptr_array_add(self->files[file].segments, seg);
  g_mutex_unlock(&self->lock);
  return seg;
}

void
di_hunt_segment_add_match(DiHuntSegment *seg, guint64 local_line, const GString *members)
{
  g_string_append_printf(seg->matches, "%" G_GUINT64_FORMAT "\t", local_line);
  g_string_append_len(seg->matches, members->str, members->len);
  g_string_append_c(seg->matches, '\n');
}

/* members are JSON on one line: json-c escapes every control character */
static void
_print_segment(DiHuntOutput *self, DiHuntFileOut *f, const DiHuntSegment *seg)
{
  const gchar *p = seg->matches->str, *end = p + seg->matches->len;
  while (p < end)
    {
      gchar *tab;
      guint64 local = g_ascii_strtoull(p, &tab, 10);
      const gchar *nl = memchr(tab, '\n', end - tab);
      fprintf(self->out, "{\"file\":%s,\"line\":%" G_GUINT64_FORMAT ",%.*s}\n", f->name_json, f->lines + local,
              (gint) (nl - tab - 1), tab + 1);
      self->matches++;
      p = nl + 1;
    }
}

static void
_print_ready(DiHuntOutput *self)
{
  gboolean printed = FALSE;
  while (self->next_file < self->n_files)
    {
      DiHuntFileOut *f = &self->files[self->next_file];
      while (f->printed < f->segments->len)
        {
          DiHuntSegment *seg = f->segments->pdata[f->printed];
          if (!seg->done)
            break;
          _print_segment(self, f, seg);
          printed |= seg->matches->len > 0;
          f->lines += seg->lines;
          _segment_free(seg);
          f->segments->pdata[f->printed++] = NULL;
        }
      if (!f->complete || f->printed < f->segments->len)
        break;
      self->next_file++;
    }
  if (printed)
    fflush(self->out);
}

void
di_hunt_output_segment_done(DiHuntOutput *self, guint file, DiHuntSegment *seg)
{
  g_mutex_lock(&self->lock);
  seg->done = TRUE;
  _print_ready(self);
  g_mutex_unlock(&self->lock);
}

void
di_hunt_output_file_done(DiHuntOutput *self, guint file)
{
  g_mutex_lock(&self->lock);
  self->files[file].complete = TRUE;
  _print_ready(self);
  g_mutex_unlock(&self->lock);
}

guint64
di_hunt_output_matches(DiHuntOutput *self)
{
  g_mutex_lock(&self->lock);
  guint64 n = self->matches;
  g_mutex_unlock(&self->lock);
  return n;
}
