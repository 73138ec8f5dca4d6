import FairScanCLI

#if canImport(Glibc)
import Glibc
#endif

// The one place the process ends: commands return their code (and have written everything).
exit(FairScanCommand.execute())
