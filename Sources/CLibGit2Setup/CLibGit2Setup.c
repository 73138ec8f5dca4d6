#include "CLibGit2Setup.h"

#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

/* libgit2, as Debian builds it, parses the system's whole CA bundle (about 140 certificates,
   200 kB of PEM) with mbedTLS inside git_libgit2_init: about 5 ms of CPU at every start, the
   largest part of a warm rescan's set-up. Those certificates would serve HTTPS remotes only, and
   fairscan reads local repositories: it never fetches, pushes or clones through libgit2 (the FAIR
   API goes through async-http-client and its own TLS).

   libgit2 has no option to skip that step, so this definition takes the place of mbedTLS's for
   the whole process: the executable defines and exports the function libgit2 calls
   (Package.swift), and the dynamic linker binds libgit2's call to it when libgit2 is opened
   (CLibGit2): the executable comes first in every library's lookup. It loads nothing and reports a file error; libgit2 then starts
   without trusted certificates. Should HTTPS through libgit2 ever be used in this process, it
   would refuse every server certificate: it fails closed, it never trusts by mistake. A libgit2
   built on OpenSSL never calls this function. The signature is mbedTLS's own (the header's
   declaration is in scope, so a mismatch does not compile). */
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path) {
    (void)chain;
    (void)path;
    return MBEDTLS_ERR_X509_FILE_IO_ERROR;
}

void *fairscan_ca_bundle_parser(void) {
    return (void *)&mbedtls_x509_crt_parse_file;
}
