# fairscan in a container: built on the Swift image (Debian 12), run on Debian 12 slim with only
# the libraries the binary links (the Swift runtime is linked in statically). The README's
# "Docker" section shows how to build and run it:
#   docker build -t fairscan .
#   docker run --rm -v "$PWD:/repo" fairscan repo .

FROM swift:6.3.1-bookworm AS build
WORKDIR /src
COPY . .
# scripts/install.sh: the build packages (scripts/deps.sh), the release build with the Swift
# runtime linked statically, stripped; binaries, completions and man page staged under /stage.
RUN DESTDIR=/stage PREFIX=/usr/local bash scripts/install.sh

FROM debian:bookworm-slim
# The runtime packages the README lists (what `ldd fairscan` names, and libarchive13, opened at
# the first archive), nothing to build with; an
# unprivileged user; and every repository trusted (safe.directory): a mounted or CI checkout is
# owned by another user, and fairscan only reads it (it runs no git, no hook, no filter).
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    libgit2-1.5 libpcre2-8-0 libsqlite3-0 libarchive13 libdeflate0 zlib1g ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --create-home --uid 10001 --user-group fairscan \
  && printf '[safe]\n\tdirectory = *\n' >/etc/gitconfig
COPY --from=build /stage/usr/local/ /usr/local/
USER 10001:10001
WORKDIR /repo
ENTRYPOINT ["fairscan"]
CMD ["--help"]
