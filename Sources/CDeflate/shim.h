#ifndef FAIRSCAN_CDEFLATE_SHIM_H
#define FAIRSCAN_CDEFLATE_SHIM_H

#include <libdeflate.h>

#endif
