import FairScanCLI

FairScanCommand.main()
