/* sanitizer-initfirst.c: starts the preloaded sanitizer runtime before any
 * other library's constructor runs (syslog-ng-sanitized preloads it after
 * the runtime; linked with -z initfirst).
 *
 * Preloaded into a daemon that is not instrumented, the runtime initialises
 * on the first malloc() it intercepts.  In syslog-ng that is the constructor
 * of libgpg-error, inside bindtextdomain(), which holds glibc's
 * _nl_state_lock for writing; the runtime's start calls dlerror(), whose
 * gettext unlocks that lock again, and from then on the next
 * bindtextdomain() -- GnuTLS's or GLib's, at module discovery -- waits for
 * good.  Initialised first, the runtime starts outside any lock.
 */
void __asan_init(void) __attribute__((weak));
void __tsan_init(void) __attribute__((weak));

__attribute__((constructor)) static void
_start_sanitizer_first(void)
{
  if (__asan_init)
    __asan_init();
  else if (__tsan_init)
    __tsan_init();
}
