# fuzz-lib.sh: what the fuzz runners share; sourced by run-fuzz.sh and
# run-fuzz-feeds.sh (POSIX sh).

# have_libfuzzer CLANG DIR: whether CLANG can link a libFuzzer target (the
# probe is built in DIR and removed)
have_libfuzzer()
{
  _probe="$2/probe-$$"
  if command -v "$1" >/dev/null 2>&1 \
     && printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' \
          | "$1" -x c -fsanitize=fuzzer - -o "$_probe" >/dev/null 2>&1; then
    rm -f "$_probe"
    return 0
  fi
  rm -f "$_probe"
  return 1
}
