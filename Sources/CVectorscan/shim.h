#ifndef CVECTORSCAN_SHIM_H
#define CVECTORSCAN_SHIM_H
#include <hs/hs.h>
#endif
