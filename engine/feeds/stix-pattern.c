/* stix-pattern.c: lexer and recursive-descent parser for STIX 2.1 patterns.
 *
 * The grammar follows the STIX 2.1 patterning specification (section 9):
 *
 *   pattern     := obs_seq EOF
 *   obs_seq     := obs_or ( FOLLOWEDBY obs_or )*
 *   obs_or      := obs_and ( OR obs_and )*
 *   obs_and     := obs_unit ( AND obs_unit )*
 *   obs_unit    := ( '[' cmp_or ']' | '(' obs_seq ')' ) qualifier*
 *   qualifier   := WITHIN number SECONDS | REPEATS int TIMES | START t'..' STOP t'..'
 *   cmp_or      := cmp_and ( OR cmp_and )*
 *   cmp_and     := cmp_unit ( AND cmp_unit )*
 *   cmp_unit    := '(' cmp_or ')' | EXISTS path | path [NOT] operator operand
 *   path        := type ':' step ( '.' step | '[' ( int | '*' ) ']' )*
 *   step        := identifier | 'quoted string'
 *
 * Keywords are accepted in any letter case: feeds written by hand use both.
 * Nesting is capped so that a hostile feed cannot exhaust the stack.
 */
#include "stix-pattern.h"
#include <string.h>

#define MAX_DEPTH 64

G_DEFINE_QUARK(di-stix-pattern-error-quark, di_stix_pattern_error)

typedef enum
{
  TOK_EOF, TOK_LBRACK, TOK_RBRACK, TOK_LPAREN, TOK_RPAREN, TOK_COLON, TOK_DOT, TOK_COMMA, TOK_STAR,
  TOK_OP, TOK_STRING, TOK_TYPED_STRING, TOK_NUMBER, TOK_IDENT
} TokKind;

typedef struct
{
  TokKind kind;
  gsize start, end;      /* byte offsets in the pattern */
  gchar prefix;          /* 't', 'h' or 'b' of a typed string */
  GString *text;         /* unescaped string content, or the token as written */
} Token;

typedef struct
{
  const gchar *src;
  gsize len, pos;
  Token tok;
  guint depth;
  GError *error;
  DiStixPattern *out;
  gsize column_offset;   /* the last offset _column() was asked for ... */
  guint column_at;       /* ... and its column */
} Parser;

/* Columns count characters, not bytes, so that they agree with an editor.
 * Comparisons ask in pattern order: each call counts on from the last one,
 * so a pattern costs one pass however many comparisons it holds (counting
 * from the start for each was quadratic: 5 s for a 690 KB pattern). */
static guint
_column(Parser *p, gsize offset)
{
  offset = MIN(offset, p->len);
  if (offset < p->column_offset)
    {
      p->column_offset = 0;   /* an error message about an earlier token */
      p->column_at = 1;
    }
  for (gsize i = p->column_offset; i < offset; i++)
    if (((guchar) p->src[i] & 0xC0) != 0x80)
      p->column_at++;
  p->column_offset = offset;
  return p->column_at;
}

static gboolean
_fail(Parser *p, gsize offset, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);

static gboolean
_fail(Parser *p, gsize offset, const gchar *fmt, ...)
{
  if (p->error)
    return FALSE;
  va_list args;
  va_start(args, fmt);
  gchar *what = g_strdup_vprintf(fmt, args);
  va_end(args);
  p->error = g_error_new(DI_STIX_PATTERN_ERROR, 0, "column %u: %s", _column(p, offset), what);
  g_free(what);
  return FALSE;
}

/* How the current token reads in a message: "'OR'" or "the end of the pattern". */
static gchar *
_describe(Parser *p)
{
  if (p->tok.kind == TOK_EOF)
    return g_strdup("the end of the pattern");
  gsize n = MIN(p->tok.end - p->tok.start, 40);
  return g_strdup_printf("'%.*s%s'", (gint) n, p->src + p->tok.start, n < p->tok.end - p->tok.start ? "..." : "");
}

static gboolean
_expected(Parser *p, const gchar *what)
{
  gchar *found = _describe(p);
  _fail(p, p->tok.start, "expected %s, found %s", what, found);
  g_free(found);
  return FALSE;
}

/* Reads a quoted string whose opening quote is at p->pos. */
static gboolean
_lex_string(Parser *p)
{
  gsize open = p->pos++;
  while (p->pos < p->len)
    {
      gchar c = p->src[p->pos++];
      if (c == '\'')
        return TRUE;
      if (c == '\\')
        {
          if (p->pos >= p->len)
            break;
          c = p->src[p->pos++];
          if (c != '\'' && c != '\\')
            return _fail(p, p->pos - 2, "invalid escape '\\%c' in a string (only \\' and \\\\ are allowed)", c);
        }
      g_string_append_c(p->tok.text, c);
    }
  return _fail(p, open, "string not closed: a ' is missing");
}

static gboolean
_is_ident_start(gchar c)
{
  return g_ascii_isalpha(c) || c == '_';
}

static gboolean
_is_ident_char(gchar c)
{
  return g_ascii_isalnum(c) || c == '_' || c == '-';
}

static gboolean
_lex_number(Parser *p)
{
  if (p->src[p->pos] == '-' || p->src[p->pos] == '+')
    p->pos++;
  while (p->pos < p->len && (g_ascii_isdigit(p->src[p->pos]) || p->src[p->pos] == '.'))
    p->pos++;
  p->tok.kind = TOK_NUMBER;
  return TRUE;
}

static gboolean
_lex_operator(Parser *p)
{
  gchar c = p->src[p->pos];
  gchar n = p->pos + 1 < p->len ? p->src[p->pos + 1] : '\0';
  if (c == '!' && n != '=')
    return _fail(p, p->pos, "'!' must be followed by '=' (the operator is !=)");
  p->pos += (n == '=' && c != '=') ? 2 : 1;
  p->tok.kind = TOK_OP;
  return TRUE;
}

static gboolean
_lex_word(Parser *p)
{
  gchar c = p->src[p->pos];
  if ((c == 't' || c == 'h' || c == 'b') && p->pos + 1 < p->len && p->src[p->pos + 1] == '\'')
    {
      p->tok.prefix = c;
      p->pos++;
      p->tok.kind = TOK_TYPED_STRING;
      return _lex_string(p);
    }
  while (p->pos < p->len && _is_ident_char(p->src[p->pos]))
    p->pos++;
  p->tok.kind = TOK_IDENT;
  return TRUE;
}

static gboolean
_lex_punct(Parser *p)
{
  static const gchar punct[] = "[]():.,*";
  static const TokKind kinds[] = { TOK_LBRACK, TOK_RBRACK, TOK_LPAREN, TOK_RPAREN, TOK_COLON, TOK_DOT, TOK_COMMA,
                                   TOK_STAR };
  const gchar *hit = strchr(punct, p->src[p->pos]);
  if (!hit || !*hit)
    return _fail(p, p->pos, "unexpected character '%c'", p->src[p->pos]);
  p->tok.kind = kinds[hit - punct];
  p->pos++;
  return TRUE;
}

/* Moves to the next token. */
static gboolean
_next(Parser *p)
{
  while (p->pos < p->len && g_ascii_isspace(p->src[p->pos]))
    p->pos++;
  g_string_truncate(p->tok.text, 0);
  p->tok.start = p->pos;
  p->tok.prefix = 0;
  gboolean ok;
  if (p->pos >= p->len)
    {
      p->tok.kind = TOK_EOF;
      ok = TRUE;
    }
  else
    {
      gchar c = p->src[p->pos];
      gchar n = p->pos + 1 < p->len ? p->src[p->pos + 1] : '\0';
      if (c == '\'')
        {
          p->tok.kind = TOK_STRING;
          ok = _lex_string(p);
        }
      else if (g_ascii_isdigit(c) || ((c == '-' || c == '+') && g_ascii_isdigit(n)))
        ok = _lex_number(p);
      else if (strchr("=!<>", c))
        ok = _lex_operator(p);
      else if (_is_ident_start(c))
        ok = _lex_word(p);
      else
        ok = _lex_punct(p);
    }
  p->tok.end = p->pos;
  if (p->tok.kind != TOK_STRING && p->tok.kind != TOK_TYPED_STRING)
    g_string_append_len(p->tok.text, p->src + p->tok.start, p->tok.end - p->tok.start);
  return ok;
}

static gboolean
_is_keyword(Parser *p, const gchar *keyword)
{
  return p->tok.kind == TOK_IDENT && g_ascii_strcasecmp(p->tok.text->str, keyword) == 0;
}

static gboolean
_expect(Parser *p, TokKind kind, const gchar *what)
{
  if (p->tok.kind != kind)
    return _expected(p, what);
  return _next(p);
}

static gboolean
_expect_keyword(Parser *p, const gchar *keyword)
{
  if (!_is_keyword(p, keyword))
    {
      gchar *what = g_strdup_printf("'%s'", keyword);
      _expected(p, what);
      g_free(what);
      return FALSE;
    }
  return _next(p);
}

static void
_comparison_free(gpointer data)
{
  DiStixComparison *c = data;
  g_free(c->object);
  g_strfreev(c->path);
  g_free(c->op);
  g_free(c->value);
  g_free(c);
}

/* path := type ':' step ( '.' step | '[' (int | '*') ']' )* */
static gboolean
_path(Parser *p, DiStixComparison *c)
{
  if (p->tok.kind != TOK_IDENT)
    return _expected(p, "an object path such as ipv4-addr:value");
  c->column = _column(p, p->tok.start);
  c->object = g_strdup(p->tok.text->str);
  if (!_next(p) || !_expect(p, TOK_COLON, "':' after the object type"))
    return FALSE;

  GPtrArray *steps = g_ptr_array_new();
  gboolean ok = TRUE;
  if (p->tok.kind == TOK_IDENT || p->tok.kind == TOK_STRING)
    {
      g_ptr_array_add(steps, g_strdup(p->tok.text->str));
      ok = _next(p);
    }
  else
    ok = _expected(p, "a property name after ':'");
  while (ok && (p->tok.kind == TOK_DOT || p->tok.kind == TOK_LBRACK))
    {
      if (p->tok.kind == TOK_DOT)
        {
          ok = _next(p);
          if (ok && p->tok.kind != TOK_IDENT && p->tok.kind != TOK_STRING)
            ok = _expected(p, "a property name after '.'");
          if (ok)
            g_ptr_array_add(steps, g_strdup(p->tok.text->str));
          ok = ok && _next(p);
          continue;
        }
      ok = _next(p);
      if (ok && p->tok.kind != TOK_NUMBER && p->tok.kind != TOK_STAR)
        ok = _expected(p, "a list index or '*'");
      if (ok)
        g_ptr_array_add(steps, g_strdup_printf("[%s]", p->tok.text->str));
      ok = ok && _next(p) && _expect(p, TOK_RBRACK, "']' after the list index");
    }
  g_ptr_array_add(steps, NULL);
  c->path = (gchar **) g_ptr_array_free(steps, FALSE);
  return ok;
}

/* A literal on the right of =, !=, <, ... and inside IN (...). */
static gboolean
_literal(Parser *p, DiStixComparison *c)
{
  switch (p->tok.kind)
    {
    case TOK_STRING:
    case TOK_TYPED_STRING:
    case TOK_NUMBER:
      break;
    case TOK_IDENT:
      if (_is_keyword(p, "true") || _is_keyword(p, "false"))
        break;
    /* fall through */
    default:
      return _expected(p, "a value (a 'string', a number, true, false, t'...', h'...' or b'...')");
    }
  if (c)
    {
      g_free(c->value);
      c->value = g_strdup(p->tok.text->str);
      c->is_string = p->tok.kind == TOK_STRING;
    }
  return _next(p);
}

static gboolean
_set(Parser *p)
{
  if (!_expect(p, TOK_LPAREN, "'(' to start the set of values after IN"))
    return FALSE;
  if (!_literal(p, NULL))
    return FALSE;
  while (p->tok.kind == TOK_COMMA)
    if (!_next(p) || !_literal(p, NULL))
      return FALSE;
  return _expect(p, TOK_RPAREN, "',' or ')' in the set of values");
}

static gboolean
_operator_and_operand(Parser *p, DiStixComparison *c, gboolean negated)
{
  static const gchar *const string_ops[] = { "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", NULL };
  const gchar *prefix = negated ? "NOT " : "";

  if (p->tok.kind == TOK_OP)
    {
      c->op = g_strconcat(prefix, p->tok.text->str, NULL);
      return _next(p) && _literal(p, c);
    }
  if (_is_keyword(p, "IN"))
    {
      c->op = g_strconcat(prefix, "IN", NULL);
      return _next(p) && _set(p);
    }
  for (const gchar *const *op = string_ops; *op; op++)
    if (_is_keyword(p, *op))
      {
        c->op = g_strconcat(prefix, *op, NULL);
        if (!_next(p))
          return FALSE;
        if (p->tok.kind != TOK_STRING)
          return _expected(p, "a 'string' after the operator");
        return _literal(p, c);
      }
  return _expected(p, "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
}

static gboolean _cmp_or(Parser *p);
static gboolean _obs_seq(Parser *p);

static gboolean
_enter(Parser *p)
{
  if (++p->depth > MAX_DEPTH)
    return _fail(p, p->tok.start, "nested more than %d levels deep", MAX_DEPTH);
  return TRUE;
}

/* cmp_unit := '(' cmp_or ')' | EXISTS path | path [NOT] operator operand */
static gboolean
_cmp_unit(Parser *p)
{
  if (p->tok.kind == TOK_LPAREN)
    {
      gsize open = p->tok.start;
      if (!_enter(p) || !_next(p) || !_cmp_or(p))
        return FALSE;
      p->depth--;
      if (p->tok.kind != TOK_RPAREN)
        {
          gchar *what = g_strdup_printf("')' to close the '(' at column %u", _column(p, open));
          _expected(p, what);
          g_free(what);
          return FALSE;
        }
      return _next(p);
    }

  DiStixComparison *c = g_new0(DiStixComparison, 1);
  g_ptr_array_add(p->out->comparisons, c);
  if (_is_keyword(p, "EXISTS"))
    {
      c->op = g_strdup("EXISTS");
      return _next(p) && _path(p, c);
    }
  if (!_path(p, c))
    return FALSE;
  gboolean negated = _is_keyword(p, "NOT");
  if (negated && !_next(p))
    return FALSE;
  return _operator_and_operand(p, c, negated);
}

static gboolean
_cmp_and(Parser *p)
{
  if (!_cmp_unit(p))
    return FALSE;
  while (_is_keyword(p, "AND"))
    if (!_next(p) || !_cmp_unit(p))
      return FALSE;
  return TRUE;
}

static gboolean
_cmp_or(Parser *p)
{
  if (!_cmp_and(p))
    return FALSE;
  while (_is_keyword(p, "OR"))
    if (!_next(p) || !_cmp_and(p))
      return FALSE;
  return TRUE;
}

static gboolean
_qualifier(Parser *p)
{
  p->out->has_qualifiers = TRUE;
  if (_is_keyword(p, "WITHIN"))
    return _next(p) && _expect(p, TOK_NUMBER, "a number of seconds after WITHIN") && _expect_keyword(p, "SECONDS");
  if (_is_keyword(p, "REPEATS"))
    return _next(p) && _expect(p, TOK_NUMBER, "a count after REPEATS") && _expect_keyword(p, "TIMES");
  /* START t'...' STOP t'...' */
  if (!_next(p))
    return FALSE;
  if (p->tok.kind != TOK_TYPED_STRING || p->tok.prefix != 't')
    return _expected(p, "a timestamp t'...' after START");
  if (!_next(p) || !_expect_keyword(p, "STOP"))
    return FALSE;
  if (p->tok.kind != TOK_TYPED_STRING || p->tok.prefix != 't')
    return _expected(p, "a timestamp t'...' after STOP");
  return _next(p);
}

/* obs_unit := ( '[' cmp_or ']' | '(' obs_seq ')' ) qualifier* */
static gboolean
_obs_unit(Parser *p)
{
  gsize open = p->tok.start;
  TokKind close;
  if (p->tok.kind == TOK_LBRACK)
    {
      if (!_next(p) || !_cmp_or(p))
        return FALSE;
      close = TOK_RBRACK;
    }
  else if (p->tok.kind == TOK_LPAREN)
    {
      if (!_enter(p) || !_next(p) || !_obs_seq(p))
        return FALSE;
      p->depth--;
      close = TOK_RPAREN;
    }
  else
    return _expected(p, "'[' to start an observation");

  if (p->tok.kind != close)
    {
      gchar *what = g_strdup_printf("%s to close the '%c' at column %u",
                                    close == TOK_RBRACK ? "AND, OR or ']'" : "')'",
                                    close == TOK_RBRACK ? '[' : '(', _column(p, open));
      _expected(p, what);
      g_free(what);
      return FALSE;
    }
  if (!_next(p))
    return FALSE;
  while (_is_keyword(p, "WITHIN") || _is_keyword(p, "REPEATS") || _is_keyword(p, "START"))
    if (!_qualifier(p))
      return FALSE;
  return TRUE;
}

static gboolean
_obs_and(Parser *p)
{
  if (!_obs_unit(p))
    return FALSE;
  while (_is_keyword(p, "AND"))
    if (!_next(p) || !_obs_unit(p))
      return FALSE;
  return TRUE;
}

static gboolean
_obs_or(Parser *p)
{
  if (!_obs_and(p))
    return FALSE;
  while (_is_keyword(p, "OR"))
    if (!_next(p) || !_obs_and(p))
      return FALSE;
  return TRUE;
}

static gboolean
_obs_seq(Parser *p)
{
  if (!_obs_or(p))
    return FALSE;
  while (_is_keyword(p, "FOLLOWEDBY"))
    {
      p->out->has_followedby = TRUE;
      if (!_next(p) || !_obs_or(p))
        return FALSE;
    }
  return TRUE;
}

DiStixPattern *
di_stix_pattern_parse(const gchar *text, GError **error)
{
  Parser p = { text, strlen(text), 0, { 0 }, 0, NULL, NULL, 0, 1 };
  p.tok.text = g_string_sized_new(64);
  p.out = g_new0(DiStixPattern, 1);
  p.out->comparisons = g_ptr_array_new_with_free_func(_comparison_free);

  if (_next(&p))
    {
      if (p.tok.kind == TOK_EOF)
        _fail(&p, 0, "the pattern is empty");
      else if (_obs_seq(&p) && p.tok.kind != TOK_EOF)
        _expected(&p, "AND, OR, FOLLOWEDBY or the end of the pattern");
    }
  g_string_free(p.tok.text, TRUE);
  if (p.error)
    {
      g_propagate_error(error, p.error);
      di_stix_pattern_free(p.out);
      return NULL;
    }
  return p.out;
}

void
di_stix_pattern_free(DiStixPattern *self)
{
  if (!self)
    return;
  g_ptr_array_free(self->comparisons, TRUE);
  g_free(self);
}
