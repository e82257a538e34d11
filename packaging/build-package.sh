#!/bin/sh
# build-package.sh: what `make deb` and `make rpm` run.
#
#   build-package.sh deb SRCDIR VERSION WORKDIR OUTDIR
#   build-package.sh rpm SRCDIR VERSION WORKDIR OUTDIR SPEC
#   build-package.sh export SRCDIR VERSION DESTDIR
#
# The source tree is exported afresh into WORKDIR (emptied first): from git
# when SRCDIR is a git work tree (tracked files and new, not ignored ones, as
# they are on disk: what would be committed), else a copy of SRCDIR (a
# release tarball).  VERSION is configure.ac's; the changelogs must agree.
# The packages are copied to OUTDIR and their names printed last.
set -eu

me=build-package.sh
die() { echo "$me: $*" >&2; exit 1; }

[ $# -ge 4 ] || die "usage: $me deb|rpm|export SRCDIR VERSION WORKDIR [OUTDIR [SPEC]]"
what=$1
srcdir=$(cd "$2" && pwd -P) || die "$2: no such directory"
version=$3
work=$4
out=${5:-}
spec=${6:-}

# export_tree DEST: the source tree, without build products
export_tree()
{
  dest=$1
  mkdir -p "$dest"
  if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
     [ "$(cd "$(git -C "$srcdir" rev-parse --show-toplevel)" && pwd -P)" = "$srcdir" ]; then
    # --cached lists files deleted from the work tree too: skip those; and
    # skip what an in-tree `make deb`/`make rpm` leaves in the tree
    git -C "$srcdir" ls-files -z --cached --others --exclude-standard |
      (cd "$srcdir" && xargs -0 -r sh -c '
        for f; do
          case $f in
            packaging/work/*|*.deb|*.ddeb|*.rpm|*.buildinfo|*.changes) continue ;;
          esac
          { [ -f "$f" ] || [ -L "$f" ]; } && printf "%s\0" "$f"
        done; :' sh) |
      sort -zu |
      tar -C "$srcdir" --null --no-recursion -T - -cf - |
      tar -C "$dest" -xf -
  else
    (cd "$srcdir" && tar --exclude='./_build*' --exclude=./packaging/work --exclude=./debian -cf - .) |
      tar -C "$dest" -xf -
  fi
  [ -f "$dest/configure.ac" ] || die "the export of $srcdir has no configure.ac"
}

# upstream version of a Debian version: no epoch, no revision
deb_upstream() { v=${1#*:}; echo "${v%-*}"; }

case $what in
  export)
    export_tree "$work"
    ;;

  deb)
    [ -n "$out" ] || die "no OUTDIR"
    command -v dpkg-buildpackage >/dev/null 2>&1 || die "dpkg-buildpackage not found (apt-get install dpkg-dev debhelper)"
    changelog=$srcdir/packaging/debian/changelog
    debver=$(dpkg-parsechangelog -l "$changelog" -SVersion) || die "$changelog does not parse"
    [ "$(deb_upstream "$debver")" = "$version" ] ||
      die "packaging/debian/changelog is at $debver but configure.ac says $version: add an entry (dch -c packaging/debian/changelog -v $version-1)"

    rm -rf "$work"
    tree=$work/dprk-intel-$version
    export_tree "$tree"
    rm -rf "$tree/debian"
    cp -R "$tree/packaging/debian" "$tree/debian"
    chmod +x "$tree/debian/rules"

    echo "$me: building syslog-ng-mod-dprk-intel $debver in $tree (DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-})"
    # nocheck: also the build profile, so the test-only Build-Depends
    # (<!nocheck>) need not be installed
    profile=
    case " ${DEB_BUILD_OPTIONS:-} " in *" nocheck "*) profile=-Pnocheck ;; esac
    # a clean environment for the inner build: no make jobserver of ours
    (cd "$tree" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u top_srcdir -u top_builddir \
       dpkg-buildpackage -b -us -uc -Jauto $profile) || die "dpkg-buildpackage failed (in $tree)"

    mkdir -p "$out"
    arch=$(dpkg-architecture -qDEB_HOST_ARCH)
    for f in "$work"/*_"$debver"_*.deb "$work"/*_"$debver"_"$arch".buildinfo "$work"/*_"$debver"_"$arch".changes; do
      [ -f "$f" ] || continue
      [ "$(cd "$(dirname "$f")" && pwd -P)" = "$(cd "$out" && pwd -P)" ] || cp "$f" "$out/"
    done
    deb=$out/syslog-ng-mod-dprk-intel_${debver}_$arch.deb
    [ -f "$deb" ] || die "no $deb after the build"
    echo "$me: $deb"
    ;;

  rpm)
    [ -n "$out" ] && [ -n "$spec" ] || die "no OUTDIR or SPEC"
    command -v rpmbuild >/dev/null 2>&1 || die "rpmbuild not found (apt-get install rpm / dnf install rpm-build)"
    [ -f "$spec" ] || die "$spec: no such file (make it first)"
    specver=$(sed -n 's/^Version:[[:space:]]*//p' "$spec")
    [ "$specver" = "$version" ] || die "$spec has Version $specver, configure.ac says $version: run make"
    # the newest %changelog entry: "* DATE NAME <MAIL> - VERSION-RELEASE"
    logver=$(sed -n '/^%changelog/,$ s/^\*.* - \([^ ]*\)-[^- ]*$/\1/p' "$spec" | head -n 1)
    [ "$logver" = "$version" ] ||
      die "the %changelog of packaging/rpm/syslog-ng-dprk-intel.spec.in is at $logver but configure.ac says $version: add an entry"

    rm -rf "$work"
    mkdir -p "$work/SOURCES" "$work/SPECS" "$work/export"
    export_tree "$work/export/dprk-intel-$version"
    tar -C "$work/export" -czf "$work/SOURCES/dprk-intel-$version.tar.gz" "dprk-intel-$version"
    rm -rf "$work/export"
    cp "$spec" "$work/SPECS/"
    mkdir -p "$work/BUILD"

    echo "$me: rpmbuild -bb ${RPMBUILD_FLAGS:-} $(basename "$spec")"
    # shellcheck disable=SC2086
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u top_srcdir -u top_builddir \
      rpmbuild --define "_topdir $work" ${RPMBUILD_FLAGS:-} -bb "$work/SPECS/$(basename "$spec")" ||
      die "rpmbuild failed (in $work)"

    mkdir -p "$out"
    found=
    for f in "$work"/RPMS/*/*.rpm; do
      [ -f "$f" ] || continue
      cp "$f" "$out/"
      found="$found $out/$(basename "$f")"
    done
    [ -n "$found" ] || die "no RPM after the build"
    echo "$me:$found"
    ;;

  *)
    die "unknown command: $what"
    ;;
esac
