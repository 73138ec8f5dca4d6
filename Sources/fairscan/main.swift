import FairScanCLI

#if canImport(Glibc)
  import Glibc

  // Buffers of 256 KiB and more (object contents, large files) get pages of their own and give them
  // back when freed. glibc would otherwise raise this threshold as large buffers come and go and
  // serve them from its heaps, which then hold on to the memory: a full-history scan of curl peaked
  // at 265 MiB instead of about 210.
  // (`mallopt` and `M_MMAP_THRESHOLD`, -3, are glibc's `<malloc.h>`, which the Glibc module leaves out.)
  @_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
  let mmapThreshold: Int32 = -3
  _ = mallopt(mmapThreshold, 256 << 10)
#endif

// The one place the process ends: commands return their code (and have written everything).
exit(FairScanCommand.execute())
