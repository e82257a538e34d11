/* dprk-intel-parser.h: the CfgParser of the dprk-intel() grammar.
 *
 * syslog-ng hands the tokens after `dprk-intel` to this parser; the bison
 * grammar itself is dprk-intel-grammar.ym.
 */
#ifndef DPRK_INTEL_PARSER_H_INCLUDED
#define DPRK_INTEL_PARSER_H_INCLUDED

#include "cfg-parser.h"
#include "parser/parser-expr.h"

extern CfgParser dprk_intel_parser;

CFG_PARSER_DECLARE_LEXER_BINDING(dprk_intel_, DPRK_INTEL_, LogParser **)

#endif
