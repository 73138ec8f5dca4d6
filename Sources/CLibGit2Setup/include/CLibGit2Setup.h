#ifndef FAIRSCAN_CLIBGIT2SETUP_H
#define FAIRSCAN_CLIBGIT2SETUP_H

/* The function that takes the place of mbedTLS's mbedtls_x509_crt_parse_file in this process
   (see CLibGit2Setup.c): tests compare its address with the one the dynamic linker resolves. */
void *fairscan_ca_bundle_parser(void);

#endif
